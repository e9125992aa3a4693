"""StringLookup and IntegerLookup inside models: training, datasets, saving."""

from __future__ import annotations

import os

import numpy as np
import pytest

import pipeline as pl
from pipeline.nn import layers


def _model(lookup):
    inputs = layers.Input(shape=(2,), dtype="string")
    x = layers.Embedding(lookup.vocabulary_size(), 4)(lookup(inputs))
    outputs = layers.Dense(1, activation="sigmoid")(layers.Flatten()(x))
    model = pl.nn.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


def test_string_features_train_from_a_dataset_and_reload(tmp_path):
    words = np.array([["a", "b"], ["c", "a"], ["b", "b"], ["d", "a"]] * 8)
    labels = (np.arange(32) % 2).astype("float32")
    lookup = layers.StringLookup()
    lookup.adapt(pl.data.Dataset.from_tensor_slices(words).batch(5))
    # a and b: 24 each, c and d: 8 each; ties go to the larger token.
    assert lookup.get_vocabulary() == ["[UNK]", "b", "a", "d", "c"]
    model = _model(lookup)
    ds = pl.data.Dataset.from_tensor_slices((words, labels)).batch(8)
    history = model.fit(ds, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    path = os.path.join(str(tmp_path), "m.keras")
    model.save(path)
    loaded = pl.nn.load_model(path)
    np.testing.assert_allclose(
        loaded.predict(words[:4], verbose=0),
        model.predict(words[:4], verbose=0),
        rtol=1e-6,
    )


def test_integer_lookup_mask_and_oov_hashing():
    layer = layers.IntegerLookup(vocabulary=[10, 20], mask_token=0, num_oov_indices=3)
    out = layer([0, 10, 20, 7, 8]).numpy().tolist()
    assert out[:3] == [0, 4, 5]
    assert out[3:] == [1 + 7 % 3, 1 + 8 % 3]  # floormod after the mask index


def test_multi_hot_drops_the_mask_token():
    layer = layers.StringLookup(
        vocabulary=["a"], mask_token="", output_mode="multi_hot"
    )
    assert layer([["", "a", "zz"]]).numpy().tolist() == [[1.0, 1.0]]
    assert layer.get_vocabulary() == ["[UNK]", "a"]


def test_invert_round_trip():
    forward = layers.StringLookup(vocabulary=["x", "y"])
    back = layers.StringLookup(vocabulary=["x", "y"], invert=True)
    ids = forward([["y", "x", "q"]])
    assert back(ids).numpy().tolist() == [[b"y", b"x", b"[UNK]"]]


def test_vocabulary_size_grows_only_by_adapt_or_set():
    layer = layers.StringLookup(max_tokens=3)
    assert layer.vocabulary_size() == 1
    with pytest.raises(ValueError, match="larger than the maximum vocab size"):
        layer.set_vocabulary(["a", "b", "c"])
