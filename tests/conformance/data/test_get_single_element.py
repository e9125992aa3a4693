"""Cases of tensorflow/python/data/kernel_tests/get_single_element_test.py."""

from __future__ import annotations

import pytest
from conformance_support import assert_produces, to_numpy


def _make(api):
    def fn(x):
        sparse = api.SparseTensor(indices=[[x]], values=[x], dense_shape=[x + 1])
        return x * x, sparse

    return fn


@pytest.mark.parametrize("skip", [0, 5, 10])
def test_basic(api, skip):
    ds = api.data.Dataset.range(100).skip(skip).map(_make(api)).take(1)
    dense, sparse = to_numpy(ds.get_single_element())
    assert dense == skip * skip
    assert sparse.indices.tolist() == [[skip]]
    assert sparse.values.tolist() == [skip]
    assert sparse.dense_shape.tolist() == [skip + 1]


@pytest.mark.parametrize(
    ("skip", "take", "message"),
    [(100, 1, "Dataset was empty."), (0, 2, "Dataset had more than one element.")],
)
def test_errors(api, skip, take, message):
    ds = api.data.Dataset.range(100).skip(skip).map(_make(api)).take(take)
    with pytest.raises(api.errors.InvalidArgumentError, match=message):
        ds.get_single_element()


def test_window(api):
    def flat_map_func(ds):
        return api.data.Dataset.from_tensors(ds.batch(2).get_single_element())

    ds = api.data.Dataset.range(10).window(2).flat_map(flat_map_func)
    assert_produces(ds, [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]])


def test_name(api):
    ds = api.data.Dataset.from_tensors(42)
    assert int(ds.get_single_element(name="get_single_element")) == 42
