"""Keras 3's Adagrad cases (optimizers/adagrad_test.py), ported."""

from __future__ import annotations


def test_config(keras, cases):
    optimizer = keras.optimizers.Adagrad(
        learning_rate=0.5, initial_accumulator_value=0.2, epsilon=1e-5
    )
    o = keras.optimizers
    cases.round_trip(optimizer, o.serialize, o.deserialize)


def test_single_step(keras, cases):
    optimizer = keras.optimizers.Adagrad(learning_rate=0.5)
    cases.single_step(keras, optimizer, [0.5233, 1.5007, 2.5005, 3.5061])


def test_weight_decay(keras, cases):
    cases.weight_decay(keras, keras.optimizers.Adagrad)


def test_correctness_with_golden(keras, cases):
    golden = [
        [0.9963] * 10,
        [
            0.9604,
            0.9278,
            0.9003,
            0.8784,
            0.8615,
            0.8487,
            0.8388,
            0.8313,
            0.8255,
            0.8209,
        ],
        [0.9251, 0.8629, 0.8137, 0.7768, 0.7497, 0.7298, 0.7151, 0.704, 0.6956, 0.6891],
        [0.8903, 0.8012, 0.7342, 0.6862, 0.6521, 0.6277, 0.6099, 0.5967, 0.5867, 0.579],
        [0.856, 0.7422, 0.6604, 0.6037, 0.5644, 0.5367, 0.5168, 0.5021, 0.491, 0.4825],
    ]
    optimizer = keras.optimizers.Adagrad(
        learning_rate=0.2, initial_accumulator_value=0.3, epsilon=1e-6
    )
    cases.golden(keras, optimizer, golden)


def test_clip_norm_and_value(keras, cases):
    cases.clip(keras.optimizers.Adagrad)
