"""Keras 3's activations_test.py cases, in our words (tests/conformance/nn).

Each reference below is written with numpy from the function's definition;
the inputs are Keras's (ranges and shapes), drawn from a fixed seed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.conformance_keras import assert_close, to_array

RTOL = 1e-5


@pytest.fixture
def rng():
    return np.random.RandomState(1414)


def _softmax_ref(v):
    e = np.exp(v - v.max())
    return e / e.sum()


def _log_softmax_ref(v):
    z = v - v.max()
    return z - np.log(np.exp(z).sum())


def _softplus_ref(x):
    return np.log1p(np.exp(x))


def _sigmoid_ref(x):
    return np.where(
        x >= 0,
        1 / (1 + np.exp(-np.abs(x))),
        np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))),
    )


def _hard_sigmoid_ref(x):
    return np.clip(x / 6.0 + 0.5, 0.0, 1.0)


def _sparse_sigmoid_ref(x):
    return np.where(x <= -1, 0.0, np.where(x >= 1, 1.0, 0.5 * (x + 1)))


def _hard_silu_ref(x):
    return x * np.clip(x + 3.0, 0.0, 6.0) / 6.0


# The ranges Keras's elementwise cases draw from: (low, high, shape).
_RANGES = {
    "unit": (0, 1, (2, 5)),
    "1d": (-10, 10, (5,)),
    "3d": (-10, 10, (3, 3, 3)),
    "near_zero": (-1e-7, 1e-7, (2, 5)),
    "large_positive": (10, 100, (2, 5)),
    "large_negative": (-100, -10, (2, 5)),
}


def _check_ranges(keras, name, ref, ranges, rng, dtype="float64"):
    fn = getattr(keras.activations, name)
    for low, high, shape in (_RANGES[r] for r in ranges):
        x = rng.uniform(low, high, shape).astype(dtype)
        assert_close(fn(x), ref(x), rtol=RTOL)


# ---- softmax / log_softmax -------------------------------------------------


def _per_slice(x, lead, ref):
    want = np.zeros_like(x)
    for idx in np.ndindex(*x.shape[:lead]):
        want[idx] = ref(x[idx])
    return want


def test_softmax_last_axis_of_batched_input(keras, rng):
    x = rng.random_sample((2, 5))
    out = to_array(keras.activations.softmax(x[np.newaxis, :]))[0]
    assert_close(out[0], _softmax_ref(x[0]), rtol=RTOL)


def test_softmax_2d_axis_0(keras, rng):
    x = rng.random_sample((2, 5))
    out = to_array(keras.activations.softmax(x[np.newaxis, :], axis=1))[0]
    assert_close(out, _per_slice(x.T, 1, _softmax_ref).T, rtol=RTOL)


@pytest.mark.parametrize(
    "fn_name, ref", [("softmax", _softmax_ref), ("log_softmax", _log_softmax_ref)]
)
@pytest.mark.parametrize(
    "shape, axis",
    [((2, 3, 5), (1, 2)), ((2, 3, 4, 5), (2, 3)), ((2, 3, 4, 5, 6), (2, 3, 4))],
)
def test_softmax_over_axis_tuples(keras, rng, fn_name, ref, shape, axis):
    x = rng.random_sample(shape)
    out = getattr(keras.activations, fn_name)(x, axis=axis)
    assert_close(out, _per_slice(x, axis[0], ref), rtol=RTOL)


@pytest.mark.parametrize(
    "fn_name, ref", [("softmax", _softmax_ref), ("log_softmax", _log_softmax_ref)]
)
def test_softmax_1d(keras, rng, fn_name, ref):
    x = rng.random_sample(5)
    assert_close(getattr(keras.activations, fn_name)(x), ref(x), rtol=RTOL)


@pytest.mark.parametrize(
    "fn_name, ref", [("softmax", _softmax_ref), ("log_softmax", _log_softmax_ref)]
)
def test_softmax_negative_axis(keras, rng, fn_name, ref):
    x = rng.random_sample((2, 5))
    out = getattr(keras.activations, fn_name)(x, axis=-1)
    assert_close(out, _per_slice(x, 1, ref), rtol=RTOL)


@pytest.mark.parametrize(
    "fn_name, ref", [("softmax", _softmax_ref), ("log_softmax", _log_softmax_ref)]
)
def test_temporal_softmax(keras, rng, fn_name, ref):
    x = rng.random_sample((2, 2, 3)) * 10
    out = to_array(getattr(keras.activations, fn_name)(x[np.newaxis, :]))[0]
    assert_close(out[0, 0], ref(x[0, 0]), rtol=RTOL)


def test_log_softmax_2d_axis_0(keras, rng):
    x = rng.random_sample((2, 5))
    out = to_array(keras.activations.log_softmax(x[np.newaxis, :], axis=1))[0]
    assert_close(out, _per_slice(x.T, 1, _log_softmax_ref).T, rtol=RTOL)


# ---- elementwise functions over Keras's ranges -----------------------------


def test_selu(keras):
    alpha, scale = 1.6732632423543772, 1.0507009873554805
    pos = np.array([[1, 2]], dtype="float32")
    assert_close(
        to_array(keras.activations.selu(pos[np.newaxis, :]))[0], pos * scale, rtol=RTOL
    )
    neg = np.array([[-1, -2]], dtype="float32")
    want = (np.exp(neg) - 1) * scale * alpha
    assert_close(to_array(keras.activations.selu(neg[np.newaxis, :]))[0], want)


_ALL = ("unit", "1d", "3d", "near_zero", "large_positive", "large_negative")


def test_softplus(keras, rng):
    _check_ranges(keras, "softplus", _softplus_ref, _ALL, rng)


def test_softsign(keras, rng):
    _check_ranges(keras, "softsign", lambda x: x / (1 + np.abs(x)), _ALL, rng)


def test_sigmoid(keras, rng):
    _check_ranges(keras, "sigmoid", _sigmoid_ref, _ALL, rng)


def test_hard_sigmoid(keras, rng):
    _check_ranges(keras, "hard_sigmoid", _hard_sigmoid_ref, ("unit", "1d", "3d"), rng)
    above = rng.uniform(5, 10, (2, 5))
    assert_close(keras.activations.hard_sigmoid(above), np.ones((2, 5)), rtol=RTOL)


def test_sparse_sigmoid(keras, rng):
    ranges = ("unit", "1d", "3d", "large_positive", "large_negative")
    _check_ranges(keras, "sparse_sigmoid", _sparse_sigmoid_ref, ranges, rng)


def test_log_sigmoid(keras, rng):
    ranges = ("unit", "1d", "3d", "large_positive", "large_negative")
    _check_ranges(keras, "log_sigmoid", lambda x: -_softplus_ref(-x), ranges, rng)


def test_hard_silu(keras, rng):
    x = rng.uniform(-3, 3, (2, 5)).astype("float32")
    out = to_array(keras.activations.hard_silu(x[np.newaxis, :]))[0]
    assert_close(out, _hard_silu_ref(x), rtol=RTOL)
    _check_ranges(
        keras, "hard_silu", _hard_silu_ref, ("1d", "3d"), rng, dtype="float32"
    )
    above = rng.uniform(5, 10, (2, 5)).astype("float32")
    assert_close(keras.activations.hard_silu(above), above, rtol=RTOL)
    below = rng.uniform(-10, -5, (2, 5)).astype("float32")
    assert_close(keras.activations.hard_silu(below), np.zeros((2, 5)), rtol=RTOL)


def test_hard_swish_is_hard_silu_by_name(keras):
    x = np.array([-4.0, -1.0, 0.5, 4.0], "float32")
    assert_close(keras.activations.get("hard_swish")(x), _hard_silu_ref(x), rtol=RTOL)


# ---- relu's options ---------------------------------------------------------

_RELU_X = np.array([-10, -5, 0.0, 5, 10])


@pytest.mark.parametrize(
    "kwargs, want",
    [
        ({"negative_slope": 0.5}, [-5.0, -2.5, 0.0, 5.0, 10.0]),
        ({"max_value": 5.0}, [0.0, 0.0, 0.0, 5.0, 5.0]),
        ({"threshold": 5.0}, [-0.0, -0.0, 0.0, 0.0, 10.0]),
        ({"threshold": 5.0, "max_value": 5.0}, [0.0, 0.0, 0.0, 0.0, 5.0]),
        (
            {"negative_slope": 0.5, "max_value": 5.0, "threshold": 5.0},
            [-7.5, -5.0, -2.5, 0.0, 5.0],
        ),
    ],
)
def test_relu_options(keras, kwargs, want):
    assert_close(keras.activations.relu(_RELU_X, **kwargs), want, rtol=RTOL)


def test_relu_max_value_6(keras):
    x = np.array([-10, -5, 0.0, 5, 10, 12])
    want = [0.0, 0.0, 0.0, 5.0, 6.0, 6.0]
    assert_close(keras.activations.relu(x, max_value=6.0), want, rtol=RTOL)


def test_relu(keras, rng):
    pos = rng.uniform(0.1, 10, (2, 5))
    assert_close(
        to_array(keras.activations.relu(pos[np.newaxis, :]))[0], pos, rtol=RTOL
    )
    neg = rng.uniform(-10, -0.1, (2, 5))
    assert_close(
        to_array(keras.activations.relu(neg[np.newaxis, :]))[0], np.zeros((2, 5))
    )
    for low, high, shape in [(-10, 10, 5), (-10, 10, (3, 3, 3)), (-1e-7, 1e-7, (2, 5))]:
        x = rng.uniform(low, high, shape)
        assert_close(keras.activations.relu(x), np.maximum(0, x), rtol=RTOL)
    big = rng.uniform(1e4, 1e5, (2, 5))
    assert_close(keras.activations.relu(big), big, rtol=RTOL)
    assert_close(keras.activations.relu(-big), np.zeros((2, 5)), rtol=RTOL)


@pytest.mark.parametrize("slope", [0.01, 0.3])
def test_leaky_relu(keras, rng, slope):
    for x in (rng.random_sample((2, 5)), rng.uniform(-1, 0, (2, 5))):
        out = to_array(
            keras.activations.leaky_relu(x[np.newaxis, :], negative_slope=slope)
        )[0]
        assert_close(out, np.where(x > 0, x, slope * x), rtol=RTOL)


def test_relu6(keras, rng):
    for low, high in [(0, 5.9), (6.1, 10), (-1, 0)]:
        x = rng.uniform(low, high, (2, 5))
        out = to_array(keras.activations.relu6(x[np.newaxis, :]))[0]
        assert_close(out, np.clip(x, 0, 6), rtol=RTOL)


def test_silu(keras, rng):
    for low, high in [(0, 5.9), (-1, 1), (-5.9, 0)]:
        x = rng.uniform(low, high, (2, 5))
        out = to_array(keras.activations.silu(x[np.newaxis, :]))[0]
        assert_close(out, x / (1 + np.exp(-x)), rtol=RTOL)


def test_gelu(keras, rng):
    exact = np.vectorize(lambda v: 0.5 * v * (1 + math.erf(v / math.sqrt(2))))
    x = rng.random_sample((2, 5))
    assert_close(
        to_array(keras.activations.gelu(x[np.newaxis, :]))[0], exact(x), rtol=RTOL
    )
    x = rng.random_sample((2, 5))
    inner = np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)
    out = to_array(keras.activations.gelu(x[np.newaxis, :], approximate=True))[0]
    assert_close(out, 0.5 * x * (1 + np.tanh(inner)), rtol=RTOL)


@pytest.mark.parametrize("kwargs, alpha", [({}, 1.0), ({"alpha": 0.5}, 0.5)])
def test_celu(keras, rng, kwargs, alpha):
    x = rng.random_sample((2, 5))
    want = np.maximum(x, 0) + alpha * np.expm1(np.minimum(x, 0) / alpha)
    out = to_array(keras.activations.celu(x[np.newaxis, :], **kwargs))[0]
    assert_close(out, want, rtol=RTOL)


@pytest.mark.parametrize("axis", [-1, -2])
def test_glu(keras, rng, axis):
    x = rng.random_sample((2, 4)) if axis == -1 else rng.random_sample((4, 2))
    first, second = np.split(x, 2, axis)
    want = first / (1 + np.exp(-second))
    kwargs = {} if axis == -1 else {"axis": axis}
    assert_close(
        to_array(keras.activations.glu(x[np.newaxis, :], **kwargs))[0], want, rtol=RTOL
    )


@pytest.mark.parametrize(
    "name, ref",
    [
        ("tanh_shrink", lambda x: x - np.tanh(x)),
        ("hard_tanh", lambda x: np.clip(x, -1.0, 1.0)),
        ("hard_shrink", lambda x: np.where(np.abs(x) > 0.5, x, 0.0)),
        ("squareplus", lambda x: (x + np.sqrt(x**2 + 4)) / 2),
        (
            "soft_shrink",
            lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0.0)),
        ),
        (
            "sparse_plus",
            lambda x: np.where(x <= -1, 0.0, np.where(x < 1, (x + 1) ** 2 / 4, x)),
        ),
        ("elu", lambda x: x),
    ],
)
def test_elementwise_on_unit_interval(keras, rng, name, ref):
    x = rng.random_sample((2, 5))
    out = to_array(getattr(keras.activations, name)(x[np.newaxis, :]))[0]
    assert_close(out, ref(x), rtol=RTOL)


def test_threshold(keras, rng):
    x = rng.random_sample((2, 5))
    out = to_array(keras.activations.threshold(x[np.newaxis, :], 0, 0))[0]
    assert_close(out, np.where(x > 0, x, 0.0), rtol=RTOL)


def test_elu_negative(keras):
    neg = np.array([[-1, -2]], dtype="float32")
    out = to_array(keras.activations.elu(neg[np.newaxis, :]))[0]
    assert_close(out, np.exp(neg) - 1)


def test_tanh(keras, rng):
    for low, high, shape in [
        (0, 1, (2, 5)), (-10, 10, (2, 5)), (-10, 10, 5), (-10, 10, (3, 3, 3)),
        (0, 10, (2, 5)), (-10, 0, (2, 5)), (-1e-7, 1e-7, (2, 5)), (1e4, 1e5, (2, 5)),
    ]:  # fmt: skip
        x = rng.uniform(low, high, shape)
        assert_close(keras.activations.tanh(x), np.tanh(x), rtol=RTOL)


def test_exponential(keras, rng):
    for low, high, shape in [
        (0, 1, (2, 5)), (-10, 10, (2, 5)), (-10, 10, 5), (-10, 10, (3, 3, 3)),
        (0, 10, (2, 5)), (-10, 0, (2, 5)), (-1e-7, 1e-7, (2, 5)),
    ]:  # fmt: skip
        x = rng.uniform(low, high, shape)
        assert_close(keras.activations.exponential(x), np.exp(x), rtol=RTOL)
    with np.errstate(over="ignore"):
        big = rng.uniform(1e4, 1e5, (2, 5))
        assert np.all(np.isinf(to_array(keras.activations.exponential(big))))


def test_mish(keras, rng):
    for low, high, shape in [
        (0, 1, (2, 5)), (-10, 10, (2, 5)), (-10, 10, 5), (-10, 10, (3, 3, 3)),
        (0, 10, (2, 5)), (-10, 0, (2, 5)), (-1e-7, 1e-7, (2, 5)), (1e4, 1e5, (2, 5)),
    ]:  # fmt: skip
        x = rng.uniform(low, high, shape)
        with np.errstate(over="ignore"):
            want = x * np.tanh(_softplus_ref(x))
        assert_close(keras.activations.mish(x), want, rtol=RTOL)


def test_linear(keras, rng):
    for x in (
        rng.random_sample((10, 5)),
        rng.uniform(-10, 10, 5),
        rng.uniform(-10, 10, (10, 5)),
        rng.uniform(-10, 10, (5, 5, 5)),
        rng.uniform(-10, 10, (10, 5)).astype(np.float32),
        rng.randint(-10, 10, (10, 5)).astype(np.int32),
    ):
        assert_close(keras.activations.linear(x), x)


# ---- sparsemax ---------------------------------------------------------------


def _one_hot_last(shape, where):
    want = np.zeros(shape)
    want[where] = 1.0
    return want


@pytest.mark.parametrize(
    "shape, axis, where",
    [
        ((12,), -1, (-1,)),
        ((6, 2), -1, (slice(None), -1)),
        ((4, 1, 3), -1, (slice(None), slice(None), -1)),
        ((6, 2), -2, (-1, slice(None))),
        ((4, 1, 3), -2, (slice(None),)),
        ((4, 1, 3), -3, (-1, slice(None), slice(None))),
        ((6, 1, 1, 2), -3, (slice(None),)),
    ],
)
def test_sparsemax(keras, shape, axis, where):
    x = np.linspace(1, 12, num=12).reshape(shape)
    kwargs = {} if axis == -1 else {"axis": axis}
    assert_close(keras.activations.sparsemax(x, **kwargs), _one_hot_last(shape, where))


def test_get_method(keras):
    assert keras.activations.get("relu") is keras.activations.relu
    assert keras.activations.get(None) is keras.activations.linear
    with pytest.raises(ValueError, match="identifier"):
        keras.activations.get("typo")


@pytest.mark.departure(
    "sparsemax projects onto the simplex (each slice sums to 1); Keras 3.15 sums "
    "the running sums over the support, which leaves the simplex when the support "
    "has more than one entry"
)
def test_sparsemax_with_a_wide_support_sums_to_one(keras):
    # Not a Keras case: Keras's own cases all have a support of one entry.
    out = to_array(keras.activations.sparsemax(np.array([[0.1, 0.5, 0.3]])))
    assert_close(out, [[0.4 / 3, 1.6 / 3, 1.0 / 3]])
