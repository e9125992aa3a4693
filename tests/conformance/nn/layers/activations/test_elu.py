"""Keras 3's layers/activations/elu_test.py cases, in our words."""

from __future__ import annotations

import numpy as np

from tests.conformance_keras import assert_close, run_layer_test


def test_config_round_trip(keras):
    layer = keras.layers.ELU()
    config = layer.get_config()
    clone = keras.layers.ELU.from_config(config)
    assert isinstance(clone, keras.layers.ELU)
    assert clone.get_config() == config


def test_elu_layer_basics(keras):
    run_layer_test(
        keras, keras.layers.ELU, {}, input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4), supports_masking=True,
        run_training_check=True,
    )  # fmt: skip
    assert keras.layers.ELU().built


def test_elu_values(keras):
    def reference(x, alpha=1.0):
        return np.where(x > 0, x, alpha * (np.exp(x) - 1))

    x = np.random.RandomState(5).random_sample((2, 2, 5))
    assert_close(keras.layers.ELU()(x), reference(x))
    assert_close(keras.layers.ELU(alpha=0.7)(x), reference(x, alpha=0.7))


def test_elu_layer_on_a_symbolic_input(keras):
    inputs = keras.Input(shape=(3, 4), batch_size=2)
    assert tuple(keras.layers.ELU()(inputs).shape) == (2, 3, 4)
