"""``adapt`` over ``pl.data.Dataset`` and other iterables: one streaming pass."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl
from pipeline.nn import layers


class CountingBatches:
    """An iterable of batches that counts how often it is iterated."""

    def __init__(self, parts):
        self.parts = parts
        self.passes = 0

    def __iter__(self):
        self.passes += 1
        return iter(self.parts)


def test_normalization_adapts_from_a_dataset_in_one_pass():
    x = np.random.default_rng(0).normal(3.0, 2.0, size=(50, 3))
    ds = pl.data.Dataset.from_tensor_slices(x).batch(7)
    layer = layers.Normalization()
    layer.adapt(ds)
    np.testing.assert_allclose(layer.mean.numpy()[0], x.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(layer.variance.numpy()[0], x.var(axis=0), rtol=1e-5)
    counting = CountingBatches([x[:20], x[20:]])
    layer = layers.Normalization()
    layer.adapt(counting)
    assert counting.passes == 1
    np.testing.assert_allclose(layer.mean.numpy()[0], x.mean(axis=0), rtol=1e-5)


def test_normalization_adapts_from_labelled_dataset_batches():
    x = np.arange(12.0).reshape(6, 2)
    ds = pl.data.Dataset.from_tensor_slices((x, np.zeros(6))).batch(4)
    layer = layers.Normalization()
    layer.adapt(ds)
    np.testing.assert_allclose(layer.mean.numpy()[0], x.mean(axis=0), rtol=1e-6)


def test_normalization_adapt_rejects_a_scalar():
    with pytest.raises(TypeError, match="Unsupported data type"):
        layers.Normalization().adapt(3.0)


def test_string_lookup_adapts_from_a_dataset_by_frequency_ties_larger_first():
    words = np.array(["b", "a", "c", "a", "c", "d"])
    layer = layers.StringLookup(max_tokens=4)
    layer.adapt(pl.data.Dataset.from_tensor_slices(words).batch(4))
    # counts a:2 c:2 b:1 d:1; ties go to the larger token; 3 learned tokens.
    assert layer.get_vocabulary() == ["[UNK]", "c", "a", "d"]


def test_integer_lookup_tf_idf_documents_are_dataset_rows():
    docs = np.array([[1, 1], [1, 2], [2, 3]])
    layer = layers.IntegerLookup(output_mode="tf_idf")
    layer.adapt(pl.data.Dataset.from_tensor_slices(docs).batch(2))
    idf = np.log(1 + 3 / (1 + np.array([2.0, 2.0, 1.0])))
    np.testing.assert_allclose(layer.idf_weights[1:], idf, rtol=1e-6)
    np.testing.assert_allclose(layer.idf_weights[0], idf.mean(), rtol=1e-6)


def test_discretization_adapts_from_a_dataset():
    values = np.arange(100.0)
    layer = layers.Discretization(num_bins=4)
    layer.adapt(pl.data.Dataset.from_tensor_slices(values).batch(16))
    np.testing.assert_allclose(layer.bin_boundaries, [24.0, 49.0, 74.0], atol=1.0)


def test_lookup_adapt_refused_with_a_fixed_vocabulary():
    layer = layers.StringLookup(vocabulary=["a"])
    with pytest.raises(ValueError, match="Cannot adapt layer"):
        layer.adapt(["a", "b"])


def test_num_oov_indices_zero_refuses_unknown_tokens():
    layer = layers.StringLookup(vocabulary=["a"], num_oov_indices=0)
    with pytest.raises(pl.errors.InvalidArgumentError, match="found OOV values"):
        layer(["a", "zz"])
