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
from pipeline.nn.ops._core import apply, arr, ops_package, shape_of, unbroadcast
from pipeline.nn.ops.reduction import unbroadcast_tensor
from pipeline.nn.ops.shape import expand_dims, reshape, transpose
from pipeline.nn.tensor import Tensor


def _binary(x: Any, y: Any, value: Any, dx: Any, dy: Any, rule: Any) -> Tensor:
    sx, sy = shape_of(x), shape_of(y)

    def vjp(g: Any) -> list[Any]:
        return [
            None if dx is None else unbroadcast(dx(g), sx),
            None if dy is None else unbroadcast(dy(g), sy),
        ]

    return apply(value, [x, y], vjp, rule)


def _both(dx: Any, dy: Any) -> list[Any]:
    """The rule's pair of gradients, each summed back to its input's shape."""
    return [unbroadcast_tensor(dx[0], dx[1]), unbroadcast_tensor(dy[0], dy[1])]


def _add_rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
    return _both((g, shape_of(xs[0])), (g, shape_of(xs[1])))


def _subtract_rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
    return _both((g, shape_of(xs[0])), (-g, shape_of(xs[1])))


def _multiply_rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
    x, y = xs
    return _both((multiply(g, y), shape_of(x)), (multiply(g, x), shape_of(y)))


def _divide_rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
    x, y = xs
    dy = -divide(multiply(g, x), multiply(y, y))
    return _both((divide(g, y), shape_of(x)), (dy, shape_of(y)))


def _power_rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
    x, y = xs
    a = arr(x)
    positive = a > 0
    log_x = ops_package().log(where(positive, x, 1.0))
    y_less_one = subtract(y, 1) if isinstance(y, Tensor) else arr(y) - 1
    dx = multiply(g, multiply(y, power(x, y_less_one)))
    dy = multiply(g, multiply(out, where(positive, log_x, 0.0)))
    return _both((dx, shape_of(x)), (dy, shape_of(y)))


def _mask_rule(keep_x: Any) -> Any:
    def rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
        mask = keep_x(arr(xs[0]), arr(xs[1]))
        return _both((g * mask, shape_of(xs[0])), (g * ~mask, shape_of(xs[1])))

    return rule


_maximum_rule = _mask_rule(lambda a, b: a >= b)
_minimum_rule = _mask_rule(lambda a, b: a <= b)


def add(x: Any, y: Any) -> Tensor:
    """``x + y``.

    Example:
        >>> add(1.0, [2.0]).numpy().tolist()
        [3.0]
    """
    a, b = arr(x), arr(y)
    return _binary(x, y, a + b, lambda g: g, lambda g: g, _add_rule)


def subtract(x: Any, y: Any) -> Tensor:
    """``x - y``.

    Example:
        >>> subtract([3.0], 1.0).numpy().tolist()
        [2.0]
    """
    a, b = arr(x), arr(y)
    return _binary(x, y, a - b, lambda g: g, lambda g: -g, _subtract_rule)


def multiply(x: Any, y: Any) -> Tensor:
    """``x * y``.

    Example:
        >>> multiply([3.0], 2.0).numpy().tolist()
        [6.0]
    """
    a, b = arr(x), arr(y)
    return _binary(x, y, a * b, lambda g: g * b, lambda g: g * a, _multiply_rule)


def divide(x: Any, y: Any) -> Tensor:
    """``x / y``.

    Example:
        >>> divide([3.0], 2.0).numpy().tolist()
        [1.5]
    """
    a, b = arr(x), arr(y)
    return _binary(
        x, y, a / b, lambda g: g / b, lambda g: -g * a / (b * b), _divide_rule
    )


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

    return _binary(x, y, out, lambda g: g * b * a ** (b - 1), dy, _power_rule)


def maximum(x: Any, y: Any) -> Tensor:
    """Elementwise max; ties send the gradient to ``x``.

    Example:
        >>> maximum([1.0, 5.0], 3.0).numpy().tolist()
        [3.0, 5.0]
    """
    xp = backend.xp()
    a, b = arr(x), arr(y)
    mask = a >= b
    return _binary(
        x, y, xp.maximum(a, b), lambda g: g * mask, lambda g: g * ~mask, _maximum_rule
    )


def minimum(x: Any, y: Any) -> Tensor:
    """Elementwise min; ties send the gradient to ``x``.

    Example:
        >>> minimum([1.0, 5.0], 3.0).numpy().tolist()
        [1.0, 3.0]
    """
    xp = backend.xp()
    a, b = arr(x), arr(y)
    mask = a <= b
    return _binary(
        x, y, xp.minimum(a, b), lambda g: g * mask, lambda g: g * ~mask, _minimum_rule
    )


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

    def rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
        zero = xp.zeros((), g.dtype)
        return [None] + _both((where(c, g, zero), sx), (where(c, zero, g), sy))

    return apply(xp.where(c, a, b), [condition, x, y], vjp, rule)


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
    return apply(out, [x], lambda g: [g * inside], lambda g, xs, o: [g * inside])


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

    return apply(a @ b, [x, y], vjp, _matmul_rule)


def _swap_last(t: Any) -> Tensor:
    ndim = arr(t).ndim
    return transpose(t, tuple(range(ndim - 2)) + (ndim - 1, ndim - 2))


def _matmul_rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
    x, y = xs
    a, b = arr(x), arr(y)
    x2 = x if a.ndim > 1 else reshape(x, (1, -1))
    y2 = y if b.ndim > 1 else reshape(y, (-1, 1))
    g2 = expand_dims(g, -2) if a.ndim == 1 else g
    g2 = expand_dims(g2, -1) if b.ndim == 1 else g2
    da = matmul(g2, _swap_last(y2))
    da = reshape(da, da.shape[:-2] + (-1,)) if a.ndim == 1 else da
    db = matmul(_swap_last(x2), g2)
    db = reshape(db, db.shape[:-1]) if b.ndim == 1 else db
    return _both((da, a.shape), (db, b.shape))


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

    def rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
        return [cast(g, src) if src.kind == "f" else None]

    return apply(a.astype(dtype), [x], vjp, rule)
