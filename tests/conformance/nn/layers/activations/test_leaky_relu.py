"""Keras 3's layers/activations/leaky_relu_test.py cases, in our words."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close, run_layer_test


def test_leaky_relu_basics(keras):
    run_layer_test(
        keras, keras.layers.LeakyReLU, {"negative_slope": 1}, input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4), supports_masking=True,
        run_training_check=True,
    )  # fmt: skip
    assert keras.layers.LeakyReLU(negative_slope=1).built


def test_leaky_relu_values(keras):
    out = keras.layers.LeakyReLU(negative_slope=0.5)(np.array([-10, -5, 0.0, 5, 10]))
    assert_close(out, [-5.0, -2.5, 0.0, 5.0, 10.0])


def test_negative_slope_none_is_rejected(keras):
    with pytest.raises(
        ValueError, match="negative_slope value of a Leaky ReLU layer cannot be None"
    ):
        keras.layers.LeakyReLU(negative_slope=None)


def test_deprecated_alpha_sets_the_slope(keras):
    with pytest.warns(UserWarning, match="alpha"):
        layer = keras.layers.LeakyReLU(alpha=0.5)
    assert layer.negative_slope == 0.5
    assert_close(layer(np.array([-2.0, 2.0])), [-1.0, 2.0])


def test_leaky_relu_on_a_symbolic_input(keras):
    inputs = keras.Input(shape=(3, 4), batch_size=2)
    assert tuple(keras.layers.LeakyReLU(negative_slope=1)(inputs).shape) == (2, 3, 4)
