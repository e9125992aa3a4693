"""Keras 3's layers/activations/activation_test.py cases, in our words."""

from __future__ import annotations

import pytest

from tests.conformance_keras import run_layer_test


@pytest.mark.parametrize(
    "activation, shape", [("relu", (2, 3)), ("gelu_function", (2, 2))]
)
def test_activation_basics(keras, activation, shape):
    if activation == "gelu_function":
        activation = keras.activations.gelu
    run_layer_test(
        keras,
        keras.layers.Activation,
        {"activation": activation},
        input_shape=shape,
        expected_output_shape=shape,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        expected_num_losses=0,
        supports_masking=True,
        run_training_check=True,
    )
    assert keras.layers.Activation(activation).built


def test_activation_on_a_symbolic_input(keras):
    inputs = keras.Input(shape=(3,), batch_size=2)
    assert tuple(keras.layers.Activation("relu")(inputs).shape) == (2, 3)
