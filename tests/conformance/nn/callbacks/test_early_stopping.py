"""Keras 3's early_stopping_test and monitor_callback_test cases, ported.

``monitor_op`` is checked by what it does (greater or less), since the two
libraries hold different comparison functions.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import to_array

MODE_CASES = [
    ("max", "val_mse", "max"),
    ("min", "val_loss", "min"),
    ("auto", "val_mse", "min"),
    ("auto", "loss", "min"),
    ("auto", "acc", "max"),
    ("auto", "val_accuracy", "max"),
    ("auto", "hinge", "min"),
    ("auto", "f1_score", "max"),
]


def _data(n=10):
    rng = np.random.default_rng(0)
    return [
        rng.random((n, 5)),
        rng.random((n, 1)),
        rng.random((n, 5)),
        rng.random((n, 1)),
    ]


def _relu_pair(keras, input_dim=None):
    head = [keras.Input((input_dim,))] if input_dim else []
    return keras.Sequential(
        [
            *head,
            keras.layers.Dense(1, activation="relu"),
            keras.layers.Dense(1, activation="relu"),
        ]
    )


def _compiled_with_many_metrics(keras, monitor=""):
    # Keras's test compiles F1Score for every case; it matters to the
    # "f1_score" case only, so the others do not depend on that metric.
    metrics = ["mse", "acc", "accuracy", "hinge"]
    if monitor == "f1_score":
        metrics.append(keras.metrics.F1Score(name="f1_score"))
    model = _relu_pair(keras)
    model.compile(loss="mae", optimizer="adam", metrics=metrics)
    return model


def _op_is_greater(op) -> bool:
    return bool(to_array(op(2.0, 1.0))) and not bool(to_array(op(1.0, 2.0)))


def _op_is_less(op) -> bool:
    return bool(to_array(op(1.0, 2.0))) and not bool(to_array(op(2.0, 1.0)))


@pytest.mark.parametrize(("mode", "monitor", "expected"), MODE_CASES)
def test_early_stopping_mode_resolution(keras, mode, monitor, expected):
    x, y, xv, yv = _data()
    model = _compiled_with_many_metrics(keras, monitor)
    cb = keras.callbacks.EarlyStopping(patience=0, monitor=monitor, mode=mode)
    model.fit(
        x,
        y,
        batch_size=5,
        validation_data=(xv, yv),
        callbacks=[cb],
        epochs=2,
        verbose=0,
    )
    check = _op_is_greater if expected == "max" else _op_is_less
    assert check(cb.monitor_op)


def test_early_stopping_unknown_monitor_raises(keras):
    x, y, xv, yv = _data()
    model = _compiled_with_many_metrics(keras)
    cb = keras.callbacks.EarlyStopping(patience=0, monitor="unknown")
    with pytest.raises(ValueError, match="maximized or minimized"):
        model.fit(
            x,
            y,
            batch_size=5,
            validation_data=(xv, yv),
            callbacks=[cb],
            epochs=2,
            verbose=0,
        )


@pytest.mark.parametrize("patience", [0, 1, 2, 3])
def test_early_stopping_patience(keras, patience):
    losses = [10.0, 9.0, 8.0, 9.0, 8.9, 8.8, 8.7, 8.6, 8.5]
    stopper = keras.callbacks.EarlyStopping(monitor="loss", patience=patience)
    stopper.set_model(keras.Sequential())
    stopper.model.compile(loss="mse", optimizer="sgd")
    stopper.on_train_begin()
    for epoch, loss in enumerate(losses):
        stopper.on_epoch_end(epoch=epoch, logs={"loss": loss})
        if stopper.model.stop_training:
            break
    assert stopper.stopped_epoch == max(patience, 1) + 2


def test_early_stopping_reuse(keras):
    patience = 3
    data = np.random.default_rng(1).random((100, 1))
    labels = np.where(data > 0.5, 1, 0)
    model = _relu_pair(keras)
    model.compile(optimizer="sgd", loss="mae", metrics=["mse"])
    stopper = keras.callbacks.EarlyStopping(monitor="mse", patience=patience)
    first = model.fit(data, labels, callbacks=[stopper], verbose=0, epochs=20)
    assert len(first.epoch) >= patience
    second = model.fit(data, labels, callbacks=[stopper], verbose=0, epochs=20)
    assert len(second.epoch) >= patience


def test_state_reset_across_fit_calls(keras):
    stopper = keras.callbacks.EarlyStopping(monitor="loss", patience=3)
    stopper.set_model(keras.Sequential())
    stopper.on_train_begin()
    stopper.best = 0.1
    stopper.wait = 3
    stopper.stopped_epoch = 5
    stopper.best_epoch = 5
    stopper.best_weights = object()
    stopper.on_train_begin()
    assert stopper.best is None
    assert (stopper.wait, stopper.stopped_epoch, stopper.best_epoch) == (0, 0, 0)
    assert stopper.best_weights is None


def test_early_stopping_with_baseline(keras):
    x, y, _, _ = _data()
    model = _relu_pair(keras)
    model.compile(optimizer="sgd", loss="mae", metrics=["mse"])
    stopper = keras.callbacks.EarlyStopping(monitor="mse", patience=3, baseline=0.6)
    hist = model.fit(x, y, callbacks=[stopper], verbose=0, epochs=20)
    assert len(hist.epoch) >= 3


class _DummyModel:
    def __init__(self):
        self.stop_training = False
        self.weights = -1

    def get_weights(self):
        return self.weights

    def set_weights(self, weights):
        self.weights = weights


def _drive(stopper, losses, stop_at=None):
    stopper.set_model(_DummyModel())
    stopper.on_train_begin()
    trained = 0
    for epoch, loss in enumerate(losses):
        trained += 1
        stopper.model.weights = epoch
        stopper.on_epoch_end(epoch, logs={"val_loss": loss})
        if epoch == stop_at:
            stopper.model.stop_training = True
        if stopper.model.stop_training:
            break
    stopper.on_train_end()
    return trained


def test_final_weights_when_restoring_best(keras):
    es = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=2, restore_best_weights=True
    )
    _drive(es, [0.2, 0.15, 0.1, 0.11, 0.12])
    assert es.model.get_weights() == 2


def test_restores_best_when_nothing_beats_the_baseline(keras):
    es = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=5, baseline=0.5, restore_best_weights=True
    )
    trained = _drive(es, [0.9, 0.8, 0.7, 0.71, 0.72, 0.73])
    assert trained == 5
    assert es.model.get_weights() == 2


def test_restores_best_when_another_callback_stops(keras):
    es = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=5, baseline=0.5, restore_best_weights=True
    )
    trained = _drive(es, [0.9, 0.8, 0.7, 0.71, 0.72, 0.73], stop_at=3)
    assert trained == 4
    assert es.model.get_weights() == 2


def test_early_stopping_with_start_from_epoch(keras):
    x, y, _, _ = _data()
    model = _relu_pair(keras)
    model.compile(optimizer="sgd", loss="mae", metrics=["mse"])
    stopper = keras.callbacks.EarlyStopping(
        monitor="mse", patience=3, start_from_epoch=2
    )
    history = model.fit(x, y, callbacks=[stopper], verbose=0, epochs=20)
    assert len(history.epoch) >= 3 + 2
    stopper = keras.callbacks.EarlyStopping(
        monitor="mse", patience=0, start_from_epoch=2
    )
    history = model.fit(x, y, callbacks=[stopper], verbose=0, epochs=20)
    assert len(history.epoch) >= 2


# monitor_callback_test: MonitorCallback is not public in Keras; EarlyStopping
# (a MonitorCallback) carries the same cases through its public name.


@pytest.mark.parametrize(("mode", "monitor", "expected"), MODE_CASES)
def test_monitor_op_logic(keras, mode, monitor, expected):
    x, y, xv, yv = _data()
    model = _compiled_with_many_metrics(keras, monitor)
    cb = keras.callbacks.EarlyStopping(monitor=monitor, mode=mode)
    cb.set_model(model)
    model.fit(x, y, batch_size=5, validation_data=(xv, yv), epochs=2, verbose=0)
    cb._set_monitor_op()
    check = _op_is_greater if expected == "max" else _op_is_less
    assert check(cb.monitor_op)


def test_monitor_op_unknown_raises(keras):
    x, y, xv, yv = _data()
    model = _compiled_with_many_metrics(keras)
    cb = keras.callbacks.EarlyStopping(monitor="unknown")
    cb.set_model(model)
    model.fit(x, y, batch_size=5, validation_data=(xv, yv), epochs=2, verbose=0)
    with pytest.raises(ValueError, match="maximized or minimized"):
        cb._set_monitor_op()


def test_min_delta(keras):
    cb = keras.callbacks.EarlyStopping(mode="max", min_delta=0.5)
    cb._set_monitor_op()
    assert cb._is_improvement(0.75, 0)
    assert cb._is_improvement(0.5, None)
    assert not cb._is_improvement(0.5, 0)
    assert not cb._is_improvement(0.2, 0.5)
