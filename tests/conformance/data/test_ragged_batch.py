"""Cases of tensorflow/python/data/kernel_tests/ragged_batch_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_same, elements, fill


def _scalars(api, nrows):
    return api.data.Dataset.from_tensor_slices(np.arange(nrows))


def _vectors(api, nrows):
    return _scalars(api, nrows).map(lambda x: fill(api, [x], x))


def _matrices1(api, nrows):
    return _scalars(api, nrows).map(lambda x: fill(api, [x, 2], x))


def _matrices2(api, nrows):
    return _scalars(api, nrows).map(lambda x: fill(api, [2, x], x))


def _matrices_fully_defined(api, nrows):
    return _scalars(api, nrows).map(lambda x: fill(api, [2, 3], x))


def _tensors5d(api, nrows):
    return _scalars(api, nrows).map(lambda x: fill(api, [2, x, 3, 2 * x, 4], x))


def _ragged(api, nrows):
    values = [[[i] * (i % 3) for i in range(j)] * (j % 3) for j in range(nrows)]
    return api.data.Dataset.from_tensor_slices(api.ragged.constant(values))


def _dicts(api, nrows):
    def transform(x):
        return {
            "shape=[]": x,
            "shape=[x]": fill(api, [x], x),
            "shape=[x, 2]": fill(api, [x, 2], x),
            "shape=[2, x]": fill(api, [2, x], x),
            "shape=[2, x, 3, 2x, 4]": fill(api, [2, x, 3, 2 * x, 4], x),
        }

    return _scalars(api, nrows).map(transform)


def _tuples(api, nrows):
    return _scalars(api, nrows).map(
        lambda x: (x, fill(api, [x], x), fill(api, [x, 2], x))
    )


MAKERS = [
    _scalars,
    _vectors,
    _matrices1,
    _matrices2,
    _ragged,
    _tensors5d,
    _dicts,
    _tuples,
    _matrices_fully_defined,
]


def _columns(rows):
    """A list of structures -> the structure of lists (leaf by leaf)."""
    first = rows[0]
    if isinstance(first, dict):
        return {k: _columns([r[k] for r in rows]) for k in first}
    if isinstance(first, tuple):
        return tuple(_columns([r[i] for r in rows]) for i in range(len(first)))
    return list(rows)


@pytest.mark.parametrize("drop_remainder", [True, False])
@pytest.mark.parametrize("nrows", [0, 20, 23])
@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__.strip("_"))
def test_basic(api, make, nrows, drop_remainder):
    ds = make(api, nrows)
    rows = elements(ds)
    batches = elements(ds.ragged_batch(4, drop_remainder))
    expected = [
        _columns(rows[start : start + 4])
        for start in range(0, nrows, 4)
        if not (drop_remainder and start + 4 > nrows)
    ]
    assert len(batches) == len(expected)
    for got, want in zip(batches, expected):
        assert_same(got, want)


def test_with_structured_elements(api):
    def make_structure(x):
        return {
            "dense": fill(api, [x], x),
            "ragged": api.RaggedTensor.from_row_lengths(fill(api, [3], x), [1, 2]),
            "sparse": api.SparseTensor([[x]], [x], [100]),
        }

    ds = api.data.Dataset.from_tensor_slices(np.arange(20)).map(make_structure)
    got = elements(ds.ragged_batch(4))
    assert len(got) == 5
    for i, result in zip(range(0, 20, 4), got):
        rows = range(i, i + 4)
        assert_same(result["dense"], [[r] * r for r in rows])
        assert_same(result["ragged"], [[[r], [r, r]] for r in rows])
        assert result["sparse"].indices.tolist() == [list(p) for p in enumerate(rows)]
        assert result["sparse"].values.tolist() == list(rows)
        assert result["sparse"].dense_shape.tolist() == [4, 100]


def test_row_splits_dtype(api):
    ds = _vectors(api, 6).ragged_batch(3, row_splits_dtype=np.int32)
    first = next(iter(ds))
    assert np.asarray(first.row_splits).dtype == np.int32
    assert first.to_list() == [[], [1], [2, 2]]


def test_cardinality(api):
    assert int(_vectors(api, 10).ragged_batch(4).cardinality()) == 3
    assert int(_vectors(api, 10).ragged_batch(4, True).cardinality()) == 2
