"""Keras 3's reduce_lr_on_plateau_test cases, ported (verbose output read from
stdout)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import to_array


def _setup(keras):
    rng = np.random.default_rng(0)
    eye = np.eye(2, dtype="float32")
    x, xv = rng.random((10, 3)).astype("float32"), rng.random((10, 3)).astype("float32")
    y, yv = eye[rng.integers(0, 2, 10)], eye[rng.integers(0, 2, 10)]
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(5), keras.layers.Dense(2)]
    )
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(0.1))
    return model, x, y, (xv, yv)


def _lr(model) -> float:
    return float(to_array(model.optimizer.learning_rate))


def test_reduces_lr_with_model_fit(keras):
    model, x, y, val = _setup(keras)
    cb = keras.callbacks.ReduceLROnPlateau(
        patience=1, factor=0.1, monitor="val_loss", min_delta=100
    )
    model.fit(x, y, validation_data=val, callbacks=[cb], epochs=2, verbose=0)
    assert _lr(model) == pytest.approx(0.01, rel=1e-6)


def test_throws_when_optimizer_has_schedule(keras):
    model, x, y, val = _setup(keras)
    schedule = keras.optimizers.schedules.PolynomialDecay(
        initial_learning_rate=0.1, decay_steps=10
    )
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(schedule))
    cb = keras.callbacks.ReduceLROnPlateau(
        patience=1, factor=0.1, monitor="val_loss", min_delta=100
    )
    with pytest.raises(
        TypeError, match="This optimizer was created with a `LearningRateSchedule`"
    ):
        model.fit(x, y, validation_data=val, callbacks=[cb], epochs=2, verbose=0)


def test_verbose_logging(keras, capsys):
    model, x, y, val = _setup(keras)
    cb = keras.callbacks.ReduceLROnPlateau(
        patience=1, factor=0.1, monitor="val_loss", min_delta=100, verbose=1
    )
    model.fit(x, y, validation_data=val, callbacks=[cb], epochs=2, verbose=0)
    assert "ReduceLROnPlateau reducing learning rate to 0.01" in capsys.readouterr().out


def test_honors_min_lr(keras):
    model, x, y, val = _setup(keras)
    cb = keras.callbacks.ReduceLROnPlateau(
        patience=1, factor=0.1, monitor="val_loss", min_delta=10, min_lr=0.005
    )
    model.fit(x, y, validation_data=val, callbacks=[cb], epochs=4, verbose=0)
    assert _lr(model) == pytest.approx(0.005, rel=1e-6)


def test_cooldown(keras):
    model, x, y, val = _setup(keras)
    cb = keras.callbacks.ReduceLROnPlateau(
        patience=1, factor=0.1, monitor="val_loss", min_delta=100, cooldown=2
    )
    model.fit(x, y, validation_data=val, callbacks=[cb], epochs=4, verbose=0)
    assert _lr(model) == pytest.approx(0.001, rel=1e-6)


def test_state_reset_across_fit_calls(keras):
    model, _, _, _ = _setup(keras)
    cb = keras.callbacks.ReduceLROnPlateau(
        patience=1, factor=0.1, monitor="loss", min_delta=0, cooldown=2
    )
    cb.set_model(model)
    cb.on_train_begin()
    cb.best, cb.wait, cb.cooldown_counter = 0.5, 3, 2
    cb.on_train_begin()
    assert cb.best is None and cb.wait == 0 and cb.cooldown_counter == 0
