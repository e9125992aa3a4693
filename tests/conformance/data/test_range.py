"""Cases of tensorflow/python/data/kernel_tests/range_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_produces, numpy_dtype

OUTPUT_TYPES = [np.int32, np.int64, np.float32, np.float64]


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


@pytest.mark.parametrize("dtype", OUTPUT_TYPES)
def test_range_output_type(api, dtype):
    ds = api.data.Dataset.range(0, 4, 1, output_type=dtype)
    assert numpy_dtype(ds.element_spec.dtype) == np.dtype(dtype)
    got = [np.asarray(x) for x in ds.as_numpy_iterator()]
    assert [x.dtype for x in got] == [np.dtype(dtype)] * 4


def test_range_zero_step_is_invalid(api):
    with pytest.raises(api.errors.InvalidArgumentError):
        list(api.data.Dataset.range(2, 10, 0))


# The parameterized cases of RangeTest: each range under each output type.
RANGE_ARGS = {
    "stop": (5,),
    "start_stop": (2, 5),
    "start_stop_step": (2, 10, 2),
    "negative_step": (2, 10, -1),
    "stop_less_than_start": (10, 2),
    "stop_less_than_start_positive_step": (10, 2, 2),
    "stop_less_than_start_negative_step": (10, 2, -1),
}
EXPECTED = {
    "stop": [0, 1, 2, 3, 4],
    "start_stop": [2, 3, 4],
    "start_stop_step": [2, 4, 6, 8],
    "negative_step": [],
    "stop_less_than_start": [],
    "stop_less_than_start_positive_step": [],
    "stop_less_than_start_negative_step": [10, 9, 8, 7, 6, 5, 4, 3],
}


@pytest.mark.parametrize("dtype", OUTPUT_TYPES)
@pytest.mark.parametrize("case", sorted(RANGE_ARGS))
def test_range_with_output_type(api, case, dtype):
    ds = api.data.Dataset.range(*RANGE_ARGS[case], output_type=dtype)
    assert numpy_dtype(ds.element_spec.dtype) == np.dtype(dtype)
    assert ds.element_spec.shape == ()
    got = list(ds.as_numpy_iterator())
    assert [np.asarray(x).dtype for x in got] == [np.dtype(dtype)] * len(got)
    assert [x.item() for x in got] == EXPECTED[case]


@pytest.mark.parametrize("dtype", OUTPUT_TYPES)
def test_range_zero_step_with_output_type(api, dtype):
    with pytest.raises(api.errors.InvalidArgumentError):
        list(api.data.Dataset.range(2, 10, 0, output_type=dtype))


def test_range_output_type_positional(api):
    # RangeTest.testOutputType (an older revision of the file).
    ds = api.data.Dataset.range(5, output_type=np.int32)
    assert numpy_dtype(ds.element_spec.dtype) == np.dtype(np.int32)
    assert [int(x) for x in ds.as_numpy_iterator()] == [0, 1, 2, 3, 4]


def test_range_default_type_is_int64(api):
    ds = api.data.Dataset.range(3)
    assert numpy_dtype(ds.element_spec.dtype) == np.dtype(np.int64)
    assert [np.asarray(x).dtype for x in ds.as_numpy_iterator()] == [
        np.dtype(np.int64)
    ] * 3
