"""Keras 3's ``layers/core/identity_test.py`` cases, ported
(run against both libraries).

The sparse parametrization is out of scope (sparse inputs).
"""

from __future__ import annotations

from tests.conformance_keras import run_layer_test


def test_identity_basics(keras):
    run_layer_test(
        keras,
        keras.layers.Identity,
        {},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        expected_num_losses=0,
        run_training_check=True,
        supports_masking=True,
    )
    assert keras.layers.Identity().built
