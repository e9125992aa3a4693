"""Keras 3's Adafactor cases (optimizers/adafactor_test.py), ported."""

from __future__ import annotations

import numpy as np
from conformance_keras import assert_close

_ARGS = dict(
    learning_rate=0.5,
    beta_2_decay=-0.65,
    epsilon_1=1e-15,
    epsilon_2=1e-4,
    clip_threshold=0.9,
    relative_step=False,
)


def test_config(keras, cases):
    optimizer = keras.optimizers.Adafactor(**_ARGS)
    o = keras.optimizers
    cases.round_trip(optimizer, o.serialize, o.deserialize)


def test_single_step_1d(keras, cases):
    optimizer = keras.optimizers.Adafactor(learning_rate=0.5)
    cases.single_step(keras, optimizer, [-0.3693, 0.6307, 1.6307, 2.6307])


def test_single_step_2d(keras):
    optimizer = keras.optimizers.Adafactor(learning_rate=0.5)
    grads = np.array([[1.0, 6.0], [7.0, 2.0]], "float32")
    variable = keras.Variable([[1.0, 2.0], [3.0, 4.0]])
    optimizer.apply_gradients(zip([grads], [variable]))
    expected = [[0.7007, -0.0081], [1.2492, 3.4407]]
    assert_close(variable, expected, atol=1e-4, rtol=1e-4)


def test_weight_decay(keras, cases):
    cases.weight_decay(keras, keras.optimizers.Adafactor)


def test_correctness_with_golden(keras, cases):
    golden = [
        [0.55] * 10,
        [
            0.3031,
            0.3026,
            0.3025,
            0.3024,
            0.3024,
            0.3024,
            0.3024,
            0.3024,
            0.3024,
            0.3024,
        ],
        [
            0.1671,
            0.1665,
            0.1663,
            0.1663,
            0.1663,
            0.1663,
            0.1663,
            0.1663,
            0.1663,
            0.1663,
        ],
        [
            0.0923,
            0.0916,
            0.0915,
            0.0914,
            0.0914,
            0.0914,
            0.0914,
            0.0914,
            0.0914,
            0.0914,
        ],
        [
            0.0554,
            0.0548,
            0.0546,
            0.0546,
            0.0546,
            0.0546,
            0.0546,
            0.0545,
            0.0545,
            0.0545,
        ],
    ]
    cases.golden(keras, keras.optimizers.Adafactor(**_ARGS), golden)


def test_clip_norm_and_value(keras, cases):
    cases.clip(keras.optimizers.Adafactor)
