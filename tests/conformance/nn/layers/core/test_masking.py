"""Keras 3's ``layers/core/masking_test.py`` cases, ported
(run against both libraries).

test_masking_with_tensor is not ported: it needs an ``LSTM`` layer, which
``pl.nn`` does not have.
"""

from __future__ import annotations

import numpy as np

from tests.conformance_keras import run_layer_test, to_array

_X = np.array(
    [
        [[0.0, 0.0], [1.0, 2.0], [0.0, 0.0]],
        [[2.0, 2.0], [0.0, 0.0], [2.0, 1.0]],
    ]
)
_EXPECTED_MASK = [[False, True, False], [True, False, True]]


def test_masking_basics(keras):
    run_layer_test(
        keras,
        keras.layers.Masking,
        {"mask_value": 0.0},
        input_shape=(2, 3, 2),
        expected_output_shape=(2, 3, 2),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        expected_num_losses=0,
        supports_masking=True,
    )
    assert keras.layers.Masking(mask_value=0.0).built


def test_masking_correctness(keras):
    layer = keras.layers.Masking(mask_value=0.0)
    assert to_array(layer.compute_mask(_X)).tolist() == _EXPECTED_MASK
    seen = []

    class TestLayer(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def compute_output_shape(self, input_shape):
            return input_shape

        def call(self, inputs, mask=None):
            seen.append(mask)
            return inputs

    model = keras.Sequential([keras.layers.Masking(mask_value=0.0), TestLayer()])
    model(_X)
    assert seen and seen[-1] is not None
    assert to_array(seen[-1]).tolist() == _EXPECTED_MASK


def test_masking_zeroes_masked_steps(keras):
    x = np.array([[[1.0, 1.0], [3.0, 4.0]]], "float32")
    out = keras.layers.Masking(mask_value=1.0)(x)
    assert to_array(out).tolist() == [[[0.0, 0.0], [3.0, 4.0]]]
    assert to_array(out._keras_mask).tolist() == [[False, True]]
