"""Cases of tensorflow/python/data/kernel_tests/enumerate_test.py."""

from __future__ import annotations

import numpy as np
from conformance_support import assert_produces, numpy_dtype, spec_shapes


def test_enumerate(api):
    components = (["a", "b"], [1, 2], [37.0, 38])
    ds = api.data.Dataset.from_tensor_slices(components).enumerate(np.int64(20))
    assert numpy_dtype(ds.element_spec[0].dtype) == np.int64
    assert spec_shapes(ds.element_spec) == ((), ((), (), ()))
    assert_produces(ds, [(20, (b"a", 1, 37.0)), (21, (b"b", 2, 38.0))])


def test_enumerate_checkpoint_case_values(api):
    ds = api.data.Dataset.range(2, 10).enumerate()
    assert_produces(ds, [(i, i + 2) for i in range(8)])
