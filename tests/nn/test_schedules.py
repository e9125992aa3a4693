"""Learning-rate schedules against their closed forms (computed here in float64)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pipeline.nn import optimizers, schedules


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
        schedules.PolynomialDecay(0.1, 7, 0.01, power=2.0, cycle=True, name="p"),
        schedules.InverseTimeDecay(0.1, 3, 0.5, staircase=True),
        schedules.CosineDecayRestarts(0.1, 4, t_mul=1.5, m_mul=0.8, alpha=0.1),
    ],
    ids=lambda s: type(s).__name__,
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


def test_polynomial_decay_closed_form():
    s = schedules.PolynomialDecay(0.5, 8, end_learning_rate=0.1, power=3.0)
    for step in range(12):
        frac = min(step, 8) / 8
        want = (0.5 - 0.1) * (1 - frac) ** 3 + 0.1
        assert float(s(step)) == pytest.approx(want, rel=1e-6)
        assert s(step).dtype == np.float32


def test_polynomial_decay_cycle_stretches_to_the_next_multiple():
    s = schedules.PolynomialDecay(1.0, 4, end_learning_rate=0.0, cycle=True)
    # step 6 lies in the second period: decay_steps becomes 8, so 1 - 6/8
    assert float(s(6)) == pytest.approx(0.25)
    assert float(s(8)) == pytest.approx(0.0)
    assert float(s(9)) == pytest.approx(1 - 9 / 12)


def test_inverse_time_decay_closed_form():
    smooth = schedules.InverseTimeDecay(2.0, 4, 0.5)
    stairs = schedules.InverseTimeDecay(2.0, 4, 0.5, staircase=True)
    for step in range(10):
        assert float(smooth(step)) == pytest.approx(2.0 / (1 + 0.5 * step / 4))
        assert float(stairs(step)) == pytest.approx(2.0 / (1 + 0.5 * (step // 4)))


def test_cosine_decay_restarts_periods_and_peaks():
    s = schedules.CosineDecayRestarts(1.0, 2, t_mul=3.0, m_mul=0.5)
    # periods: [0, 2), [2, 8), [8, 26); peaks 1, 0.5, 0.25
    assert float(s(0)) == pytest.approx(1.0)
    assert float(s(2)) == pytest.approx(0.5)
    assert float(s(5)) == pytest.approx(0.5 * 0.5 * (1 + math.cos(math.pi * 0.5)))
    assert float(s(8)) == pytest.approx(0.25)


@pytest.mark.parametrize(
    ("make", "argument"),
    [
        (lambda: schedules.PolynomialDecay(0.1, 0), "decay_steps"),
        (lambda: schedules.InverseTimeDecay(0.1, -1, 0.5), "decay_steps"),
        (lambda: schedules.CosineDecayRestarts(0.1, 0), "first_decay_steps"),
    ],
)
def test_step_counts_must_be_positive(make, argument):
    with pytest.raises(ValueError, match=f"Argument `{argument}` must be > 0"):
        make()


def test_new_schedules_keras_config_keys():
    assert schedules.PolynomialDecay(0.1, 10).get_config() == {
        "initial_learning_rate": 0.1,
        "decay_steps": 10,
        "end_learning_rate": 0.0001,
        "power": 1.0,
        "cycle": False,
        "name": "PolynomialDecay",
    }
    assert schedules.CosineDecayRestarts(0.1, 10).get_config() == {
        "initial_learning_rate": 0.1,
        "first_decay_steps": 10,
        "t_mul": 2.0,
        "m_mul": 1.0,
        "alpha": 0.0,
        "name": "SGDRDecay",
    }
    assert schedules.InverseTimeDecay(0.1, 10, 0.5).get_config()["name"] == (
        "InverseTimeDecay"
    )


def test_keras_path_names_the_same_classes():
    from pipeline.nn.optimizers import schedules as keras_path

    for name in schedules.__all__:
        assert getattr(keras_path, name) is getattr(schedules, name)


def test_schedule_initial_rate_may_be_the_optimizer_rate():
    adam = optimizers.Adam(0.01)
    adam.learning_rate = schedules.PolynomialDecay(adam.learning_rate, 4, 0.0)
    assert len(adam.variables) == 1
    assert float(adam.learning_rate) == pytest.approx(0.01)


def test_optimizer_with_a_new_schedule_survives_save_and_load(tmp_path):
    import pipeline as pl

    model = pl.nn.Sequential([pl.nn.layers.Dense(1)])
    rate = schedules.CosineDecayRestarts(0.1, 3, t_mul=1.0)
    model.compile(optimizers.SGD(rate), "mse")
    model.fit(np.ones((4, 2), np.float32), np.ones((4, 1), np.float32), verbose=0)
    model.save(tmp_path / "m.keras")
    again = pl.nn.load_model(tmp_path / "m.keras")
    restored = again.optimizer._learning_rate
    assert type(restored) is schedules.CosineDecayRestarts
    assert restored.get_config() == rate.get_config()
    assert int(again.optimizer.iterations) == int(model.optimizer.iterations)
