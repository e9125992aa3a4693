"""group_by_window, sparse_batch and ragged_batch nodes: order, errors, state."""

from __future__ import annotations

import numpy as np
import pytest
from testing_state import check_state

import pipeline as pl
from pipeline.errors import InvalidArgumentError
from pipeline.graph.base import IterContext
from pipeline.graph.grouping import GroupNode
from pipeline.graph.sparse_batching import RaggedBatchNode

Dataset = pl.data.Dataset


def _grouped(n=23, size=3):
    return Dataset.range(n).group_by_window(
        lambda x: x % 4, lambda k, w: w.batch(size), window_size=size
    )


def test_windows_come_out_when_full_and_leftovers_in_key_order():
    got = [b.tolist() for b in _grouped(14)]
    assert got == [
        [0, 4, 8],
        [1, 5, 9],
        [2, 6, 10],
        [3, 7, 11],
        [12],
        [13],
    ]


def test_key_func_sees_each_element_once_and_reduce_once_per_window():
    seen, reduced = [], []

    def key(x):
        seen.append(int(x))
        return x % 2

    def reduce(k, w):
        reduced.append(int(k))
        return w.batch(5)

    ds = Dataset.range(10).group_by_window(key, reduce, window_size=5)
    list(ds)
    assert sorted(seen) == list(range(10)) and len(seen) == 10
    assert sorted(reduced) == [0, 1]


def test_state_restores_at_every_step():
    check_state(_grouped)


def test_state_restores_inside_a_reduced_dataset():
    def make():
        return Dataset.range(12).group_by_window(
            lambda x: x % 2, lambda k, w: w.map(lambda v: v * 10), window_size=3
        )

    check_state(make)


def test_key_that_is_not_an_integer_scalar_is_invalid():
    ds = Dataset.range(3).group_by_window(lambda x: 1.5, lambda k, w: w, window_size=2)
    with pytest.raises(InvalidArgumentError, match="key_func"):
        list(ds)


def test_element_spec_comes_from_reduce_func():
    ds = Dataset.range(6).group_by_window(
        lambda x: x % 2, lambda k, w: w.batch(3, drop_remainder=True), window_size=3
    )
    assert ds.element_spec == pl.TensorSpec((3,), np.int64)


def test_group_by_window_argument_errors():
    with pytest.raises(ValueError, match="window_size"):
        Dataset.range(3).group_by_window(lambda x: x, lambda k, w: w)
    with pytest.raises(TypeError, match="reduce_func"):
        Dataset.range(3).group_by_window(lambda x: x, 3, window_size=1)


def test_sparse_batch_state_and_cardinality():
    def make():
        return (
            Dataset.range(9)
            .map(lambda x: np.full(int(x) % 3, x))
            .sparse_batch(2, [None])
        )

    assert make().cardinality() == 5
    check_state(make)
    last = list(make())[-1]
    assert last.dense_shape.tolist() == [1, 2] and last.values.tolist() == [8, 8]


def test_sparse_batch_of_scalars_and_string_values():
    st = next(iter(Dataset.from_tensor_slices(["a", "b"]).sparse_batch(2, [])))
    assert st.indices.tolist() == [[0], [1]] and st.values.tolist() == [b"a", b"b"]
    assert st.dense_shape.tolist() == [2]


def test_ragged_batch_builds_ragged_rows_and_keeps_dense_ones():
    ds = Dataset.range(5).map(lambda x: (x, np.arange(int(x)))).ragged_batch(3)
    first, second = list(ds)
    assert first[0].tolist() == [0, 1, 2]
    assert first[1].to_list() == [[], [0], [0, 1]]
    assert second[1].to_list() == [[0, 1, 2], [0, 1, 2, 3]]


def test_ragged_batch_of_ragged_values_adds_a_dimension():
    rows = tuple(
        pl.RaggedTensor.from_row_lengths(np.arange(x + 1), [1, x]) for x in range(3)
    )
    spec = pl.RaggedTensorSpec([2, None], np.int64)
    node = RaggedBatchNode((GroupNode((), rows, spec),), 3)
    (batch,) = list(IterContext().build(node))
    assert batch.to_list() == [[[0], []], [[0], [1]], [[0], [1, 2]]]
    assert node.element_spec().ragged_rank == 2


def test_ragged_batch_rejects_other_row_splits_dtypes():
    with pytest.raises(ValueError, match="row_splits_dtype"):
        Dataset.range(3).ragged_batch(2, row_splits_dtype=np.float32)


def test_sparse_batch_spec_is_sparse_and_ragged_batch_keeps_sparse_components():
    ds = Dataset.range(3).map(lambda x: np.full(2, x)).sparse_batch(2, [None])
    assert ds.element_spec == pl.SparseTensorSpec((None, None), np.int64)
    assert isinstance(ds.element_spec, pl.SparseTensorSpec)
    again = ds.ragged_batch(2)
    assert isinstance(again.element_spec, pl.SparseTensorSpec)
    assert again.element_spec.shape == (None, None, None)


def test_window_size_func_is_asked_once_per_key():
    asked = []

    def size(key):
        asked.append(int(key))
        return np.int64(2)

    ds = Dataset.range(9).group_by_window(
        lambda x: x % 3, lambda k, w: w.batch(2), window_size_func=size
    )
    assert [b.tolist() for b in ds][:3] == [[0, 3], [1, 4], [2, 5]]
    assert sorted(asked) == [0, 1, 2]
