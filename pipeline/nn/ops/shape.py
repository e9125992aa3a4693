"""Shape ops: reshape, transpose, concatenate, stack, slicing and row gathers.

``take`` (a row lookup) gives an :class:`~pipeline.nn.tensor.IndexedSlices`
gradient, so only the touched rows of an embedding table change.

Example:
    >>> from pipeline.nn import ops
    >>> ops.reshape([1.0, 2.0, 3.0, 4.0], (2, 2)).shape
    (2, 2)
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

from pipeline.nn import backend
from pipeline.nn.ops._core import apply, arr
from pipeline.nn.tensor import IndexedSlices, Tensor


def _array(x: Any) -> Any:
    a = arr(x)
    return a if hasattr(a, "ndim") else backend.xp().asarray(a)


def reshape(x: Any, shape: Sequence[int]) -> Tensor:
    """Reshapes (one dimension may be -1).

    Example:
        >>> reshape([[1.0, 2.0]], (-1,)).shape
        (2,)
    """
    a = _array(x)
    return apply(a.reshape(tuple(shape)), [x], lambda g: [g.reshape(a.shape)])


def transpose(x: Any, axes: Sequence[int] | None = None) -> Tensor:
    """Permutes axes (reverses them if ``axes`` is None).

    Example:
        >>> transpose([[1.0, 2.0]]).shape
        (2, 1)
    """
    xp = backend.xp()
    a = _array(x)
    perm = tuple(range(a.ndim))[::-1] if axes is None else tuple(axes)
    inverse = tuple(int(i) for i in xp.argsort(xp.asarray(perm)).tolist())
    return apply(a.transpose(perm), [x], lambda g: [g.transpose(inverse)])


def expand_dims(x: Any, axis: int) -> Tensor:
    """Inserts a length-1 axis.

    Example:
        >>> expand_dims([1.0], 0).shape
        (1, 1)
    """
    a = _array(x)
    return apply(backend.xp().expand_dims(a, axis), [x], lambda g: [g.reshape(a.shape)])


def squeeze(x: Any, axis: Any = None) -> Tensor:
    """Removes length-1 axes.

    Example:
        >>> squeeze([[1.0]]).shape
        ()
    """
    a = _array(x)
    return apply(backend.xp().squeeze(a, axis), [x], lambda g: [g.reshape(a.shape)])


def concatenate(xs: Sequence[Any], axis: int = -1) -> Tensor:
    """Joins tensors along an existing axis.

    Example:
        >>> concatenate([[[1.0]], [[2.0]]], axis=1).numpy().tolist()
        [[1.0, 2.0]]
    """
    xp = backend.xp()
    arrays = [_array(x) for x in xs]
    ax = axis % arrays[0].ndim
    bounds = [0]
    for a in arrays:
        bounds.append(bounds[-1] + a.shape[ax])

    def vjp(g: Any) -> list[Any]:
        index = [builtins.slice(None)] * g.ndim
        out = []
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            index[ax] = builtins.slice(lo, hi)
            out.append(g[tuple(index)])
        return out

    return apply(xp.concatenate(arrays, axis=ax), list(xs), vjp)


def stack(xs: Sequence[Any], axis: int = 0) -> Tensor:
    """Joins tensors along a new axis.

    Example:
        >>> stack([[1.0], [2.0]]).shape
        (2, 1)
    """
    xp = backend.xp()
    arrays = [_array(x) for x in xs]
    out = xp.stack(arrays, axis=axis)
    ax = axis % out.ndim

    def vjp(g: Any) -> list[Any]:
        return [xp.take(g, i, axis=ax) for i in range(len(arrays))]

    return apply(out, list(xs), vjp)


def getitem(x: Any, key: Any) -> Tensor:
    """``x[key]`` with numpy indexing; the gradient scatters back.

    Example:
        >>> getitem([[1.0, 2.0], [3.0, 4.0]], 1).numpy().tolist()
        [3.0, 4.0]
    """
    xp = backend.xp()
    a = _array(x)
    if isinstance(key, Tensor):
        key = key._array

    def vjp(g: Any) -> list[Any]:
        out = xp.zeros_like(a)
        backend.scatter_add(out, key, g)
        return [out]

    return apply(a[key], [x], vjp)


def slice(x: Any, start: Sequence[int], size: Sequence[int]) -> Tensor:  # noqa: A001
    """A block of ``size`` starting at ``start`` (size -1: to the end).

    Example:
        >>> slice([[1.0, 2.0, 3.0]], (0, 1), (1, -1)).numpy().tolist()
        [[2.0, 3.0]]
    """
    a = _array(x)
    key = tuple(
        builtins.slice(b, a.shape[i] if n == -1 else b + n)
        for i, (b, n) in enumerate(zip(start, size, strict=True))
    )
    return getitem(x, key)


def take(x: Any, indices: Any, axis: int = 0) -> Tensor:
    """Gathers entries along ``axis``; along axis 0 the gradient is sparse.

    Example:
        >>> take([[1.0], [2.0], [3.0]], [2, 0]).numpy().tolist()
        [[3.0], [1.0]]
    """
    xp = backend.xp()
    a = _array(x)
    idx = _array(indices)
    ax = axis % a.ndim
    if ax != 0:

        def dense_vjp(g: Any) -> list[Any]:
            out = xp.zeros_like(xp.moveaxis(a, ax, 0))
            backend.scatter_add(out, idx, xp.moveaxis(g, ax, 0))
            return [xp.moveaxis(out, 0, ax)]

        if idx.ndim != 1:
            raise ValueError("`take` along a non-leading axis needs 1-D indices.")
        return apply(xp.take(a, idx, axis=ax), [x], dense_vjp)

    def vjp(g: Any) -> list[Any]:
        flat = idx.reshape(-1)
        return [IndexedSlices(g.reshape((flat.shape[0],) + a.shape[1:]), flat, a.shape)]

    return apply(xp.take(a, idx, axis=0), [x], vjp)
