"""model.save / load_model: round trip, exact resume, atomic writes, bad files."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

from pipeline import nn
from pipeline.errors import DataLossError, InvalidArgumentError, NotFoundError
from pipeline.nn import layers


def _data():
    rng = np.random.default_rng(1)
    return rng.normal(size=(32, 3)).astype(np.float32), rng.integers(0, 3, 32)


def _model():
    x = layers.Input((3,), name="x")
    h = layers.Dense(8, activation="relu")(x)
    h = layers.BatchNormalization()(h)
    out = layers.Dense(3, activation="softmax")(layers.Concatenate()([h, x]))
    model = nn.Model(x, out)
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return model


def test_round_trip_and_training_resumes_exactly(tmp_path):
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = nn.load_model(path)
    np.testing.assert_array_equal(
        loaded.predict(x, verbose=0), model.predict(x, verbose=0)
    )
    a = model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0).history
    b = loaded.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0).history
    assert a == b
    for wa, wb in zip(model.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(wa, wb)


def test_archive_layout_has_no_pickle(tmp_path):
    path = tmp_path / "m.keras"
    _model().save(path)
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    assert {
        "metadata.json",
        "config.json",
        "model.weights.npz",
        "optimizer.npz",
    } <= names
    assert not any(name.endswith((".pkl", ".pickle")) for name in names)


def test_save_is_atomic_and_leaves_no_temporaries(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    model = _model()
    model.save(path)
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", boom)
    with pytest.raises(OSError, match="disk full"):
        model.save(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.keras"]


def test_corrupt_foreign_and_missing_files(tmp_path):
    path = tmp_path / "m.keras"
    _model().save(path)
    data = path.read_bytes()
    (tmp_path / "cut.keras").write_bytes(data[: len(data) // 2])
    with pytest.raises(DataLossError, match="cut.keras"):
        nn.load_model(tmp_path / "cut.keras")
    foreign = tmp_path / "foreign.zip"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InvalidArgumentError, match="not a model file"):
        nn.load_model(foreign)
    with pytest.raises(NotFoundError):
        nn.load_model(tmp_path / "nope.keras")


def test_save_and_load_weights(tmp_path):
    model, other = _model(), _model()
    model.save_weights(tmp_path / "w.weights")
    other.load_weights(tmp_path / "w.weights")
    for wa, wb in zip(model.get_weights(), other.get_weights(), strict=True):
        np.testing.assert_array_equal(wa, wb)
