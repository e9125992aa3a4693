"""Keras 3's Adadelta cases (optimizers/adadelta_test.py), ported."""

from __future__ import annotations

import numpy as np


def test_config(keras, cases):
    optimizer = keras.optimizers.Adadelta(learning_rate=0.5, rho=0.9, epsilon=1e-5)
    o = keras.optimizers
    cases.round_trip(optimizer, o.serialize, o.deserialize)


def test_single_step(keras, cases):
    optimizer = keras.optimizers.Adadelta(learning_rate=0.5)
    cases.single_step(keras, optimizer, [0.9993, 1.9993, 2.9993, 3.9993])


def test_weight_decay(keras, cases):
    cases.weight_decay(keras, keras.optimizers.Adadelta)


def test_correctness_with_golden(keras, cases):
    golden = np.tile([[0.9978], [0.9947], [0.9915], [0.9882], [0.9849]], (1, 10))
    optimizer = keras.optimizers.Adadelta(learning_rate=1.0, rho=0.8, epsilon=1e-6)
    cases.golden(keras, optimizer, golden)


def test_clip_norm_and_value(keras, cases):
    cases.clip(keras.optimizers.Adadelta)
