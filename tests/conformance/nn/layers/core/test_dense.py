"""Keras 3's ``layers/core/dense_test.py`` cases, ported
(run against both libraries).

Out of scope (not ported): sparse inputs (test_dense_sparse), LoRA
(test_enable_lora*, test_lora_*), quantization (test_quantize_*, int4/int8/
float8/gptq/awq cases, test_dense_quantize_config, test_legacy_load_own_variables).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close, run_layer_test

_KERNEL = np.array([[1.0, -2.0], [3.0, -4.0]])


def test_dense_basics_2d_no_bias(keras):
    run_layer_test(
        keras,
        keras.layers.Dense,
        {
            "units": 4,
            "activation": "relu",
            "kernel_initializer": "random_uniform",
            "bias_initializer": "ones",
            "use_bias": False,
        },
        input_shape=(2, 3),
        expected_output_shape=(2, 4),
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=0,
        expected_num_losses=0,
        supports_masking=True,
        run_training_check=True,
    )


def test_dense_basics_3d_regularizers(keras):
    run_layer_test(
        keras,
        keras.layers.Dense,
        {
            "units": 5,
            "activation": "sigmoid",
            "kernel_regularizer": "l2",
            "bias_regularizer": "l2",
        },  # fmt: skip
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 5),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
        expected_num_losses=2,
        supports_masking=True,
    )


@pytest.mark.parametrize("units", [0, -3, 2.5, None, "64"])
def test_dense_invalid_units_raises(keras, units):
    with pytest.raises(ValueError, match="positive integer"):
        keras.layers.Dense(units)


def test_dense_correctness_with_bias_and_relu(keras):
    layer = keras.layers.Dense(units=2, activation="relu")
    layer.build((1, 2))
    layer.set_weights([_KERNEL, np.array([5.0, -6.0])])
    assert_close(layer(np.array([[-1.0, 2.0]])), [[10.0, 0.0]])


def test_dense_correctness_kernel_only(keras):
    layer = keras.layers.Dense(units=2, use_bias=False)
    layer.build((1, 2))
    layer.set_weights([_KERNEL])
    assert layer.bias is None
    assert_close(layer(np.array([[-1.0, 2.0]])), [[5.0, -6.0]])


def test_dense_errors_incompatible_input(keras):
    layer = keras.layers.Dense(units=2, activation="relu")
    layer(keras.Input(batch_shape=(1, 2)))
    with pytest.raises(ValueError, match="incompatible with the layer"):
        layer(keras.Input(batch_shape=(1, 3)))


def test_dense_errors_incompatible_eager_input(keras):
    layer = keras.layers.Dense(units=2)
    layer(np.ones((1, 2), "float32"))
    with pytest.raises(ValueError, match="incompatible with the layer"):
        layer(np.ones((1, 3), "float32"))


def test_dense_no_activation(keras):
    layer = keras.layers.Dense(units=2, use_bias=False, activation=None)
    layer.build((1, 2))
    layer.set_weights([_KERNEL])
    assert layer.bias is None
    assert_close(layer(np.array([[-1.0, 2.0]])), [[5.0, -6.0]])


def test_dense_without_activation_set(keras):
    layer = keras.layers.Dense(units=2, use_bias=False)
    layer.build((1, 2))
    layer.set_weights([_KERNEL])
    layer.activation = None
    assert layer.bias is None
    assert_close(layer(np.array([[-1.0, 2.0]])), [[5.0, -6.0]])


def test_dense_with_activation(keras):
    layer = keras.layers.Dense(units=2, use_bias=False, activation="relu")
    layer.build((1, 2))
    layer.set_weights([_KERNEL])
    assert_close(layer(np.array([[-1.0, 2.0]])), np.array([[5.0, 0.0]]))


def test_dense_constraints(keras):
    layer = keras.layers.Dense(units=2, kernel_constraint="non_neg")
    layer.build((None, 2))
    assert isinstance(layer.kernel.constraint, keras.constraints.NonNeg)
    layer = keras.layers.Dense(units=2, bias_constraint="non_neg")
    layer.build((None, 2))
    assert isinstance(layer.bias.constraint, keras.constraints.NonNeg)


def test_dense_constraints_round_trip_config(keras):
    layer = keras.layers.Dense(units=2, kernel_constraint="max_norm")
    clone = keras.layers.Dense.from_config(layer.get_config())
    assert isinstance(clone.kernel_constraint, keras.constraints.MaxNorm)
    assert clone.bias_constraint is None
