"""Cases of tensorflow/python/data/experimental/kernel_tests/unique_test.py
(``tf.data.experimental.unique``)."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_produces

INT_CASES = [
    ([], []),
    ([1], [1]),
    ([1, 1, 1, 1, 1, 1, 1], [1]),
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
    ds = api.data.Dataset.from_generator(lambda: values, dtype)
    return ds.apply(api.data.experimental.unique())


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
@pytest.mark.parametrize(("values", "expected"), INT_CASES, ids=str)
def test_simple_int(api, dtype, values, expected):
    assert_produces(_unique_of(api, values, dtype), expected)


@pytest.mark.parametrize(("values", "expected"), STRING_CASES, ids=str)
def test_simple_string(api, values, expected):
    assert_produces(_unique_of(api, values, api.string), expected)


@pytest.mark.parametrize(
    "dtype", [np.bool_, np.float64, np.complex64, np.float32], ids=str
)
def test_unsupported_types(api, dtype):
    with pytest.raises(TypeError):
        _unique_of(api, [], dtype)
