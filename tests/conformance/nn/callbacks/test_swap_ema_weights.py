"""Keras 3's swap_ema_weights_test cases, ported (the LossScaleOptimizer and
tf.distribute cases are out of scope)."""

from __future__ import annotations

import os

import numpy as np
import pytest


def _data():
    rng = np.random.default_rng(2023)
    return rng.random((10, 3)).astype("float32"), np.eye(2, dtype="float32")[
        rng.integers(0, 2, 10)
    ]


def _compiled(keras, use_ema=True):
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(2, kernel_initializer="ones", use_bias=False),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(use_ema=use_ema, ema_momentum=0.9),
        loss=keras.losses.MeanSquaredError(),
        metrics=[keras.metrics.MeanSquaredError()],
    )
    return model


def test_swap_ema_weights_with_invalid_optimizer(keras):
    x, y = _data()
    with pytest.raises(
        ValueError, match="SwapEMAWeights must be used when `use_ema=True` is set"
    ):
        _compiled(keras, use_ema=False).fit(
            x,
            y,
            epochs=2,
            callbacks=[keras.callbacks.SwapEMAWeights()],
            validation_data=(x, y),
            verbose=0,
        )


def test_swap_ema_weights(keras):
    x, y = _data()
    model = _compiled(keras)
    history = model.fit(x, y, epochs=2, validation_data=(x, y), verbose=0)
    logs = model.evaluate(x, y, return_dict=True, verbose=0)
    assert history.history["val_mean_squared_error"][-1] != logs["mean_squared_error"]
    model = _compiled(keras)
    history = model.fit(
        x,
        y,
        epochs=2,
        callbacks=[keras.callbacks.SwapEMAWeights()],
        validation_data=(x, y),
        verbose=0,
    )
    logs = model.evaluate(x, y, return_dict=True, verbose=0)
    assert history.history["val_mean_squared_error"][-1] == pytest.approx(
        logs["mean_squared_error"], rel=1e-6
    )


def test_swap_ema_weights_on_epoch(keras, tmp_path):
    x, y = _data()
    model = _compiled(keras)
    model.fit(
        x,
        y,
        epochs=2,
        callbacks=[
            keras.callbacks.SwapEMAWeights(swap_on_epoch=True),
            keras.callbacks.ModelCheckpoint(os.path.join(tmp_path, "{epoch:1d}.keras")),
        ],
        validation_data=(x, y),
        verbose=0,
    )
    model2 = keras.models.load_model(os.path.join(tmp_path, "2.keras"))
    logs = model.evaluate(x, y, return_dict=True, verbose=0)
    logs2 = model2.evaluate(x, y, return_dict=True, verbose=0)
    assert logs["mean_squared_error"] == pytest.approx(
        logs2["mean_squared_error"], rel=1e-6
    )
