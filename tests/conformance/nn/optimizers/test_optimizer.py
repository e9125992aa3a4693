"""Keras 3's generic optimizer cases (optimizers/optimizer_test.py), ported.

Left out: ``test_tf_checkpointing`` and ``test_mixed_with_tf_variables``
(TensorFlow-only), the two ``overwrite_with_gradient`` cases (Keras's float8
training hook).
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from conformance_keras import assert_close, to_array

OURS = [
    "adam", "sgd", "adamw", "adagrad", "rmsprop", "adadelta", "adamax", "lion",
    "nadam", "ftrl", "adafactor",
]  # fmt: skip


def _ones_step(keras):
    return (
        keras.Variable([[1.0, 2.0], [3.0, 4.0]]),
        np.array([[1.0, 1.0], [1.0, 1.0]], "float32"),
    )


def test_iterations_counter(keras):
    v, grads = _ones_step(keras)
    optimizer = keras.optimizers.Adam(learning_rate=1.0)
    assert to_array(optimizer.iterations) == 0
    optimizer.apply_gradients([(grads, v)])
    assert to_array(optimizer.iterations) == 1
    optimizer.apply_gradients([(grads, v)])
    assert to_array(optimizer.iterations) == 2


def test_empty_gradients(keras):
    v = keras.Variable([[3.0, 4.0], [5.0, 6.0]])
    optimizer = keras.optimizers.SGD(learning_rate=1.0)
    with pytest.raises(ValueError, match="No gradients provided for any variable."):
        optimizer.apply_gradients([(None, v)])
    v2 = keras.Variable([[3.0, 4.0], [5.0, 6.0]])
    grads2 = np.array([[1.0, 1.0], [1.0, 1.0]], "float32")
    optimizer = keras.optimizers.SGD(learning_rate=1.0)
    with pytest.warns(Warning):
        optimizer.apply_gradients([(None, v), (grads2, v2)])
    assert_close(v, [[3.0, 4.0], [5.0, 6.0]])
    assert_close(v2, [[2.0, 3.0], [4.0, 5.0]])


def test_clip_args(keras):
    sgd = keras.optimizers.SGD
    assert sgd(learning_rate=1.0, clipnorm=0.1).clipnorm == 0.1
    assert sgd(learning_rate=1.0, clipvalue=0.1).clipvalue == 0.1
    assert sgd(learning_rate=1.0, global_clipnorm=0.1).global_clipnorm == 0.1
    words = "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can"
    with pytest.raises(ValueError, match=words):
        sgd(learning_rate=1.0, clipnorm=0.1, clipvalue=0.1)
    with pytest.raises(ValueError, match=words):
        sgd(learning_rate=1.0, clipnorm=0.1, global_clipnorm=0.1)


def test_clip_norm(keras):
    clipped = keras.optimizers.SGD(clipnorm=1)._clip_gradients(
        [np.array([100.0, 100.0], "float32")]
    )
    assert_close(clipped[0], [2**0.5 / 2, 2**0.5 / 2])


def test_clip_value(keras):
    clipped = keras.optimizers.SGD(clipvalue=1)._clip_gradients(
        [np.array([100.0, 100.0], "float32")]
    )
    assert_close(clipped[0], [1.0, 1.0])


def test_global_clip_norm(keras):
    grad = np.array([50.0, 100.0], dtype="float32")
    clipped = keras.optimizers.SGD(global_clipnorm=1)._clip_gradients([grad])
    assert_close(clipped[0], grad / np.linalg.norm(grad))


def test_ema(keras):
    v = keras.Variable([[3.0, 4.0], [5.0, 6.0]])
    grads = np.ones((2, 2), "float32")
    optimizer = keras.optimizers.SGD(
        learning_rate=1.0, use_ema=True, ema_momentum=0.9, ema_overwrite_frequency=3
    )
    optimizer.apply_gradients([(grads, v)])
    assert_close(v, [[2.0, 3.0], [4.0, 5.0]])
    # the average starts at the value after the first step
    assert_close(optimizer._model_variables_moving_average[0], [[2.0, 3.0], [4.0, 5.0]])
    optimizer.apply_gradients([(grads, v)])
    assert_close(v, [[1.0, 2.0], [3.0, 4.0]])
    assert_close(optimizer._model_variables_moving_average[0], [[1.9, 2.9], [3.9, 4.9]])
    optimizer.apply_gradients([(grads, v)])
    # the third step overwrites the variable with the average
    assert_close(v, [[1.71, 2.71], [3.71, 4.71]])
    assert_close(
        optimizer._model_variables_moving_average[0], [[1.71, 2.71], [3.71, 4.71]]
    )


def test_ema_with_model_fit(keras):
    optimizer = keras.optimizers.SGD(learning_rate=0.1, use_ema=True, ema_momentum=0.9)
    model = keras.Sequential(
        [keras.layers.Dense(2, kernel_initializer="ones", use_bias=False)]
    )
    model.compile(loss="mse", optimizer=optimizer, run_eagerly=True)
    x, y = np.ones((1, 1), "float32"), np.zeros((1, 1), "float32")
    model.fit(x, y, batch_size=1, epochs=2, verbose=0)
    average = to_array(optimizer._model_variables_moving_average[0])
    assert_close(average, [[0.891, 0.891]], atol=1e-5)
    assert_close(to_array(model.trainable_variables[0]), [[0.891, 0.891]], atol=1e-5)


def test_constraints_are_applied(keras):
    v = keras.Variable(np.random.random((2, 2)) - 1.0)
    v.constraint = keras.constraints.NonNeg()
    optimizer = keras.optimizers.SGD(learning_rate=0.0001)
    optimizer.apply_gradients([(np.zeros((2, 2), "float32"), v)])
    assert np.min(to_array(v)) == pytest.approx(0.0)


def test_get_method(keras):
    assert isinstance(keras.optimizers.get("sgd"), keras.optimizers.SGD)
    assert isinstance(keras.optimizers.get("adamw"), keras.optimizers.AdamW)
    assert keras.optimizers.get(None) is None
    with pytest.raises(ValueError):
        keras.optimizers.get("typo")


def test_static_loss_scaling(keras):
    v = keras.Variable([[1.0, 2.0], [3.0, 4.0]])
    grads = np.array([[1.0, 2.0], [3.0, 4.0]], "float32") * 1024.0
    optimizer = keras.optimizers.SGD(learning_rate=1.0, loss_scale_factor=1024.0)
    optimizer.apply_gradients([(grads, v)])
    assert to_array(optimizer.scale_loss(1.0)) == 1024.0
    assert_close(v, [[0.0, 0.0], [0.0, 0.0]])


def test_set_weights(keras):
    x = keras.Variable([[1.0, 2.0], [3.0, 4.0]])
    optimizer_1 = keras.optimizers.Adam()
    grads = np.array([[1.0, 2.0], [3.0, 4.0]], "float32")
    optimizer_1.apply_gradients(zip([grads], [x]))
    optimizer_2 = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="You are calling"):
        optimizer_2.set_weights(optimizer_1.variables)
    optimizer_2.build([x])
    optimizer_2.set_weights(optimizer_1.variables)
    assert len(optimizer_2.variables) == len(optimizer_1.variables)
    for mine, theirs in zip(optimizer_2.variables, optimizer_1.variables):
        assert_close(to_array(mine), to_array(theirs))


def test_gradient_accumulation(keras):
    v, grads = _ones_step(keras)
    optimizer = keras.optimizers.SGD(learning_rate=1.0, gradient_accumulation_steps=3)
    assert optimizer.gradient_accumulation_steps == 3
    expected = [
        # value of v, accumulator, _iterations, iterations after each step
        ([[1.0, 2.0], [3.0, 4.0]], 1.0, 1, 0),
        ([[1.0, 2.0], [3.0, 4.0]], 2.0, 2, 0),
        ([[0.0, 1.0], [2.0, 3.0]], 0.0, 3, 1),
        ([[0.0, 1.0], [2.0, 3.0]], 1.0, 4, 1),
    ]
    for value, accumulated, steps, applied in expected:
        optimizer.apply_gradients([(grads, v)])
        assert_close(v, value)
        assert_close(optimizer._accumulated_gradients[0], np.full((2, 2), accumulated))
        assert to_array(optimizer._iterations) == steps
        assert to_array(optimizer.iterations) == applied


@pytest.mark.parametrize("name", OURS)
def test_gradient_accumulation_with_weight_decay(keras, name):
    optimizer1 = keras.optimizers.get(
        {"class_name": name, "config": {"weight_decay": 0.05}}
    )
    optimizer3 = keras.optimizers.get(
        {
            "class_name": name,
            "config": {"weight_decay": 0.05, "gradient_accumulation_steps": 3},
        }
    )
    variable1 = keras.Variable([[0.9], [0.5]])
    variable3 = keras.Variable([[0.9], [0.5]])
    rng = np.random.default_rng(0)
    for _ in range(8):
        grads3 = rng.random([3, 2, 1]).astype("float32")
        optimizer1.apply_gradients([(grads3.mean(axis=0), variable1)])
        for batch in range(3):
            optimizer3.apply_gradients([(grads3[batch], variable3)])
    assert_close(variable1, to_array(variable3))


def test_setting_lr_to_a_schedule_untracks_the_rate_variable(keras):
    adam = keras.optimizers.Adam(learning_rate=0.001)
    assert len(adam.variables) == 2
    adam.learning_rate = keras.optimizers.schedules.PolynomialDecay(
        adam.learning_rate, 4
    )
    assert len(adam.variables) == 1


@pytest.mark.parametrize("name", OURS)
def test_pickleable_optimizers(keras, name):
    optimizer = keras.optimizers.get(name)
    reloaded = pickle.loads(pickle.dumps(optimizer))
    assert optimizer.get_config() == reloaded.get_config()


def test_callable_learning_rate(keras):
    v, grads = _ones_step(keras)
    optimizer = keras.optimizers.SGD(learning_rate=lambda: 0.1)
    assert to_array(optimizer.iterations) == 0
    optimizer.apply_gradients([(grads, v)])
    assert_close(v, [[0.9, 1.9], [2.9, 3.9]])
    assert to_array(optimizer.iterations) == 1


def test_optimizer_auto_naming(keras):
    o = keras.optimizers
    adam_1, adam_2 = o.Adam(), o.Adam()
    sgd_1, sgd_2 = o.SGD(), o.SGD()
    adamw_1, adamw_2 = o.AdamW(), o.AdamW()
    assert (adam_1.name, adam_2.name) == ("adam", "adam_1")
    assert (sgd_1.name, sgd_2.name) == ("sgd", "sgd_1")
    assert (adamw_1.name, adamw_2.name) == ("adam_w", "adam_w_1")
    custom_adam = o.Adam(name="my_adam")
    assert custom_adam.name == "my_adam"
    assert o.deserialize(o.serialize(adam_2)).name == "adam_1"
    assert o.deserialize(o.serialize(custom_adam)).name == "my_adam"
