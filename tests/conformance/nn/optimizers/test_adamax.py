"""Keras 3's Adamax cases (optimizers/adamax_test.py), ported."""

from __future__ import annotations


def test_config(keras, cases):
    optimizer = keras.optimizers.Adamax(
        learning_rate=0.5, beta_1=0.8, beta_2=0.95, epsilon=1e-5
    )
    o = keras.optimizers
    cases.round_trip(optimizer, o.serialize, o.deserialize)


def test_single_step(keras, cases):
    optimizer = keras.optimizers.Adamax(learning_rate=0.5)
    cases.single_step(keras, optimizer, [0.5, 1.5, 2.5, 3.5])


def test_weight_decay(keras, cases):
    cases.weight_decay(keras, keras.optimizers.Adamax)


def test_correctness_with_golden(keras, cases):
    golden = [
        [0.8] * 10,
        [0.6827, 0.6873, 0.6888, 0.6896, 0.6901, 0.6904, 0.6906, 0.6908, 0.6909, 0.691],
        [0.5333, 0.5407, 0.5431, 0.5444, 0.5451, 0.5456, 0.546, 0.5462, 0.5464, 0.5466],
        [0.368, 0.3773, 0.3804, 0.382, 0.3829, 0.3835, 0.384, 0.3843, 0.3846, 0.3848],
        [0.1933, 0.204, 0.2076, 0.2094, 0.2105, 0.2112, 0.2117, 0.2121, 0.2124, 0.2126],
    ]
    optimizer = keras.optimizers.Adamax(
        learning_rate=0.2, beta_1=0.85, beta_2=0.95, epsilon=1e-6
    )
    cases.golden(keras, optimizer, golden, "float32")


def test_clip_norm_and_value(keras, cases):
    cases.clip(keras.optimizers.Adamax)
