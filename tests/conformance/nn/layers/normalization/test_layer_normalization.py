"""Keras 3's ``layers/normalization/layer_normalization_test.py`` cases, ported
(run against both libraries).

Out of scope (not ported): test_large_value_within_autocast_scope (autocast /
dtype policies).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tests.conformance_keras import assert_close, run_layer_test, to_array


@pytest.mark.parametrize(
    ("init_kwargs", "input_shape", "trainable", "losses"),
    [
        ("l2", (3, 4, 2), 2, 2),
        ({"gamma_initializer": "ones", "beta_initializer": "ones"}, (3, 4, 2), 2, 0),
        ({"scale": False, "center": False}, (3, 3), 0, 0),
        ({"rms_scaling": True}, (3, 3), 1, 0),
        ({"axis": (-3, -2, -1)}, (2, 8, 8, 3), 2, 0),
        ({}, (1, 0, 10), 2, 0),
    ],
)
def test_ln_basics(keras, init_kwargs, input_shape, trainable, losses):
    if init_kwargs == "l2":
        init_kwargs = {
            "gamma_regularizer": keras.regularizers.L2(0.01),
            "beta_regularizer": keras.regularizers.L2(0.01),
        }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        run_layer_test(
            keras, keras.layers.LayerNormalization, init_kwargs,
            input_shape=input_shape, expected_output_shape=input_shape,
            expected_num_trainable_weights=trainable,
            expected_num_non_trainable_weights=0, expected_num_losses=losses,
            supports_masking=True,
        )  # fmt: skip


def test_invalid_axis(keras):
    with pytest.raises(
        TypeError,
        match="Expected an int or a list/tuple of ints for the argument 'axis'",
    ):
        keras.layers.LayerNormalization(axis={"axis": -1})


def test_correctness(keras):
    layer = keras.layers.LayerNormalization(dtype="float32")
    layer.build(input_shape=(2, 2, 2))
    rng = np.random.default_rng(4)
    inputs = rng.normal(loc=5.0, scale=10.0, size=(1000, 2, 2, 2)).astype("float32")
    out = (to_array(layer(inputs)) - to_array(layer.beta)) / to_array(layer.gamma)
    assert_close(np.mean(out), 0.0, atol=1e-1)
    assert_close(np.std(out), 1.0, atol=1e-1)


def test_output(keras):
    layer = keras.layers.LayerNormalization(
        dtype="float32", beta_initializer="ones", gamma_initializer="ones"
    )
    out = layer(np.arange(5).astype("float32")[None, :])
    assert_close(out, [[-0.41386, 0.29307, 1.0, 1.70693, 2.41386]], atol=1e-5)


def test_output_with_rms_scaling(keras):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        layer = keras.layers.LayerNormalization(
            dtype="float32", rms_scaling=True, gamma_initializer="ones"
        )
    out = layer(np.arange(5).astype("float32")[None, :])
    assert_close(out, [[0.0, 0.70693, 1.41386, 2.12079, 2.82772]], atol=1e-5)


def test_unsorted_axis(keras):
    x = np.random.default_rng(6).normal(size=(2, 3, 4)).astype("float32")
    out_sorted = keras.layers.LayerNormalization(axis=[-2, -1])(x)
    out_unsorted = keras.layers.LayerNormalization(axis=[-1, -2])(x)
    assert tuple(to_array(out_sorted).shape) == (2, 3, 4)
    assert tuple(to_array(out_unsorted).shape) == (2, 3, 4)
    assert_close(out_sorted, out_unsorted)
