"""pl.RaggedTensor: factories, accessors and conversions (values as TF gives them)."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import InvalidArgumentError

RT = pl.RaggedTensor


def test_from_row_splits_fields():
    rt = RT.from_row_splits(np.array([3, 1, 4, 1, 5]), [0, 2, 2, 5])
    assert rt.values.tolist() == [3, 1, 4, 1, 5]
    assert rt.row_splits.tolist() == [0, 2, 2, 5]
    assert rt.row_splits.dtype == np.int64
    assert rt.row_lengths().tolist() == [2, 0, 3]
    assert rt.value_rowids().tolist() == [0, 0, 2, 2, 2]
    assert rt.shape == (3, None)
    assert rt.ragged_rank == 1
    assert rt.dtype == np.int64
    assert rt.to_list() == [[3, 1], [], [4, 1, 5]]


def test_int32_splits_kept():
    rt = RT.from_row_splits([1.0, 2.0], np.array([0, 1, 2], np.int32))
    assert rt.row_splits.dtype == np.int32
    assert rt.dtype == np.float64


@pytest.mark.parametrize(
    "splits, match",
    [
        ([1, 2], "row_splits\\[0\\] must be 0"),
        ([0, 2, 1], "ascending"),
        ([0, 1], "nvals"),
    ],
)
def test_bad_splits(splits, match):
    with pytest.raises(InvalidArgumentError, match=match):
        RT.from_row_splits([1, 2], splits)


def test_from_value_rowids_with_nrows():
    rt = RT.from_value_rowids([1, 2, 3], [0, 2, 2], nrows=5)
    assert rt.to_list() == [[1], [], [2, 3], [], []]
    with pytest.raises(InvalidArgumentError):
        RT.from_value_rowids([1, 2], [1, 0])


def test_row_starts_limits_lengths_agree():
    values = [b"a", b"b", b"c"]
    want = [[b"a"], [], [b"b", b"c"]]
    assert RT.from_row_lengths(values, [1, 0, 2]).to_list() == want
    assert RT.from_row_starts(values, [0, 1, 1]).to_list() == want
    assert RT.from_row_limits(values, [1, 1, 3]).to_list() == want
    assert RT.from_row_lengths(values, [1, 0, 2]).dtype == object


def test_nested_rank_two():
    rt = RT.from_nested_row_splits([1, 2, 3, 4], [[0, 1, 3], [0, 2, 2, 4]])
    assert rt.ragged_rank == 2
    assert rt.shape == (2, None, None)
    assert [s.tolist() for s in rt.nested_row_splits] == [[0, 1, 3], [0, 2, 2, 4]]
    assert rt.flat_values.tolist() == [1, 2, 3, 4]
    assert rt.to_list() == [[[1, 2]], [[], [3, 4]]]
    assert rt[1].to_list() == [[], [3, 4]]
    assert rt.to_tensor().tolist() == [[[1, 2], [0, 0]], [[0, 0], [3, 4]]]
    assert rt.row_lengths(axis=2).to_list() == [[2], [0, 2]]


def test_to_tensor_default_and_shape():
    rt = RT.from_row_lengths(np.array([1.5, 2.5, 3.5]), [2, 0, 1])
    assert rt.to_tensor().tolist() == [[1.5, 2.5], [0, 0], [3.5, 0]]
    assert rt.to_tensor(9, shape=[2, 1]).tolist() == [[1.5], [9]]
    strings = RT.from_row_lengths([b"x"], [0, 1]).to_tensor()
    assert strings.tolist() == [[b""], [b"x"]]


def test_inner_dense_dimensions():
    rt = RT.from_row_lengths(np.arange(6).reshape(3, 2), [1, 2])
    assert rt.shape == (2, None, 2)
    assert rt.to_tensor(-1).tolist() == [[[0, 1], [-1, -1]], [[2, 3], [4, 5]]]


def test_from_tensor_lengths_and_padding():
    dense = np.array([[1, 2, 0], [3, 0, 0], [0, 0, 0]])
    assert RT.from_tensor(dense).to_list() == dense.tolist()
    assert RT.from_tensor(dense, padding=0).to_list() == [[1, 2], [3], []]
    assert RT.from_tensor(dense, lengths=[1, 3, 0]).to_list() == [[1], [3, 0, 0], []]
    rank2 = RT.from_tensor(np.arange(8).reshape(2, 2, 2), ragged_rank=2)
    assert rank2.ragged_rank == 2 and rank2.to_list() == [
        [[0, 1], [2, 3]],
        [[4, 5], [6, 7]],
    ]


def test_uniform_row_length():
    rt = RT.from_uniform_row_length([1, 2, 3, 4, 5, 6], 3)
    assert rt.shape == (2, 3)
    assert rt.to_list() == [[1, 2, 3], [4, 5, 6]]
    with pytest.raises(InvalidArgumentError):
        RT.from_uniform_row_length([1, 2, 3], 2, nrows=2)


def test_eq_and_repr():
    a = RT.from_row_splits([1, 2], [0, 2])
    assert a == RT.from_row_lengths([1, 2], [2])
    assert a != RT.from_row_lengths([1, 2], [1, 1])
    assert repr(a) == "<RaggedTensor [[1, 2]]>"


def test_spec():
    spec = pl.RaggedTensorSpec([None, None], np.int32)
    assert spec.ragged_rank == 1 and spec.row_splits_dtype == np.int64
    assert spec == pl.RaggedTensorSpec((None, None), np.int32, 1)


def test_tf_signatures_accept_name_and_splits_dtype():
    rt = RT.from_row_splits([1, 2], [0, 1, 2], "rt", False)
    assert rt.to_list() == [[1], [2]]
    assert RT.from_value_rowids([1, 2], [0, 1], 3, "ids").to_list() == [[1], [2], []]
    assert rt.to_tensor(0, "dense", [2, 2]).tolist() == [[1, 0], [2, 0]]
    narrow = RT.from_tensor([[1, 0]], padding=0, row_splits_dtype=np.int32)
    assert narrow.row_splits.dtype == np.int32 and narrow.to_list() == [[1]]
    assert RT.from_tensor([[1, 0]]).row_splits.dtype == np.int64
