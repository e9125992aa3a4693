"""Building `RaggedFeature` and `SparseFeature` outputs from parsed feature lists.

The parser hands over each needed list as flat values plus ``splits`` (the
values of unit ``u`` are ``values[splits[u]:splits[u + 1]]``; a unit is a
record, or a step of a feature list). Each unit's values are cut by its
partition lists into one ragged value (`unit_values`), and units are stacked
along a new ragged outer dimension (`stack_units`).

Example:
    >>> values = (np.array([1.0, 2.0, 3.0], np.float32), np.array([0, 2, 3]))
    >>> spec = RaggedFeature("float32")
    >>> batch_ragged("r", spec, {"r": values}, 2).to_list()
    [[1.0, 2.0], [3.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.io.example_features import (
    RaggedFeature,
    RowLengths,
    RowLimits,
    RowSplits,
    RowStarts,
    SparseFeature,
    UniformRowLength,
    ValueRowIds,
)
from pipeline.ragged import RaggedTensor
from pipeline.types import SparseTensor

__all__ = [
    "batch_ragged",
    "batch_sparse",
    "batched_levels",
    "stack_units",
    "unit_values",
]

#: A list parsed for every unit: ``(flat values, splits)``.
Lists = dict[str, tuple[np.ndarray, np.ndarray]]


def _unit_list(lists: Lists, key: str, unit: int) -> np.ndarray:
    values, splits = lists[key]
    return values[splits[unit] : splits[unit + 1]]


def _partition(rt: Any, part: Any, row: np.ndarray, spec: RaggedFeature) -> Any:
    """``rt`` cut into rows by one partition (``row``: its list for this unit)."""
    if isinstance(part, UniformRowLength):
        return _uniform(rt, int(part.length))
    row = row.astype(spec.row_splits_dtype)
    check = spec.validate
    if isinstance(part, RowSplits):
        row = row if row.size else np.zeros(1, spec.row_splits_dtype)
        return RaggedTensor.from_row_splits(rt, row, validate=check)
    if isinstance(part, RowLengths):
        return RaggedTensor.from_row_lengths(rt, row, validate=check)
    if isinstance(part, RowStarts):
        return RaggedTensor.from_row_starts(rt, row, validate=check)
    if isinstance(part, RowLimits):
        return RaggedTensor.from_row_limits(rt, row, validate=check)
    assert isinstance(part, ValueRowIds)
    return RaggedTensor.from_value_rowids(rt, row, validate=check)


def _uniform(rt: Any, length: int) -> Any:
    if isinstance(rt, RaggedTensor):
        return RaggedTensor.from_uniform_row_length(rt, length)
    if length <= 0 or rt.shape[0] % length:
        raise InvalidArgumentError(
            f"Input to reshape is a tensor with {rt.shape[0]} values, but the "
            f"requested shape requires a multiple of {length}"
        )
    return rt.reshape(-1, length, *rt.shape[1:])


def unit_values(spec: RaggedFeature, key: str, lists: Lists, unit: int | None) -> Any:
    """The ragged value of one unit (``unit=None``: an empty template).

    A dense numpy array when no partition makes a ragged dimension.
    """
    keys = spec.keys(key)
    if unit is None:
        values = np.empty(0, dtype=spec.dtype)
        rows = [np.empty(0, np.int64) for _ in keys[1:]]
    else:
        values = _unit_list(lists, keys[0], unit)
        rows = [_unit_list(lists, k, unit) for k in keys[1:]]
    keyed = iter(reversed(rows))
    rt: Any = values
    for part in reversed(spec.partitions):
        row = None if isinstance(part, UniformRowLength) else next(keyed)
        rt = _partition(rt, part, row, spec)
    return rt


def _nrows(unit: Any) -> int:
    return unit.nrows() if isinstance(unit, RaggedTensor) else int(unit.shape[0])


def _concat(units: list[Any]) -> Any:
    """Concatenate unit values along their outer dimension."""
    if not isinstance(units[0], RaggedTensor):
        return np.concatenate(units)
    inner = _concat([u.values for u in units])
    pieces, offset = [units[0].row_splits[:1]], 0
    for u in units:
        pieces.append(u.row_splits[1:] + offset)
        offset += _nrows(u.values)
    splits = np.concatenate(pieces).astype(units[0].row_splits.dtype)
    return RaggedTensor(inner, splits, units[0].uniform_row_length)


def stack_units(units: list[Any], template: Any, dtype: np.dtype) -> RaggedTensor:
    """``units`` as the rows of one ragged value (outer splits of ``dtype``).

    ``template`` (an empty unit) gives the structure when ``units`` is empty.

    Example:
        >>> stack_units([np.array([1]), np.array([2, 3])], np.array([], int),
        ...             np.dtype(np.int64)).to_list()
        [[1], [2, 3]]
    """
    lengths = [_nrows(u) for u in units]
    splits = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(dtype)
    return RaggedTensor(_concat([template, *units]), splits)


def batch_ragged(key: str, spec: RaggedFeature, lists: Lists, batch: int) -> Any:
    """The ``[batch, ...]`` `RaggedTensor` of a `RaggedFeature`."""
    dtype = spec.row_splits_dtype
    if spec.validate:  # unit by unit, so each partition is checked on its own
        units = [unit_values(spec, key, lists, u) for u in range(batch)]
        return stack_units(units, unit_values(spec, key, lists, None), dtype)
    inner, rows = batched_levels(spec, key, lists)
    return RaggedTensor(inner, _splits(rows, dtype))


def _splits(lengths: np.ndarray, dtype: np.dtype) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(dtype)


def batched_levels(spec: RaggedFeature, key: str, lists: Lists) -> tuple[Any, Any]:
    """Every unit's ragged value, concatenated, and each unit's row count.

    Vectorized over units: each partition turns its per-unit lists into row
    lengths at once (partitions are not checked against the values here).

    Example:
        >>> lists = {"v": (np.arange(3.0), np.array([0, 2, 3])),
        ...          "n": (np.array([1, 1, 1]), np.array([0, 2, 3]))}
        >>> spec = RaggedFeature("float32", "v", [RaggedFeature.RowLengths("n")])
        >>> inner, rows = batched_levels(spec, "r", lists)
        >>> inner.to_list(), rows.tolist()
        ([[0.0], [1.0], [2.0]], [2, 1])
    """
    keys = spec.keys(key)
    rt, value_splits = lists[keys[0]]
    counts = np.diff(value_splits)
    keyed = iter(reversed(keys[1:]))
    for part in reversed(spec.partitions):
        if isinstance(part, UniformRowLength):
            rt, counts = _uniform_level(rt, counts, int(part.length))
            continue
        flat, list_splits = lists[next(keyed)]
        lengths, counts = _row_lengths(part, flat, list_splits, counts)
        rt = RaggedTensor(rt, _splits(lengths, spec.row_splits_dtype))
    return rt, counts


def _uniform_level(rt: Any, counts: np.ndarray, length: int) -> tuple[Any, Any]:
    bad = np.flatnonzero(counts % length) if length > 0 else np.arange(1)
    if bad.size:
        n = int(counts[bad[0]]) if counts.size else 0
        raise InvalidArgumentError(
            f"Input to reshape is a tensor with {n} values, but the requested "
            f"shape requires a multiple of {length}"
        )
    return _uniform(rt, length), counts // length


def _row_lengths(part, flat, list_splits, counts) -> tuple[np.ndarray, np.ndarray]:
    """Row lengths of every unit's rows, and each unit's row count."""
    n = np.diff(list_splits)
    unit = np.repeat(np.arange(n.size), n)
    flat = flat.astype(np.int64)
    if isinstance(part, RowLengths):
        return flat, n
    if isinstance(part, RowSplits):
        same = unit[1:] == unit[:-1]
        return np.diff(flat)[same], np.maximum(n - 1, 0)
    if isinstance(part, (RowStarts, RowLimits)):
        last = np.ones(flat.size, dtype=bool)
        last[:-1] = unit[1:] != unit[:-1]
        if isinstance(part, RowStarts):
            ends = np.where(last, counts[unit], np.roll(flat, -1))
            return ends - flat, n
        first = np.roll(last, 1)
        return flat - np.where(first, 0, np.roll(flat, 1)), n
    assert isinstance(part, ValueRowIds)
    rows = np.zeros(n.size, dtype=np.int64)
    ends = list_splits[1:][n > 0] - 1
    rows[n > 0] = flat[ends] + 1 if ends.size else 0
    offsets = np.concatenate([[0], np.cumsum(rows)])[:-1]
    lengths = np.bincount(offsets[unit] + flat, minlength=int(rows.sum()))
    return lengths, rows


def batch_sparse(spec: SparseFeature, lists: Lists, batch: int) -> SparseTensor:
    """The `SparseTensor` of a `SparseFeature`: ``[b, index...]`` per value.

    Raises:
        InvalidArgumentError: a record's index and value lists differ in length.
    """
    values, splits = lists[spec.value_key]
    counts = np.diff(splits)
    columns = []
    for index_key in spec.index_keys:
        index, index_splits = lists[index_key]
        if not np.array_equal(np.diff(index_splits), counts):
            row = int(np.argmax(np.diff(index_splits) != counts))
            raise InvalidArgumentError(
                f"SparseFeature: record {row} has "
                f"{int(np.diff(index_splits)[row])} values in {index_key!r} but "
                f"{int(counts[row])} in {spec.value_key!r}; dimensions must match",
                record_index=row,
            )
        columns.append(index)
    rows = np.repeat(np.arange(batch, dtype=np.int64), counts)
    indices = np.stack([rows, *columns], axis=1).reshape(-1, 1 + len(columns))
    if not spec.already_sorted and indices.shape[0]:
        order = np.lexsort(indices.T[::-1])
        indices, values = indices[order], values[order]
    shape = np.array([batch, *spec.sizes], dtype=np.int64)
    return SparseTensor(indices, values, shape)
