"""Keras 3's layers/activations/prelu_test.py cases, in our words."""

from __future__ import annotations

import numpy as np

from tests.conformance_keras import assert_close, run_layer_test


def test_prelu_basics(keras):
    kwargs = {
        "alpha_initializer": "zeros",
        "alpha_regularizer": "L1",
        "alpha_constraint": "MaxNorm",
        "shared_axes": 1,
    }
    run_layer_test(
        keras, keras.layers.PReLU, kwargs, input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4), expected_num_trainable_weights=1,
        supports_masking=True,
        run_training_check=True,
    )  # fmt: skip
    layer = keras.layers.PReLU(**kwargs)
    layer.build((2, 3, 4))
    assert tuple(layer.alpha.shape) == (1, 4)
    assert isinstance(layer.alpha.constraint, keras.constraints.MaxNorm)


def test_prelu_values(keras):
    rng = np.random.RandomState(11)
    inputs = rng.randn(2, 10, 5, 3)
    layer = keras.layers.PReLU(
        alpha_initializer="glorot_uniform",
        alpha_regularizer="l1",
        alpha_constraint="non_neg",
        shared_axes=(1, 2),
    )
    layer.build(inputs.shape)
    slopes = rng.random_sample((1, 1, 3))
    layer.alpha.assign(slopes)
    want = np.where(inputs > 0, inputs, slopes * inputs)
    assert_close(layer(inputs), want)


def test_prelu_on_a_symbolic_input(keras):
    inputs = keras.Input(shape=(3, 4), batch_size=2)
    assert tuple(keras.layers.PReLU(shared_axes=1)(inputs).shape) == (2, 3, 4)
