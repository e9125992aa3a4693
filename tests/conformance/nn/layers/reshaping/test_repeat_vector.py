"""Keras 3's ``layers/reshaping/repeat_vector_test.py`` cases, ported
(run against both libraries)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import run_layer_test


def test_repeat_vector(keras):
    x = np.random.default_rng(9).random((2, 5)).astype("float32")
    run_layer_test(
        keras, keras.layers.RepeatVector, {"n": 3}, input_data=x,
        expected_output=np.repeat(np.reshape(x, (2, 1, 5)), 3, axis=1),
    )  # fmt: skip


def test_repeat_vector_with_dynamic_batch_size(keras):
    repeated = keras.layers.RepeatVector(n=3)(keras.layers.Input(batch_shape=(None, 5)))
    assert tuple(repeated.shape) == (None, 3, 5)


def test_repeat_vector_with_dynamic_dimension(keras):
    repeated = keras.layers.RepeatVector(n=3)(keras.layers.Input(batch_shape=(2, None)))
    assert tuple(repeated.shape) == (2, 3, None)


@pytest.mark.parametrize("n", ["3", 3.5, [3]])
def test_repeat_vector_with_invalid_n(keras, n):
    with pytest.raises(TypeError, match="Expected an integer value for `n`"):
        keras.layers.RepeatVector(n=n)


@pytest.mark.parametrize("n", [0, -3])
def test_repeat_vector_with_non_positive_n(keras, n):
    with pytest.raises(ValueError, match="should be a positive integer"):
        keras.layers.RepeatVector(n=n)
