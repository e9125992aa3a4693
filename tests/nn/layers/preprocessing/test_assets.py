"""Saving the preprocessing layers: vocabularies travel as JSON data."""

from __future__ import annotations

import json
import os
import zipfile

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import ModelFormatError
from pipeline.nn import layers, saving_registry


def _model(tmp_path):
    lookup = layers.StringLookup(output_mode="tf_idf", name="words")
    lookup.adapt([["a", "b"], ["a", "c"], ["a", "a"]])
    inputs = layers.Input(shape=(2,), dtype="string")
    model = pl.nn.Model(inputs, lookup(inputs))
    path = os.path.join(str(tmp_path), "m.keras")
    model.save(path)
    return model, path


def test_adapted_vocabulary_round_trips_as_json_data(tmp_path):
    model, path = _model(tmp_path)
    data = np.array([["a", "c"], ["z", "b"]])
    loaded = pl.nn.load_model(path)
    np.testing.assert_allclose(loaded(data).numpy(), model(data).numpy(), rtol=1e-6)
    with zipfile.ZipFile(path) as archive:
        assets = json.loads(archive.read("assets.json"))
    assert assets["words"]["vocabulary"] == ["a", "c", "b"]
    assert len(assets["words"]["idf_weights"]) == 4


def _rewrite_assets(path, text):
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["assets.json"] = text.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)


@pytest.mark.parametrize(
    "text, words",
    [
        ('{"nope": {"vocabulary": ["a"]}}', "names 'nope'"),
        ('{"words": {"vocabulary": "a"}}', "layer 'words'"),
        ('{"words": {"vocabulary": ["a", "a"]}}', "repeated"),
        ("[1]", "not a JSON object"),
    ],
)
def test_bad_assets_member_is_a_model_format_error(tmp_path, text, words):
    _, path = _model(tmp_path)
    _rewrite_assets(path, text)
    with pytest.raises(ModelFormatError, match=words):
        pl.nn.load_model(path)


def test_vocabulary_file_refused_while_loading(tmp_path):
    vocab = tmp_path / "v.txt"
    vocab.write_text("a\n")
    with saving_registry.load_scope(safe_mode=True):
        with pytest.raises(ValueError, match="outside of the model archive"):
            layers.StringLookup(vocabulary=str(vocab))
    assert layers.StringLookup(vocabulary=str(vocab)).get_vocabulary() == ["[UNK]", "a"]


def test_adapted_normalization_round_trips(tmp_path):
    x = np.random.default_rng(1).normal(size=(20, 3)).astype("float32")
    norm = layers.Normalization()
    norm.adapt(x)
    model = pl.nn.Sequential([layers.Input((3,)), norm, layers.Dense(1)])
    path = os.path.join(str(tmp_path), "n.keras")
    model.save(path)
    loaded = pl.nn.load_model(path)
    np.testing.assert_allclose(
        loaded(x).numpy(), model(x).numpy(), rtol=1e-5, atol=1e-6
    )


def test_integer_lookup_config_round_trip_keeps_vocabulary():
    layer = layers.IntegerLookup(vocabulary=[7, 9], mask_token=0, name="ids")
    clone = layers.deserialize(layers.serialize(layer))
    assert clone.get_vocabulary() == [0, -1, 7, 9]
    assert clone([9, 0]).numpy().tolist() == [3, 0]
