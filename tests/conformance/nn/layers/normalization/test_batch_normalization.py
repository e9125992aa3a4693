"""Keras 3's ``layers/normalization/batch_normalization_test.py`` cases, ported
(run against both libraries).

Out of scope (not ported): test_large_value_within_autocast_scope (dtype
policies / autocast); the ``synchronized=True`` parametrization (distribution);
``run_eagerly`` of test_bachnorm_ignore_masked_values (both values run the same
eager loop here, so one value is ported).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from tests.conformance_keras import assert_close, run_layer_test, to_array


def _not_close(a, b, atol=1e-6):
    return not np.allclose(to_array(a), to_array(b), atol=atol, rtol=atol)


@pytest.mark.parametrize(
    ("init_kwargs", "input_shape", "trainable", "losses"),
    [
        ({"center": True, "scale": True}, (2, 3), 2, 0),
        ({"center": False, "scale": False}, (2, 3), 0, 0),
        (
            {"center": True, "scale": True, "beta_regularizer": "l2",
             "gamma_regularizer": "l2"},
            (2, 4, 4, 3), 2, 2,
        ),
    ],
)  # fmt: skip
def test_bn_basics(keras, init_kwargs, input_shape, trainable, losses):
    run_layer_test(
        keras,
        keras.layers.BatchNormalization,
        init_kwargs,
        call_kwargs={"training": True},
        input_shape=input_shape,
        expected_output_shape=input_shape,
        expected_num_trainable_weights=trainable,
        expected_num_non_trainable_weights=2,
        expected_num_losses=losses,
        supports_masking=True,
    )


_PRODUCT = list(
    itertools.product(
        (-1, 1), ((5, 2, 3), (5, 3, 3, 2)), ("zeros", "ones"), ("zeros", "ones")
    )
)


@pytest.mark.parametrize(("axis", "input_shape", "mean_init", "var_init"), _PRODUCT)
def test_correctness(keras, axis, input_shape, mean_init, var_init):
    layer = keras.layers.BatchNormalization(
        axis=axis, momentum=0,
        moving_mean_initializer=mean_init, moving_variance_initializer=var_init,
    )  # fmt: skip
    x = np.random.default_rng(3).normal(loc=5.0, scale=10.0, size=input_shape)
    out = x
    for _ in range(3):
        out = layer(out, training=True)
    broadcast_shape = [1] * len(input_shape)
    broadcast_shape[axis] = input_shape[axis]
    out = to_array(out) - np.reshape(to_array(layer.beta), broadcast_shape)
    out = out / np.reshape(to_array(layer.gamma), broadcast_shape)
    reduction_axes = list(range(len(input_shape)))
    del reduction_axes[axis]
    assert_close(np.mean(out, axis=tuple(reduction_axes)), 0.0, atol=1e-3)
    assert_close(np.std(out, axis=tuple(reduction_axes)), 1.0, atol=1e-3)
    assert_close(layer.moving_mean, 0.0, atol=1e-3)
    assert_close(layer.moving_variance, 1.0, atol=1e-3)

    inference_out = layer(x, training=False)
    training_out = layer(x, training=True)
    assert _not_close(inference_out, training_out)
    training_out = layer(x, training=True)
    inference_out = layer(x, training=False)
    assert_close(inference_out, training_out, atol=1e-5)

    x[:, 1, :] = 0.0
    unmasked_out = layer(x, training=False)
    masked_out = layer(keras.layers.Masking()(x), training=False)
    assert_close(unmasked_out, masked_out, atol=1e-5)

    unmasked_out = layer(x, training=False)
    masked_out = layer(keras.layers.Masking()(x), training=True)
    assert _not_close(unmasked_out, masked_out)


def test_input_fully_masked(keras):
    norm = keras.layers.BatchNormalization(scale=False, center=False)
    x = np.zeros((4, 5))
    y = norm(x, mask=np.zeros((4,), dtype=np.float32), training=True)
    assert_close(y, np.zeros_like(x, dtype=np.float32))


@pytest.mark.parametrize("mask_value", [0.0, 0.1, 1])
def test_bachnorm_ignore_masked_values(keras, mask_value):
    padded_data = np.array(
        [[[1, 5], [2, 5], [mask_value, mask_value], [mask_value, mask_value]]
         for _ in range(10)],
        dtype="float32",
    )  # fmt: skip
    inputs = keras.layers.Input((None, 2))
    masked = keras.layers.Masking(mask_value=mask_value)(inputs)
    normed = keras.layers.BatchNormalization(momentum=0.0)(masked)
    model = keras.Model(inputs, normed)
    model.compile("rmsprop", loss=keras.losses.MeanSquaredError())
    model.fit(x=padded_data, y=padded_data, batch_size=10, epochs=5, verbose=0)
    assert_close(model.layers[2].moving_mean, [1.5, 5.0], atol=1e-6)
    assert_close(model.layers[2].moving_variance, [0.25, 0.0], atol=1e-6)


def test_trainable_behavior(keras):
    layer = keras.layers.BatchNormalization(axis=-1, momentum=0.8, epsilon=1e-7)
    layer.build((1, 4, 4, 3))
    layer.trainable = False
    assert len(layer.weights) == 4
    assert len(layer.trainable_weights) == 0
    assert len(layer.non_trainable_weights) == 4
    x = np.random.default_rng(5).normal(loc=5.0, scale=10.0, size=(200, 4, 4, 3))
    assert_close(layer(x, training=True), x, atol=1e-3)

    layer.trainable = True
    assert len(layer.weights) == 4
    assert len(layer.trainable_weights) == 2
    assert len(layer.non_trainable_weights) == 2
    for _ in range(10):
        out = layer(x, training=True)
    out = to_array(out) - np.reshape(to_array(layer.beta), (1, 1, 1, 3))
    out = out / np.reshape(to_array(layer.gamma), (1, 1, 1, 3))
    assert_close(np.mean(out, axis=(0, 1, 2)), 0.0, atol=1e-3)
    assert_close(np.std(out, axis=(0, 1, 2)), 1.0, atol=1e-3)


def test_masked_broadcast_normalization(keras):
    layer = keras.layers.BatchNormalization(axis=-1, momentum=0.0, epsilon=1e-3)
    x = np.ones((1, 2, 3, 4), "float32")
    y = layer(x, training=True, mask=np.ones((1, 2, 1), "float32"))
    assert_close(np.mean(to_array(y), axis=(0, 1, 2)), np.zeros((4,)), atol=1e-6)
    assert_close(y, np.zeros((1, 2, 3, 4)), atol=1e-6)
    assert_close(layer.moving_mean, np.ones((4,)), atol=1e-6)
    assert_close(layer.moving_variance, np.zeros((4,)), atol=1e-6)


@pytest.mark.parametrize(
    ("init_kwargs", "input_shape"),
    [
        ({"center": True, "scale": True, "renorm": True}, (2, 3)),
        (
            {"center": True, "scale": True, "renorm": True,
             "renorm_clipping": {"rmax": 3.0, "rmin": 0.3, "dmax": 5.0}},
            (2, 4, 4, 3),
        ),
    ],
)  # fmt: skip
def test_renorm_basics(keras, init_kwargs, input_shape):
    run_layer_test(
        keras,
        keras.layers.BatchNormalization,
        init_kwargs,
        call_kwargs={"training": True},
        input_shape=input_shape,
        expected_output_shape=input_shape,
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=5,
        expected_num_losses=0,
        supports_masking=True,
    )


def test_renorm_invalid_clipping_keys(keras):
    bn = keras.layers.BatchNormalization
    with pytest.raises(ValueError, match="Received invalid keys"):
        bn(renorm=True, renorm_clipping={"random_key": 1.0})
    with pytest.raises(ValueError, match="rmax should be"):
        bn(renorm=True, renorm_clipping={"rmax": 0.0, "rmin": 1.0})
    with pytest.raises(ValueError, match="dmax should be non-negative"):
        bn(renorm=True, renorm_clipping={"rmax": 1.0, "dmax": -1.0})


def test_renorm_stddev_initializer(keras):
    layer = keras.layers.BatchNormalization(
        renorm=True, moving_variance_initializer=keras.initializers.Constant(4.0)
    )
    layer.build((None, 5))
    assert_close(layer.moving_stddev, np.full((5,), 2.0), atol=1e-6)
    assert_close(layer.renorm_stddev, np.full((5,), 2.0), atol=1e-6)


def test_renorm_inference(keras):
    bn = keras.layers.BatchNormalization(renorm=False)
    bn_renorm = keras.layers.BatchNormalization(renorm=True)
    bn.build((None, 10))
    bn_renorm.build((None, 10))
    rng = np.random.default_rng(11)
    for attr in ["gamma", "beta", "moving_mean", "moving_variance"]:
        value = rng.normal(size=(10,)).astype("float32")
        if attr == "moving_variance":
            value = np.abs(value)
        getattr(bn, attr).assign(value)
        getattr(bn_renorm, attr).assign(value)
    x = rng.normal(size=(4, 10))
    assert_close(bn(x, training=False), bn_renorm(x, training=False), atol=1e-5)


def test_renorm_correctness(keras):
    epsilon, momentum, renorm_momentum = 1e-3, 0.9, 0.8
    layer = keras.layers.BatchNormalization(
        axis=-1, epsilon=epsilon, momentum=momentum, renorm=True,
        renorm_momentum=renorm_momentum,
    )  # fmt: skip
    layer.build((None, 3))
    rng = np.random.default_rng(1337)
    init = {
        "moving_mean": rng.normal(0.0, 1.0, size=3),
        "moving_variance": np.abs(rng.normal(1.0, 0.5, size=3)),
        "renorm_mean": rng.normal(0.0, 1.0, size=3),
        "renorm_stddev": np.abs(rng.normal(1.0, 0.5, size=3)),
        "gamma": rng.normal(1.0, 0.1, size=3),
        "beta": rng.normal(0.0, 0.1, size=3),
    }
    init["moving_stddev"] = np.sqrt(init["moving_variance"])
    for name, value in init.items():
        getattr(layer, name).assign(value)
    x = np.array([[4.0, 6.0, 2.0], [8.0, -2.0, 5.0], [6.0, 4.0, 3.0]], "float32")

    batch_mean = np.mean(x, axis=0)
    batch_stddev = np.sqrt(np.var(x, axis=0) + epsilon)
    r = batch_stddev / init["renorm_stddev"]
    d = (batch_mean - init["renorm_mean"]) / init["renorm_stddev"]
    expected = (((x - batch_mean) / batch_stddev) * r + d) * init["gamma"] + init[
        "beta"
    ]
    assert_close(layer(x, training=True), expected, atol=1e-5)

    def moved(old, new, m):
        return old * m + new * (1 - m)

    rm = renorm_momentum
    assert_close(layer.renorm_mean, moved(init["renorm_mean"], batch_mean, rm), 1e-5)
    assert_close(
        layer.renorm_stddev, moved(init["renorm_stddev"], batch_stddev, rm), 1e-5
    )
    assert_close(
        layer.moving_mean, moved(init["moving_mean"], batch_mean, momentum), 1e-5
    )
    stddev = moved(init["moving_stddev"], batch_stddev, momentum)
    assert_close(layer.moving_stddev, stddev, atol=1e-5)
    assert_close(layer.moving_variance, stddev**2 - epsilon, atol=1e-5)


def test_serialization(keras):
    layer = keras.layers.BatchNormalization(
        renorm=True,
        renorm_clipping={"rmax": 3.0, "rmin": 0.3, "dmax": 5.0},
        renorm_momentum=0.95,
    )
    config = layer.get_config()
    new_layer = keras.layers.BatchNormalization.from_config(config)
    assert new_layer.get_config() == config
