"""Optimizer API: Variables, schedules, settable rate, state save/restore, get."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.nn import optimizers, schedules
from pipeline.nn.tensor import Tensor, Variable


def _grads(step: int) -> list[np.ndarray]:
    rng = np.random.default_rng(step)
    return [
        rng.normal(size=(3, 2)).astype(np.float32),
        rng.normal(size=2).astype(np.float32),
    ]


def _variables() -> list[Variable]:
    return [
        Variable(np.ones((3, 2), np.float32), name="k"),
        Variable(np.zeros(2, np.float32), name="b"),
    ]


def test_updates_pipeline_variables_and_accepts_tensors():
    k, b = _variables()
    optimizers.SGD(0.5).apply_gradients(
        [(Tensor(np.ones((3, 2), np.float32)), k), (np.ones(2, np.float32), b)]
    )
    np.testing.assert_array_equal(k.numpy(), np.full((3, 2), 0.5, np.float32))
    np.testing.assert_array_equal(b.numpy(), np.full(2, -0.5, np.float32))
    assert k.dtype == np.float32


@pytest.mark.parametrize(
    "name", ["sgd", "adam", "adagrad", "adadelta", "rmsprop", "ftrl"]
)
def test_state_round_trip_resumes_exactly(name):
    straight = optimizers.get({"class_name": name, "config": {"learning_rate": 0.05}})
    svars = _variables()
    for s in range(4):
        straight.apply(_grads(s), svars)

    first = optimizers.get({"class_name": name, "config": {"learning_rate": 0.05}})
    rvars = _variables()
    for s in range(2):
        first.apply(_grads(s), rvars)
    store: dict = {}
    first.save_own_variables(store)
    second = type(first).from_config(first.get_config())
    second.build(rvars)
    second.load_own_variables(store)
    for s in range(2, 4):
        second.apply(_grads(s), rvars)
    assert int(second.iterations) == 4
    for a, b in zip(svars, rvars):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_load_before_build_says_what_to_do():
    opt = optimizers.Adam()
    with pytest.raises(ValueError, match="Build the optimizer"):
        opt.load_own_variables({str(i): np.zeros(1) for i in range(6)})


def test_schedule_drives_the_rate_by_iterations():
    sched = schedules.PiecewiseConstantDecay([1], [1.0, 0.5])
    opt = optimizers.SGD(sched)
    w = np.zeros(1, np.float32)
    for _ in range(3):
        opt.apply([np.ones(1, np.float32)], [w])
    # steps 0 and 1 use 1.0, step 2 uses 0.5
    assert w.tolist() == [-2.5]
    assert float(opt.learning_rate) == 0.5
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.1
    assert opt.get_config()["learning_rate"]["class_name"] == "PiecewiseConstantDecay"
    again = optimizers.SGD.from_config(opt.get_config())
    assert isinstance(again._learning_rate, schedules.PiecewiseConstantDecay)


def test_learning_rate_is_settable_and_float32():
    opt = optimizers.Adam(0.1)
    opt.learning_rate = 0.3
    assert opt.get_config()["learning_rate"] == float(np.float32(0.3))
    assert float(np.asarray(opt.learning_rate)) == np.float32(0.3)


def test_callable_learning_rate():
    opt = optimizers.SGD(lambda: 2.0)
    w = np.zeros(1, np.float32)
    opt.apply([np.ones(1, np.float32)], [w])
    assert w.tolist() == [-2.0]


def test_only_one_clipping_option():
    with pytest.raises(ValueError, match="Only one of `clipnorm`"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)


def test_rejects_unknown_arguments_and_bad_rate():
    with pytest.raises(ValueError, match="not recognized"):
        optimizers.Adam(bogus=1)
    with pytest.raises(ValueError, match="learning_rate"):
        optimizers.Adam(learning_rate="fast")


def test_get_resolves_names_dicts_and_instances():
    assert isinstance(optimizers.get("Adam"), optimizers.Adam)
    opt = optimizers.RMSprop()
    assert optimizers.get(opt) is opt
    assert optimizers.get(optimizers.serialize(opt)).get_config()["rho"] == 0.9
    with pytest.raises(ValueError, match="Could not interpret optimizer"):
        optimizers.get("nope")


def test_none_gradients_are_skipped_with_a_warning():
    k, b = _variables()
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        optimizers.SGD(1.0).apply([np.ones((3, 2), np.float32), None], [k, b])
    np.testing.assert_array_equal(b.numpy(), np.zeros(2))
    with pytest.raises(ValueError, match="No gradients provided"):
        optimizers.SGD(1.0).apply([None, None], [k, b])


def test_weight_decay_before_the_update():
    w = np.full(1, 2.0, np.float32)
    optimizers.SGD(0.5, weight_decay=0.1).apply([np.ones(1, np.float32)], [w])
    assert w.tolist() == [np.float32(2.0 - 2.0 * 0.05 - 0.5)]


def test_variables_order_and_names():
    opt = optimizers.Adam(name="opt")
    opt.build(_variables())
    names = [v.name for v in opt.variables]
    assert names == [
        "opt/iteration",
        "opt/learning_rate",
        "opt/k_momentum",
        "opt/k_velocity",
        "opt/b_momentum",
        "opt/b_velocity",
    ]


def test_auto_names_are_unique_snake_case():
    a, b = optimizers.RMSprop(), optimizers.RMSprop()
    assert a.name.startswith("rm_sprop") and a.name != b.name
