"""Keras 3's RMSprop cases (optimizers/rmsprop_test.py), ported."""

from __future__ import annotations

import numpy as np


def test_config(keras, cases):
    optimizer = keras.optimizers.RMSprop(
        learning_rate=0.5, rho=0.8, momentum=0.05, epsilon=1e-6, centered=True
    )
    o = keras.optimizers
    cases.round_trip(optimizer, o.serialize, o.deserialize)


def test_single_step(keras, cases):
    optimizer = keras.optimizers.RMSprop(learning_rate=0.5)
    cases.single_step(keras, optimizer, [-0.5811, 0.4189, 1.4189, 2.4189])


def test_weight_decay(keras, cases):
    cases.weight_decay(keras, keras.optimizers.RMSprop)


def test_correctness_with_golden(keras, cases):
    golden = np.tile([[0.9967], [0.9933], [0.9908], [0.9885], [0.9864]], (1, 10))
    cases.golden(keras, keras.optimizers.RMSprop(centered=True), golden)


def test_clip_norm_and_value(keras, cases):
    cases.clip(keras.optimizers.RMSprop)
