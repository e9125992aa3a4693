"""Keras 3's ``layers/regularization/activity_regularization_test.py`` cases, ported."""

from __future__ import annotations

import numpy as np

from tests.conformance_keras import assert_close, run_layer_test


def test_correctness(keras):
    layer = keras.layers.ActivityRegularization(l1=0.2, l2=0.3)
    layer(2 * np.ones((1,)))
    assert len(layer.losses) == 1
    assert_close(layer.losses[0], 4 * 0.3 + 2 * 0.2)


def test_activity_regularization_basics(keras):
    run_layer_test(
        keras,
        keras.layers.ActivityRegularization,
        {"l1": 0.1, "l2": 0.2},
        input_shape=(2, 3),
        input_dtype="float32",
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        expected_num_losses=1,
        supports_masking=True,
    )
    assert keras.layers.ActivityRegularization(l1=0.1).built
