"""Keras 3's ``layers/regularization/alpha_dropout_test.py`` cases, ported
(run against both libraries).

``expected_num_seed_generators`` is not checked (no seed generator objects).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close, run_layer_test, to_array

_RATE = (
    "Invalid value received for argument `rate`. "
    "Expected a float value between 0 and 1."
)


def test_alpha_dropout_basics(keras):
    run_layer_test(
        keras, keras.layers.AlphaDropout, {"rate": 0.2}, input_shape=(2, 3),
        call_kwargs={"training": True}, expected_output_shape=(2, 3),
        expected_num_trainable_weights=0, expected_num_non_trainable_weights=0,
        expected_num_losses=0, supports_masking=True,
    )  # fmt: skip
    assert keras.layers.AlphaDropout(0.2).built


def test_alpha_dropout_correctness(keras):
    layer = keras.layers.AlphaDropout(0.3, seed=1337)
    outputs = to_array(layer(np.ones((20, 500)).astype("float32"), training=True))
    assert_close(np.std(outputs), 1.0, atol=1e-1, rtol=1e-1)


@pytest.mark.parametrize("noise_shape", [(None, 1, None), (20, 1, 10)])
def test_alpha_dropout_partial_noise_shape(keras, noise_shape):
    layer = keras.layers.AlphaDropout(0.5, noise_shape=noise_shape)
    outputs = to_array(layer(np.ones((20, 5, 10)), training=True))
    assert_close(outputs[:, 0, :], outputs[:, 1, :])


@pytest.mark.parametrize("rate", [-0.5, 1.5])
def test_alpha_dropout_invalid_rate(keras, rate):
    with pytest.raises(ValueError, match=_RATE):
        keras.layers.AlphaDropout(rate=rate)


def test_alpha_dropout_inference_is_identity(keras):
    x = np.arange(6, dtype="float32").reshape(2, 3)
    assert_close(keras.layers.AlphaDropout(0.5)(x, training=False), x)
