"""Weight constraints: projections by hand, configs, and use through layers."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import nn
from pipeline.nn import constraints, layers
from pipeline.nn.tensor import Variable


def test_max_norm_over_several_axes_by_hand():
    # Two 2x2 filters: norms 5 and 0.5; only the first is scaled down to 1.
    w = np.zeros((2, 2, 2), np.float32)
    w[0, 0, 0], w[1, 1, 0] = 3.0, 4.0
    w[0, 1, 1] = 0.5
    out = constraints.MaxNorm(1.0, axis=[0, 1])(w).numpy()
    assert out.dtype == np.float32
    np.testing.assert_allclose(out[..., 0], [[0.6, 0.0], [0.0, 0.8]], atol=1e-6)
    np.testing.assert_allclose(out[..., 1], w[..., 1], atol=1e-6)


def test_unit_norm_and_min_max_norm_rates_by_hand():
    w = np.array([[3.0, 0.0], [4.0, 0.0]])
    np.testing.assert_allclose(constraints.UnitNorm()(w).numpy(), [[0.6, 0], [0.8, 0]])
    # rate 0.5: norm 5 moves halfway toward the cap 2, to 3.5; a zero column stays.
    half = constraints.MinMaxNorm(min_value=1.0, max_value=2.0, rate=0.5)(w).numpy()
    np.testing.assert_allclose(half[:, 0], [2.1, 2.8], atol=1e-6)
    np.testing.assert_allclose(half[:, 1], [0.0, 0.0])


def test_constraints_accept_variables_and_integers():
    v = Variable(np.array([-1.0, 2.0], np.float32))
    assert constraints.NonNeg()(v).numpy().tolist() == [0.0, 2.0]
    assert constraints.NonNeg()(np.array([-3, 4])).numpy().tolist() == [0.0, 4.0]


def test_serialize_has_keras_layout_and_get_takes_every_form():
    assert constraints.serialize(constraints.UnitNorm(axis=1)) == {
        "module": "keras.constraints",
        "class_name": "UnitNorm",
        "config": {"axis": 1},
        "registered_name": None,
    }
    assert isinstance(constraints.get("MaxNorm"), constraints.MaxNorm)
    assert isinstance(constraints.get("min_max_norm"), constraints.MinMaxNorm)
    same = constraints.NonNeg()
    assert constraints.get(same) is same
    with pytest.raises(ValueError, match="constraint identifier"):
        constraints.get(3)


def test_prelu_alpha_stays_non_negative_through_fit_and_reload(tmp_path):
    model = nn.Sequential(
        [
            layers.Input((4,)),
            layers.PReLU(alpha_initializer="zeros", alpha_constraint="non_neg"),
        ]
    )
    model.compile(optimizer=nn.optimizers.SGD(1.0), loss="mse")
    x = -np.ones((8, 4), np.float32)
    # Targets above zero for negative inputs push alpha below zero.
    model.fit(x, np.ones((8, 4), np.float32), epochs=2, verbose=0)
    alpha = model.layers[-1].alpha.numpy()
    assert np.all(alpha >= 0.0)
    path = str(tmp_path / "prelu.keras")
    model.save(path)
    again = nn.load_model(path).layers[-1]
    assert isinstance(again.alpha_constraint, constraints.NonNeg)
    assert again.alpha.constraint is again.alpha_constraint


def test_dense_kernel_max_norm_holds_after_fit():
    model = nn.Sequential(
        [
            layers.Input((3,)),
            layers.Dense(2, kernel_constraint=constraints.MaxNorm(0.5)),
        ]
    )
    model.compile(optimizer=nn.optimizers.SGD(0.5), loss="mse")
    x = np.random.RandomState(0).randn(16, 3).astype(np.float32)
    model.fit(x, 10 * np.ones((16, 2), np.float32), epochs=3, verbose=0)
    norms = np.linalg.norm(model.layers[-1].kernel.numpy(), axis=0)
    assert np.all(norms <= 0.5 + 1e-5)
