"""``adam_many``: one fused Adam call over several variables.

Compiled vs numpy twin vs one ``adam`` call per variable, bit for bit (NaN equal
to NaN), and the optimizer's one-call path vs its per-variable path.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import _kernels
from pipeline.nn import Variable, optimizers
from pipeline.nn.optimizers import Adam, AdamW, _fused

ref = _kernels.reference("optim")
nat = importlib.import_module("pipeline._native.optim")

_SPECIAL = [0.0, -0.0, 1e30, -1e30, 1e-30, np.inf, -np.inf, np.nan]


@st.composite
def variables(draw):
    """Several variables' (var, grad, m, v, vhat), of one dtype."""
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    sizes = draw(st.lists(st.integers(0, 30), min_size=1, max_size=4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))

    def one(n, positive=False):
        a = rng.normal(scale=draw(st.sampled_from([1e-3, 1.0, 1e3])), size=n)
        if n and draw(st.booleans()):
            a[rng.integers(0, n)] = _SPECIAL[rng.integers(0, len(_SPECIAL))]
        return (np.abs(a) if positive else a).astype(dtype)

    return [(one(n), one(n), one(n), one(n, True), one(n, True)) for n in sizes]


def _many(module, per_var, scalars, amsgrad):
    outs = [np.empty_like(var) for var, *_ in per_var]
    slots = [[s.copy() for s in rest] for _, _, *rest in per_var]
    with np.errstate(all="ignore"):
        module.adam_many(
            outs,
            [p[0] for p in per_var],
            [p[1] for p in per_var],
            *[[s[i] for s in slots] for i in range(3)],
            *scalars,
            amsgrad,
        )
    return [outs, *slots]


def _one_by_one(per_var, scalars, amsgrad):
    real = per_var[0][0].dtype.type
    outs, slots = [], []
    for var, grad, *rest in per_var:
        out, copies = np.empty_like(var), [s.copy() for s in rest]
        with np.errstate(all="ignore"):
            nat.adam(out, var, grad, *copies, *[real(s) for s in scalars], amsgrad)
        outs.append(out)
        slots.append(copies)
    return [outs, *slots]


def _assert_same(a, b):
    for x, y in zip(a, b, strict=True):
        if isinstance(x, list):
            _assert_same(x, y)
        else:
            np.testing.assert_array_equal(x, y)


_SCALARS = st.tuples(
    st.sampled_from([0.01, 1e-3, 0.123456789]),
    st.sampled_from([0.1, 1 - 0.9, 0.05]),
    st.sampled_from([1 - 0.999, 0.01]),
    st.sampled_from([1e-7, 1e-3]),
)


@pytest.mark.native
@given(per_var=variables(), scalars=_SCALARS, amsgrad=st.booleans())
def test_native_many_matches_the_twin_and_one_call_per_variable(
    per_var, scalars, amsgrad
):
    native = _many(nat, per_var, scalars, amsgrad)
    _assert_same(native, _many(ref, per_var, scalars, amsgrad))
    _assert_same(native, _one_by_one(per_var, scalars, amsgrad))


@pytest.mark.native
@pytest.mark.parametrize("module", [nat, ref], ids=["native", "reference"])
def test_lists_of_different_lengths_are_refused(module):
    a = np.zeros(2, np.float32)
    with pytest.raises(ValueError, match="adam_many: 2 outputs"):
        module.adam_many([a, a], [a], [a], [a], [a], [a], 0.1, 0.1, 0.1, 0.1, False)


@pytest.mark.native
def test_arrays_of_different_lengths_are_refused():
    a, b = np.zeros(2, np.float32), np.zeros(3, np.float32)
    with pytest.raises(ValueError, match="different lengths"):
        nat.adam_many([a], [a], [b], [a], [a], [a], 0.1, 0.1, 0.1, 0.1, False)


@pytest.mark.native
def test_mixed_dtypes_are_refused():
    a, b = np.zeros(2, np.float32), np.zeros(2, np.float64)
    with pytest.raises(ValueError, match="[Bb]uffer dtype mismatch"):
        nat.adam_many([a, b], [a, b], [a, b], [a, b], [a, b], [a, b], 0.1, 0.1,
                      0.1, 0.1, False)  # fmt: skip


def _train(opt_factory, make_vars, steps=4):
    rng = np.random.default_rng(3)
    vs = make_vars()
    opt = opt_factory()
    for _ in range(steps):
        grads = [rng.normal(size=np.shape(v)).astype(np.asarray(v).dtype) for v in vs]
        opt.apply(grads, vs)
    return [np.asarray(v) for v in vs], [np.asarray(s.value) for s in opt.variables]


_FACTORIES = {
    "adam": lambda: Adam(0.01),
    "amsgrad": lambda: Adam(0.01, amsgrad=True),
    "adamw": lambda: AdamW(0.01, weight_decay=0.1),
    "adam_clipnorm": lambda: Adam(0.01, clipnorm=0.5),
}
_VARIABLES = {
    "arrays_f32": lambda: [np.ones((7, 5), np.float32), np.zeros(5, np.float32)],
    "variables_f64": lambda: [Variable(np.ones((3, 4))), Variable(np.zeros(4))],
    "mixed_dtypes": lambda: [np.ones(3, np.float32), np.ones(3, np.float64)],
    "transposed": lambda: [np.ones((4, 6), np.float32).T],
}


@pytest.mark.parametrize("factory", sorted(_FACTORIES))
@pytest.mark.parametrize("make_vars", sorted(_VARIABLES))
def test_one_call_path_equals_the_per_variable_path(factory, make_vars, monkeypatch):
    calls = []
    real_run_many = _fused.run_many
    monkeypatch.setattr(
        _fused, "run_many", lambda *a: calls.append(1) or real_run_many(*a)
    )
    many = _train(_FACTORIES[factory], _VARIABLES[make_vars])
    assert bool(calls) == (make_vars != "mixed_dtypes")  # mixed: per variable
    monkeypatch.setattr(Adam, "_update_all", lambda self, grads, variables: False)
    per_variable = _train(_FACTORIES[factory], _VARIABLES[make_vars])
    _assert_same(list(many[0]), list(per_variable[0]))
    _assert_same(list(many[1]), list(per_variable[1]))


def test_a_subclass_with_its_own_update_step_is_not_bypassed():
    seen = []

    class Logged(optimizers.Adam):
        def update_step(self, gradient, variable, learning_rate):
            seen.append(variable.shape)
            super().update_step(gradient, variable, learning_rate)

    w = np.ones((2, 3), np.float32)
    Logged(0.1).apply([np.ones((2, 3), np.float32)], [w])
    assert seen == [(2, 3)]
    assert w[0, 0] == pytest.approx(0.9, abs=1e-5)
