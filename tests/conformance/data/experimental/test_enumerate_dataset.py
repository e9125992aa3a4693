"""Cases of tensorflow/python/data/experimental/kernel_tests/
enumerate_dataset_test.py."""

from __future__ import annotations

import numpy as np
from conformance_support import assert_produces, numpy_dtype, spec_shapes


def test_enumerate_dataset(api):
    components = (["a", "b"], [1, 2], [37.0, 38])
    ds = api.data.Dataset.from_tensor_slices(components).apply(
        api.data.experimental.enumerate_dataset(np.int64(20))
    )
    assert numpy_dtype(ds.element_spec[0].dtype) == np.int64
    shapes = spec_shapes(ds.element_spec)
    assert shapes[0] == ()
    assert list(shapes[1]) == [()] * 3
    assert_produces(ds, [(20, (b"a", 1, 37.0)), (21, (b"b", 2, 38.0))])
