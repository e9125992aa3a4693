"""Keras 3's Lion cases (optimizers/lion_test.py), ported."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.mark.parametrize("beta_1", [-0.1, 0.0, 1.1])
def test_invalid_beta_1(keras, beta_1):
    with pytest.raises(
        ValueError,
        match=r"Argument `beta_1` must be in the \[0, 1\] range. Otherwise, the "
        rf"optimizer degenerates to SignSGD. Received: beta_1={beta_1}.",
    ):
        keras.optimizers.Lion(beta_1=beta_1)


def test_config(keras, cases):
    optimizer = keras.optimizers.Lion(learning_rate=0.5, beta_1=0.5, beta_2=0.67)
    o = keras.optimizers
    cases.round_trip(optimizer, o.serialize, o.deserialize)


def test_single_step(keras, cases):
    optimizer = keras.optimizers.Lion(learning_rate=0.5)
    cases.single_step(keras, optimizer, [0.5, 1.5, 2.5, 3.5])


def test_weight_decay(keras, cases):
    cases.weight_decay(keras, keras.optimizers.Lion)


def test_correctness_with_golden(keras, cases):
    golden = np.tile([[0.999], [0.998], [0.997], [0.996], [0.995]], (1, 10))
    cases.golden(keras, keras.optimizers.Lion(), golden)


def test_clip_norm_and_value(keras, cases):
    cases.clip(keras.optimizers.Lion)


def test_ema_in_fit(keras):
    model = keras.Sequential([keras.layers.Dense(10)])
    model.compile(optimizer=keras.optimizers.Lion(use_ema=True), loss="mse")
    history = model.fit(
        np.zeros((1, 5), "float32"), np.zeros((1, 10), "float32"), verbose=0
    )
    assert np.isfinite(history.history["loss"][-1])
