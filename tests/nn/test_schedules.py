"""Learning-rate schedules against their closed forms (computed here in float64)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pipeline.nn import schedules


@pytest.mark.parametrize("staircase", [False, True])
def test_exponential_decay(staircase):
    s = schedules.ExponentialDecay(
        0.1, decay_steps=3, decay_rate=0.7, staircase=staircase
    )
    for step in range(10):
        p = step // 3 if staircase else step / 3
        assert float(s(step)) == pytest.approx(0.1 * 0.7**p, rel=1e-6)
        assert s(step).dtype == np.float32


def test_piecewise_constant_boundaries_are_inclusive_on_the_left_interval():
    s = schedules.PiecewiseConstantDecay([2, 5], [1.0, 0.5, 0.1])
    got = [float(s(i)) for i in range(8)]
    want = [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.1, 0.1]
    np.testing.assert_allclose(got, want, rtol=1e-7)


def test_piecewise_constant_needs_one_more_value():
    with pytest.raises(ValueError, match="1 less than the length"):
        schedules.PiecewiseConstantDecay([1, 2], [1.0, 0.5])


def test_cosine_decay_with_alpha():
    s = schedules.CosineDecay(0.2, decay_steps=10, alpha=0.1)
    for step in range(14):
        frac = min(step, 10) / 10
        want = 0.2 * ((1 - 0.1) * 0.5 * (1 + math.cos(math.pi * frac)) + 0.1)
        assert float(s(step)) == pytest.approx(want, rel=1e-6, abs=1e-8)


def test_cosine_decay_with_warmup():
    s = schedules.CosineDecay(0.0, decay_steps=4, warmup_target=1.0, warmup_steps=2)
    assert [float(s(i)) for i in range(2)] == [0.0, 0.5]
    for step in range(2, 9):
        frac = min(step - 2, 4) / 4
        assert float(s(step)) == pytest.approx(
            0.5 * (1 + math.cos(math.pi * frac)), abs=1e-6
        )


@pytest.mark.parametrize(
    "schedule",
    [
        schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True),
        schedules.PiecewiseConstantDecay([3], [0.1, 0.01]),
        schedules.CosineDecay(0.1, 100, alpha=0.2, warmup_target=0.3, warmup_steps=5),
    ],
)
def test_config_round_trip(schedule):
    again = schedules.deserialize(schedules.serialize(schedule))
    assert type(again) is type(schedule)
    assert again.get_config() == schedule.get_config()
    assert [float(again(i)) for i in range(12)] == [
        float(schedule(i)) for i in range(12)
    ]


def test_keras_config_keys():
    assert schedules.CosineDecay(0.1, 10).get_config() == {
        "initial_learning_rate": 0.1,
        "decay_steps": 10,
        "alpha": 0.0,
        "name": "CosineDecay",
        "warmup_target": None,
        "warmup_steps": 0,
    }
    assert (
        schedules.PiecewiseConstantDecay([2], [1.0, 0.1]).get_config()["name"]
        == "PiecewiseConstant"
    )
    with pytest.raises(ValueError, match="decay_steps"):
        schedules.ExponentialDecay(0.1, 0, 0.5)
