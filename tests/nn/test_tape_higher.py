"""Higher-order gradients through nested tapes, checked by hand and by finite
differences in float64."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import nn
from pipeline.errors import FailedPreconditionError
from pipeline.nn import ops
from pipeline.nn.ops._core import apply

EPS = 1e-5


def test_power_third_derivative_by_three_tapes():
    x = nn.Variable(2.0)
    with nn.GradientTape() as t3:
        with nn.GradientTape() as t2:
            with nn.GradientTape() as t1:
                y = ops.power(x, 4.0)
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    d3 = t3.gradient(d2, x)
    assert [float(d1), float(d2), float(d3)] == [32.0, 48.0, 48.0]  # 4x³, 12x², 24x


def test_two_variables_mixed_second_derivatives_by_hand():
    # f = x² y³ at (2, 3): f_x = 2xy³ = 108, f_y = 3x²y² = 108,
    # f_xx = 2y³ = 54, f_xy = 6xy² = 108, f_yy = 6x²y = 72
    x, y = nn.Variable(2.0, dtype=np.float64), nn.Variable(3.0, dtype=np.float64)
    with nn.GradientTape(persistent=True) as outer:
        with nn.GradientTape() as inner:
            f = x * x * y * y * y
        fx, fy = inner.gradient(f, [x, y])
    assert [float(fx), float(fy)] == [108.0, 108.0]
    assert [float(g) for g in outer.gradient(fx, [x, y])] == [54.0, 108.0]
    assert [float(g) for g in outer.gradient(fy, [x, y])] == [108.0, 72.0]
    with pytest.raises(FailedPreconditionError, match="persistent"):
        inner.gradient(f, x)  # the inner tape was not persistent


def test_persistent_inner_tape_used_twice_under_an_outer_tape():
    x, y = nn.Variable(2.0, dtype=np.float64), nn.Variable(3.0, dtype=np.float64)
    with nn.GradientTape() as outer:
        with nn.GradientTape(persistent=True) as inner:
            f = ops.exp(x * y)
        fx = inner.gradient(f, x)  # y·e^{xy}
        fy = inner.gradient(f, y)  # x·e^{xy}
        total = fx + fy
    e = np.exp(6.0)
    # d/dx (y + x)e^{xy} = e^{xy} + y(y + x)e^{xy}; d/dy = e^{xy} + x(y + x)e^{xy}
    gx, gy = outer.gradient(total, [x, y])
    np.testing.assert_allclose([float(gx), float(gy)], [e * 16, e * 11], rtol=1e-12)


def test_hessian_vector_product_of_two_variables_matches_finite_differences():
    rng = np.random.default_rng(7)
    x0, w0 = rng.normal(size=(4, 3)), rng.normal(size=(3, 2))
    vx, vw = rng.normal(size=x0.shape), rng.normal(size=w0.shape)

    def loss(x, w):
        h = ops.tanh(ops.matmul(x, w))
        return ops.sum(ops.log_softmax(h * 3.0)) + ops.sum(ops.sigmoid(x) * x)

    def grads(x_arr, w_arr):
        x, w = nn.Variable(x_arr), nn.Variable(w_arr)
        with nn.GradientTape() as tape:
            out = loss(x, w)
        return [np.asarray(g) for g in tape.gradient(out, [x, w])]

    x, w = nn.Variable(x0), nn.Variable(w0)
    with nn.GradientTape() as outer:
        with nn.GradientTape() as inner:
            out = loss(x, w)
        gx, gw = inner.gradient(out, [x, w])
        gv = ops.sum(gx * vx) + ops.sum(gw * vw)
    hx, hw = outer.gradient(gv, [x, w])
    plus = grads(x0 + EPS * vx, w0 + EPS * vw)
    minus = grads(x0 - EPS * vx, w0 - EPS * vw)
    for got, p, m in zip([hx, hw], plus, minus, strict=True):
        np.testing.assert_allclose(
            np.asarray(got), (p - m) / (2 * EPS), rtol=1e-6, atol=1e-8
        )


def test_output_gradients_that_depend_on_a_variable_are_differentiated():
    x = nn.Variable(2.0, dtype=np.float64)
    with nn.GradientTape() as outer:
        with nn.GradientTape() as inner:
            y = x * x
        g = inner.gradient(y, x, output_gradients=x)  # x · 2x
    assert float(g) == 8.0
    assert float(outer.gradient(g, x)) == 8.0  # d/dx 2x² = 4x


def test_an_op_without_a_rule_gives_the_right_first_order_gradient():
    x = nn.Variable(3.0, dtype=np.float64)
    with nn.GradientTape() as outer:
        with nn.GradientTape() as inner:
            y = apply(x.numpy() * 2.0, [x], lambda g: [g * 2.0])
        g = inner.gradient(y, x)
    assert float(g) == 2.0
    assert outer.gradient(g, x) is None  # a constant to the outer tape, as documented


def test_plain_gradient_records_nothing_for_a_second_order():
    x = nn.Variable(3.0)
    with nn.GradientTape() as tape:
        y = x * x * x
    dy = tape.gradient(y, x)
    with nn.GradientTape() as later:
        z = dy * 1.0
    assert float(dy) == 27.0 and later.gradient(z, x) is None


POS, ANY = (0.5, 2.0), (-1.5, 1.5)
LABELS = np.array([2, 0])

# (name, f(x) for x of shape (2, 3), domain): every primitive with a gradient,
# composed so that its second derivative is not trivially zero where possible.
CASES = [
    ("tanh", ops.tanh, ANY),
    ("sigmoid", ops.sigmoid, ANY),
    ("exp", ops.exp, ANY),
    ("log", ops.log, POS),
    ("log1p", ops.log1p, POS),
    ("sqrt", ops.sqrt, POS),
    ("square", lambda x: ops.square(ops.tanh(x)), ANY),
    ("abs", lambda x: ops.abs(x) * x * x, ANY),
    ("negative", lambda x: ops.negative(x * x * x), ANY),
    ("erf", ops.erf, ANY),
    ("softplus", ops.softplus, ANY),
    ("softsign", ops.softsign, ANY),
    ("silu", ops.silu, ANY),
    ("elu", lambda x: ops.elu(x * 2.0), ANY),
    ("elu_alpha", lambda x: ops.elu(x * 2.0, alpha=0.5), ANY),
    ("selu", lambda x: ops.selu(x * 2.0), ANY),
    ("relu", lambda x: ops.relu(x) * x, ANY),
    ("leaky_relu", lambda x: ops.leaky_relu(x) * x, ANY),
    ("gelu", ops.gelu, ANY),
    ("gelu_exact", lambda x: ops.gelu(x, approximate=False), ANY),
    ("softmax", lambda x: ops.softmax(x * 2.0), ANY),
    ("softmax_axis0", lambda x: ops.softmax(x, axis=0), ANY),
    ("log_softmax", lambda x: ops.log_softmax(x * 2.0), ANY),
    (
        "sparse_xent",
        lambda x: ops.sparse_softmax_cross_entropy_with_logits(LABELS, x * 2.0),
        ANY,
    ),
    (
        "categorical_xent",
        lambda x: ops.categorical_crossentropy(np.eye(3)[LABELS], ops.softmax(x)),
        ANY,
    ),
    (
        "binary_xent",
        lambda x: ops.binary_crossentropy(np.ones((2, 3)) * 0.3, ops.sigmoid(x)),
        ANY,
    ),
    ("huber", lambda x: ops.huber(np.zeros((2, 3)), x * x), ANY),
    ("matmul", lambda x: ops.matmul(x, ops.transpose(x)), ANY),
    ("matmul_vector_left", lambda x: ops.matmul(x[0], ops.transpose(ops.tanh(x))), ANY),
    ("matmul_vector_right", lambda x: ops.matmul(ops.tanh(x), x[1]), ANY),
    (
        "matmul_batched",
        lambda x: ops.matmul(ops.reshape(x, (2, 3, 1)), ops.reshape(x, (2, 1, 3))),
        ANY,
    ),
    ("linear", lambda x: ops.linear(ops.tanh(x), ops.transpose(x), x[0, :2]), ANY),
    (
        "linear_relu",
        lambda x: ops.linear(x, ops.transpose(x * x), activation="relu"),
        ANY,
    ),
    ("multiply_broadcast", lambda x: ops.multiply(x, x[0]) * x, ANY),
    (
        "add_subtract",
        lambda x: ops.subtract(ops.add(x * x, x[:, :1]), x[1]) ** 2.0,
        ANY,
    ),
    ("divide", lambda x: ops.divide(x, x * x + 3.0), ANY),
    ("divide_broadcast", lambda x: ops.divide(x[0], x), POS),
    ("power_const", lambda x: ops.power(x, 3.0), ANY),
    ("power_base", lambda x: ops.power(2.0, x * x), ANY),
    ("power_both", lambda x: ops.power(x, x), POS),
    ("maximum", lambda x: ops.maximum(x * x * x, x * 0.5), ANY),
    ("minimum", lambda x: ops.minimum(x * x * x, x[0]), ANY),
    (
        "where",
        lambda x: ops.where(
            np.array([[True, False, True], [False, True, False]]), x**3.0, ops.exp(x)
        ),
        ANY,
    ),
    ("clip", lambda x: ops.clip(x * x * x, -1.0, 1.0), ANY),
    ("cast", lambda x: ops.cast(x * x * x, "float64"), ANY),
    ("sum", lambda x: ops.sum(x * x, axis=1, keepdims=True) * x, ANY),
    ("mean", lambda x: ops.mean(x * x, axis=0) * x, ANY),
    ("max", lambda x: ops.max(x * x * x, axis=1) * x[:, 0], ANY),
    ("min", lambda x: ops.min(ops.exp(x), axis=0) * x[0], ANY),
    ("reshape", lambda x: ops.reshape(x, (3, 2)) ** 3.0, ANY),
    ("transpose", lambda x: ops.transpose(x * x) * ops.transpose(x), ANY),
    ("expand_squeeze", lambda x: ops.squeeze(ops.expand_dims(x**3.0, 1), 1), ANY),
    ("concatenate", lambda x: ops.concatenate([x**3.0, ops.exp(x)], axis=1), ANY),
    ("stack", lambda x: ops.stack([x**3.0, ops.exp(x)], axis=1), ANY),
    ("getitem", lambda x: x[:, 1] ** 3.0, ANY),
    ("slice", lambda x: ops.slice(x, (0, 1), (2, -1)) ** 3.0, ANY),
    ("take_rows", lambda x: ops.take(x, np.array([1, 1, 0]), axis=0) ** 3.0, ANY),
    ("take_columns", lambda x: ops.take(x, np.array([2, 0, 2]), axis=1) ** 3.0, ANY),
]


def _weights(shape, name):
    seed = sum(name.encode())
    return np.random.default_rng(seed).normal(size=shape)


def _scalar(fn, x, weights):
    return ops.sum(ops.multiply(fn(x), weights))


def _first_order(fn, x_arr, weights):
    x = nn.Variable(x_arr)
    with nn.GradientTape() as tape:
        out = _scalar(fn, x, weights)
    return np.asarray(tape.gradient(out, x))


@pytest.mark.parametrize("name, fn, domain", CASES, ids=[c[0] for c in CASES])
def test_second_derivative_matches_finite_differences(name, fn, domain):
    rng = np.random.default_rng(sum(name.encode()) + 1)
    x0 = rng.uniform(*domain, size=(2, 3))
    v = rng.normal(size=(2, 3))
    weights = _weights(fn(nn.constant(x0)).shape, name)
    x = nn.Variable(x0)
    with nn.GradientTape() as outer:
        with nn.GradientTape() as inner:
            out = _scalar(fn, x, weights)
        g = inner.gradient(out, x)
        directional = ops.sum(g * v)
    hv = outer.gradient(directional, x)
    assert g.dtype == np.float64 and hv is not None, name
    # the first order under an outer tape agrees with the plain one
    np.testing.assert_allclose(
        np.asarray(g), _first_order(fn, x0, weights), rtol=1e-12, atol=1e-14
    )
    want = (
        _first_order(fn, x0 + EPS * v, weights)
        - _first_order(fn, x0 - EPS * v, weights)
    ) / (2 * EPS)
    np.testing.assert_allclose(np.asarray(hv), want, rtol=1e-6, atol=1e-8)
