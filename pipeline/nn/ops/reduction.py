"""Reductions, each forward beside its backward.

Example:
    >>> from pipeline.nn import ops
    >>> ops.mean([[1.0, 2.0], [3.0, 4.0]], axis=0).numpy().tolist()
    [2.0, 3.0]
"""

from __future__ import annotations

from typing import Any

from pipeline.nn import backend
from pipeline.nn.ops._core import apply, arr
from pipeline.nn.ops.shape import broadcast_to, reshape
from pipeline.nn.tensor import Tensor


def _axes(axis: Any, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        axis = (axis,)
    return tuple(sorted(a % ndim for a in axis)) if ndim else ()


def _expand(g: Any, axes: tuple[int, ...], keepdims: bool) -> Any:
    if keepdims:
        return g
    xp = backend.xp()
    return xp.expand_dims(g, axes) if axes else g


def _kept(g: Tensor, shape: tuple[int, ...], axes: tuple[int, ...]) -> Tensor:
    """``g`` reshaped to the reduced input's shape with ``axes`` kept as 1."""
    return reshape(g, tuple(1 if i in axes else n for i, n in enumerate(shape)))


def unbroadcast_tensor(grad: Tensor, shape: tuple[int, ...]) -> Tensor:
    """:func:`~pipeline.nn.ops._core.unbroadcast` with recorded ops.

    Example:
        >>> import numpy as np
        >>> unbroadcast_tensor(Tensor(np.ones((2, 3))), (3,)).numpy().tolist()
        [2.0, 2.0, 2.0]
    """
    shape = tuple(shape)
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    if lead > 0:
        grad = sum(grad, axis=tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = sum(grad, axis=axes, keepdims=True)
    return reshape(grad, shape)


def _array(x: Any) -> Any:
    a = arr(x)
    return a if hasattr(a, "ndim") else backend.xp().asarray(a)


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Sum over ``axis`` (all axes if None).

    Example:
        >>> sum([[1.0, 2.0]], axis=-1).numpy().tolist()
        [3.0]
    """
    xp = backend.xp()
    a = _array(x)
    axes = _axes(axis, a.ndim)

    def vjp(g: Any) -> list[Any]:
        return [xp.broadcast_to(_expand(g, axes, keepdims), a.shape)]

    def rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
        return [broadcast_to(_kept(g, a.shape, axes), a.shape)]

    return apply(xp.asarray(a.sum(axis=axes, keepdims=keepdims)), [x], vjp, rule)


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Mean over ``axis`` (all axes if None).

    Example:
        >>> mean([1.0, 2.0]).numpy().tolist()
        1.5
    """
    xp = backend.xp()
    a = _array(x)
    axes = _axes(axis, a.ndim)
    count = 1
    for ax in axes:
        count *= a.shape[ax]

    def vjp(g: Any) -> list[Any]:
        scaled = _expand(g, axes, keepdims) / a.dtype.type(count)
        return [xp.broadcast_to(scaled, a.shape)]

    def rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
        scaled = _kept(g, a.shape, axes) / a.dtype.type(count)
        return [broadcast_to(scaled, a.shape)]

    return apply(xp.asarray(a.mean(axis=axes, keepdims=keepdims)), [x], vjp, rule)


def _extreme(x: Any, axis: Any, keepdims: bool, use_max: bool) -> Tensor:
    xp = backend.xp()
    a = _array(x)
    axes = _axes(axis, a.ndim)
    full = (
        a.max(axis=axes, keepdims=True) if use_max else a.min(axis=axes, keepdims=True)
    )

    def share() -> Any:
        hits = (a == full).astype(a.dtype)
        return hits / hits.sum(axis=axes, keepdims=True)

    def vjp(g: Any) -> list[Any]:
        return [share() * _expand(g, axes, keepdims)]

    def rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
        return [_kept(g, a.shape, axes) * share()]

    out = (
        full
        if keepdims
        else full.reshape(tuple(n for i, n in enumerate(a.shape) if i not in axes))
    )
    return apply(xp.asarray(out), [x], vjp, rule)


def max(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Maximum over ``axis``; ties share the gradient equally (as TF).

    Example:
        >>> max([[1.0, 3.0]], axis=1).numpy().tolist()
        [3.0]
    """
    return _extreme(x, axis, keepdims, True)


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Minimum over ``axis``; ties share the gradient equally.

    Example:
        >>> min([[1.0, 3.0]], axis=1).numpy().tolist()
        [1.0]
    """
    return _extreme(x, axis, keepdims, False)


def argmax(x: Any, axis: int = -1) -> Tensor:
    """Index of the maximum along ``axis`` (int64; no gradient).

    Example:
        >>> argmax([[1.0, 3.0]]).numpy().tolist()
        [1]
    """
    return apply(_array(x).argmax(axis=axis).astype("int64"), [x], None)


def argmin(x: Any, axis: int = -1) -> Tensor:
    """Index of the minimum along ``axis`` (int64; no gradient).

    Example:
        >>> argmin([[1.0, 3.0]]).numpy().tolist()
        [0]
    """
    return apply(_array(x).argmin(axis=axis).astype("int64"), [x], None)
