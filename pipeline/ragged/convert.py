"""Array plumbing for `RaggedTensor`: argument checks and dense conversions.

These helpers take ragged tensors by duck type (anything with
``nested_row_splits``), so this module does not import the class.

Example:
    >>> index_array([0, 2], "row_splits").dtype
    dtype('int64')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError


def is_ragged(value: Any) -> bool:
    """True for a `RaggedTensor` (duck-typed)."""
    return hasattr(value, "nested_row_splits")


def values_array(values: Any) -> Any:
    if is_ragged(values):
        return values
    if isinstance(values, np.ndarray) and values.dtype.kind not in "US":
        return values
    arr = np.asarray(values)
    if arr.dtype.kind in ("U", "S"):
        flat = [v.encode() if isinstance(v, str) else bytes(v) for v in arr.ravel()]
        arr = np.array(flat, dtype=object).reshape(arr.shape)
    return arr


def index_array(value: Any, name: str) -> np.ndarray:
    arr = np.asarray(value)
    if arr.dtype not in (np.int32, np.int64):
        if arr.size and arr.dtype.kind not in "iu":
            raise TypeError(f"`{name}` must be integers. Received dtype {arr.dtype}")
        arr = arr.astype(np.int64)
    if arr.ndim != 1:
        raise ValueError(f"`{name}` must be a vector. Received shape {arr.shape}")
    return arr


def count_values(values: Any) -> int:
    if is_ragged(values):
        return values.nrows()
    return int(np.shape(values)[0]) if np.ndim(values) else 0


def check_splits(splits: np.ndarray, nvals: int) -> None:
    if splits[0] != 0:
        raise InvalidArgumentError(
            f"Arguments to from_row_splits do not form a valid RaggedTensor: "
            f"row_splits[0] must be 0, got {int(splits[0])}"
        )
    if (np.diff(splits) < 0).any():
        raise InvalidArgumentError(
            "Arguments to from_row_splits do not form a valid RaggedTensor: "
            "row_splits must be sorted in ascending order"
        )
    if int(splits[-1]) != nvals:
        raise InvalidArgumentError(
            f"Arguments to from_row_splits do not form a valid RaggedTensor: "
            f"row_splits[-1] ({int(splits[-1])}) must equal nvals ({nvals})"
        )


def _pad_value(dtype: np.dtype, default_value: Any) -> Any:
    if default_value is not None:
        return default_value
    return b"" if dtype.kind == "O" else 0


def _dense_shape(rt: Any, shape: Any) -> list[int]:
    natural = natural_shape(rt)
    if shape is None:
        return natural
    shape = list(shape)
    if len(shape) != len(natural):
        raise ValueError(f"shape {shape} must have rank {len(natural)}")
    return [n if s is None or s == -1 else int(s) for s, n in zip(shape, natural)]


def natural_shape(rt: Any) -> list[int]:
    if not is_ragged(rt):
        return list(rt.shape[1:])
    lengths = rt.row_lengths()
    width = int(lengths.max()) if lengths.size else 0
    inner = natural_shape(rt.values)
    if is_ragged(rt.values):
        return [rt.nrows(), width, *inner[1:]]
    return [rt.nrows(), width, *inner]


def to_tensor(rt: Any, default_value: Any, shape: Any) -> np.ndarray:
    dims = _dense_shape(rt, shape)
    dtype = rt.flat_values.dtype
    out = np.full(dims, _pad_value(dtype, default_value), dtype=dtype)
    _fill(out, rt)
    return out


def _fill(out: np.ndarray, rt: Any) -> None:
    for i in range(min(rt.nrows(), out.shape[0])):
        row = rt[i]
        if is_ragged(row):
            _fill(out[i], row)
        else:
            n = min(row.shape[0], out.shape[1])
            tail = tuple(slice(0, d) for d in out.shape[2:])
            out[(i, slice(0, n), *tail)] = row[(slice(0, n), *tail)]


def from_tensor(
    cls: Any, dense: np.ndarray, lengths: Any, padding: Any, rank: int
) -> Any:
    if rank < 1 or dense.ndim <= rank:
        raise ValueError(f"ragged_rank must be in [1, {dense.ndim - 1}], got {rank}")
    if rank > 1:
        inner = from_tensor(cls, dense.reshape(-1, *dense.shape[2:]), None, None, 1)
        inner = from_tensor_lengths(cls, inner, dense.shape[1], lengths, padding)
        return inner
    rows, width = dense.shape[0], dense.shape[1]
    if lengths is not None:
        sizes = np.minimum(np.asarray(lengths, dtype=np.int64), width)
    elif padding is not None:
        sizes = _unpadded_lengths(dense, padding)
    else:
        sizes = np.full(rows, width, dtype=np.int64)
    keep = np.arange(width)[None, :] < sizes[:, None]
    return cls.from_row_lengths(dense[keep], sizes, validate=False)


def from_tensor_lengths(
    cls: Any, inner: Any, width: int, lengths: Any, padding: Any
) -> Any:
    if lengths is not None or padding is not None:
        raise ValueError("lengths/padding with ragged_rank > 1 are not supported")
    nrows = inner.nrows() // width if width else 0
    return cls.from_row_lengths(inner, np.full(nrows, width, dtype=np.int64))


def _unpadded_lengths(dense: np.ndarray, padding: Any) -> np.ndarray:
    is_pad = dense == np.asarray(padding, dtype=dense.dtype)
    if is_pad.ndim > 2:
        is_pad = is_pad.reshape(*is_pad.shape[:2], -1).all(axis=2)
    not_pad = ~is_pad
    width = dense.shape[1]
    last = width - np.argmax(not_pad[:, ::-1], axis=1)
    return np.where(not_pad.any(axis=1), last, 0).astype(np.int64)
