"""Keras 3's ``layers/reshaping/reshape_test.py`` cases, ported
(run against both libraries).

The sparse parametrization of test_reshape is out of scope (sparse inputs).
test_reshape_with_dynamic_batch_size_and_minus_one and
test_reshape_with_dynamic_dim_and_minus_one call ``backend.compute_output_spec``
(a backend internal); their shapes are checked here through ``keras.Input``.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import run_layer_test, to_array


@pytest.mark.parametrize(
    ("target_shape", "input_shape", "expected"),
    [
        ((8, 1), (3, 2, 4), (3, 8, 1)),
        ((8,), (3, 2, 4), (3, 8)),
        ((2, 4), (3, 8), (3, 2, 4)),
        ((-1, 1), (3, 2, 4), (3, 8, 1)),
        ((1, -1), (3, 2, 4), (3, 1, 8)),
        ((-1,), (3, 2, 4), (3, 8)),
        ((2, -1), (3, 2, 4), (3, 2, 4)),
    ],
)
def test_reshape(keras, target_shape, input_shape, expected):
    run_layer_test(
        keras, keras.layers.Reshape, {"target_shape": target_shape},
        input_shape=input_shape, expected_output_shape=expected,
        run_training_check=True,
    )  # fmt: skip


def test_reshape_with_dynamic_batch_size(keras):
    reshaped = keras.layers.Reshape((8,))(keras.Input(shape=(2, 4)))
    assert tuple(reshaped.shape) == (None, 8)


def test_reshape_rejects_invalid_target_shape(keras):
    with pytest.raises(
        ValueError, match=r"non-negative integer.*-1.*target_shape=\(-2, 5\)"
    ):
        keras.layers.Reshape(target_shape=(-2, 5))
    with pytest.raises(
        ValueError, match=r"at most one unknown dimension.*target_shape=\(-1, -1, 5\)"
    ):
        keras.layers.Reshape(target_shape=(-1, -1, 5))


def test_reshape_with_dynamic_batch_size_and_minus_one(keras):
    reshaped = keras.layers.Reshape((-1, 8))(keras.Input(batch_shape=(None, 6, 4)))
    assert tuple(reshaped.shape) == (None, 3, 8)


def test_reshape_layer_with_varying_input_size_and_minus_one(keras):
    layer = keras.layers.Reshape((-1, 8))
    assert tuple(to_array(layer(np.ones((1, 6, 4), "float32"))).shape) == (1, 3, 8)
    assert tuple(to_array(layer(np.ones((1, 10, 4), "float32"))).shape) == (1, 5, 8)


def test_reshape_with_dynamic_dim_and_minus_one(keras):
    reshaped = keras.layers.Reshape((-1, 3))(keras.Input(batch_shape=(4, 6, None, 3)))
    assert tuple(reshaped.shape) == (4, None, 3)


def test_reshape_sets_static_shape(keras):
    reshaped = keras.layers.Reshape((3, 5))(keras.Input(batch_shape=(2, None)))
    assert tuple(reshaped.shape) == (2, 3, 5)


def test_reshape_model_fit_with_varying_input_size_and_minus_one(keras):
    model = keras.Sequential([keras.layers.Reshape((-1, 8))])
    model.compile(loss="mean_squared_error")
    for steps, out_steps in ((12, 3), (20, 5)):
        x = np.ones((1, steps, 2), "float32")
        model.fit(x, np.zeros((1, out_steps, 8), "float32"), epochs=1, verbose=0)
    for steps, out_steps in ((12, 3), (20, 5), (24, 6)):
        output = to_array(model(np.random.default_rng(0).normal(size=(1, steps, 2))))
        assert output.shape[1:] == (out_steps, 8)
