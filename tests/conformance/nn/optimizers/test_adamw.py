"""Keras 3's AdamW cases (optimizers/adamw_test.py), ported."""

from __future__ import annotations

import pytest


def test_config(keras, cases):
    optimizer = keras.optimizers.AdamW(
        learning_rate=0.5,
        weight_decay=0.008,
        beta_1=0.5,
        beta_2=0.67,
        epsilon=1e-5,
        amsgrad=True,
    )
    o = keras.optimizers
    cases.round_trip(optimizer, o.serialize, o.deserialize)


def test_single_step(keras, cases):
    optimizer = keras.optimizers.AdamW(learning_rate=0.5)
    cases.single_step(keras, optimizer, [0.4980, 1.4960, 2.494, 3.492])


def test_weight_decay(keras, cases):
    cases.weight_decay(keras, keras.optimizers.AdamW)


def test_weight_decay_is_none(keras):
    with pytest.raises(
        ValueError,
        match="Argument `weight_decay` must be a float. Received: weight_decay=None",
    ):
        keras.optimizers.AdamW(learning_rate=1.0, weight_decay=None)


def test_correctness_with_golden(keras, cases):
    golden = [
        [0.4998] * 10,
        [0.2486, 0.2475, 0.2463, 0.2451, 0.244, 0.2428, 0.2417, 0.2405, 0.2394, 0.2382],
        [0.1223, 0.1198, 0.1174, 0.1149, 0.1124, 0.11, 0.1075, 0.1051, 0.1027, 0.1003],
        [0.0586, 0.0549, 0.0512, 0.0475, 0.0439, 0.0402, 0.0366, 0.033, 0.0294, 0.0258],
        [
            0.0263, 0.0215, 0.0167, 0.012, 0.0073,
            0.0026, -0.0021, -0.0067, -0.0113, -0.0159,
        ],
    ]  # fmt: skip
    optimizer = keras.optimizers.AdamW(learning_rate=1.0, weight_decay=0.5, epsilon=2)
    cases.golden(keras, optimizer, golden, "float32")


def test_clip_norm_and_value(keras, cases):
    cases.clip(keras.optimizers.AdamW)
