"""Cases of tensorflow/python/data/kernel_tests/range_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_produces, numpy_dtype


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((5,), [0, 1, 2, 3, 4]),
        ((2, 5), [2, 3, 4]),
        ((2, 10, 2), [2, 4, 6, 8]),
        ((10, 2, -1), [10, 9, 8, 7, 6, 5, 4, 3]),
        ((2, 5, -1), []),
        ((5, 2), []),
    ],
)
def test_range_values(api, args, expected):
    assert_produces(api.data.Dataset.range(*args), expected)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64])
def test_range_output_type(api, dtype):
    ds = api.data.Dataset.range(0, 4, 1, output_type=dtype)
    assert numpy_dtype(ds.element_spec.dtype) == np.dtype(dtype)
    got = [np.asarray(x) for x in ds.as_numpy_iterator()]
    assert [x.dtype for x in got] == [np.dtype(dtype)] * 4


def test_range_zero_step_is_invalid(api):
    with pytest.raises(api.errors.InvalidArgumentError):
        list(api.data.Dataset.range(2, 10, 0))
