"""Keras 3's learning-rate schedule cases (optimizers/schedules), ported.

Each case states the closed form the schedule must follow, computed here in
float64 from the arguments, and compares within Keras's own tolerances.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conformance_keras import assert_close, to_array


def _close(actual, expected, tol=1e-6):
    assert_close(actual, expected, atol=tol, rtol=tol)


def _round_trip(keras, serialization_round_trip, schedule):
    s = keras.optimizers.schedules
    return serialization_round_trip(schedule, s.serialize, s.deserialize)


# ------------------------------------------------------------- fit with a schedule


def test_fit_with_exponential_decay_matches_keras_losses(keras):
    model = keras.Sequential(
        [keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="ones")]
    )
    schedule = keras.optimizers.schedules.ExponentialDecay(
        initial_learning_rate=0.05, decay_steps=1, decay_rate=0.9
    )
    optimizer = keras.optimizers.Adam(learning_rate=schedule)
    assert len(optimizer.variables) == 1  # iterations only: no rate variable
    assert int(to_array(optimizer.variables[0])) == 0
    model.compile(optimizer=optimizer, loss="mse")
    x = np.arange(32).reshape((16, 2))
    y = np.arange(32).reshape((16, 2))
    history = model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0)
    assert int(to_array(optimizer.variables[0])) == 4 * 3
    np.testing.assert_allclose(
        history.history["loss"],
        [230.79457092285156, 128.30319213867188, 79.33648681640625],
        rtol=5e-5,
    )


# ---------------------------------------------------------------- ExponentialDecay


def test_exponential_decay_config(keras, serialization_round_trip):
    schedule = keras.optimizers.schedules.ExponentialDecay(
        initial_learning_rate=0.05,
        decay_steps=10,
        decay_rate=0.96,
        staircase=True,
        name="my_ed",
    )
    _round_trip(keras, serialization_round_trip, schedule)


def test_exponential_decay_continuous(keras):
    decayed = keras.optimizers.schedules.ExponentialDecay(0.05, 10, 0.96)
    _close(decayed(5), 0.05 * 0.96 ** (5.0 / 10.0))


def test_exponential_decay_staircase_on_a_variable_step(keras):
    step = keras.Variable(1.0)
    decayed = keras.optimizers.schedules.ExponentialDecay(0.1, 3, 0.96, staircase=True)
    _close(decayed(step), 0.1)
    step.assign(2)
    _close(decayed(step), 0.1)
    step.assign(100)
    _close(decayed(step), 0.1 * 0.96 ** (100 // 3))


def test_exponential_decay_follows_variable_assignments(keras):
    step = keras.Variable(1.0)
    decayed = keras.optimizers.schedules.ExponentialDecay(0.1, 3, 0.96, staircase=True)
    step.assign(1)
    _close(decayed(step), 0.1)
    step.assign(2)
    _close(decayed(step), 0.1)
    step.assign(100)
    _close(decayed(step), 0.1 * 0.96 ** (100 // 3))


# ---------------------------------------------------------- PiecewiseConstantDecay


def test_piecewise_constant_config(keras, serialization_round_trip):
    schedule = keras.optimizers.schedules.PiecewiseConstantDecay(
        boundaries=[10, 20], values=[1, 2, 3], name="my_pcd"
    )
    _round_trip(keras, serialization_round_trip, schedule)


def test_piecewise_constant_values(keras):
    x = keras.Variable(-999.0)
    decayed = keras.optimizers.schedules.PiecewiseConstantDecay(
        [100, 110, 120], [1.0, 0.1, 0.01, 0.001]
    )
    _close(decayed(x), 1.0)
    for step, want in [(100, 1.0), (105, 0.1), (110, 0.1), (120, 0.01), (999, 0.001)]:
        x.assign(step)
        _close(decayed(x), want)


def test_piecewise_constant_int64_step(keras):
    x = keras.Variable(0, dtype="int64", trainable=False)
    decayed = keras.optimizers.schedules.PiecewiseConstantDecay(
        [1, 2, 3], [0.4, 0.5, 0.6, 0.7]
    )
    _close(decayed(x), 0.4)
    for step, want in [(1, 0.4), (2, 0.5), (3, 0.6), (4, 0.7)]:
        x.assign(step)
        _close(decayed(x), want)


# ----------------------------------------------------------------- PolynomialDecay


def test_polynomial_decay_config(keras, serialization_round_trip):
    schedule = keras.optimizers.schedules.PolynomialDecay(
        initial_learning_rate=0.1,
        decay_steps=100,
        end_learning_rate=0.005,
        power=1.0,
        cycle=False,
        name="my_ld",
    )
    _round_trip(keras, serialization_round_trip, schedule)


@pytest.mark.parametrize(
    ("step", "end_lr", "power", "cycle", "fraction"),
    [
        (5, 0.0, 1.0, False, 0.5),  # linear, halfway
        (10, 0.001, 1.0, False, 0.0),  # linear, at the end
        (5, 0.001, 1.0, False, 0.5),  # linear, halfway with an end rate
        (15, 0.001, 1.0, False, 0.0),  # linear, past the end: stays at end_lr
        (15, 0.001, 1.0, True, 0.25),  # linear, cycling: period doubles to 20
        (5, 0.0, 0.5, False, 0.5),  # sqrt, halfway
        (10, 0.001, 0.5, False, 0.0),  # sqrt, at the end
        (5, 0.001, 0.5, False, 0.5),  # sqrt, halfway with an end rate
        (15, 0.001, 0.5, False, 0.0),  # sqrt, past the end
        (15, 0.001, 0.5, True, 0.25),  # sqrt, cycling
    ],
)
def test_polynomial_decay_values(keras, step, end_lr, power, cycle, fraction):
    lr = 0.05
    decayed = keras.optimizers.schedules.PolynomialDecay(
        lr, 10, end_lr, power=power, cycle=cycle
    )
    _close(decayed(step), (lr - end_lr) * fraction**power + end_lr)


def test_polynomial_decay_cycle_starts_at_the_initial_rate(keras):
    decayed = keras.optimizers.schedules.PolynomialDecay(0.001, 10, cycle=True)
    _close(decayed(0), 0.001)


# ---------------------------------------------------------------- InverseTimeDecay


def test_inverse_time_decay_config(keras, serialization_round_trip):
    schedule = keras.optimizers.schedules.InverseTimeDecay(
        initial_learning_rate=0.05,
        decay_steps=10,
        decay_rate=0.96,
        staircase=True,
        name="my_itd",
    )
    _round_trip(keras, serialization_round_trip, schedule)


@pytest.mark.parametrize("staircase", [False, True])
def test_inverse_time_decay(keras, staircase):
    k, rate = 10, 0.96
    step = keras.Variable(0.0)
    decayed = keras.optimizers.schedules.InverseTimeDecay(
        0.1, k, rate, staircase=staircase
    )
    for i in range(k + 1):
        p = i // k if staircase else i / k
        _close(decayed(step), 0.1 / (1 + rate * p))
        step.assign(step + 1)


# --------------------------------------------------------------------- CosineDecay


def _cosine(step, decay_steps, alpha=0.0):
    fraction = min(step, decay_steps) / decay_steps
    return (1.0 - alpha) * 0.5 * (1.0 + math.cos(math.pi * fraction)) + alpha


def _warmup(step, warmup_steps, initial_lr, target_lr):
    return step / warmup_steps * (target_lr - initial_lr)


def test_cosine_decay_config(keras, serialization_round_trip):
    schedule = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=0.05,
        decay_steps=10,
        alpha=0.1,
        warmup_target=0.2,
        warmup_steps=2,
        name="my_cd",
    )
    _round_trip(keras, serialization_round_trip, schedule)


@pytest.mark.parametrize("initial", [1.0, np.float64(1.0)])
def test_cosine_decay(keras, initial):
    for step in range(0, 1500, 250):
        decayed = keras.optimizers.schedules.CosineDecay(initial, 1000)
        _close(decayed(step), _cosine(step, 1000))


def test_cosine_decay_warmup(keras):
    for step in range(0, 1500, 250):
        lr = keras.optimizers.schedules.CosineDecay(
            0.0, 10, warmup_target=10.0, warmup_steps=1500
        )
        _close(lr(step), _warmup(step, 1500, 0.0, 10.0))


def test_cosine_decay_alpha(keras):
    for step in range(0, 1500, 250):
        decayed = keras.optimizers.schedules.CosineDecay(1.0, 1000, 0.1)
        _close(decayed(step), _cosine(step, 1000, 0.1))


def test_cosine_decay_warmup_then_decay(keras):
    for step in range(0, 3000, 250):
        lr = keras.optimizers.schedules.CosineDecay(
            0.0, 1000, warmup_target=10.0, warmup_steps=2000
        )
        if step < 2001:
            expected = _warmup(step, 2000, 0.0, 10.0)
        else:
            expected = 10.0 * _cosine(step - 2000, 1000)
        _close(lr(step), expected)


# ------------------------------------------------------------- CosineDecayRestarts


def _restarts(step, decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0):
    factor = 1.0
    while step >= decay_steps:
        step -= decay_steps
        decay_steps *= t_mul
        factor *= m_mul
    decay = factor * 0.5 * (1.0 + math.cos(math.pi * step / decay_steps))
    return (1.0 - alpha) * decay + alpha


def test_cosine_decay_restarts_config(keras, serialization_round_trip):
    schedule = keras.optimizers.schedules.CosineDecayRestarts(
        initial_learning_rate=0.05,
        first_decay_steps=10,
        alpha=0.1,
        t_mul=3.0,
        m_mul=4.0,
        name="my_cdr",
    )
    _round_trip(keras, serialization_round_trip, schedule)


@pytest.mark.parametrize("initial", [1.0, np.float64(1.0)])
def test_cosine_decay_restarts(keras, initial):
    for step in range(0, 1500, 250):
        decayed = keras.optimizers.schedules.CosineDecayRestarts(initial, 1000)
        _close(decayed(step), _restarts(step, 1000))


@pytest.mark.parametrize(
    "kwargs", [{"alpha": 0.1}, {"m_mul": 0.9}, {"t_mul": 1.0}], ids=str
)
def test_cosine_decay_restarts_options(keras, kwargs):
    for step in range(0, 1500, 250):
        decayed = keras.optimizers.schedules.CosineDecayRestarts(1.0, 1000, **kwargs)
        _close(decayed(step), _restarts(step, 1000, **kwargs))
