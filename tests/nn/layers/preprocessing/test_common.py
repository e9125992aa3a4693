"""Tests for pipeline/nn/layers/preprocessing/_common.py and hashing.py."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl
from pipeline.nn import layers
from pipeline.nn.layers.preprocessing._common import as_numpy, batches, encode


def test_encode_modes_and_out_of_range_indices():
    idx = np.array([[0, 2, 2, -1, 7]])
    assert encode(idx, "count", 3, "float32").tolist() == [[1.0, 0.0, 2.0]]
    assert encode(idx, "multi_hot", 3, "float32").tolist() == [[1.0, 0.0, 1.0]]
    assert encode(np.array([2, 9]), "one_hot", 3, "float32").tolist() == [
        [0.0, 0.0, 1.0],
        [0.0, 0.0, 0.0],
    ]
    assert encode(np.array([[1], [0]]), "one_hot", 2, "int32").tolist() == [
        [0, 1],
        [1, 0],
    ]
    assert encode(np.array([1, 2]), "int", 3, "int64").dtype == np.int64


def test_encode_count_weights():
    out = encode(
        np.array([[0, 0, 1]]), "count", 2, "float32", np.array([[0.5, 0.25, 2.0]])
    )
    assert out.tolist() == [[0.75, 2.0]]


def test_as_numpy_text_and_numbers():
    assert as_numpy(np.array([b"x", b"\xc3\xa9"], dtype=object)).tolist() == ["x", "é"]
    assert as_numpy(np.array(["a"])).dtype == object
    assert as_numpy([1, 2]).dtype.kind == "i"
    assert as_numpy(pl.nn.ops.convert_to_tensor([1.5])).tolist() == [1.5]


def test_batches_reads_arrays_whole_and_iterables_lazily():
    assert len(list(batches(np.zeros((4, 2))))) == 1
    assert len(list(batches([1, 2, 3]))) == 1
    consumed = []

    def gen():
        for i in range(10):
            consumed.append(i)
            yield np.full(2, i)

    assert [b.tolist() for b in batches(gen(), steps=2)] == [[0, 0], [1, 1]]
    assert consumed == [0, 1]


@pytest.mark.parametrize("salt", [None, [3, 5]])
def test_hashing_matches_the_strings_kernels(salt):
    words = ["omar", "stringer", "", "é"]
    layer = layers.Hashing(num_bins=7, salt=salt)
    if salt is None:
        expected = pl.strings.to_hash_bucket_fast(words, 7)
    else:
        expected = pl.strings.to_hash_bucket_strong(words, 7, salt)
    assert layer(words).numpy().tolist() == expected.tolist()


def test_hashing_integers_hash_their_decimal_text():
    ints = np.array([0, 12, -3], dtype=np.int64)
    expected = pl.strings.to_hash_bucket_fast(["0", "12", "-3"], 5)
    assert layers.Hashing(num_bins=5)(ints).numpy().tolist() == expected.tolist()


def test_hashed_crossing_is_tf_cross_hashed_of_fingerprints():
    # Fingerprint64 of the string, the integer as is, chained from TF's key.
    from pipeline import _kernels

    k = _kernels.load("farmhash")
    h = k.fingerprint_cat64(0xDECAFCAFFE, k.fingerprint64(b"A"))
    h = k.fingerprint_cat64(h, 101)
    out = layers.HashedCrossing(num_bins=1000)((["A"], [101]))
    assert out.numpy().tolist() == [h % 1000]


def test_symbolic_string_input_through_a_functional_model():
    inputs = layers.Input(shape=(1,), dtype="string")
    assert inputs.dtype == "string"
    outputs = layers.StringLookup(vocabulary=["a", "b"], output_mode="one_hot")(inputs)
    assert outputs.shape == (None, 3)
    model = pl.nn.Model(inputs, outputs)
    assert model(np.array([["b"], ["z"]])).numpy().tolist() == [[0, 0, 1], [1, 0, 0]]
