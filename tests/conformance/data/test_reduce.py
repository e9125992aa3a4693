"""Cases of tensorflow/python/data/kernel_tests/reduce_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import to_numpy


@pytest.mark.parametrize("i", range(10))
def test_sum(api, i):
    ds = api.data.Dataset.range(1, i + 1)
    got = ds.reduce(np.int64(0), lambda x, y: x + y)
    assert int(to_numpy(got)) == (i + 1) * i // 2


@pytest.mark.parametrize("i", range(10))
def test_sum_tuple(api, i):
    def reduce_fn(state, value):
        v1, v2 = value
        return state + v1 + v2

    ds = api.data.Dataset.range(1, i + 1)
    ds = api.data.Dataset.zip((ds, ds))
    assert int(to_numpy(ds.reduce(np.int64(0), reduce_fn))) == (i + 1) * i


@pytest.mark.parametrize("i", range(10))
def test_sum_and_count(api, i):
    def reduce_fn(state, value):
        s, c = state
        return s + value, c + 1

    ds = api.data.Dataset.range(1, i + 1)
    s, c = to_numpy(ds.reduce((np.int64(0), np.int64(0)), reduce_fn))
    assert (int(s), int(c)) == ((i + 1) * i // 2, i)


def _sparse(api, i):
    return api.SparseTensor(
        indices=np.array([[0, 0]]), values=(i * np.array([1])), dense_shape=[1, 1]
    )


@pytest.mark.parametrize("i", range(5))
def test_sparse(api, i):
    ds = api.data.Dataset.from_tensors(_sparse(api, i + 1))
    got = to_numpy(ds.reduce(_sparse(api, 0), lambda _, value: value))
    assert got.values.tolist() == [i + 1] and got.indices.tolist() == [[0, 0]]
    assert got.dense_shape.tolist() == [1, 1]


@pytest.mark.parametrize("i", range(5))
def test_nested(api, i):
    def reduce_fn(state, value):
        state["dense"] += value["dense"]
        state["sparse"] = value["sparse"]
        return state

    def map_fn(x):
        return {"dense": x, "sparse": _sparse(api, x)}

    ds = api.data.Dataset.range(1, i + 1).map(map_fn)
    got = to_numpy(ds.reduce(map_fn(np.int64(0)), reduce_fn))
    assert int(got["dense"]) == (i + 1) * i // 2
    assert got["sparse"].values.tolist() == [i]
