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
from pipeline.nn.ops._core import apply, arr, unbroadcast
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
    return apply(
        a.reshape(tuple(shape)), [x], lambda g: [g.reshape(a.shape)], _reshape_back
    )


def _reshape_back(g: Tensor, xs: tuple[Any, ...], out: Tensor) -> list[Any]:
    return [reshape(g, _array(xs[0]).shape)]


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
    return apply(
        a.transpose(perm),
        [x],
        lambda g: [g.transpose(inverse)],
        lambda g, xs, out: [transpose(g, inverse)],
    )


def expand_dims(x: Any, axis: int) -> Tensor:
    """Inserts a length-1 axis.

    Example:
        >>> expand_dims([1.0], 0).shape
        (1, 1)
    """
    a = _array(x)
    out = backend.xp().expand_dims(a, axis)
    return apply(out, [x], lambda g: [g.reshape(a.shape)], _reshape_back)


def squeeze(x: Any, axis: Any = None) -> Tensor:
    """Removes length-1 axes.

    Example:
        >>> squeeze([[1.0]]).shape
        ()
    """
    a = _array(x)
    out = backend.xp().squeeze(a, axis)
    return apply(out, [x], lambda g: [g.reshape(a.shape)], _reshape_back)


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

    def keys() -> list[tuple[Any, ...]]:
        index = [builtins.slice(None)] * arrays[0].ndim
        out = []
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            index[ax] = builtins.slice(lo, hi)
            out.append(tuple(index))
        return out

    def vjp(g: Any) -> list[Any]:
        return [g[key] for key in keys()]

    def rule(g: Tensor, inputs: Any, out: Tensor) -> list[Any]:
        return [getitem(g, key) for key in keys()]

    return apply(xp.concatenate(arrays, axis=ax), list(xs), vjp, rule)


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

    def rule(g: Tensor, inputs: Any, out: Tensor) -> list[Any]:
        lead = (builtins.slice(None),) * ax
        return [getitem(g, lead + (i,)) for i in range(len(arrays))]

    return apply(out, list(xs), vjp, rule)


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

    def rule(g: Tensor, inputs: Any, out: Tensor) -> list[Any]:
        return [scatter(g, key, a.shape)]

    return apply(a[key], [x], vjp, rule)


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
        key = (builtins.slice(None),) * ax + (idx,)
        return apply(
            xp.take(a, idx, axis=ax),
            [x],
            dense_vjp,
            lambda g, xs, out: [scatter(g, key, a.shape)],
        )

    flat = idx.reshape(-1)
    rows = (flat.shape[0],) + a.shape[1:]

    def vjp(g: Any) -> list[Any]:
        return [IndexedSlices(g.reshape(rows), flat, a.shape)]

    def rule(g: Tensor, xs: Any, out: Tensor) -> list[Any]:
        return [scatter(reshape(g, rows), flat, a.shape)]

    return apply(xp.take(a, idx, axis=0), [x], vjp, rule)


def scatter(values: Any, key: Any, shape: Sequence[int]) -> Tensor:
    """Zeros of ``shape`` with ``values`` added at ``key`` (duplicates add up).

    The backward of ``getitem`` and ``take``; its own backward is ``getitem``.

    Example:
        >>> scatter([1.0, 2.0], [0, 0], (3,)).numpy().tolist()
        [3.0, 0.0, 0.0]
    """
    xp = backend.xp()
    v = _array(values)
    out = xp.zeros(tuple(shape), v.dtype)
    backend.scatter_add(out, key, v)
    return apply(
        out,
        [values],
        lambda g: [g[key]],
        lambda g, xs, out: [getitem(g, key)],
    )


def broadcast_to(x: Any, shape: Sequence[int]) -> Tensor:
    """``x`` broadcast to ``shape`` (the backward of a reduction).

    Example:
        >>> broadcast_to([1.0], (2,)).numpy().tolist()
        [1.0, 1.0]
    """
    a = _array(x)
    shape = tuple(shape)
    return apply(
        backend.xp().broadcast_to(a, shape),
        [x],
        lambda g: [unbroadcast(g, a.shape)],
        lambda g, xs, out: [_sum_back(g, a.shape)],
    )


def _sum_back(g: Tensor, shape: tuple[int, ...]) -> Tensor:
    from pipeline.nn.ops.reduction import unbroadcast_tensor  # noqa: PLC0415  (cycle)

    return unbroadcast_tensor(g, shape)
