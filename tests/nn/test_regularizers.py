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


# ---- OrthogonalRegularizer ----------------------------------------------------


def test_orthogonal_regularizer_value_by_hand():
    # rows (1, 0) and (1, 1)/sqrt(2): one pair, |cos| = 1/sqrt(2).
    w = np.array([[2.0, 0.0], [3.0, 3.0]], np.float32)
    out = regularizers.OrthogonalRegularizer(factor=0.4)(Tensor(w))
    assert float(out) == pytest.approx(0.4 * 0.5 * 2 / np.sqrt(2) / 1.0, rel=1e-6)
    cols = regularizers.OrthogonalRegularizer(factor=0.4, mode="columns")(Tensor(w))
    # columns (2, 3)/sqrt(13) and (0, 1): |cos| = 3/sqrt(13).
    assert float(cols) == pytest.approx(0.4 * 0.5 * 2 * 3 / np.sqrt(13), rel=1e-6)


def test_orthogonal_regularizer_gradient_matches_central_differences():
    w = np.array([[0.3, -1.1, 0.7], [1.2, 0.4, -0.5], [0.2, 0.9, 1.4]])
    reg = regularizers.OrthogonalRegularizer(factor=0.7)
    v = Variable(w, dtype="float64")
    with GradientTape() as tape:
        out = reg(v)
    got = tape.gradient(out, v).numpy()
    want = np.zeros_like(w)
    for i in np.ndindex(*w.shape):
        step = np.zeros_like(w)
        step[i] = 1e-6
        plus = float(reg(Tensor(w + step)))
        minus = float(reg(Tensor(w - step)))
        want[i] = (plus - minus) / 2e-6
    np.testing.assert_allclose(got, want, atol=1e-6)


def test_orthogonal_regularizer_of_orthogonal_rows_is_zero():
    q = np.linalg.qr(np.random.RandomState(0).randn(4, 4))[0].astype(np.float32)
    assert float(regularizers.OrthogonalRegularizer(1.0)(Tensor(q))) == pytest.approx(
        0.0, abs=1e-6
    )


def test_orthogonal_regularizer_by_name_in_a_layer_adds_a_loss():
    from pipeline.nn import layers

    layer = layers.Dense(3, kernel_regularizer="orthogonal_regularizer")
    layer(np.ones((2, 4), np.float32))
    assert isinstance(layer.kernel_regularizer, regularizers.OrthogonalRegularizer)
    assert len(layer.losses) == 1
    config = layers.Dense.from_config(layer.get_config()).get_config()
    assert config["kernel_regularizer"]["class_name"] == "OrthogonalRegularizer"


def test_get_instantiates_a_class_and_serialize_of_none_is_none():
    assert isinstance(regularizers.get(regularizers.L2), regularizers.L2)
    assert regularizers.serialize(None) is None
