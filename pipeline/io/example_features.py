"""Composite parse specs: `SparseFeature` and `RaggedFeature`, as ``tf.io`` has them.

Both are built from plain feature lists of an Example: a `SparseFeature` from
one value list and one index list per dimension, a `RaggedFeature` from a
value list cut by partition lists (row splits, lengths, ...).

Example:
    >>> SparseFeature("idx", "val", "float32", 13)
    SparseFeature(index_key='idx', value_key='val', dtype=float32, size=13, \
already_sorted=False)
    >>> RaggedFeature("int64", partitions=[RaggedFeature.RowLengths("n")]).partitions
    (RowLengths(key='n'),)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.io.example_spec import normalize_dtype

__all__ = ["RaggedFeature", "SparseFeature", "splits_dtype"]


def splits_dtype(dtype: Any) -> np.dtype:
    """int32 or int64 from a numpy dtype, a name or a ``tf.DType``-like object.

    Example:
        >>> splits_dtype("int32")
        dtype('int32')
    """
    dtype = getattr(dtype, "as_numpy_dtype", dtype)
    result = np.dtype(dtype)
    if result not in (np.dtype(np.int32), np.dtype(np.int64)):
        raise ValueError(f"row_splits_dtype must be int32 or int64. Received {dtype!r}")
    return result


def _dtype_name(dtype: np.dtype) -> str:
    return "string" if dtype.kind == "O" else dtype.name


@dataclass(frozen=True)
class SparseFeature:
    """A sparse value built from an index list and a value list (`SparseTensor`).

    Record ``b``'s values go to ``[b, index_0[j], index_1[j], ...]``; the
    result's ``dense_shape`` is ``[batch] + size``.

    Args:
        index_key: the key (or list of keys, one per dimension) of int64 index
            lists.
        value_key: the key of the value list.
        dtype: int64, float32 or string.
        size: the dense size of each dimension (an int or a list).
        already_sorted: the indices are already in order; default False (they
            are sorted per record).

    Example:
        >>> SparseFeature(["i", "j"], "v", "int64", [3, 4]).size
        [3, 4]
    """

    index_key: Any
    value_key: str
    dtype: Any
    size: Any
    already_sorted: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "dtype", normalize_dtype(self.dtype))

    @property
    def index_keys(self) -> list[str]:
        """``index_key`` as a list."""
        return (
            [self.index_key]
            if isinstance(self.index_key, str)
            else list(self.index_key)
        )

    @property
    def sizes(self) -> list[int]:
        """``size`` as a list of ints."""
        if isinstance(self.size, (int, np.integer)):
            return [int(self.size)]
        return [int(s) for s in self.size]

    def __repr__(self) -> str:
        return (
            f"SparseFeature(index_key={self.index_key!r}, "
            f"value_key={self.value_key!r}, "
            f"dtype={_dtype_name(self.dtype)}, size={self.size!r}, "
            f"already_sorted={self.already_sorted})"
        )


@dataclass(frozen=True)
class _Keyed:
    key: str

    def __repr__(self) -> str:
        return f"{type(self).__name__}(key={self.key!r})"


class RowSplits(_Keyed):
    """Partition by a row-splits list (``[0, ..., len(values)]``)."""


class RowLengths(_Keyed):
    """Partition by a row-lengths list."""


class RowStarts(_Keyed):
    """Partition by a row-starts list."""


class RowLimits(_Keyed):
    """Partition by a row-limits list."""


class ValueRowIds(_Keyed):
    """Partition by the row id of each value."""


@dataclass(frozen=True)
class UniformRowLength:
    """Partition into rows of ``length`` values each (a uniform dimension)."""

    length: int

    def __repr__(self) -> str:
        return f"UniformRowLength(length={self.length})"


@dataclass(frozen=True)
class RaggedFeature:
    """A ragged value (`pipeline.RaggedTensor`) built from feature lists.

    Without partitions each record's values form one row. Each partition cuts
    the values into rows, outermost first; all but `UniformRowLength` name the
    int64 list that describes the cut.

    Args:
        dtype: int64, float32 or string.
        value_key: the key of the value list; default the output key.
        partitions: partition specs (``RaggedFeature.RowSplits(key)``, ...),
            outermost first; default none.
        row_splits_dtype: int32 (default) or int64.
        validate: check each partition against the values; default False.

    Example:
        >>> RaggedFeature("float32").row_splits_dtype
        dtype('int32')
    """

    dtype: Any
    value_key: str | None = None
    partitions: Any = ()
    row_splits_dtype: Any = np.int32
    validate: bool = False

    RowSplits = RowSplits
    RowLengths = RowLengths
    RowStarts = RowStarts
    RowLimits = RowLimits
    ValueRowIds = ValueRowIds
    UniformRowLength = UniformRowLength

    def __post_init__(self) -> None:
        object.__setattr__(self, "dtype", normalize_dtype(self.dtype))
        object.__setattr__(self, "partitions", tuple(self.partitions))
        object.__setattr__(
            self, "row_splits_dtype", splits_dtype(self.row_splits_dtype)
        )
        for partition in self.partitions:
            if not isinstance(partition, (_Keyed, UniformRowLength)):
                raise TypeError(
                    f"Unexpected partition type {type(partition).__name__}: use "
                    "RaggedFeature.RowSplits, RowLengths, RowStarts, RowLimits, "
                    "ValueRowIds or UniformRowLength"
                )

    def keys(self, out_key: str) -> list[str]:
        """The value key (``out_key`` by default) and every partition key."""
        value = self.value_key if self.value_key is not None else out_key
        return [value] + [p.key for p in self.partitions if isinstance(p, _Keyed)]

    def __repr__(self) -> str:
        return (
            f"RaggedFeature(dtype={_dtype_name(self.dtype)}, "
            f"value_key={self.value_key!r}, partitions={self.partitions!r}, "
            f"row_splits_dtype={self.row_splits_dtype.name}, validate={self.validate})"
        )
