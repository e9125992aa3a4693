"""``pl.ragged.constant``: a `RaggedTensor` from nested Python lists.

As ``tf.ragged.constant``: the lists' nesting depth ``K`` gives
``ragged_rank = K - 1 - len(inner_shape)`` by default; Python ints become
int32 (int64 when they do not fit), floats float32, strings bytes; an empty
list of values is float32.

Example:
    >>> constant([[1, 2], [], [3]]).to_list()
    [[1, 2], [], [3]]
    >>> rt = constant([[[1], [2, 3]], [[4]]])
    >>> rt.ragged_rank, rt.flat_values.dtype
    (2, dtype('int32'))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.ragged.tensor import RaggedTensor

__all__ = ["constant"]

_INT32 = np.iinfo(np.int32)


def _depth(value: Any) -> int:
    if isinstance(value, (list, tuple)):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def _values(items: list[Any], dtype: Any, inner_shape: tuple[int, ...]) -> np.ndarray:
    if dtype is not None:
        dtype = np.dtype(getattr(dtype, "as_numpy_dtype", dtype))
    if not items:
        return np.zeros((0, *inner_shape), dtype=dtype or np.float32)
    if dtype is not None and dtype.kind != "O":
        return np.asarray(items, dtype=dtype)
    arr = np.asarray(items)
    if arr.dtype.kind in "USO":
        flat = [v.encode() if isinstance(v, str) else bytes(v) for v in arr.ravel()]
        return np.array(flat, dtype=object).reshape(arr.shape)
    if arr.dtype.kind == "i":
        fits = arr.min() >= _INT32.min and arr.max() <= _INT32.max
        return arr.astype(np.int32 if fits else np.int64)
    return arr.astype(np.float32) if arr.dtype.kind == "f" else arr


def constant(
    pylist: Any,
    dtype: Any = None,
    ragged_rank: int | None = None,
    inner_shape: Any = None,
    name: str | None = None,
    row_splits_dtype: Any = np.int64,
) -> Any:
    """A `RaggedTensor` holding ``pylist`` (a numpy array when ``ragged_rank`` is 0).

    Args:
        pylist: nested lists (or tuples) of scalars.
        dtype: the values' dtype (default: from the scalars, as TF types them).
        ragged_rank: how many dimensions are ragged (default: all but the
            innermost ``len(inner_shape) + 1``).
        inner_shape: the shape of each innermost value (default ``()``).
        name: unused (TF's op name).
        row_splits_dtype: int64 (default) or int32.

    Raises:
        ValueError: scalars at different nesting depths, or a ``ragged_rank``
            out of range.
    """
    inner = tuple(int(d) for d in (inner_shape or ()))
    depth = _depth(pylist)
    if ragged_rank is None:
        ragged_rank = max(0, depth - 1 - len(inner))
    if not 0 <= ragged_rank < max(depth, 1):
        raise ValueError(
            f"`ragged_rank` must be in [0, {max(depth - 1, 0)}] for a list of "
            f"depth {depth}. Received: ragged_rank={ragged_rank}"
        )
    if ragged_rank == 0:
        return _values(list(pylist), dtype, inner)
    rows, splits = list(pylist), []
    for _ in range(ragged_rank):
        if not all(isinstance(r, (list, tuple)) for r in rows):
            raise ValueError("all scalar values must have the same nesting depth")
        lengths = [len(r) for r in rows]
        splits.append(
            np.concatenate([[0], np.cumsum(lengths)]).astype(row_splits_dtype)
        )
        rows = [x for r in rows for x in r]
    if any(_depth(r) != depth - 1 - ragged_rank for r in rows):
        raise ValueError("all scalar values must have the same nesting depth")
    return RaggedTensor.from_nested_row_splits(_values(rows, dtype, inner), splits)
