"""Fused optimizer kernels: compiled vs numpy twin vs the optimizers' array rules.

Every comparison is bit-for-bit (NaN equal to NaN), on random values including
zeros, huge, tiny and non-finite entries, in float32 and float64.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import _kernels
from pipeline.nn import optimizers
from pipeline.nn.optimizers import _fused

ref = _kernels.reference("optim")
nat = importlib.import_module("pipeline._native.optim")

_SPECIAL = [0.0, -0.0, 1e30, -1e30, 1e-30, np.inf, -np.inf, np.nan]


@st.composite
def arrays(draw, n_slots):
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    n = draw(st.integers(0, 40))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)

    def one(positive=False):
        a = rng.normal(scale=draw(st.sampled_from([1e-3, 1.0, 1e3])), size=n)
        if n and draw(st.booleans()):
            a[rng.integers(0, n)] = _SPECIAL[rng.integers(0, len(_SPECIAL))]
        return (np.abs(a) if positive else a).astype(dtype)

    var, grad = one(), one()
    slots = [one(positive=(i == 1)) for i in range(n_slots)]
    return dtype, var, grad, slots


def _both(kernel, var, grad, slots, *scalars):
    outs = []
    for module in (ref, nat):
        out = np.empty_like(var)
        copies = [s.copy() for s in slots]
        with np.errstate(all="ignore"):
            getattr(module, kernel)(out, var, grad, *copies, *scalars)
        outs.append([out, *copies])
    for a, b in zip(*outs):
        np.testing.assert_array_equal(a, b)


_KERNELS = {
    "sgd": (0, lambda f: (f(0.1),)),
    "sgd_momentum": (1, lambda f: (f(0.1), f(0.9), True)),
    "adam": (3, lambda f: (f(0.01), f(1 - 0.9), f(1 - 0.999), f(1e-7), True)),
    "adagrad": (1, lambda f: (f(0.1), f(1e-7))),
    "adadelta": (2, lambda f: (f(1.0), f(0.95), f(1 - 0.95), f(1e-7))),
    "rmsprop": (
        3,
        lambda f: (f(0.01), f(0.9), f(1 - 0.9), f(0.5), f(1e-7), True, True),
    ),
    "ftrl": (2, lambda f: (f(0.1), f(2 * 0.01), f(2 * (0.1 + 0.1 / 0.2)), f(0.05))),
}


@pytest.mark.native
@pytest.mark.parametrize("kernel", sorted(_KERNELS))
@given(data=st.data())
def test_native_matches_reference(kernel, data):
    n_slots, scalars = _KERNELS[kernel]
    dtype, var, grad, slots = data.draw(arrays(n_slots))
    _both(
        kernel,
        var,
        grad,
        slots,
        *scalars(dtype.type if hasattr(dtype, "type") else dtype),
    )


@pytest.mark.native
@given(
    data=st.data(), centered=st.booleans(), momentum=st.booleans(), ams=st.booleans()
)
def test_native_flag_combinations(data, centered, momentum, ams):
    dtype, var, grad, slots = data.draw(arrays(3))
    f = dtype
    _both(
        "rmsprop",
        var,
        grad,
        slots,
        f(0.01),
        f(0.9),
        f(0.1),
        f(0.5),
        f(1e-7),
        centered,
        momentum,
    )
    _both("adam", var, grad, slots, f(0.01), f(0.1), f(0.001), f(1e-7), ams)


_CONFIGS = [
    ("SGD", {"learning_rate": 0.1}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    ("Adam", {"learning_rate": 0.01}),
    ("Adam", {"learning_rate": 0.01, "amsgrad": True}),
    ("Adagrad", {"learning_rate": 0.1}),
    ("Adadelta", {"learning_rate": 1.0}),
    ("RMSprop", {"learning_rate": 0.01}),
    ("RMSprop", {"learning_rate": 0.01, "momentum": 0.5, "centered": True}),
    ("RMSprop", {"learning_rate": 0.01, "centered": True}),
    ("Ftrl", {"learning_rate": 0.1}),
    (
        "Ftrl",
        {
            "learning_rate": 0.1,
            "l1_regularization_strength": 0.01,
            "l2_regularization_strength": 0.1,
            "l2_shrinkage_regularization_strength": 0.05,
            "beta": 0.2,
        },
    ),
]


@pytest.mark.parametrize(("name", "kwargs"), _CONFIGS)
def test_fused_path_equals_the_array_rule(name, kwargs, monkeypatch):
    rng = np.random.default_rng(5)
    grads = [
        [
            rng.normal(size=(7, 5)).astype(np.float32),
            rng.normal(size=5).astype(np.float32),
        ]
        for _ in range(4)
    ]

    def run():
        opt = getattr(optimizers, name)(**kwargs)
        vs = [np.ones((7, 5), np.float32), np.zeros(5, np.float32)]
        for g in grads:
            opt.apply(g, vs)
        return vs

    fused = run()
    monkeypatch.setattr(_fused, "dense_value", lambda gradient, variable: None)
    rule = run()
    for a, b in zip(fused, rule):
        np.testing.assert_array_equal(a, b)
