"""Every op's gradient against central finite differences in float64."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import nn
from pipeline.nn import ops

EPS = 1e-6


def numeric_grad(fn, arrays, upstream):
    grads = []
    for k, a in enumerate(arrays):
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            plus = [b.copy() for b in arrays]
            minus = [b.copy() for b in arrays]
            plus[k][idx] += EPS
            minus[k][idx] -= EPS
            diff = np.asarray(fn(*plus)) - np.asarray(fn(*minus))
            g[idx] = np.sum(diff * upstream) / (2 * EPS)
        grads.append(g)
    return grads


def check(fn, *arrays, seed=0):
    arrays = [np.asarray(a, np.float64) for a in arrays]
    tensors = [nn.constant(a) for a in arrays]
    with nn.GradientTape() as tape:
        tape.watch(tensors)
        out = fn(*tensors)
    upstream = np.random.default_rng(seed).normal(size=out.shape)
    got = tape.gradient(out, tensors, output_gradients=upstream)
    want = numeric_grad(lambda *a: fn(*[nn.constant(x) for x in a]), arrays, upstream)
    for g, w in zip(got, want, strict=True):
        g = np.asarray(g)
        assert g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


shapes = st.sampled_from([(3,), (2, 3), (2, 1, 3), (1, 3)])
seeds = st.integers(0, 2**16)


def _data(shape, seed, low=-2.0, high=2.0):
    return np.random.default_rng(seed).uniform(low, high, size=shape)


BINARY = [ops.add, ops.subtract, ops.multiply, ops.maximum, ops.minimum]


@pytest.mark.parametrize("op", BINARY, ids=lambda f: f.__name__)
@given(shapes, shapes, seeds)
def test_binary_broadcasting(op, sa, sb, seed):
    try:
        np.broadcast_shapes(sa, sb)
    except ValueError:
        return
    check(op, _data(sa, seed), _data(sb, seed + 1), seed=seed)


@given(shapes, seeds)
def test_divide_and_power(shape, seed):
    check(ops.divide, _data(shape, seed), _data(shape, seed + 1, 0.5, 2.0))
    check(ops.power, _data(shape, seed, 0.5, 2.0), _data(shape, seed + 1))


UNARY = {
    "exp": ops.exp, "log": ops.log, "sqrt": ops.sqrt, "abs": ops.abs,
    "tanh": ops.tanh, "erf": ops.erf, "square": ops.square, "neg": ops.negative,
    "sigmoid": ops.sigmoid, "softplus": ops.softplus, "softsign": ops.softsign,
    "silu": ops.silu, "elu": ops.elu, "selu": ops.selu, "relu": ops.relu,
    "leaky": ops.leaky_relu, "log1p": ops.log1p,
    "gelu": lambda x: ops.gelu(x, approximate=False),
    "gelu_tanh": lambda x: ops.gelu(x, approximate=True),
    "clip": lambda x: ops.clip(x, -1.0, 1.0),
}  # fmt: skip
POSITIVE = {"log", "sqrt", "log1p"}


@pytest.mark.parametrize("name", sorted(UNARY))
@given(shapes, seeds)
def test_unary(name, shape, seed):
    low = 0.2 if name in POSITIVE else -2.0
    x = _data(shape, seed, low, 2.0)
    if name in ("abs", "relu", "leaky", "elu", "selu", "clip"):
        x = np.where(np.abs(np.abs(x) - 1.0) < 0.01, x + 0.05, x)
        x = np.where(np.abs(x) < 0.01, 0.05, x)
    check(UNARY[name], x, seed=seed)


@pytest.mark.parametrize("axis", [None, 0, -1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize(
    "op", [ops.sum, ops.mean, ops.max, ops.min], ids=lambda f: f.__name__
)
def test_reductions(op, axis, keepdims):
    x = _data((3, 4), 5)
    check(lambda t: op(t, axis=axis, keepdims=keepdims), x)


@given(seeds)
def test_softmax_family_and_crossentropy(seed):
    x = _data((3, 4), seed, -3, 3)
    check(lambda t: ops.softmax(t), x, seed=seed)
    check(lambda t: ops.log_softmax(t), x, seed=seed)
    labels = (np.random.default_rng(seed).random((3, 4)) > 0.5).astype(np.float64)
    check(lambda t: ops.sigmoid_cross_entropy_with_logits(labels, t), x, seed=seed)
    ids = np.random.default_rng(seed).integers(0, 4, 3)
    xent = ops.sparse_softmax_cross_entropy_with_logits
    check(lambda t: xent(ids, t), x, seed=seed)
    check(lambda t: xent(ids.reshape(3, 1), ops.reshape(t, (3, 1, 4))), x, seed=seed)


@given(st.sampled_from([((2, 3), (3, 4)), ((5, 2, 3), (3, 2)), ((3,), (3, 2)),
                        ((2, 3), (3,)), ((4, 2, 3), (4, 3, 1))]), seeds)  # fmt: skip
def test_matmul(shapes_pair, seed):
    sa, sb = shapes_pair
    check(ops.matmul, _data(sa, seed), _data(sb, seed + 1), seed=seed)


@given(seeds)
def test_linear(seed):
    check(
        ops.linear, _data((4, 3), seed), _data((3, 2), seed + 1), _data((2,), seed + 2)
    )


@given(seeds)
def test_linear_relu_is_relu_of_linear(seed):
    x, w, b = _data((4, 3), seed), _data((3, 2), seed + 1), _data((2,), seed + 2)
    fused = lambda *t: ops.linear(*t, activation="relu")  # noqa: E731
    check(fused, x, w, b, seed=seed)
    tensors = [nn.constant(a.astype(np.float32)) for a in (x, w, b)]
    results = []
    for fn in (fused, lambda *t: ops.relu(ops.linear(*t))):
        with nn.GradientTape() as tape:
            tape.watch(tensors)
            out = fn(*tensors)
        results.append([out, *tape.gradient(out, tensors)])
    for a, b_ in zip(*results, strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b_))


@given(seeds)
def test_shape_ops(seed):
    x = _data((2, 3, 4), seed)
    check(lambda t: ops.reshape(t, (6, 4)), x)
    check(lambda t: ops.transpose(t, (2, 0, 1)), x)
    check(lambda t: ops.expand_dims(t, 1), x)
    check(lambda t: t[:, 1:, ::2], x)
    check(lambda t: ops.slice(t, (0, 1, 1), (2, -1, 2)), x)
    check(lambda a, b: ops.concatenate([a, b], axis=1), x, _data((2, 2, 4), seed + 1))
    check(lambda a, b: ops.stack([a, b], axis=-1), x, _data((2, 3, 4), seed + 1))
    check(lambda t: ops.take(t, np.array([2, 0, 2]), axis=1), x)


def test_where_routes_gradient():
    cond = np.array([True, False, True])
    check(lambda a, b: ops.where(cond, a, b), _data((3,), 1), _data((1,), 2))


def test_take_gives_indexed_slices_for_rows():
    table = nn.Variable(np.arange(12.0).reshape(4, 3))
    with nn.GradientTape() as tape:
        y = ops.sum(ops.take(table, np.array([[1, 3], [1, 1]])))
    grad = tape.gradient(y, table)
    assert isinstance(grad, nn.IndexedSlices)
    assert grad.dense_shape == (4, 3)
    dense = np.zeros((4, 3))
    dense[1], dense[3] = 3.0, 1.0
    np.testing.assert_array_equal(grad.to_dense(), dense)


def test_clip_passes_no_gradient_to_clipped_entries():
    x = nn.constant([-2.0, 0.5, 3.0])
    with nn.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(ops.clip(x, 0.0, 1.0))
    assert tape.gradient(y, x).numpy().tolist() == [0.0, 1.0, 0.0]
