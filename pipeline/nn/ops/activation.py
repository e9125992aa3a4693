"""Activation primitives with TensorFlow's exact float32 forward and gradient rules.

Where TensorFlow has a fused kernel (relu, elu, selu, softplus, softsign, sigmoid,
silu, softmax), the backward here is that kernel's rule: elu's and selu's
derivatives come from the output, softplus's is the sigmoid.

Example:
    >>> from pipeline.nn import ops
    >>> ops.relu([-1.0, 2.0]).numpy().tolist()
    [0.0, 2.0]
"""

from __future__ import annotations

import math
from typing import Any

from pipeline.errors import InvalidArgumentError
from pipeline.nn import backend
from pipeline.nn.ops._core import apply, arr
from pipeline.nn.ops.arithmetic import add, divide, matmul, multiply, subtract, where
from pipeline.nn.ops.reduction import sum as reduce_sum
from pipeline.nn.ops.shape import expand_dims, reshape, transpose
from pipeline.nn.ops.unary import abs as absolute
from pipeline.nn.ops.unary import exp, square
from pipeline.nn.tensor import Tensor

SELU_SCALE = 1.0507009873554805
SELU_ALPHA = 1.6732632423543772
# log(float32 epsilon) + 2: TensorFlow's softplus switch-over points.
_SOFTPLUS_THRESHOLD = math.log(1.1920928955078125e-07) + 2.0


def _array(x: Any) -> Any:
    a = arr(x)
    return a if hasattr(a, "dtype") else backend.xp().asarray(a, dtype="float32")


def relu(x: Any) -> Tensor:
    """``max(x, 0)``; gradient 0 at 0; ``relu(-0.0)`` is ``+0.0``.

    Example:
        >>> relu([-1.0, 0.0, 3.0]).numpy().tolist()
        [0.0, 0.0, 3.0]
    """
    xp = backend.xp()
    a = _array(x)
    mask = a > 0
    return apply(
        xp.maximum(a, a.dtype.type(0)),
        [x],
        lambda g: [g * mask],
        lambda g, xs, out: [g * mask],
    )


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Tensor:
    """``x if x > 0 else negative_slope * x``; gradient ``negative_slope`` at 0.

    Example:
        >>> leaky_relu([-1.0, 2.0]).numpy().tolist()
        [-0.20000000298023224, 2.0]
    """
    xp = backend.xp()
    a = _array(x)
    slope = a.dtype.type(negative_slope)
    mask = a > 0
    return apply(
        xp.where(mask, a, a * slope),
        [x],
        lambda g: [xp.where(mask, g, g * slope)],
        lambda g, xs, out: [where(mask, g, g * slope)],
    )


def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """``x if x > 0 else alpha * (exp(x) - 1)`` (not expm1, as TF).

    Example:
        >>> [round(v, 4) for v in elu([-1.0, 2.0]).numpy().ravel().tolist()]
        [-0.6321, 2.0]
    """
    xp = backend.xp()
    a = _array(x)
    one = a.dtype.type(1)
    base = xp.where(a > 0, a, xp.exp(xp.minimum(a, 0)) - one)
    scale = a.dtype.type(alpha)

    def vjp(g: Any) -> list[Any]:
        inner = xp.where(base < 0, g * (base + one), g)
        return [inner if alpha == 1.0 else xp.where(a > 0, g, inner * scale)]

    def rule(g: Tensor, xs: Any, y: Tensor) -> list[Any]:
        # for x <= 0, d/dx alpha*(exp(x) - 1) = y + alpha
        return [where(a > 0, g, multiply(g, add(y, scale)))]

    out = base if alpha == 1.0 else xp.where(a > 0, a, base * scale)
    return apply(out, [x], vjp, rule)


def selu(x: Any) -> Tensor:
    """``scale * elu(x, alpha)``; gradient ``y + scale*alpha`` where ``y < 0``.

    Example:
        >>> selu([0.0, 1.0]).numpy().tolist()
        [0.0, 1.0507010221481323]
    """
    xp = backend.xp()
    a = _array(x)
    scale = a.dtype.type(SELU_SCALE)
    scale_alpha = a.dtype.type(SELU_SCALE * SELU_ALPHA)
    neg = scale_alpha * (xp.exp(xp.minimum(a, 0)) - a.dtype.type(1))
    out = xp.where(a < 0, neg, scale * a)
    return apply(
        out,
        [x],
        lambda g: [xp.where(out < 0, g * (out + scale_alpha), g * scale)],
        lambda g, xs, y: [where(out < 0, multiply(g, add(y, scale_alpha)), g * scale)],
    )


def _stable_sigmoid(a: Any) -> Any:
    xp = backend.xp()
    e = xp.exp(-xp.abs(a))
    one = a.dtype.type(1)
    return xp.where(a >= 0, one / (one + e), e / (one + e))


def sigmoid(x: Any) -> Tensor:
    """``1 / (1 + exp(-x))``, overflow-free; keeps its logits for crossentropy.

    Example:
        >>> sigmoid([0.0]).numpy().tolist()
        [0.5]
    """
    a = _array(x)
    out = _stable_sigmoid(a)
    result = apply(out, [x], lambda g: [g * out * (1 - out)], _sigmoid_rule)
    result._keras_logits = x if isinstance(x, Tensor) else Tensor(a)
    return result


def _sigmoid_rule(g: Tensor, xs: Any, y: Tensor) -> list[Any]:
    return [multiply(multiply(g, y), subtract(1, y))]


def softplus(x: Any) -> Tensor:
    """``log(1 + exp(x))`` with TF's cut-offs; gradient ``sigmoid(x)``.

    Example:
        >>> [round(v, 4) for v in softplus([0.0]).numpy().ravel().tolist()]
        [0.6931]
    """
    xp = backend.xp()
    a = _array(x)
    large = a > -_SOFTPLUS_THRESHOLD
    small = a < _SOFTPLUS_THRESHOLD
    safe = xp.minimum(a, -_SOFTPLUS_THRESHOLD)
    out = xp.where(large, a, xp.where(small, xp.exp(safe), xp.log1p(xp.exp(safe))))
    return apply(
        out,
        [x],
        lambda g: [g * _stable_sigmoid(a)],
        lambda g, xs, y: [multiply(g, sigmoid(xs[0]))],
    )


def softsign(x: Any) -> Tensor:
    """``x / (1 + |x|)``; gradient ``1 / (1 + |x|)²``.

    Example:
        >>> softsign([1.0]).numpy().tolist()
        [0.5]
    """
    xp = backend.xp()
    a = _array(x)
    den = 1 + xp.abs(a)
    return apply(
        a / den,
        [x],
        lambda g: [g / (den * den)],
        lambda g, xs, y: [divide(g, square(add(1, absolute(xs[0]))))],
    )


def silu(x: Any) -> Tensor:
    """``x * sigmoid(x)`` (swish), with TF's fused gradient.

    Example:
        >>> silu([0.0]).numpy().tolist()
        [0.0]
    """
    a = _array(x)
    s = _stable_sigmoid(a)
    return apply(a * s, [x], lambda g: [g * s * (1 + a * (1 - s))], _silu_rule)


def _silu_rule(g: Tensor, xs: Any, y: Tensor) -> list[Any]:
    x = xs[0]
    s = sigmoid(x)
    return [multiply(multiply(g, s), add(1, multiply(x, subtract(1, s))))]


def softmax(x: Any, axis: int = -1) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``axis``, shifted by the max for stability.

    Example:
        >>> softmax([[0.0, 0.0]]).numpy().tolist()
        [[0.5, 0.5]]
    """
    xp = backend.xp()
    a = _array(x)
    e = xp.exp(a - a.max(axis=axis, keepdims=True))
    out = e / e.sum(axis=axis, keepdims=True)

    def vjp(g: Any) -> list[Any]:
        return [out * (g - (g * out).sum(axis=axis, keepdims=True))]

    def rule(g: Tensor, xs: Any, y: Tensor) -> list[Any]:
        return [multiply(y, g - reduce_sum(g * y, axis=axis, keepdims=True))]

    result = apply(out, [x], vjp, rule)
    result._keras_logits = x if isinstance(x, Tensor) else Tensor(a)
    return result


def log_softmax(x: Any, axis: int = -1) -> Tensor:
    """``x - log(sum(exp(x)))`` along ``axis``, computed stably.

    Example:
        >>> [round(v, 4) for v in log_softmax([[0.0, 0.0]]).numpy().ravel().tolist()]
        [-0.6931, -0.6931]
    """
    xp = backend.xp()
    a = _array(x)
    z = a - a.max(axis=axis, keepdims=True)
    out = z - xp.log(xp.exp(z).sum(axis=axis, keepdims=True))

    def vjp(g: Any) -> list[Any]:
        return [g - xp.exp(out) * g.sum(axis=axis, keepdims=True)]

    def rule(g: Tensor, xs: Any, y: Tensor) -> list[Any]:
        return [g - multiply(exp(y), reduce_sum(g, axis=axis, keepdims=True))]

    return apply(out, [x], vjp, rule)


def sparse_softmax_cross_entropy_with_logits(labels: Any, logits: Any) -> Tensor:
    """``log(Σ exp(z)) - z[label]`` over the last axis (``z`` the shifted logits),
    TF's fused kernel: one op whose gradient is ``softmax(z) - onehot(label)``.

    Args:
        labels: integer class ids, the logits' shape without the last axis.
        logits: float logits.

    Example:
        >>> round(float(sparse_softmax_cross_entropy_with_logits([1], [[0.0, 0.0]])[0]), 4)
        0.6931
    """  # noqa: E501
    xp = backend.xp()
    a = _array(logits)
    classes = a.shape[-1]
    ids = xp.asarray(arr(labels)).astype("int64").reshape(-1)
    if ids.size and (int(ids.min()) < 0 or int(ids.max()) >= classes):
        bad = int(ids.min()) if int(ids.min()) < 0 else int(ids.max())
        raise InvalidArgumentError(
            f"Received a label value of {bad} which is outside the valid range "
            f"of [0, {classes})."
        )
    rows = xp.arange(ids.size)
    z = a - a.max(axis=-1, keepdims=True)
    e = xp.exp(z)
    total = e.sum(axis=-1, keepdims=True)
    picked = z.reshape(-1, classes)[rows, ids].reshape(total.shape)
    out = (xp.log(total) - picked)[..., 0]

    def vjp(g: Any) -> list[Any]:
        grad = (e / total).reshape(-1, classes)
        grad[rows, ids] -= grad.dtype.type(1)
        return [None, grad.reshape(a.shape) * g[..., None]]

    def rule(g: Tensor, xs: Any, y: Tensor) -> list[Any]:
        onehot = xp.zeros((ids.size, classes), a.dtype)
        onehot[rows, ids] = 1
        grad = softmax(xs[1], axis=-1) - onehot.reshape(a.shape)
        return [None, multiply(grad, expand_dims(g, -1))]

    return apply(out, [labels, logits], vjp, rule)


def linear(
    x: Any, kernel: Any, bias: Any = None, activation: str | None = None
) -> Tensor:
    """``x @ kernel + bias`` as one op (the Dense layer's fused forward/backward).

    Args:
        x, kernel, bias: the operands; ``bias`` is optional.
        activation: ``"relu"`` applies ``relu`` in the same op (the same values
            and gradients as ``relu(linear(...))``, one array and one record
            fewer). Default None.

    Example:
        >>> linear([[1.0, 2.0]], [[1.0], [1.0]], [0.5]).numpy().tolist()
        [[3.5]]
        >>> linear([[1.0, 2.0]], [[1.0], [-1.0]], activation="relu").numpy().tolist()
        [[0.0]]
    """
    xp = backend.xp()
    a, w = _array(x), _array(kernel)
    b = None if bias is None else _array(bias)
    out = a @ w
    if b is not None:
        out += b
    mask = None
    if activation == "relu":
        mask = out > 0
        xp.maximum(out, out.dtype.type(0), out=out)
    elif activation is not None:
        raise ValueError(f"`activation` must be None or 'relu'. Received: {activation}")

    def vjp(g: Any, needs: Any = (True, True, True)) -> list[Any]:
        if mask is not None:
            g = g * mask
        g2 = g.reshape(-1, g.shape[-1])
        grads = [g @ w.T if needs[0] else None]
        grads.append(a.reshape(-1, a.shape[-1]).T @ g2 if needs[1] else None)
        if b is not None:
            grads.append(g2.sum(axis=0) if needs[2] else None)
        return grads

    vjp.takes_needs = True  # type: ignore[attr-defined]

    def rule(g: Tensor, xs: Any, y: Tensor) -> list[Any]:
        if mask is not None:
            g = g * mask
        g2 = reshape(g, (-1, g.shape[-1]))
        x2 = reshape(xs[0], (-1, a.shape[-1]))
        grads = [matmul(g, transpose(xs[1])), matmul(transpose(x2), g2)]
        return grads + ([] if b is None else [reduce_sum(g2, axis=0)])

    inputs = [x, kernel] if b is None else [x, kernel, bias]
    return apply(xp.asarray(out), inputs, vjp, rule)
