"""Optimizer state as Keras 3 keeps it: set_weights, slot order, constraints,
clipping hook, accumulation next to Adagrad's own accumulators."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.nn import optimizers
from pipeline.nn.tensor import Variable


class _ConstrainedVariable(Variable):
    """A Variable that may carry Keras's ``constraint`` attribute."""


def _two_variables() -> list[Variable]:
    return [
        Variable(np.ones((2, 2), np.float32), name="k"),
        Variable(np.zeros(2, np.float32), name="b"),
    ]


def test_set_weights_copies_another_optimizers_state():
    variables = _two_variables()
    source = optimizers.RMSprop(0.1, momentum=0.5, centered=True)
    for _ in range(3):
        source.apply(
            [np.full((2, 2), 0.3, np.float32), np.ones(2, np.float32)], variables
        )
    target = optimizers.RMSprop(0.1, momentum=0.5, centered=True)
    target.build(variables)
    target.set_weights(source.variables)
    for mine, theirs in zip(target.variables, source.variables, strict=True):
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())
    assert int(target.iterations) == 3


def test_set_weights_before_build_and_with_a_wrong_shape():
    with pytest.raises(ValueError, match="has not yet been built"):
        optimizers.Adam().set_weights([np.array(0)])
    opt = optimizers.Adam(name="o")
    opt.build(_two_variables())
    weights = [v.numpy() for v in opt.variables]
    weights[2] = np.zeros((3, 3), np.float32)
    with pytest.raises(ValueError, match=r"o/k_momentum has shape \(2, 2\)"):
        opt.set_weights(weights)


def test_amsgrad_hats_come_after_every_moment_pair():
    opt = optimizers.Adam(amsgrad=True, name="opt")
    opt.build(_two_variables())
    names = [v.name.split("/")[1] for v in opt.variables[2:]]
    assert names == [
        "k_momentum",
        "k_velocity",
        "b_momentum",
        "b_velocity",
        "k_velocity_hat",
        "b_velocity_hat",
    ]


def test_rmsprop_slots_are_grouped_by_kind():
    opt = optimizers.RMSprop(momentum=0.1, centered=True, name="opt")
    opt.build(_two_variables())
    names = [v.name.split("/")[1] for v in opt.variables[2:]]
    assert names == [
        "k_velocity",
        "b_velocity",
        "k_momentum",
        "b_momentum",
        "k_average_gradient",
        "b_average_gradient",
    ]


def test_amsgrad_state_order_still_steps_each_variable_with_its_own_slots():
    # two variables of different shapes: a slot mix-up would fail on shapes
    k = Variable(np.ones((3, 2), np.float32))
    b = Variable(np.ones(2, np.float32))
    opt = optimizers.Adam(0.1, amsgrad=True)
    ref_k, ref_b = (
        Variable(np.ones((3, 2), np.float32)),
        Variable(np.ones(2, np.float32)),
    )
    opt_k, opt_b = (
        optimizers.Adam(0.1, amsgrad=True),
        optimizers.Adam(0.1, amsgrad=True),
    )
    for step in range(3):
        gk = np.full((3, 2), 0.5 + step, np.float32)
        gb = np.full(2, -1.0 - step, np.float32)
        opt.apply([gk, gb], [k, b])
        opt_k.apply([gk], [ref_k])
        opt_b.apply([gb], [ref_b])
    np.testing.assert_allclose(k.numpy(), ref_k.numpy(), rtol=1e-6)
    np.testing.assert_allclose(b.numpy(), ref_b.numpy(), rtol=1e-6)


def test_constraint_is_applied_after_the_step():
    v = _ConstrainedVariable(np.array([0.5, 2.0], np.float32))
    v.constraint = lambda w: np.clip(np.asarray(w), 0.0, 1.0)
    optimizers.SGD(1.0).apply([np.array([1.0, -1.0], np.float32)], [v])
    # the step gives [-0.5, 3.0]; the constraint projects onto [0, 1]
    assert v.numpy().tolist() == [0.0, 1.0]
    assert v.dtype == np.float32


def test_clip_gradients_hook_follows_the_option():
    grads = [np.array([3.0, 4.0], np.float32)]
    assert optimizers.SGD()._clip_gradients(grads)[0].tolist() == [3.0, 4.0]
    clipped = optimizers.SGD(global_clipnorm=1.0)._clip_gradients(grads)[0]
    np.testing.assert_allclose(clipped, [0.6, 0.8], rtol=1e-6)


def test_empty_gradient_list_is_a_no_op():
    opt = optimizers.SGD()
    opt.apply([], [])
    assert int(opt.iterations) == 0


def test_adagrad_with_gradient_accumulation_keeps_its_accumulator():
    w1 = Variable(np.ones(2, np.float32))
    w3 = Variable(np.ones(2, np.float32))
    once = optimizers.Adagrad(0.1)
    thrice = optimizers.Adagrad(0.1, gradient_accumulation_steps=3)
    for g in ([0.5, 1.0], [1.5, -2.0]):
        grad = np.array(g, np.float32)
        once.apply([grad], [w1])
        for _ in range(3):
            thrice.apply([grad], [w3])
    np.testing.assert_allclose(w3.numpy(), w1.numpy(), rtol=1e-6)
    assert len(thrice._accumulated_gradients) == 1
    assert len(thrice.variables) == 4  # iterations, rate, accumulator, adagrad slot


def test_weight_decay_hook_defaults_to_the_current_rate():
    w = Variable(np.array([2.0], np.float32))
    opt = optimizers.SGD(0.5, weight_decay=0.1)
    opt._apply_weight_decay([w])  # Keras's signature: variables only
    np.testing.assert_allclose(w.numpy(), [2.0 - 2.0 * 0.1 * 0.5], rtol=1e-6)
