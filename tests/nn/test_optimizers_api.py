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
    "name",
    [
        "sgd",
        "adam",
        "adagrad",
        "adadelta",
        "rmsprop",
        "ftrl",
        "adamax",
        "nadam",
        "lion",
        "lamb",
        "adafactor",
        "muon",
    ],
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


def test_weight_decay_before_the_update():  # (v·wd)·lr, then the step
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


# Recorded once from TensorFlow 2.21 / Keras 3.15.1: three steps of the
# gradients below on the variable V0.
_V0 = [
    [0.0341927669942379, 1.3597475290298462],
    [1.224721074104309, -0.5103070735931396],
    [-0.2979695200920105, -0.5273842215538025],
]  # noqa: E501
_GS = [
    [
        [0.5697263479232788, -0.056064438074827194],
        [0.7468855977058411, -1.8473248481750488],
        [1.5665488243103027, -0.0964321568608284],
    ],
    [
        [0.6803784370422363, -0.13656634092330933],
        [-0.3790985643863678, 0.46311014890670776],
        [0.8245135545730591, -0.2025298774242401],
    ],
    [
        [-0.15278618037700653, 0.6856986284255981],
        [-0.8703406453132629, -1.5143835544586182],
        [0.39498186111450195, -0.6705658435821533],
    ],
]  # noqa: E501
_WD = {
    "sgd_wd": [
        [-0.07514094561338425, 1.2900220155715942],
        [1.257252812385559, -0.21444198489189148],
        [-0.5701518654823303, -0.422757625579834],
    ],  # noqa: E501
    "adamw": [
        [0.007644656114280224, 1.374298095703125],
        [1.215179204940796, -0.48874393105506897],
        [-0.32580915093421936, -0.49931299686431885],
    ],  # noqa: E501
    "adamw_sched": [
        [0.017503777518868446, 1.3708958625793457],
        [1.21208655834198, -0.4953746795654297],
        [-0.3142577111721039, -0.5095688700675964],
    ],  # noqa: E501
}


@pytest.mark.parametrize("case", sorted(_WD))
def test_weight_decay_matches_tensorflow(case):
    opt = {
        "sgd_wd": lambda: optimizers.SGD(0.1, weight_decay=0.05),
        "adamw": lambda: optimizers.AdamW(0.01),
        "adamw_sched": lambda: optimizers.AdamW(
            schedules.ExponentialDecay(0.01, 1, 0.5), weight_decay=0.1
        ),
    }[case]()
    v = Variable(np.array(_V0, np.float32))
    for g in _GS:
        opt.apply_gradients([(np.array(g, np.float32), v)])
    np.testing.assert_allclose(v.numpy(), _WD[case], rtol=1e-5, atol=1e-6)


def test_adamw_config_like_keras():
    config = optimizers.AdamW().get_config()
    assert config["weight_decay"] == 0.004 and config["learning_rate"] == float(
        np.float32(0.001)
    )
    assert isinstance(optimizers.get("adamw"), optimizers.AdamW)
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.AdamW(weight_decay=None)
