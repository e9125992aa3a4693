"""TF's functional wide-and-deep idiom: a dict of ``Input``s into
``DenseFeatures`` (and ``LinearModel``), then ``Model(inputs, outputs)``;
it trains, saves and reloads (issue 14)."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl

fc = pl.feature_column
nn = pl.nn


def _columns():
    age = fc.numeric_column("age")
    city = fc.categorical_column_with_vocabulary_list("city", ["a", "b", "c"])
    deep = [
        age,
        fc.bucketized_column(age, [20.0, 40.0]),
        fc.embedding_column(city, 4),
        fc.indicator_column(city),
    ]
    wide = [fc.crossed_column([city, fc.bucketized_column(age, [30.0])], 16)]
    return deep, wide


def _inputs():
    return {
        "age": nn.Input(shape=(1,), name="age"),
        "city": nn.Input(shape=(1,), name="city", dtype="string"),
    }


def _data(rows=64, seed=0):
    rng = np.random.default_rng(seed)
    age = rng.uniform(0, 60, size=(rows, 1)).astype("float32")
    city = rng.choice(np.array([b"a", b"b", b"c", b"z"], dtype=object), size=(rows, 1))
    label = ((age[:, 0] > 30) ^ (city[:, 0] == b"a")).astype("float32")[:, None]
    return {"age": age, "city": city}, label


def _wide_and_deep():
    deep_cols, wide_cols = _columns()
    inputs = _inputs()
    deep = fc.DenseFeatures(deep_cols, name="deep_features")(inputs)
    assert deep.shape == (None, 11)
    deep = nn.layers.Dense(8, activation="relu")(deep)
    deep = nn.layers.Dense(1)(deep)
    wide = fc.LinearModel(wide_cols, name="wide")(inputs)
    logit = nn.layers.Add()([wide, deep])
    out = nn.layers.Activation("sigmoid")(logit)
    return nn.Model(inputs, out)


def test_dense_features_on_inputs_gives_a_symbolic_batch():
    deep_cols, _ = _columns()
    out = fc.DenseFeatures(deep_cols)(_inputs())
    assert isinstance(out, nn.layers.KerasTensor)
    assert out.shape == (None, 11)


def test_wide_and_deep_trains_saves_and_reloads(tmp_path):
    pl.random.set_seed(3)  # restored after the test by tests/conftest.py
    model = _wide_and_deep()
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    x, y = _data()
    history = model.fit(x, y, batch_size=16, epochs=20, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0] * 0.9
    path = str(tmp_path / "wide_deep.keras")
    model.save(path)
    reloaded = nn.load_model(path)
    np.testing.assert_allclose(
        reloaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6
    )
    assert [w.shape for w in reloaded.weights] == [w.shape for w in model.weights]
    reloaded.compile(optimizer="adam", loss="binary_crossentropy")
    again = reloaded.fit(x, y, batch_size=16, epochs=1, verbose=0).history["loss"]
    assert np.isfinite(again[0])


def test_dense_features_trains_its_embedding_table():
    deep_cols, _ = _columns()
    inputs = _inputs()
    features = fc.DenseFeatures(deep_cols)
    out = nn.layers.Dense(1)(features(inputs))
    model = nn.Model(inputs, out)
    model.compile(optimizer="sgd", loss="mse")
    table = next(w for w in features.weights if "embedding_weights" in w.name)
    before = table.numpy().copy()
    x, y = _data(rows=8)
    model.fit(x, y, epochs=1, verbose=0)
    assert table.shape == (3, 4)
    changed = np.any(table.numpy() != before, axis=1)
    assert changed.all()  # each city's row got a gradient


def test_dense_features_still_refuses_a_non_dict():
    deep_cols, _ = _columns()
    with pytest.raises(ValueError, match="expected a dictionary"):
        fc.DenseFeatures(deep_cols)(np.ones((2, 1), "float32"))
