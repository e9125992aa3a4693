"""Keras 3's further activations as ops with gradients (relu6, celu, glu, ...).

Most are compositions of recorded ops, so a ``GradientTape`` differentiates
them (and higher orders) through their parts; ``celu`` and ``sparsemax`` are
single ops with their own backward.

Example:
    >>> relu6([-1.0, 3.0, 9.0]).numpy().tolist()
    [0.0, 3.0, 6.0]
"""

from __future__ import annotations

from typing import Any

from pipeline.nn import backend
from pipeline.nn.ops._core import apply, arr
from pipeline.nn.ops.activation import sigmoid, softplus
from pipeline.nn.ops.arithmetic import (
    add,
    clip,
    divide,
    multiply,
    subtract,
    where,
)
from pipeline.nn.ops.composite import convert_to_tensor, zeros_like
from pipeline.nn.ops.reduction import sum as reduce_sum
from pipeline.nn.ops.shape import getitem
from pipeline.nn.ops.unary import negative, sqrt, square, tanh
from pipeline.nn.tensor import Tensor


def _float(x: Any) -> Tensor:
    t = convert_to_tensor(x)
    if backend.xp().dtype(t.dtype).kind != "f":
        t = convert_to_tensor(arr(t).astype("float32"))
    return t


def _const(value: float, like: Tensor) -> Any:
    return backend.xp().asarray(value, dtype=like.dtype)


def relu6(x: Any) -> Tensor:
    """``min(max(x, 0), 6)``; gradient 1 strictly between 0 and 6 (TF's rule).

    Example:
        >>> relu6([7.0]).numpy().tolist()
        [6.0]
    """
    xp = backend.xp()
    x = _float(x)
    a = arr(x)
    inside = ((a > 0) & (a < 6)).astype(a.dtype)
    out = xp.minimum(xp.maximum(a, a.dtype.type(0)), a.dtype.type(6))
    return apply(out, [x], lambda g: [g * inside], lambda g, xs, y: [g * inside])


def celu(x: Any, alpha: float = 1.0) -> Tensor:
    """``max(x, 0) + alpha * expm1(min(x, 0) / alpha)`` (continuously
    differentiable ELU). The gradient at 0 is 2, TF's (both branches pass it).

    Example:
        >>> round(float(celu([-1.0], alpha=1.0)[0]), 4)
        -0.6321
    """
    xp = backend.xp()
    x = _float(x)
    a = arr(x)
    scale = a.dtype.type(alpha)
    neg = xp.minimum(a, a.dtype.type(0)) / scale
    out = xp.maximum(a, a.dtype.type(0)) + scale * xp.expm1(neg)
    # Both branches pass the gradient at 0, as TF's maximum and minimum do.
    slope = ((a >= 0) + (a <= 0) * xp.exp(neg)).astype(a.dtype)
    return apply(out, [x], lambda g: [g * slope], lambda g, xs, y: [g * slope])


def glu(x: Any, axis: int = -1) -> Tensor:
    """Gated linear unit: ``a * sigmoid(b)`` where ``a, b`` are the halves of
    ``x`` along ``axis``.

    Raises:
        ValueError: the size along ``axis`` is odd.

    Example:
        >>> glu([[2.0, 0.0]]).numpy().tolist()
        [[1.0]]
    """
    x = _float(x)
    size = x.shape[axis]
    if size % 2 != 0:
        raise ValueError(
            "axis size must be divisible by 2. "
            f"Received: x.shape={tuple(x.shape)} with axis={axis}"
        )
    axis = axis % len(x.shape)
    lead = (slice(None),) * axis
    first = getitem(x, (*lead, slice(0, size // 2)))
    second = getitem(x, (*lead, slice(size // 2, size)))
    return multiply(first, sigmoid(second))


def hard_sigmoid(x: Any) -> Tensor:
    """``relu6(x + 3) / 6``: ``clip(x / 6 + 0.5, 0, 1)``, gradient 0 at ±3.

    Example:
        >>> hard_sigmoid([-4.0, 0.0, 4.0]).numpy().tolist()
        [0.0, 0.5, 1.0]
    """
    x = _float(x)
    return divide(relu6(add(x, _const(3.0, x))), _const(6.0, x))


def hard_silu(x: Any) -> Tensor:
    """``x * hard_sigmoid(x)`` (also named ``hard_swish``).

    Example:
        >>> hard_silu([-4.0, 0.0, 4.0]).numpy().tolist()
        [-0.0, 0.0, 4.0]
    """
    x = _float(x)
    return multiply(x, hard_sigmoid(x))


def log_sigmoid(x: Any) -> Tensor:
    """``log(sigmoid(x)) = -softplus(-x)``, stable for large ``|x|``.

    Example:
        >>> round(float(log_sigmoid([0.0])[0]), 4)
        -0.6931
    """
    return negative(softplus(negative(_float(x))))


def sparse_sigmoid(x: Any) -> Tensor:
    """0 for ``x <= -1``, 1 for ``x >= 1``, ``(x + 1) / 2`` between.

    Example:
        >>> sparse_sigmoid([-2.0, 0.0, 2.0]).numpy().tolist()
        [0.0, 0.5, 1.0]
    """
    x = _float(x)
    a = arr(x)
    middle = multiply(add(x, _const(1.0, x)), _const(0.5, x))
    ones = backend.xp().ones(a.shape, dtype=a.dtype)
    return where(a <= -1, zeros_like(x), where(a >= 1, ones, middle))


def sparse_plus(x: Any) -> Tensor:
    """0 for ``x <= -1``, ``x`` for ``x >= 1``, ``(x + 1)² / 4`` between.

    Example:
        >>> sparse_plus([-2.0, 0.0, 2.0]).numpy().tolist()
        [0.0, 0.25, 2.0]
    """
    x = _float(x)
    a = arr(x)
    middle = multiply(square(add(x, _const(1.0, x))), _const(0.25, x))
    return where(a <= -1, zeros_like(x), where(a < 1, middle, x))


def squareplus(x: Any, b: float = 4) -> Tensor:
    """``(x + sqrt(x² + b)) / 2``, a smooth ReLU.

    Example:
        >>> squareplus([0.0]).numpy().tolist()
        [1.0]
    """
    x = _float(x)
    root = sqrt(add(square(x), _const(b, x)))
    return divide(add(x, root), _const(2.0, x))


def mish(x: Any) -> Tensor:
    """``x * tanh(softplus(x))``.

    Example:
        >>> mish([0.0]).numpy().tolist()
        [0.0]
    """
    x = _float(x)
    return multiply(x, tanh(softplus(x)))


def soft_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """``x - t`` above ``t``, ``x + t`` below ``-t``, 0 between.

    Example:
        >>> soft_shrink([-2.0, 0.2, 2.0]).numpy().tolist()
        [-1.5, 0.0, 1.5]
    """
    x = _float(x)
    a = arr(x)
    t = _const(threshold, x)
    inner = where(a < -t, add(x, t), zeros_like(x))
    return where(a > t, subtract(x, t), inner)


def hard_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """``x`` where ``|x| > threshold``, else 0.

    Example:
        >>> hard_shrink([-2.0, 0.2, 2.0]).numpy().tolist()
        [-2.0, 0.0, 2.0]
    """
    x = _float(x)
    a = arr(x)
    return where(backend.xp().abs(a) > _const(threshold, x), x, zeros_like(x))


def hard_tanh(x: Any) -> Tensor:
    """``clip(x, -1, 1)``.

    Example:
        >>> hard_tanh([-2.0, 0.5, 2.0]).numpy().tolist()
        [-1.0, 0.5, 1.0]
    """
    return clip(_float(x), -1.0, 1.0)


def tanh_shrink(x: Any) -> Tensor:
    """``x - tanh(x)``.

    Example:
        >>> tanh_shrink([0.0]).numpy().tolist()
        [0.0]
    """
    x = _float(x)
    return subtract(x, tanh(x))


def threshold(x: Any, threshold: float, default_value: float) -> Tensor:
    """``x`` where ``x > threshold``, else ``default_value``.

    Example:
        >>> threshold([-1.0, 2.0], 0.0, 9.0).numpy().tolist()
        [9.0, 2.0]
    """
    x = _float(x)
    a = arr(x)
    fill = backend.xp().full(a.shape, default_value, dtype=a.dtype)
    return where(a > _const(threshold, x), x, fill)


def _sparsemax_forward(a: Any, axis: int) -> Any:
    xp = backend.xp()
    ordered = -xp.sort(-a, axis=axis)
    running = xp.cumsum(ordered, axis=axis)
    ranks_shape = [1] * a.ndim
    ranks_shape[axis] = -1
    ranks = xp.arange(1, a.shape[axis] + 1, dtype=a.dtype).reshape(ranks_shape)
    support = ordered - (running - 1) / ranks > 0
    count = support.sum(axis=axis, keepdims=True)
    # The support is a prefix of the sorted values: its sum is running[count - 1].
    top = xp.take_along_axis(running, count - 1, axis=axis)
    tau = (top - 1) / count
    return xp.maximum(a - tau.astype(a.dtype), a.dtype.type(0))


def sparsemax(x: Any, axis: int = -1) -> Tensor:
    """Euclidean projection of ``x`` onto the probability simplex along ``axis``
    (Martins & Astudillo, 2016): like softmax, but exact zeros.

    The gradient on the support ``S`` is ``g - mean_S(g)``, zero elsewhere.
    The threshold is ``(sum of the support - 1) / |S|``, so each slice sums to 1
    (Keras 3.15 sums the running sums instead, which leaves the simplex when
    the support has more than one entry).

    Example:
        >>> sparsemax([[1.0, 2.0, 5.0]]).numpy().tolist()
        [[0.0, 0.0, 1.0]]
    """
    x = _float(x)
    a = arr(x)
    out = _sparsemax_forward(a, axis)
    inside = (out > 0).astype(a.dtype)
    count = inside.sum(axis=axis, keepdims=True)

    def vjp(g: Any) -> list[Any]:
        mean = (g * inside).sum(axis=axis, keepdims=True) / count
        return [inside * (g - mean)]

    def rule(g: Tensor, xs: Any, y: Tensor) -> list[Any]:
        mean = divide(reduce_sum(multiply(g, inside), axis=axis, keepdims=True), count)
        return [multiply(inside, subtract(g, mean))]

    return apply(out, [x], vjp, rule)
