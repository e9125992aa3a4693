"""Keras 3's Ftrl cases (optimizers/ftrl_test.py), ported."""

from __future__ import annotations

import re

import pytest

_GOLDEN_ARGS = dict(
    learning_rate=0.05,
    learning_rate_power=-0.2,
    initial_accumulator_value=0.4,
    l1_regularization_strength=0.05,
    l2_regularization_strength=0.15,
    l2_shrinkage_regularization_strength=0.01,
    beta=0.3,
)


def test_config(keras, cases):
    optimizer = keras.optimizers.Ftrl(**_GOLDEN_ARGS)
    o = keras.optimizers
    cases.round_trip(optimizer, o.serialize, o.deserialize)


def test_single_step(keras, cases):
    optimizer = keras.optimizers.Ftrl(learning_rate=0.5)
    cases.single_step(keras, optimizer, [0.2218, 1.3954, 2.3651, 2.8814])


def test_correctness_with_golden(keras, cases):
    golden = [
        [0.0] * 10,
        [
            -0.0034, -0.0077, -0.0118, -0.0157, -0.0194,
            -0.023, -0.0263, -0.0294, -0.0325, -0.0354,
        ],
        [
            -0.0078, -0.0162, -0.0242, -0.0317, -0.0387,
            -0.0454, -0.0516, -0.0575, -0.0631, -0.0685,
        ],
        [
            -0.0121, -0.0246, -0.0363, -0.0472, -0.0573,
            -0.0668, -0.0757, -0.0842, -0.0922, -0.0999,
        ],
        [
            -0.0164, -0.0328, -0.0481, -0.0623, -0.0753,
            -0.0875, -0.099, -0.1098, -0.1201, -0.1299,
        ],
    ]  # fmt: skip
    cases.golden(keras, keras.optimizers.Ftrl(**_GOLDEN_ARGS), golden)


def test_clip_norm_and_value(keras, cases):
    cases.clip(keras.optimizers.Ftrl)


@pytest.mark.parametrize(
    ("arg", "value", "sign"),
    [
        ("initial_accumulator_value", -0.1, "positive"),
        ("learning_rate_power", 0.1, "negative"),
        ("l1_regularization_strength", -0.1, "positive"),
        ("l2_regularization_strength", -0.1, "positive"),
        ("l2_shrinkage_regularization_strength", -0.1, "positive"),
    ],
)
def test_invalid_arguments(keras, arg, value, sign):
    message = f"`{arg}` needs to be {sign} or zero. Received: {arg}={value}."
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        keras.optimizers.Ftrl(**{arg: value})
