"""Keras 3's Adam cases (optimizers/adam_test.py), ported."""

from __future__ import annotations

import numpy as np
from conformance_keras import assert_close, to_array


def test_config(keras, cases):
    optimizer = keras.optimizers.Adam(
        learning_rate=0.5, beta_1=0.5, beta_2=0.67, epsilon=1e-5, amsgrad=True
    )
    o = keras.optimizers
    cases.round_trip(optimizer, o.serialize, o.deserialize)


def test_single_step(keras, cases):
    optimizer = keras.optimizers.Adam(learning_rate=0.5)
    cases.single_step(keras, optimizer, [0.5, 1.5, 2.5, 3.5])


def test_weight_decay(keras, cases):
    cases.weight_decay(keras, keras.optimizers.Adam)


def test_correctness_with_golden(keras, cases):
    golden = np.tile([[0.999], [0.9982], [0.9974], [0.9965], [0.9955]], (1, 10))
    cases.golden(keras, keras.optimizers.Adam(amsgrad=True), golden, "float32")


def test_clip_norm_and_value(keras, cases):
    cases.clip(keras.optimizers.Adam)


def test_ema(keras):
    optimizer = keras.optimizers.Adam(learning_rate=1.0, use_ema=True, ema_momentum=0.9)
    var = keras.Variable(np.array([1.0, 2.0], "float32"))
    grads = np.array([0.1, 0.2], "float32")
    optimizer.apply_gradients([(grads, var)])
    v1 = to_array(var).copy()
    # the average starts at the value after the first step
    assert_close(optimizer._model_variables_moving_average[0], v1)
    optimizer.apply_gradients([(grads, var)])
    v2 = to_array(var).copy()
    expected_ema = 0.9 * v1 + 0.1 * v2
    assert_close(optimizer._model_variables_moving_average[0], expected_ema)
    optimizer.finalize_variable_values([var])
    assert_close(var, expected_ema)


def test_ema_is_written_back_at_the_end_of_fit(keras):
    model = keras.Sequential(
        [keras.layers.Dense(10, kernel_initializer="ones", use_bias=False)]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(use_ema=True, ema_momentum=0.9), loss="mse"
    )
    model.fit(np.ones((1, 5), "float32"), np.zeros((1, 10), "float32"), verbose=0)
    optimizer = model.optimizer
    ema_weights = to_array(optimizer._model_variables_moving_average[0])
    assert_close(to_array(model.trainable_variables[0]), ema_weights)


def test_ema_overwrite_frequency(keras):
    optimizer = keras.optimizers.Adam(
        learning_rate=1.0, use_ema=True, ema_momentum=0.9, ema_overwrite_frequency=2
    )
    optimizer_no_ema = keras.optimizers.Adam(learning_rate=1.0)
    var = keras.Variable(np.array([1.0, 2.0], "float32"))
    var_no_ema = keras.Variable(np.array([1.0, 2.0], "float32"))
    grads = np.array([0.1, 0.2], "float32")
    optimizer.apply_gradients([(grads, var)])
    optimizer_no_ema.apply_gradients([(grads, var_no_ema)])
    v1 = to_array(var_no_ema).copy()
    assert_close(var, v1)  # not overwritten after the first step
    optimizer.apply_gradients([(grads, var)])
    optimizer_no_ema.apply_gradients([(grads, var_no_ema)])
    v2 = to_array(var_no_ema).copy()
    expected_ema = 0.9 * v1 + 0.1 * v2
    # the second step updates to v2, then overwrites with the average
    assert_close(var, expected_ema)
    assert_close(optimizer._model_variables_moving_average[0], expected_ema)


def test_clipnorm_with_sparse_embedding_gradients(keras):
    # Keras issue 18985: Adam(clipnorm=...) on an Embedding's row gradients
    model = keras.Sequential(
        [
            keras.layers.Embedding(10, 4),
            keras.layers.Flatten(),
            keras.layers.Dense(2),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(clipnorm=100), loss="mse")
    history = model.fit(
        np.ones((8, 5), "float32"), np.zeros((8, 2), "float32"), verbose=0
    )
    assert np.isfinite(history.history["loss"][-1])
