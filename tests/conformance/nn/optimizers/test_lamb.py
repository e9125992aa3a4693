"""Keras 3's Lamb cases (optimizers/lamb_test.py), ported."""

from __future__ import annotations

import numpy as np


def test_config(keras, cases):
    optimizer = keras.optimizers.Lamb(
        learning_rate=0.5, beta_1=0.5, beta_2=0.67, epsilon=1e-5
    )
    # Keras's ``optimizers.deserialize`` does not list Lamb (it hands back the
    # name), so the config goes through JSON and ``from_config`` instead
    cases.round_trip(optimizer, None, None)


def test_single_step(keras, cases):
    optimizer = keras.optimizers.Lamb(learning_rate=0.5)
    cases.single_step(keras, optimizer, [-0.3693, 0.6306, 1.6306, 2.6306])


def test_weight_decay(keras, cases):
    cases.weight_decay(keras, keras.optimizers.Lamb)


def test_correctness_with_golden(keras, cases):
    golden = np.tile([[0.999], [0.9982], [0.9974], [0.9965], [0.9955]], (1, 10))
    cases.golden(keras, keras.optimizers.Lamb(), golden, "float32")


def test_clip_norm_and_value(keras, cases):
    cases.clip(keras.optimizers.Lamb)
