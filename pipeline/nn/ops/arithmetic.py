"""Elementwise arithmetic and matmul, each forward beside its backward.

Broadcasting follows numpy; every gradient is summed back to its input's shape.

Example:
    >>> from pipeline.nn import ops
    >>> ops.add([1.0, 2.0], 1.0).numpy().tolist()
    [2.0, 3.0]
"""

from __future__ import annotations

from typing import Any

from pipeline.nn import backend
from pipeline.nn.ops._core import apply, arr, shape_of, unbroadcast
from pipeline.nn.tensor import Tensor


def _binary(x: Any, y: Any, value: Any, dx: Any, dy: Any) -> Tensor:
    sx, sy = shape_of(x), shape_of(y)

    def vjp(g: Any) -> list[Any]:
        return [
            None if dx is None else unbroadcast(dx(g), sx),
            None if dy is None else unbroadcast(dy(g), sy),
        ]

    return apply(value, [x, y], vjp)


def add(x: Any, y: Any) -> Tensor:
    """``x + y``.

    Example:
        >>> add(1.0, [2.0]).numpy().tolist()
        [3.0]
    """
    a, b = arr(x), arr(y)
    return _binary(x, y, a + b, lambda g: g, lambda g: g)


def subtract(x: Any, y: Any) -> Tensor:
    """``x - y``.

    Example:
        >>> subtract([3.0], 1.0).numpy().tolist()
        [2.0]
    """
    a, b = arr(x), arr(y)
    return _binary(x, y, a - b, lambda g: g, lambda g: -g)


def multiply(x: Any, y: Any) -> Tensor:
    """``x * y``.

    Example:
        >>> multiply([3.0], 2.0).numpy().tolist()
        [6.0]
    """
    a, b = arr(x), arr(y)
    return _binary(x, y, a * b, lambda g: g * b, lambda g: g * a)


def divide(x: Any, y: Any) -> Tensor:
    """``x / y``.

    Example:
        >>> divide([3.0], 2.0).numpy().tolist()
        [1.5]
    """
    a, b = arr(x), arr(y)
    return _binary(x, y, a / b, lambda g: g / b, lambda g: -g * a / (b * b))


def power(x: Any, y: Any) -> Tensor:
    """``x ** y`` (gradient to ``y`` uses ``log(x)``, 0 where ``x == 0``).

    Example:
        >>> power([3.0], 2.0).numpy().tolist()
        [9.0]
    """
    xp = backend.xp()
    a, b = arr(x), arr(y)
    out = a**b

    def dy(g: Any) -> Any:
        safe = xp.where(a > 0, a, 1)
        return g * out * xp.where(a > 0, xp.log(safe), 0)

    return _binary(x, y, out, lambda g: g * b * a ** (b - 1), dy)


def maximum(x: Any, y: Any) -> Tensor:
    """Elementwise max; ties send the gradient to ``x``.

    Example:
        >>> maximum([1.0, 5.0], 3.0).numpy().tolist()
        [3.0, 5.0]
    """
    xp = backend.xp()
    a, b = arr(x), arr(y)
    mask = a >= b
    return _binary(x, y, xp.maximum(a, b), lambda g: g * mask, lambda g: g * ~mask)


def minimum(x: Any, y: Any) -> Tensor:
    """Elementwise min; ties send the gradient to ``x``.

    Example:
        >>> minimum([1.0, 5.0], 3.0).numpy().tolist()
        [1.0, 3.0]
    """
    xp = backend.xp()
    a, b = arr(x), arr(y)
    mask = a <= b
    return _binary(x, y, xp.minimum(a, b), lambda g: g * mask, lambda g: g * ~mask)


def where(condition: Any, x: Any, y: Any) -> Tensor:
    """``x`` where ``condition`` else ``y``.

    Example:
        >>> where([True, False], [1.0, 2.0], 0.0).numpy().tolist()
        [1.0, 0.0]
    """
    xp = backend.xp()
    c = arr(condition)
    if not hasattr(c, "dtype"):
        c = xp.asarray(c)
    c = c.astype(bool)
    a, b = arr(x), arr(y)
    sx, sy = shape_of(x), shape_of(y)

    def vjp(g: Any) -> list[Any]:
        zero = xp.zeros((), g.dtype)
        return [
            None,
            unbroadcast(xp.where(c, g, zero), sx),
            unbroadcast(xp.where(c, zero, g), sy),
        ]

    return apply(xp.where(c, a, b), [condition, x, y], vjp)


def clip(x: Any, x_min: Any, x_max: Any) -> Tensor:
    """Clips to ``[x_min, x_max]``; clipped entries get no gradient (as TF).

    Example:
        >>> clip([-1.0, 0.5, 2.0], 0.0, 1.0).numpy().tolist()
        [0.0, 0.5, 1.0]
    """
    xp = backend.xp()
    a, lo, hi = arr(x), arr(x_min), arr(x_max)
    inside = (a >= lo) & (a <= hi)
    out = xp.minimum(xp.maximum(a, lo), hi).astype(a.dtype)
    return apply(out, [x], lambda g: [g * inside])


def matmul(x: Any, y: Any) -> Tensor:
    """Matrix product (batched over leading axes; a 1-D operand as in numpy).

    Example:
        >>> matmul([[1.0, 2.0]], [[3.0], [4.0]]).numpy().tolist()
        [[11.0]]
    """
    xp = backend.xp()
    a, b = arr(x), arr(y)
    a = a if hasattr(a, "ndim") else xp.asarray(a)
    b = b if hasattr(b, "ndim") else xp.asarray(b)

    def vjp(g: Any, needs: Any = (True, True)) -> list[Any]:
        a2 = a if a.ndim > 1 else a[None, :]
        b2 = b if b.ndim > 1 else b[:, None]
        g2 = g
        if a.ndim == 1:
            g2 = xp.expand_dims(g2, -2)
        if b.ndim == 1:
            g2 = xp.expand_dims(g2, -1)
        out = [None, None]
        if needs[0]:
            da = g2 @ xp.swapaxes(b2, -1, -2)
            da = da.reshape(da.shape[:-2] + (-1,)) if a.ndim == 1 else da
            out[0] = unbroadcast(da, a.shape)
        if needs[1]:
            db = xp.swapaxes(a2, -1, -2) @ g2
            db = db.reshape(db.shape[:-1]) if b.ndim == 1 else db
            out[1] = unbroadcast(db, b.shape)
        return out

    vjp.takes_needs = True  # type: ignore[attr-defined]

    return apply(a @ b, [x, y], vjp)


def cast(x: Any, dtype: Any) -> Tensor:
    """Casts to ``dtype`` (gradient cast back for float inputs).

    Example:
        >>> cast([1.7], "int32").numpy().tolist()
        [1]
    """
    a = arr(x)
    a = a if hasattr(a, "astype") else backend.xp().asarray(a)
    src = a.dtype

    def vjp(g: Any) -> list[Any]:
        return [g.astype(src) if src.kind == "f" else None]

    return apply(a.astype(dtype), [x], vjp)
