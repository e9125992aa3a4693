"""Keras 3's ``layers/regularization/gaussian_noise_test.py`` and
``gaussian_dropout_test.py`` cases, ported (run against both libraries).

``expected_num_seed_generators`` is not checked (no seed generator objects).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close, run_layer_test, to_array

_CASES = [("GaussianNoise", {"stddev": 0.2}), ("GaussianDropout", {"rate": 0.2})]


@pytest.mark.parametrize(("name", "kwargs"), _CASES)
def test_basics(keras, name, kwargs):
    cls = getattr(keras.layers, name)
    run_layer_test(
        keras, cls, kwargs, input_shape=(2, 3), call_kwargs={"training": True},
        expected_output_shape=(2, 3), expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0, expected_num_losses=0,
        supports_masking=True,
    )  # fmt: skip
    assert cls(**kwargs).built


def test_gaussian_noise_correctness(keras):
    layer = keras.layers.GaussianNoise(0.3, seed=1337)
    outputs = to_array(layer(np.ones((20, 500)), training=True))
    assert_close(np.std(outputs), 0.3, atol=0.02, rtol=0.02)


def test_gaussian_dropout_correctness(keras):
    layer = keras.layers.GaussianDropout(0.3, seed=1337)
    outputs = to_array(layer(np.ones((20, 500)), training=True))
    assert_close(np.std(outputs), np.sqrt(0.3 / (1 - 0.3)), atol=0.02, rtol=0.02)


@pytest.mark.parametrize(("name", "arg"), [("GaussianNoise", "stddev"),
                                           ("GaussianDropout", "rate")])  # fmt: skip
def test_invalid_argument(keras, name, arg):
    with pytest.raises(
        ValueError, match=f"Invalid value received for argument `{arg}`"
    ):
        getattr(keras.layers, name)(1.5)


@pytest.mark.parametrize("name", ["GaussianNoise", "GaussianDropout"])
def test_inference_is_identity(keras, name):
    x = np.arange(6, dtype="float32").reshape(2, 3)
    assert_close(getattr(keras.layers, name)(0.5)(x, training=False), x)
