"""Keras 3's SGD cases (optimizers/sgd_test.py), ported."""

from __future__ import annotations

import pytest
from conformance_keras import to_array


def test_config(keras, cases):
    optimizer = keras.optimizers.SGD(
        learning_rate=0.5, momentum=0.06, nesterov=True, weight_decay=0.004
    )
    o = keras.optimizers
    cases.round_trip(optimizer, o.serialize, o.deserialize)


def test_single_step(keras, cases):
    optimizer = keras.optimizers.SGD(learning_rate=0.5)
    assert len(optimizer.variables) == 2
    cases.single_step(keras, optimizer, [0.5, -1.0, -0.5, 3.0], build=True)
    assert len(optimizer.variables) == 2
    assert to_array(optimizer.variables[0]) == 1
    assert to_array(optimizer.variables[1]) == 0.5


@pytest.mark.parametrize("momentum", [-1.0, 2.0])
def test_invalid_momentum(keras, momentum):
    with pytest.raises(
        ValueError, match=r"`momentum` must be a float between \[0, 1\]."
    ):
        keras.optimizers.SGD(momentum=momentum)


def test_weight_decay(keras, cases):
    cases.weight_decay(keras, keras.optimizers.SGD)


def test_correctness_with_golden(keras, cases):
    golden = [
        [0.9999] * 10,
        [
            0.9989,
            0.9979,
            0.9969,
            0.9959,
            0.9949,
            0.9939,
            0.9929,
            0.9919,
            0.9909,
            0.9899,
        ],
        [
            0.9979,
            0.9959,
            0.9939,
            0.9919,
            0.9899,
            0.9879,
            0.9859,
            0.9839,
            0.9819,
            0.9799,
        ],
        [
            0.9969,
            0.9939,
            0.9909,
            0.9879,
            0.9849,
            0.9819,
            0.9789,
            0.9759,
            0.9729,
            0.9699,
        ],
        [
            0.9959,
            0.9919,
            0.9879,
            0.9839,
            0.9799,
            0.9759,
            0.9719,
            0.9679,
            0.9639,
            0.9599,
        ],
    ]
    cases.golden(keras, keras.optimizers.SGD(nesterov=True), golden)


def test_clip_norm_and_value(keras, cases):
    cases.clip(keras.optimizers.SGD)
