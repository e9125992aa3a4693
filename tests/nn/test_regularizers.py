"""Regularizers: values by hand, gradients by the tape, configs and get."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.nn import regularizers
from pipeline.nn.tape import GradientTape
from pipeline.nn.tensor import Tensor, Variable

W = np.array([[1.5, -2.0], [0.0, 0.25]], np.float32)


@pytest.mark.parametrize(
    ("reg", "want"),
    [
        (regularizers.L1(0.1), 0.1 * 3.75),
        (regularizers.L2(0.1), 0.1 * (2.25 + 4.0 + 0.0625)),
        (regularizers.L1L2(l1=0.1, l2=0.2), 0.1 * 3.75 + 0.2 * 6.3125),
        (regularizers.L1L2(), 0.0),
    ],
)
def test_values_are_scalar_tensors(reg, want):
    out = reg(Tensor(W))
    assert isinstance(out, Tensor) and out.shape == () and out.dtype == np.float32
    assert float(out) == pytest.approx(want, rel=1e-6)


def test_gradient_flows_through_the_tape():
    w = Variable(W)
    with GradientTape() as tape:
        penalty = regularizers.L1L2(l1=0.1, l2=0.2)(w)
    grad = tape.gradient(penalty, w)
    np.testing.assert_allclose(np.asarray(grad), 0.1 * np.sign(W) + 0.4 * W, rtol=1e-6)


def test_keras_defaults_and_configs():
    assert regularizers.L1().get_config() == {"l1": 0.01}
    assert regularizers.L2().get_config() == {"l2": 0.01}
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    again = regularizers.deserialize(
        regularizers.serialize(regularizers.L1L2(0.3, 0.4))
    )
    assert isinstance(again, regularizers.L1L2) and again.get_config() == {
        "l1": 0.3,
        "l2": 0.4,
    }


def test_get():
    assert isinstance(regularizers.get("l1"), regularizers.L1)
    assert isinstance(regularizers.get("L1L2"), regularizers.L1L2)
    assert regularizers.get(None) is None
    fn = lambda x: 0.0  # noqa: E731
    assert regularizers.get(fn) is fn
    with pytest.raises(ValueError, match="Could not interpret regularizer"):
        regularizers.get("l3")


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf"), "0.1"])
def test_rejects_bad_strengths(bad):
    with pytest.raises(ValueError, match="non-negative float"):
        regularizers.L2(bad)
