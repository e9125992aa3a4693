"""batch, padded_batch, unbatch, rebatch, window vs tf.data's documented semantics."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import DataLossError, InvalidArgumentError
from pipeline.types import TensorSpec

Dataset = pl.data.Dataset


def test_batch_remainder_and_spec():
    ds = Dataset.range(7).batch(3)
    assert [b.tolist() for b in ds] == [[0, 1, 2], [3, 4, 5], [6]]
    assert ds.element_spec.shape == (None,) and ds.cardinality() == 3
    dropped = Dataset.range(7).batch(3, drop_remainder=True)
    assert [b.tolist() for b in dropped] == [[0, 1, 2], [3, 4, 5]]
    assert dropped.element_spec.shape == (3,) and dropped.cardinality() == 2


def test_batch_dicts_and_tuples_leaf_by_leaf():
    ds = Dataset.from_tensor_slices(
        {"x": np.arange(4, dtype=np.float32), "s": ["a", "b", "c", "d"]}
    ).batch(2)
    first = next(iter(ds))
    assert list(first) == ["x", "s"]
    assert first["x"].dtype == np.float32 and first["x"].tolist() == [0.0, 1.0]
    assert first["s"].dtype == object and first["s"].tolist() == [b"a", b"b"]
    pairs = next(iter(Dataset.from_tensor_slices(([1, 2], [[1, 1], [2, 2]])).batch(2)))
    assert pairs[0].shape == (2,) and pairs[1].shape == (2, 2)


def test_batch_of_different_shapes_fails_like_tf():
    ds = Dataset.range(1, 3).map(lambda x: np.arange(x)).batch(2)
    with pytest.raises(InvalidArgumentError, match="different shapes in component 0"):
        list(ds)


def test_padded_batch_defaults_pad_to_longest_with_zero_and_empty_bytes():
    ds = Dataset.range(1, 5).map(lambda x: np.arange(x)).padded_batch(2)
    out = [b.tolist() for b in ds]
    assert out == [[[0, 0], [0, 1]], [[0, 1, 2, 0], [0, 1, 2, 3]]]
    words = Dataset.range(1, 3).map(lambda x: np.array([b"w"] * int(x), dtype=object))
    assert next(iter(words.padded_batch(2))).tolist() == [[b"w", b""], [b"w", b"w"]]


def test_padded_batch_shapes_and_values():
    ds = Dataset.range(1, 3).map(lambda x: (np.arange(x), x))
    out = next(
        iter(ds.padded_batch(2, padded_shapes=([4], []), padding_values=(-1, 0)))
    )
    assert out[0].tolist() == [[0, -1, -1, -1], [0, 1, -1, -1]]
    assert out[1].tolist() == [1, 2]
    # A declared dimension larger than the padded shape fails at build time
    # (TF's ValueError); a longer element of an unknown dimension, or of a
    # map's sampled one, when read (TF's DataLossError).
    with pytest.raises(ValueError, match="not compatible"):
        Dataset.from_tensors(np.arange(5)).padded_batch(1, [2])
    with pytest.raises(DataLossError, match="smaller"):
        list(Dataset.range(5, 6).map(lambda x: np.arange(x)).padded_batch(1, [2]))
    rows = Dataset.from_generator(
        lambda: iter([np.arange(5)]), output_signature=TensorSpec((None,), np.int64)
    )
    with pytest.raises(DataLossError, match="smaller"):
        list(rows.padded_batch(1, [2]))


def test_unbatch_and_rebatch():
    ds = Dataset.from_tensor_slices(
        {"a": [[1, 2], [3, 4]], "b": [["x", "y"], ["z", "w"]]}
    )
    flat = list(ds.unbatch())
    assert [int(e["a"]) for e in flat] == [1, 2, 3, 4]
    assert [e["b"] for e in flat] == [b"x", b"y", b"z", b"w"]
    re = Dataset.range(10).batch(4).rebatch(3)
    assert [b.tolist() for b in re] == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    re = Dataset.range(10).batch(4).rebatch(3, drop_remainder=True)
    assert [b.tolist() for b in re] == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]


def test_window_shift_stride_drop_remainder():
    def windows(ds):
        return [[int(x) for x in w] for w in ds]

    assert windows(Dataset.range(7).window(3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert windows(Dataset.range(7).window(3, 2)) == [
        [0, 1, 2],
        [2, 3, 4],
        [4, 5, 6],
        [6],
    ]
    assert windows(Dataset.range(7).window(3, 1, 2, drop_remainder=True)) == [
        [0, 2, 4],
        [1, 3, 5],
        [2, 4, 6],
    ]
    assert Dataset.range(7).window(3, 2).cardinality() == 4
    assert Dataset.range(7).window(3, 1, 2, drop_remainder=True).cardinality() == 3


def test_window_of_tuples_is_a_tuple_of_datasets():
    ds = Dataset.from_tensor_slices(([1, 2, 3], ["a", "b", "c"])).window(2)
    ws = list(ds)
    assert [int(x) for x in ws[0][0]] == [1, 2] and list(ws[0][1]) == [b"a", b"b"]
    flat = ds.flat_map(lambda a, b: Dataset.zip(a, b).batch(2))
    assert [b[1].tolist() for b in flat] == [[b"a", b"b"], [b"c"]]


def test_unbatch_trusts_only_declared_batch_sizes():
    # A map's spec comes from one sample: its first dimension (1 here) is not
    # the others', so neither the cardinality nor a build-time check uses it.
    ds = Dataset.range(1, 5).map(lambda x: (np.arange(x), np.arange(x)))
    assert ds.unbatch().cardinality() == pl.data.UNKNOWN_CARDINALITY
    assert len(list(ds.unbatch())) == 10
    uneven = Dataset.range(1, 3).map(lambda x: (np.arange(x), np.arange(x + 1)))
    with pytest.raises(InvalidArgumentError, match="same leading dimension"):
        list(uneven.unbatch())
    assert Dataset.range(10).batch(4, drop_remainder=True).unbatch().cardinality() == 8
    with pytest.raises(ValueError, match="different batch sizes"):
        Dataset.from_tensors((np.arange(2), np.arange(3))).unbatch()
