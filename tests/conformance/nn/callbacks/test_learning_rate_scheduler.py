"""Keras 3's learning_rate_scheduler_test cases, ported (verbose output read
from stdout, where Keras prints it unless interactive logging is off)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import to_array


def _setup(keras):
    rng = np.random.default_rng(0)
    x = rng.random((10, 3)).astype("float32")
    y = np.eye(2, dtype="float32")[rng.integers(0, 2, 10)]
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(5), keras.layers.Dense(2)]
    )
    model.compile(loss="mse", optimizer="sgd")
    return model, x, y


def _lr(model) -> float:
    return float(to_array(model.optimizer.learning_rate))


def test_updates_learning_rate(keras):
    model, x, y = _setup(keras)
    cb = keras.callbacks.LearningRateScheduler(
        lambda step: 1.0 / (2.0 + step), verbose=1
    )
    model.fit(x, y, callbacks=[cb], epochs=1, verbose=0)
    assert _lr(model) == 0.5


def test_verbose_logging(keras, capsys):
    model, x, y = _setup(keras)
    cb = keras.callbacks.LearningRateScheduler(
        lambda step: 1.0 / (1.0 + step), verbose=1
    )
    model.fit(x, y, callbacks=[cb], epochs=1, verbose=0)
    assert (
        "LearningRateScheduler setting learning rate to 1.0" in capsys.readouterr().out
    )


def test_schedule_dependent_on_previous_learning_rate(keras):
    model, x, y = _setup(keras)
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(0.03))
    cb = keras.callbacks.LearningRateScheduler(lambda step, lr: lr / 2)
    model.fit(x, y, callbacks=[cb], epochs=2, verbose=0)
    assert _lr(model) == pytest.approx(np.float32(0.03) / 4.0, rel=1e-6)


def test_throws_when_optimizer_has_schedule(keras):
    model, x, y = _setup(keras)
    schedule = keras.optimizers.schedules.PolynomialDecay(
        initial_learning_rate=0.1, decay_steps=10
    )
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(schedule))
    cb = keras.callbacks.LearningRateScheduler(lambda step, lr: lr / 2)
    with pytest.raises(
        TypeError, match="This optimizer was created with a `LearningRateSchedule`"
    ):
        model.fit(x, y, callbacks=[cb], epochs=2, verbose=0)


def test_learning_rate_in_history(keras):
    model, x, y = _setup(keras)
    cb = keras.callbacks.LearningRateScheduler(lambda step, lr: 0.5)
    history = model.fit(x, y, callbacks=[cb], epochs=1, verbose=0)
    assert "learning_rate" in history.history
    assert type(history.history["learning_rate"][0]) is float
    assert history.history["learning_rate"][0] == 0.5
