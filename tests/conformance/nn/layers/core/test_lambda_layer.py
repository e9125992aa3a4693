"""Keras 3's ``layers/core/lambda_layer_test.py`` cases, ported
(run against both libraries).

``ops.square`` becomes a plain function of tensors and ``ops.concatenate``
``keras.layers.concatenate``; run_layer_test's ``custom_objects`` becomes
``Lambda.from_config(config, custom_objects=...)`` (a path both libraries have).

Departure: test_correctness and test_correctness_lambda_shape reload a Python
lambda with ``safe_mode=False``; Keras then runs the bytecode its config
stores, pipeline.nn never stores or runs code (the project's security rule):
those two cases assert the refusal (their value checks before the reload are
test_correctness_before_reload and test_correctness_lambda_shape_before_reload).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from tests.conformance_keras import assert_close, to_array


def square(x):
    return x * x


def _check_lambda(keras, init_kwargs, input_shape, expected_shape, masking, custom):
    layer = keras.layers.Lambda(**init_kwargs)
    config = layer.get_config()
    # Keras's from_config writes the functions into the dict it is given.
    clone = keras.layers.Lambda.from_config(
        copy.deepcopy(config), custom_objects=custom
    )
    assert clone.get_config() == config
    assert bool(layer.supports_masking) is masking
    out = layer(np.ones(input_shape, "float32"))
    assert tuple(to_array(out).shape) == expected_shape
    assert len(layer.trainable_weights) == len(layer.non_trainable_weights) == 0
    assert len(layer.losses) == 0
    symbolic = clone(keras.Input(batch_shape=input_shape))
    assert tuple(symbolic.shape) == expected_shape


def test_lambda_basics_square(keras):
    _check_lambda(
        keras, {"function": square}, (2, 3), (2, 3), False, {"square": square}
    )


def test_lambda_basics_square_with_mask(keras):
    mask = np.ones((2, 3), "float32")
    _check_lambda(
        keras, {"function": square, "mask": mask}, (2, 3, 4), (2, 3, 4), True,
        {"square": square},
    )  # fmt: skip


def test_lambda_basics_stacker_output_shape(keras):
    def stacker(x):
        return keras.layers.concatenate([x, x], axis=1)

    _check_lambda(
        keras, {"function": stacker, "output_shape": (6,)}, (2, 3), (2, 6), False,
        {"stacker": stacker},
    )  # fmt: skip


def test_lambda_basics_stacker_shape_function(keras):
    def stacker(x):
        return keras.layers.concatenate([x, x], axis=1)

    def stacker_shape(s):
        return (s[0], s[1] * 2)

    _check_lambda(
        keras, {"function": stacker, "output_shape": stacker_shape}, (2, 3), (2, 6),
        False, {"stacker": stacker, "stacker_shape": stacker_shape},
    )  # fmt: skip


def test_correctness_before_reload(keras):
    layer = keras.layers.Lambda(lambda x: x**2)
    assert_close(layer(2 * np.ones((2, 3))), 4 * np.ones((2, 3)))


@pytest.mark.departure("a Python lambda is never rebuilt from a config (no code)")
def test_correctness(keras):
    # Keras reloads the lambda's bytecode under safe_mode=False; we refuse.
    config = keras.layers.Lambda(lambda x: x**2).get_config()
    with pytest.raises(ValueError, match="Lambda"):
        keras.layers.Lambda.from_config(config, safe_mode=False)


def test_from_config_fails_closed_without_safe_mode_scope(keras):
    config = keras.layers.Lambda(lambda x: x**2).get_config()
    with pytest.raises(ValueError, match="Lambda"):
        keras.layers.Lambda.from_config(config)


def test_correctness_lambda_shape_before_reload(keras):
    layer = keras.layers.Lambda(lambda x: x**2, output_shape=lambda x: x)
    assert_close(layer(2 * np.ones((2, 3))), 4 * np.ones((2, 3)))


@pytest.mark.departure("a Python lambda is never rebuilt from a config (no code)")
def test_correctness_lambda_shape(keras):
    # Keras reloads the lambdas' bytecode under safe_mode=False; we refuse.
    config = keras.layers.Lambda(lambda x: x**2, output_shape=lambda x: x).get_config()
    with pytest.raises(ValueError, match="Lambda"):
        keras.layers.Lambda.from_config(config, safe_mode=False)
