"""Keras 3's ``layers/reshaping/permute_test.py`` cases, ported
(run against both libraries).

The sparse parametrization of test_permute is out of scope (sparse inputs).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import run_layer_test


def test_permute(keras):
    x = np.random.default_rng(8).random((10, 3, 5, 5)).astype("float32")
    x = np.multiply(x, x >= 0.8)
    run_layer_test(
        keras, keras.layers.Permute, {"dims": (3, 1, 2)}, input_data=x,
        expected_output=np.transpose(x, axes=(0, 3, 1, 2)), run_training_check=True,
    )  # fmt: skip


def test_permute_with_dynamic_batch_size(keras):
    permuted = keras.layers.Permute((2, 1))(
        keras.layers.Input(batch_shape=(None, 3, 5))
    )
    assert tuple(permuted.shape) == (None, 5, 3)


@pytest.mark.parametrize("dims", [(0, 1, 2), (1, 4, 2)])
def test_permute_errors_on_invalid_dims(keras, dims):
    with pytest.raises(ValueError, match=r"Invalid permutation .*dims.*"):
        run_layer_test(
            keras, keras.layers.Permute, {"dims": dims}, input_shape=(3, 2, 4)
        )
