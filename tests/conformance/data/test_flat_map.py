"""Cases of tensorflow/python/data/kernel_tests/flat_map_test.py."""

from __future__ import annotations

import numpy as np
from conformance_support import assert_produces


def test_flat_map(api):
    repeats = [1, 2, 3, 4, 5, 0, 1]
    ds = api.data.Dataset.from_tensor_slices(np.array(repeats, np.int64)).flat_map(
        lambda x: api.data.Dataset.from_tensors([x]).repeat(x)
    )
    assert_produces(ds, [[i] for i in repeats for _ in range(i)])


def test_nested_flat_map(api):
    repeats = [[1, 2], [3, 4], [5, 0], [1, 7]]
    D = api.data.Dataset
    ds = D.from_tensor_slices(np.array(repeats, np.int64)).flat_map(
        lambda x: D.from_tensor_slices(x).flat_map(
            lambda y: D.from_tensors(y).repeat(y)
        )
    )
    assert_produces(ds, [i for row in repeats for i in row for _ in range(i)])


def test_flat_map_of_dicts(api):
    D = api.data.Dataset
    ds = D.range(10).map(lambda x: {"foo": x * 2, "bar": x**2})
    ds = ds.flat_map(lambda d: D.from_tensors(d["foo"]).repeat(d["bar"]))
    assert_produces(ds, [i * 2 for i in range(10) for _ in range(i**2)])


def test_flat_map_checkpoint_core_values(api):
    D = api.data.Dataset
    ds = D.range(0, 25, 5).flat_map(lambda x: D.range(x, x + 5))
    assert_produces(ds, list(range(25)))


def test_map_then_flat_map_values(api):
    D = api.data.Dataset
    ds = D.range(5).flat_map(lambda _: D.range(100).map(lambda y: 10 * y))
    assert_produces(ds, [10 * y for _ in range(5) for y in range(100)])


def test_flat_map_of_datasets_in_elements(api):
    D = api.data.Dataset
    ds = D.from_tensors(D.range(3)).flat_map(lambda d: d)
    assert_produces(ds, [0, 1, 2])


def test_flat_map_of_sparse_elements(api):
    def make(i):
        return api.SparseTensor(
            indices=[[0, 0], [1, 1]], values=i * np.array([1, -1]), dense_shape=[2, 2]
        )

    def dense(st):
        return api.sparse.to_dense(st)

    ds = api.data.Dataset.range(10).map(make)
    ds = ds.flat_map(lambda x: api.data.Dataset.from_tensor_slices(dense(x)))
    assert_produces(ds, [row for i in range(10) for row in ([i, 0], [0, -i])])


def test_flat_map_of_ragged_elements(api):
    def make(i):
        return api.RaggedTensor.from_tensor(i * np.array([[1], [-1]]))

    ds = api.data.Dataset.range(10).map(make)
    ds = ds.flat_map(lambda x: api.data.Dataset.from_tensor_slices(x.to_tensor()))
    assert_produces(ds, [row for i in range(10) for row in ([i], [-i])])
