"""Cases of tensorflow/python/data/kernel_tests/counter_test.py and
data/experimental/kernel_tests/counter_test.py (``tf.data.experimental.Counter``)."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import elements, numpy_dtype, spec_shapes


@pytest.mark.parametrize(
    ("start", "step", "expected"), [(3, 4, [3, 7, 11]), (0, -1, [0, -1, -2])]
)
def test_counter(api, start, step, expected):
    ds = api.data.Dataset.counter(start, step)
    assert spec_shapes(ds.element_spec) == ()
    assert numpy_dtype(ds.element_spec.dtype) == np.int64
    assert [int(x) for x in elements(ds, limit=3)] == expected


@pytest.mark.parametrize(
    ("start", "step", "expected"), [(3, 4, [3, 7, 11]), (0, -1, [0, -1, -2])]
)
def test_experimental_counter(api, start, step, expected):
    ds = api.data.experimental.Counter(start, step)
    assert spec_shapes(ds.element_spec) == ()
    assert numpy_dtype(ds.element_spec.dtype) == np.int64
    assert [int(x) for x in elements(ds, limit=3)] == expected


def test_counter_dtype_and_cardinality(api):
    ds = api.data.Dataset.counter(2, 3, dtype=np.int32)
    assert numpy_dtype(ds.element_spec.dtype) == np.int32
    assert int(ds.cardinality()) == api.data.INFINITE_CARDINALITY
    got = elements(ds, limit=2)
    assert [x.dtype for x in got] == [np.dtype(np.int32)] * 2
    assert [int(x) for x in got] == [2, 5]
