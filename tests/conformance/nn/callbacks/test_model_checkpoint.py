"""Keras 3's model_checkpoint_test cases, ported (one test per case group)."""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest

from tests.conformance_keras import assert_close


def _data():
    rng = np.random.default_rng(42)
    eye = np.eye(3, dtype="float32")
    x, xv = rng.random((30, 3)).astype("float32"), rng.random((30, 3)).astype("float32")
    return x, eye[rng.integers(0, 3, 30)], (xv, eye[rng.integers(0, 3, 30)])


def _model(keras, metrics=None):
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(5, activation="relu"),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(
        loss="categorical_crossentropy",
        optimizer="sgd",
        metrics=metrics or [keras.metrics.Accuracy("acc")],
    )
    return model


def _fit(model, cb, epochs=1, batch_size=5):
    x, y, val = _data()
    model.fit(
        x,
        y,
        batch_size=batch_size,
        validation_data=val,
        callbacks=[cb],
        epochs=epochs,
        verbose=0,
    )


@pytest.mark.parametrize(
    ("monitor", "mode", "best_only"),
    [
        ("val_loss", "auto", False),
        ("val_loss", "min", False),
        ("val_acc", "max", False),
        ("val_acc", "max", True),
    ],
)
def test_saves_each_epoch(keras, tmp_path, monitor, mode, best_only):
    path = str(tmp_path / "subdir" / "checkpoint.keras")
    cb = keras.callbacks.ModelCheckpoint(
        path, monitor=monitor, save_best_only=best_only, mode=mode
    )
    _fit(_model(keras), cb)
    assert os.path.exists(path)


def test_unknown_monitor_warns_and_saves(keras, tmp_path):
    path = str(tmp_path / "checkpoint.keras")
    cb = keras.callbacks.ModelCheckpoint(
        path, monitor="unknown", save_best_only=True, mode="min"
    )
    with pytest.warns(UserWarning):
        _fit(_model(keras), cb)
    assert os.path.exists(path)


def test_unknown_mode_warns(keras, tmp_path):
    with warnings.catch_warnings(record=True) as logs:
        warnings.simplefilter("always")
        keras.callbacks.ModelCheckpoint(
            str(tmp_path / "c.keras"),
            monitor="val_acc",
            save_best_only=True,
            mode="unknown",
        )
    assert "ModelCheckpoint mode 'unknown' is unknown" in str(logs[-1].message)


@pytest.mark.parametrize(
    ("name", "weights_only"),
    [
        ("checkpoint.epoch{epoch:02d}.keras", False),
        ("checkpoint.epoch{epoch:02d}.weights.h5", True),
    ],
)
def test_integer_save_freq(keras, tmp_path, name, weights_only):
    path = str(tmp_path / name)
    cb = keras.callbacks.ModelCheckpoint(
        path, monitor="val_acc", save_freq=15, save_weights_only=weights_only
    )
    _fit(_model(keras), cb, epochs=10, batch_size=6)  # 5 batches an epoch
    saved = [
        epoch for epoch in range(1, 11) if os.path.exists(path.format(epoch=epoch))
    ]
    assert saved == [3, 6, 9]


def test_save_freq_argument(keras, tmp_path):
    path = str(tmp_path / "c.weights.h5")
    with pytest.raises(ValueError, match="Unrecognized save_freq"):
        keras.callbacks.ModelCheckpoint(
            path,
            monitor="val_acc",
            save_weights_only=True,
            mode="max",
            save_freq="invalid_save_freq",
        )
    keras.callbacks.ModelCheckpoint(
        path, save_weights_only=True, mode="max", save_freq="epoch"
    )
    keras.callbacks.ModelCheckpoint(
        path, save_weights_only=True, mode="max", save_freq=3
    )


@pytest.mark.parametrize(
    ("name", "weights_only"),
    [
        ("checkpoint.epoch{epoch:02d}batch{batch:02d}.keras", False),
        ("checkpoint.epoch{epoch:02d}batch{batch:02d}.weights.h5", True),
    ],
)
def test_batch_in_filename(keras, tmp_path, name, weights_only):
    path = str(tmp_path / name)
    cb = keras.callbacks.ModelCheckpoint(
        path, monitor="val_acc", save_freq=1, save_weights_only=weights_only
    )
    _fit(_model(keras), cb, epochs=5, batch_size=15)
    for epoch in range(1, 6):
        for batch in (1, 2):
            assert os.path.exists(path.format(epoch=epoch, batch=batch))


@pytest.mark.parametrize(
    ("mode", "monitor", "threshold", "saved"),
    [
        ("max", "val_acc", -0.01, True),
        ("auto", "val_loss", None, True),
        ("min", "val_loss", 0, False),
        ("auto", "val_loss", 0, False),
    ],
)
def test_initial_value_threshold(keras, tmp_path, mode, monitor, threshold, saved):
    path = str(tmp_path / "checkpoint.keras")
    cb = keras.callbacks.ModelCheckpoint(
        path,
        monitor=monitor,
        save_best_only=True,
        initial_value_threshold=threshold,
        mode=mode,
    )
    _fit(_model(keras), cb)
    assert os.path.exists(path) is saved


def test_auc_threshold_in_auto_mode(keras, tmp_path):
    path = str(tmp_path / "checkpoint.keras")
    cb = keras.callbacks.ModelCheckpoint(
        path,
        monitor="val_auc",
        save_best_only=True,
        initial_value_threshold=1,
        mode="auto",
    )
    _fit(_model(keras, metrics=[keras.metrics.AUC()]), cb)
    assert not os.path.exists(path)


def _functional(keras):
    inputs = keras.Input(shape=(3,), batch_size=5)
    hidden = keras.layers.Dense(5, activation="relu")(inputs)
    outputs = keras.layers.Dense(3, activation="softmax")(hidden)
    model = keras.Model(inputs, outputs)
    model.compile(
        loss="categorical_crossentropy",
        optimizer="sgd",
        metrics=[keras.metrics.Accuracy("acc")],
    )
    return model


def test_checkpoint_loading_model(keras, tmp_path):
    path = str(tmp_path / "checkpoint.model.keras")
    model = _functional(keras)
    _fit(
        model,
        keras.callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True),
    )
    reloaded = keras.models.load_model(path)
    ref, new = model.get_weights(), reloaded.get_weights()
    assert len(ref) == len(new)
    for a, b in zip(ref, new, strict=True):
        assert_close(b, a)


def test_checkpoint_loading_weights(keras, tmp_path):
    path = str(tmp_path / "checkpoint.weights.h5")
    model = _functional(keras)
    cb = keras.callbacks.ModelCheckpoint(
        path, monitor="val_loss", save_best_only=True, save_weights_only=True
    )
    _fit(model, cb)
    other = _functional(keras)
    other.load_weights(path)
    ref, new = model.get_weights(), other.get_weights()
    assert len(ref) == len(new)
    for a, b in zip(ref, new, strict=True):
        assert_close(b, a)


def test_filepath_extension_is_checked(keras, tmp_path):
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        keras.callbacks.ModelCheckpoint(
            str(tmp_path / "w.keras"), save_weights_only=True
        )
    with pytest.raises(ValueError, match=r"must end in `\.keras`"):
        keras.callbacks.ModelCheckpoint(str(tmp_path / "model.bin"))
