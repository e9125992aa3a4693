"""Keras 3's ``layers/reshaping/flatten_test.py`` cases, ported
(run against both libraries).

The sparse parametrization of test_flatten is out of scope (sparse inputs).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import run_layer_test

_RNG = np.random.default_rng(7)


def _inputs():
    x = _RNG.random((10, 3, 5, 5)).astype("float32")
    return np.multiply(x, x >= 0.8)


@pytest.mark.parametrize("init_kwargs", [{}, {"data_format": "channels_last"}])
def test_flatten_channels_last(keras, init_kwargs):
    x = _inputs()
    run_layer_test(
        keras, keras.layers.Flatten, init_kwargs, input_data=x,
        expected_output=np.reshape(x, (-1, 5 * 5 * 3)), run_training_check=True,
    )  # fmt: skip


def test_flatten_channels_first(keras):
    x = _inputs()
    expected = np.reshape(np.transpose(x, (0, 2, 3, 1)), (-1, 5 * 5 * 3))
    run_layer_test(
        keras, keras.layers.Flatten, {"data_format": "channels_first"},
        input_data=x, expected_output=expected, run_training_check=True,
    )  # fmt: skip


@pytest.mark.parametrize(
    "init_kwargs",
    [{}, {"data_format": "channels_last"}, {"data_format": "channels_first"}],
)
def test_flatten_with_scalar_channels(keras, init_kwargs):
    x = _RNG.random((10,)).astype("float32")
    run_layer_test(
        keras, keras.layers.Flatten, init_kwargs, input_data=x,
        expected_output=np.expand_dims(x, -1),
    )  # fmt: skip


def test_flatten_symbolic_with_dynamic_batch_size(keras):
    flattened = keras.layers.Flatten()(keras.Input(batch_shape=(None, 2, 3)))
    assert tuple(flattened.shape) == (None, 6)


def test_flatten_symbolic_with_dynamic_dimension(keras):
    flattened = keras.layers.Flatten()(keras.Input(batch_shape=(5, 2, None)))
    assert tuple(flattened.shape) == (5, None)


def test_flatten_with_dynamic_batch_size_and_dynamic_dimensions(keras):
    model = keras.Sequential([keras.layers.Flatten()])
    first = model.predict(np.ones((3, 5, 7), dtype="float32"), verbose=0)
    second = model.predict(np.ones((2, 7, 5), dtype="float32"), verbose=0)
    assert first.shape == (3, 35)
    assert second.shape == (2, 35)
