"""Keras 3's ``layers/regularization/dropout_test.py`` cases, ported
(run against both libraries).

``expected_num_seed_generators`` is not checked: ``pl.nn`` has no seed
generator objects.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close, run_layer_test, to_array

_RATE = (
    "Invalid value received for argument `rate`. "
    "Expected a float value between 0 and 1."
)
_NOISE = "Invalid value received for argument `noise_shape`. "


def test_dropout_basics(keras):
    run_layer_test(
        keras,
        keras.layers.Dropout,
        {"rate": 0.2},
        input_shape=(2, 3),
        call_kwargs={"training": True},
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        expected_num_losses=0,
        supports_masking=True,
    )
    assert keras.layers.Dropout(0.2).built


def test_dropout_rescaling(keras):
    layer = keras.layers.Dropout(0.5, seed=1337)
    outputs = to_array(layer(np.ones((20, 500)), training=True))
    assert_close(np.mean(outputs), 1.0, atol=0.02, rtol=0.02)
    assert_close(np.max(outputs), 2.0)


def test_dropout_partial_noise_shape_dynamic(keras):
    layer = keras.layers.Dropout(0.5, noise_shape=(None, 1, None))
    outputs = to_array(layer(np.ones((20, 5, 10)), training=True))
    assert_close(outputs[:, 0, :], outputs[:, 1, :])


def test_dropout_partial_noise_shape_static(keras):
    layer = keras.layers.Dropout(0.5, noise_shape=(20, 1, 10))
    outputs = to_array(layer(np.ones((20, 5, 10)), training=True))
    assert_close(outputs[:, 0, :], outputs[:, 1, :])


def test_dropout_negative_rate(keras):
    with pytest.raises(ValueError, match=_RATE):
        keras.layers.Dropout(rate=-0.5)


def test_dropout_rate_greater_than_one(keras):
    with pytest.raises(ValueError, match=_RATE):
        keras.layers.Dropout(rate=1.5)


def test_validate_noise_shape_none(keras):
    assert keras.layers.Dropout(0.5, noise_shape=None).noise_shape is None


def test_validate_noise_shape_integer_tuple(keras):
    assert keras.layers.Dropout(0.5, noise_shape=(20, 1, 10)).noise_shape == (20, 1, 10)


def test_validate_noise_shape_none_values(keras):
    layer = keras.layers.Dropout(0.5, noise_shape=(None, 1, None))
    assert layer.noise_shape == (None, 1, None)


def test_validate_noise_shape_cast_to_a_tuple(keras):
    layer = keras.layers.Dropout(0.5, noise_shape=[20, 1, 10])
    assert layer.noise_shape == (20, 1, 10)
    assert isinstance(layer.noise_shape, tuple)


def test_validate_noise_shape_non_iterable(keras):
    with pytest.raises(
        ValueError, match=_NOISE + "Expected a tuple or list of integers."
    ):
        keras.layers.Dropout(0.5, noise_shape="Invalid")


def test_validate_noise_shape_invalid_type(keras):
    with pytest.raises(
        ValueError, match=_NOISE + "Expected all elements to be integers or None."
    ):
        keras.layers.Dropout(0.5, noise_shape=(20, 1.5, 10))


@pytest.mark.parametrize("bad", [-1, 0])
def test_validate_noise_shape_non_positive_value(keras, bad):
    with pytest.raises(
        ValueError,
        match=_NOISE + "Expected all dimensions to be positive integers or None.",
    ):
        keras.layers.Dropout(0.5, noise_shape=(20, bad, 10))


def test_dropout_inference_is_identity(keras):
    x = np.arange(6, dtype="float32").reshape(2, 3)
    assert_close(keras.layers.Dropout(0.5)(x, training=False), x)
