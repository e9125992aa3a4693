"""Keras 3's terminate_on_nan_test cases, ported (BackupAndRestore case: see report)."""

from __future__ import annotations

import numpy as np
import pytest


def _exploding_model(keras):
    model = keras.Sequential([keras.Input((3,))])
    for _ in range(5):
        model.add(
            keras.layers.Dense(
                2,
                activation="relu",
                kernel_initializer=keras.initializers.Constant(value=1e5),
            )
        )
    model.add(keras.layers.Dense(2))
    model.compile(loss="mean_squared_error", optimizer="sgd")
    return model


def _one_hot(labels, n):
    return np.eye(n, dtype="float32")[labels]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy reports the overflow
def test_terminate_on_nan(keras):
    rng = np.random.default_rng(1337)
    x, xv = rng.random((10, 3)), rng.random((10, 3))
    y, yv = _one_hot(rng.integers(0, 2, 10), 2), _one_hot(rng.integers(0, 2, 10), 2)
    history = _exploding_model(keras).fit(
        x,
        y,
        batch_size=4,
        validation_data=(xv, yv),
        callbacks=[keras.callbacks.TerminateOnNaN()],
        epochs=20,
        verbose=0,
    )
    loss = history.history["loss"]
    assert len(loss) == 1
    assert np.isnan(loss[0]) or np.isinf(loss[0])


def _one_unit(keras):
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_graceful_stop(keras):
    history = _one_unit(keras).fit(
        np.array([[1.0], [2.0]]),
        np.array([[np.inf], [np.inf]]),
        epochs=2,
        batch_size=1,
        callbacks=[keras.callbacks.TerminateOnNaN(raise_error=False)],
        verbose=0,
    )
    assert len(history.history["loss"]) < 4


def test_raise_error_raises(keras):
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered"):
        _one_unit(keras).fit(
            np.array([[1.0], [2.0]]),
            np.array([[np.inf], [np.inf]]),
            epochs=1,
            batch_size=1,
            callbacks=[keras.callbacks.TerminateOnNaN(raise_error=True)],
            verbose=0,
        )


def test_raise_error_skips_on_train_end(keras):
    class Tracking(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.train_end_called = False

        def on_train_end(self, logs=None):
            self.train_end_called = True

    tracking = Tracking()
    with pytest.raises(RuntimeError):
        _one_unit(keras).fit(
            np.array([[1.0]]),
            np.array([[np.inf]]),
            epochs=1,
            callbacks=[tracking, keras.callbacks.TerminateOnNaN(raise_error=True)],
            verbose=0,
        )
    assert not tracking.train_end_called


@pytest.mark.parametrize("raise_error", [False, True])
def test_normal_training_does_not_raise(keras, raise_error):
    history = _one_unit(keras).fit(
        np.array([[1.0], [2.0]]),
        np.array([[1.0], [2.0]]),
        epochs=2,
        callbacks=[keras.callbacks.TerminateOnNaN(raise_error=raise_error)],
        verbose=0,
    )
    assert len(history.history["loss"]) == 2


def test_raise_error_on_a_later_batch(keras):
    with pytest.raises(RuntimeError) as info:
        _one_unit(keras).fit(
            np.array([[1.0], [2.0]]),
            np.array([[1.0], [np.inf]]),
            epochs=1,
            batch_size=1,
            callbacks=[keras.callbacks.TerminateOnNaN(raise_error=True)],
            verbose=0,
        )
    assert any(f"batch {i}" in str(info.value) for i in (0, 1))
