"""Elementwise unary functions, each forward beside its backward.

Example:
    >>> from pipeline.nn import ops
    >>> ops.square([3.0]).numpy().tolist()
    [9.0]
"""

from __future__ import annotations

import math
from typing import Any

from pipeline.nn import backend
from pipeline.nn.ops._core import apply, arr
from pipeline.nn.ops.arithmetic import add, divide, multiply, subtract
from pipeline.nn.tensor import Tensor

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
# Beyond this, TensorFlow's float32 tanh returns exactly +-1.
_TANH_SATURATION = 7.90531110763549805


def _array(x: Any) -> Any:
    a = arr(x)
    return a if hasattr(a, "dtype") else backend.xp().asarray(a, dtype="float32")


def negative(x: Any) -> Tensor:
    """``-x``.

    Example:
        >>> negative([1.0]).numpy().tolist()
        [-1.0]
    """
    a = _array(x)
    return apply(-a, [x], lambda g: [-g], lambda g, xs, out: [-g])


def square(x: Any) -> Tensor:
    """``x * x``.

    Example:
        >>> square([-2.0]).numpy().tolist()
        [4.0]
    """
    a = _array(x)
    return apply(a * a, [x], lambda g: [g * 2 * a], _square_rule)


def _square_rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
    return [multiply(g * 2, xs[0])]


def sqrt(x: Any) -> Tensor:
    """Square root.

    Example:
        >>> sqrt([4.0]).numpy().tolist()
        [2.0]
    """
    out = backend.xp().sqrt(_array(x))
    return apply(out, [x], lambda g: [g * 0.5 / out], lambda g, xs, y: [g * 0.5 / y])


def exp(x: Any) -> Tensor:
    """Exponential.

    Example:
        >>> exp([0.0]).numpy().tolist()
        [1.0]
    """
    out = backend.xp().exp(_array(x))
    return apply(out, [x], lambda g: [g * out], lambda g, xs, y: [g * y])


def log(x: Any) -> Tensor:
    """Natural logarithm.

    Example:
        >>> log([1.0]).numpy().tolist()
        [0.0]
    """
    a = _array(x)
    return apply(
        backend.xp().log(a), [x], lambda g: [g / a], lambda g, xs, y: [divide(g, xs[0])]
    )


def log1p(x: Any) -> Tensor:
    """``log(1 + x)``.

    Example:
        >>> log1p([0.0]).numpy().tolist()
        [0.0]
    """
    a = _array(x)
    return apply(backend.xp().log1p(a), [x], lambda g: [g / (1 + a)], _log1p_rule)


def _log1p_rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
    return [divide(g, add(1, xs[0]))]


def abs(x: Any) -> Tensor:  # noqa: A001  (Keras's name)
    """Absolute value (gradient ``sign(x)``, 0 at 0).

    Example:
        >>> abs([-2.0]).numpy().tolist()
        [2.0]
    """
    xp = backend.xp()
    a = _array(x)
    return apply(
        xp.abs(a), [x], lambda g: [g * xp.sign(a)], lambda g, xs, y: [g * xp.sign(a)]
    )


def sign(x: Any) -> Tensor:
    """Sign, -1, 0 or 1 (no gradient).

    Example:
        >>> sign([-2.0, 0.0]).numpy().tolist()
        [-1.0, 0.0]
    """
    return apply(backend.xp().sign(_array(x)), [x], None)


def tanh(x: Any) -> Tensor:
    """Hyperbolic tangent; gradient ``1 - y²``.

    In float32, ``|x| >= 7.9053111`` gives exactly ±1 (as TensorFlow's kernel
    does), so the gradient there is exactly 0.

    Example:
        >>> tanh([0.0]).numpy().tolist()
        [0.0]
    """
    xp = backend.xp()
    a = _array(x)
    out = xp.tanh(a)
    if a.dtype == xp.float32:
        out = xp.where(xp.abs(a) >= _TANH_SATURATION, xp.sign(a), out)
    return apply(out, [x], lambda g: [g * (1 - out * out)], _tanh_rule)


def _tanh_rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
    return [multiply(g, subtract(1, multiply(out, out)))]


def erf(x: Any) -> Tensor:
    """The error function; gradient ``2/√π·exp(-x²)``.

    Example:
        >>> round(float(erf([1.0])[0]), 6)
        0.842701
    """
    xp = backend.xp()
    a = _array(x)
    return apply(
        backend.erf(a),
        [x],
        lambda g: [g * (_TWO_OVER_SQRT_PI * xp.exp(-a * a))],
        _erf_rule,
    )


def _erf_rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
    x = xs[0]
    return [multiply(g, multiply(_TWO_OVER_SQRT_PI, exp(-square(x))))]
