"""Cases of tensorflow/python/data/kernel_tests/as_numpy_iterator_test.py."""

from __future__ import annotations

import collections

import numpy as np
import pytest


def test_basic(api):
    assert list(api.data.Dataset.range(3).as_numpy_iterator()) == [0, 1, 2]


def test_nested_structure(api):
    point = collections.namedtuple("Point", ["x", "y"])
    ds = api.data.Dataset.from_tensor_slices(
        {"a": ([1, 2], [3, 4]), "b": [5, 6], "c": point([7, 8], [9, 10])}
    )
    assert list(ds.as_numpy_iterator()) == [
        {"a": (1, 3), "b": 5, "c": point(7, 9)},
        {"a": (2, 4), "b": 6, "c": point(8, 10)},
    ]


def test_values_are_numpy(api):
    got = list(api.data.Dataset.from_tensors([1.5, 2.5]).as_numpy_iterator())
    assert isinstance(got[0], np.ndarray) and got[0].tolist() == [1.5, 2.5]


def test_sparse_element_comes_dense(api):
    ds = api.data.Dataset.from_tensors(
        api.SparseTensor(indices=[[0, 1], [2, 0]], values=[5, 6], dense_shape=[3, 2])
    )
    (got,) = list(ds.as_numpy_iterator())
    assert isinstance(got, np.ndarray)
    assert got.tolist() == [[0, 5], [0, 0], [6, 0]]


@pytest.mark.parametrize("nested", [False, True])
def test_dataset_element_is_a_type_error(api, nested):
    inner = api.data.Dataset.range(3)
    element = (api.constant([1, 2, 3]), inner) if nested else inner
    ds = api.data.Dataset.from_tensors(element)
    with pytest.raises(TypeError, match="is not supported for datasets"):
        ds.as_numpy_iterator()
