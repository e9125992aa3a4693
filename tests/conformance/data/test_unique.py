"""Cases of tensorflow/python/data/kernel_tests/unique_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_produces

INT_CASES = [
    ([], []),
    ([1], [1]),
    ([1, 1, 1, 1, 1, 1, 1], [1]),
    ([1, 1, 1, 1, 0], [1, 0]),
    ([1, 2, 3, 4], [1, 2, 3, 4]),
    ([1, 2, 4, 3, 2, 1, 2, 3, 4], [1, 2, 4, 3]),
    ([[1], [1, 1], [1, 1, 1]], [[1], [1, 1], [1, 1, 1]]),
    ([[1, 1], [1, 1], [2, 2], [3, 3], [1, 1]], [[1, 1], [2, 2], [3, 3]]),
]
STRING_CASES = [
    ([], []),
    (["hello"], ["hello"]),
    (["hello", "hello", "hello"], ["hello"]),
    (["hello", "world"], ["hello", "world"]),
    (["foo", "bar", "baz", "baz", "bar", "foo"], ["foo", "bar", "baz"]),
]


def _unique_of(api, values, dtype):
    return api.data.Dataset.from_generator(lambda: values, dtype).unique()


@pytest.mark.parametrize(("values", "expected"), INT_CASES)
@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_simple_int(api, dtype, values, expected):
    ds = _unique_of(api, values, dtype)
    got = list(ds.as_numpy_iterator())
    assert [np.asarray(x).dtype for x in got] == [np.dtype(dtype)] * len(expected)
    assert_produces(ds, expected)


@pytest.mark.parametrize(("values", "expected"), STRING_CASES)
def test_simple_string(api, values, expected):
    assert_produces(_unique_of(api, values, api.string), [v.encode() for v in expected])


@pytest.mark.parametrize(
    "dtype", [np.bool_, np.float64, np.complex64, np.float32], ids=lambda d: d.__name__
)
def test_unsupported_types(api, dtype):
    with pytest.raises(TypeError):
        api.data.Dataset.from_generator(lambda: [], dtype).unique()


def test_name(api):
    assert_produces(api.data.Dataset.from_tensors(42).unique(name="unique"), [42])


def test_checkpoint_pipeline_values(api):
    # UniqueCheckpointTest's pipeline, read straight through.
    ds = api.data.Dataset.range(200).map(lambda x: x % 100).unique()
    assert_produces(ds, range(100))
