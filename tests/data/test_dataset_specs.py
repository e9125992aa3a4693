"""element_spec and cardinality as tf.data reports them (None for unknown dims)."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl

D = pl.data.Dataset
S = pl.TensorSpec
UNK, INF = pl.data.UNKNOWN_CARDINALITY, pl.data.INFINITE_CARDINALITY


def test_specs_follow_batching():
    ds = D.from_tensor_slices(([1, 2, 3], ["a", "b", "c"]))
    assert ds.batch(2).element_spec == (S((None,), np.int32), S((None,), pl.string))
    assert D.range(5).batch(2, drop_remainder=True).element_spec == S((2,), np.int64)
    unb = D.from_tensor_slices([[1, 2], [3, 4]]).batch(2).unbatch()
    assert unb.element_spec == S((2,), np.int32)
    re = D.range(6).batch(4).rebatch(3, drop_remainder=True)
    assert re.element_spec == S((3,), np.int64)
    pad = D.from_tensor_slices([[1, 2], [3, 4]]).padded_batch(2, padded_shapes=[5])
    assert pad.element_spec == S((None, 5), np.int32)
    var = D.range(1, 4).map(lambda x: np.arange(x)).padded_batch(2)
    assert var.element_spec.shape == (None, None)


def test_specs_of_sources_and_enumerate():
    t = D.from_tensors(([1, 2], 3.5, "z")).element_spec
    assert t == (S((2,), np.int32), S((), np.float32), S((), pl.string))
    e = D.from_tensors(np.zeros((2, 3), np.float32)).enumerate().element_spec
    assert e == (S((), np.int64), S((2, 3), np.float32))
    z = D.zip({"a": D.range(3), "b": D.from_tensor_slices([1.0])}).element_spec
    assert z == {"a": S((), np.int64), "b": S((), np.float32)}


@pytest.mark.parametrize(
    ("make", "want"),
    [
        (lambda: D.range(10).window(3, 2, 2).flat_map(lambda w: w.batch(3)), UNK),
        (lambda: D.range(11).batch(4).rebatch(3), UNK),
        (lambda: D.range(7).batch(3).unbatch(), UNK),
        (lambda: D.range(30).skip(3).shard(4, 3).take(5), 5),
        (lambda: D.range(3).concatenate(D.range(10, 12)).repeat(2), 10),
        (lambda: D.range(10).take_while(lambda x: x < 7), UNK),
        (lambda: D.range(5).ignore_errors(), UNK),
        (lambda: D.range(5).repeat().ignore_errors(), UNK),
        (lambda: D.range(7).repeat().skip(-1), INF),
        (lambda: D.range(7).skip(-1), 0),
        (lambda: D.range(7).window(3, 2), 4),
        (lambda: D.range(7).window(3, 1, 2, drop_remainder=True), 3),
        (lambda: D.range(5).padded_batch(2, drop_remainder=True), 2),
    ],
)
def test_cardinality_as_tf(make, want):
    assert make().cardinality() == want
