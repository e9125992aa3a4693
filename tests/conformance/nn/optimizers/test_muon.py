"""Keras 3's Muon cases (optimizers/muon_test.py), ported."""

from __future__ import annotations

import numpy as np
from conformance_keras import assert_close


def test_config(keras, cases):
    optimizer = keras.optimizers.Muon(learning_rate=0.5, epsilon=1e-5)
    o = keras.optimizers
    cases.round_trip(optimizer, o.serialize, o.deserialize)


def test_newton_schulz(keras):
    optimizer = keras.optimizers.Muon()
    x = np.array([[0.2499, 0.9105], [0.2655, 0.8824]], "float32")
    output = optimizer.zeropower_via_newtonschulz5(x, 5)
    expected = [[-0.4422, 0.6457], [0.7285, 0.2968]]
    assert_close(output, expected, atol=1e-3, rtol=1e-3)


def test_adamw_single_step(keras):
    optimizer = keras.optimizers.Muon()
    grads = np.array([1.0, 6.0, 7.0, 2.0], "float32")
    variable = keras.Variable([1.0, 2.0, 3.0, 4.0], name="test_vars")
    optimizer.build([variable])
    optimizer.update_step(grads, variable, 0.5)
    assert_close(variable, [0.5, 1.5, 2.5, 3.5], atol=1e-4, rtol=1e-4)


def test_should_use_adamw(keras):
    variable = keras.Variable([[1.0, 2.0], [3.0, 4.0]])
    optimizer = keras.optimizers.Muon(exclude_layers=["var"])
    assert optimizer._should_use_adamw(variable)
    embedding = keras.layers.Embedding(2, 2)
    embedding.build()
    assert optimizer._should_use_adamw(embedding.weights[0])
    variable = keras.Variable([[1.0, 2.0], [3.0, 4.0]])
    optimizer = keras.optimizers.Muon()
    assert not optimizer._should_use_adamw(variable)
    dense = keras.layers.Dense(2)
    dense.build([None, 2])
    assert not optimizer._should_use_adamw(dense.weights[0])


def test_muon_single_step(keras):
    optimizer = keras.optimizers.Muon(learning_rate=0.5, weight_decay=0)
    grads = np.array([[1.0, 6.0], [7.0, 2.0]], "float32")
    variable = keras.Variable([[1.0, 2.0], [3.0, 4.0]])
    optimizer.build([variable])
    optimizer.update_step(grads, variable, 0.5)
    expected = [[0.988775, 1.887053], [2.873428, 3.97035]]
    assert_close(variable, expected, atol=1e-2, rtol=1e-2)


def test_clip_norm_and_value(keras, cases):
    cases.clip(keras.optimizers.Muon)


def test_muon_weight_decay(keras):
    variable = keras.Variable([[1.0, 2.0], [3.0, 4.0]])
    expected = np.array([[1.0, 2.0], [3.0, 4.0]]) * (1 - 0.01)
    optimizer = keras.optimizers.Muon(learning_rate=1.0, weight_decay=0.01)
    optimizer._apply_weight_decay([variable])
    assert_close(variable, expected, atol=1e-4, rtol=1e-4)


def test_adamw_weight_decay(keras):
    variable = keras.Variable(2.0)
    optimizer = keras.optimizers.Muon(learning_rate=1.0, adam_weight_decay=0.01)
    optimizer._apply_weight_decay([variable])
    assert_close(variable, 2.0 * (1 - 0.01), atol=1e-4, rtol=1e-4)


def test_lr_adjust_none(keras):
    x = np.ones((4, 4), "float32")
    assert_close(keras.optimizers.Muon(rms_rate=None).lr_adjust(x), x)


def test_lr_adjust_2d(keras):
    x = np.ones((4, 2), "float32")
    assert_close(keras.optimizers.Muon(rms_rate=0.2).lr_adjust(x), x * 0.2 * 2)


def test_model_fit(keras):
    model = keras.Sequential(
        [keras.Input((10,)), keras.layers.Dense(5), keras.layers.Dense(1, name="last")]
    )
    optimizer = keras.optimizers.Muon(learning_rate=1e-3, exclude_layers=["last"])
    model.compile(optimizer=optimizer, loss="mse")
    history = model.fit(
        np.ones((1, 10), "float32"), np.ones((1, 1), "float32"), verbose=0
    )
    assert np.isfinite(history.history["loss"][-1])
