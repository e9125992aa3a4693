"""Keras 3's layers/activations/relu_test.py cases, in our words."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close, run_layer_test

_X = np.array([-10, -5, 0.0, 5, 10])


def test_relu_basics(keras):
    kwargs = {"max_value": 10, "negative_slope": 1, "threshold": 0.5}
    run_layer_test(
        keras, keras.layers.ReLU, kwargs, input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4), supports_masking=True,
        run_training_check=True,
    )  # fmt: skip
    assert keras.layers.ReLU(**kwargs).built


@pytest.mark.parametrize(
    "kwargs, x, want",
    [
        (
            {"max_value": 10, "negative_slope": 0.0, "threshold": 0},
            _X,
            [0.0, 0.0, 0.0, 5.0, 10.0],
        ),
        (
            {"max_value": 10, "negative_slope": 0.5, "threshold": 0},
            _X,
            [-5.0, -2.5, 0.0, 5.0, 10.0],
        ),
        (
            {"max_value": 8, "negative_slope": 0.0, "threshold": 5},
            np.array([6.0, 7.0, 0.0, 5, 10]),
            [6.0, 7.0, 0.0, 0.0, 8.0],
        ),
    ],
)
def test_relu_values(keras, kwargs, x, want):
    assert_close(keras.layers.ReLU(**kwargs)(x), want)


_NONE_OR_NEGATIVE = " of a ReLU layer cannot be None or a negative value"


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (
            {"max_value": -10, "negative_slope": 1, "threshold": 0.5},
            "max_value of a ReLU layer cannot be a negative value",
        ),
        (
            {"max_value": 10, "negative_slope": -10, "threshold": 0.5},
            "negative_slope" + _NONE_OR_NEGATIVE,
        ),
        (
            {"max_value": 10, "negative_slope": 1, "threshold": -10},
            "threshold" + _NONE_OR_NEGATIVE,
        ),
        ({"negative_slope": None}, "negative_slope" + _NONE_OR_NEGATIVE),
        ({"threshold": None}, "threshold" + _NONE_OR_NEGATIVE),
    ],
)
def test_invalid_arguments(keras, kwargs, words):
    with pytest.raises(ValueError, match=words):
        keras.layers.ReLU(**kwargs)


def test_get_config(keras):
    config = keras.layers.ReLU(
        max_value=5.0, negative_slope=0.2, threshold=1.0
    ).get_config()
    assert (config["max_value"], config["negative_slope"], config["threshold"]) == (
        5.0,
        0.2,
        1.0,
    )


def test_get_config_defaults(keras):
    config = keras.layers.ReLU().get_config()
    assert config["max_value"] is None
    assert config["negative_slope"] == 0.0
    assert config["threshold"] == 0.0


def test_from_config(keras):
    layer = keras.layers.ReLU(max_value=5.0, negative_slope=0.2, threshold=1.0)
    restored = keras.layers.ReLU.from_config(layer.get_config())
    for name in ("max_value", "negative_slope", "threshold"):
        assert getattr(restored, name) == getattr(layer, name)


def test_compute_output_shape(keras):
    layer = keras.layers.ReLU()
    for shape in [(2, 3), (4, 5, 6), (1,)]:
        assert tuple(layer.compute_output_shape(shape)) == shape


def test_default_relu(keras):
    out = keras.layers.ReLU()(np.array([-3.0, -1.0, 0.0, 1.0, 3.0]))
    assert_close(out, [0.0, 0.0, 0.0, 1.0, 3.0])


def test_no_max_value_means_no_cap(keras):
    x = np.array([0.0, 100.0, 1000.0, 99999.0])
    assert_close(keras.layers.ReLU(max_value=None)(x), x)


def test_all_zeros(keras):
    assert_close(keras.layers.ReLU()(np.zeros((3, 4))), np.zeros((3, 4)))


def test_multidimensional(keras):
    layer = keras.layers.ReLU()
    assert_close(layer(np.array([[-1.0, 2.0], [3.0, -4.0]])), [[0.0, 2.0], [3.0, 0.0]])
    assert_close(layer(-np.ones((2, 3, 4))), np.zeros((2, 3, 4)))


def test_relu_on_a_symbolic_input(keras):
    inputs = keras.Input(shape=(3, 4), batch_size=2)
    assert tuple(
        keras.layers.ReLU(max_value=10, negative_slope=1, threshold=0.5)(inputs).shape
    ) == (2, 3, 4)
