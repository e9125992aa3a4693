"""pl.ragged.constant: depth, dtypes and errors as tf.ragged.constant."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl


def test_depth_gives_the_ragged_rank_and_values_keep_the_lists():
    values = [[[i] * (i % 3) for i in range(j)] * (j % 3) for j in range(7)]
    rt = pl.ragged.constant(values)
    assert rt.ragged_rank == 2 and rt.to_list() == values
    assert rt.flat_values.dtype == np.int32 and rt.row_splits.dtype == np.int64


def test_dtypes_as_tf_types_python_values():
    assert pl.ragged.constant([[1.5], []]).flat_values.dtype == np.float32
    assert pl.ragged.constant([[], []]).flat_values.dtype == np.float32
    assert pl.ragged.constant([["a", "b"], []]).to_list() == [[b"a", b"b"], []]
    assert pl.ragged.constant([[2**40]]).flat_values.dtype == np.int64
    assert pl.ragged.constant([[1]], dtype=np.int64).flat_values.dtype == np.int64


def test_inner_dimensions_and_row_splits_dtype():
    rt = pl.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert rt.flat_values.shape == (3, 2)
    assert rt.to_list() == [[[1, 2], [3, 4]], [[5, 6]]]
    rt32 = pl.ragged.constant([[1], [2, 3]], row_splits_dtype=np.int32)
    assert rt32.row_splits.dtype == np.int32
    assert pl.ragged.constant([[1, 2], [3, 4]], ragged_rank=0).tolist() == [
        [1, 2],
        [3, 4],
    ]


def test_mixed_depths_and_bad_ragged_rank_raise():
    with pytest.raises(ValueError, match="same nesting depth"):
        pl.ragged.constant([[1, [2]], [3]])
    with pytest.raises(ValueError, match="ragged_rank"):
        pl.ragged.constant([[1]], ragged_rank=3)
