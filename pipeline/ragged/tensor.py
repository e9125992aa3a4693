"""`RaggedTensor`: rows of different lengths, as TensorFlow represents them.

A ragged tensor is a flat ``values`` array cut into rows by ``row_splits``
(row ``i`` is ``values[row_splits[i]:row_splits[i + 1]]``). ``values`` may
itself be a `RaggedTensor`, which gives more ragged dimensions. Every field is
numpy, as in `pipeline.SparseTensor`.

Example:
    >>> rt = RaggedTensor.from_row_splits([1, 2, 3, 4], [0, 3, 3, 4])
    >>> rt.to_list()
    [[1, 2, 3], [], [4]]
    >>> rt.to_tensor().tolist()
    [[1, 2, 3], [0, 0, 0], [4, 0, 0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.ragged.convert import (
    check_splits,
    count_values,
    from_tensor,
    index_array,
    natural_shape,
    to_tensor,
    values_array,
)
from pipeline.ragged.factories import RaggedFactories

__all__ = ["RaggedTensor"]


class RaggedTensor(RaggedFactories):
    """A tensor with rows of different lengths (TensorFlow's ``tf.RaggedTensor``).

    Build one with a ``from_*`` factory, never with the constructor's arguments
    directly. ``values`` is a numpy array (or a `RaggedTensor` for more ragged
    dimensions); ``row_splits`` an int64 (or int32) vector of ``nrows + 1``
    offsets into ``values``.

    Example:
        >>> rt = RaggedTensor.from_row_lengths([b"a", b"b", b"c"], [2, 0, 1])
        >>> rt.row_splits.tolist(), rt.shape
        ([0, 2, 2, 3], (3, None))
        >>> rt[0].tolist()
        [b'a', b'b']
    """

    __slots__ = ("values", "row_splits", "_uniform_row_length")

    def __init__(
        self, values: Any, row_splits: Any, uniform_row_length: int | None = None
    ) -> None:
        self.values = values_array(values)
        self.row_splits = index_array(row_splits, "row_splits")
        self._uniform_row_length = uniform_row_length

    # -- factories -------------------------------------------------------

    @classmethod
    def from_row_splits(
        cls,
        values: Any,
        row_splits: Any,
        name: str | None = None,
        validate: bool = True,
    ) -> RaggedTensor:
        """Rows ``values[row_splits[i]:row_splits[i + 1]]``.

        Args:
            values: the flat values (an array, or a `RaggedTensor`).
            row_splits: a vector starting at 0, non-decreasing, ending at
                ``len(values)``.
            validate: check ``row_splits``; default True.

        Raises:
            InvalidArgumentError: ``row_splits`` is not valid for ``values``.

        Example:
            >>> RaggedTensor.from_row_splits([5, 6, 7], [0, 1, 3]).to_list()
            [[5], [6, 7]]
        """
        splits = index_array(row_splits, "row_splits")
        values = values_array(values)
        if splits.shape[0] == 0:
            raise ValueError("`row_splits` must have at least one element")
        if validate:
            check_splits(splits, count_values(values))
        return cls(values, splits)

    @classmethod
    def from_row_lengths(
        cls,
        values: Any,
        row_lengths: Any,
        name: str | None = None,
        validate: bool = True,
    ) -> RaggedTensor:
        """Rows of the given lengths, taken from ``values`` in order.

        Example:
            >>> RaggedTensor.from_row_lengths([1, 2, 3], [1, 0, 2]).to_list()
            [[1], [], [2, 3]]
        """
        lengths = index_array(row_lengths, "row_lengths")
        if validate and (lengths < 0).any():
            raise InvalidArgumentError("Arguments to from_row_lengths must be >= 0")
        splits = np.concatenate([[0], np.cumsum(lengths)]).astype(lengths.dtype)
        return cls.from_row_splits(values, splits, validate=validate)

    @classmethod
    def from_tensor(
        cls,
        tensor: Any,
        lengths: Any = None,
        padding: Any = None,
        ragged_rank: int = 1,
        name: str | None = None,
        row_splits_dtype: Any = np.int64,
    ) -> RaggedTensor:
        """A ragged tensor from a dense one, optionally trimming each row.

        Args:
            tensor: an array of rank ``ragged_rank + 1`` or more.
            lengths: the length of each row (default: all of it).
            padding: trailing values equal to ``padding`` are cut from each row.
            ragged_rank: how many dimensions become ragged; default 1.

        Example:
            >>> RaggedTensor.from_tensor([[1, 0], [2, 3]], padding=0).to_list()
            [[1], [2, 3]]
        """
        rt = from_tensor(cls, values_array(tensor), lengths, padding, ragged_rank)
        dtype = np.dtype(getattr(row_splits_dtype, "as_numpy_dtype", row_splits_dtype))
        if dtype == np.int64:
            return rt
        splits = [s.astype(dtype) for s in rt.nested_row_splits]
        return cls.from_nested_row_splits(rt.flat_values, splits, validate=False)

    # -- properties ------------------------------------------------------

    @property
    def dtype(self) -> np.dtype:
        """The dtype of ``flat_values``."""
        return self.flat_values.dtype

    @property
    def row_splits_dtype(self) -> np.dtype:
        """The dtype of ``row_splits`` (int64 or int32)."""
        return self.row_splits.dtype

    @property
    def flat_values(self) -> np.ndarray:
        """The innermost values, below every ragged dimension."""
        values = self.values
        while isinstance(values, RaggedTensor):
            values = values.values
        return values

    @property
    def nested_row_splits(self) -> tuple[np.ndarray, ...]:
        """``row_splits`` of every ragged dimension, outermost first."""
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt.row_splits)
            rt = rt.values
        return tuple(out)

    @property
    def ragged_rank(self) -> int:
        """The number of ragged dimensions."""
        return len(self.nested_row_splits)

    @property
    def uniform_row_length(self) -> int | None:
        """The common row length when this dimension is uniform, else None."""
        return self._uniform_row_length

    @property
    def shape(self) -> tuple[int | None, ...]:
        """``(nrows, None, ...)``: ragged dimensions are None."""
        return (self.nrows(), self._uniform_row_length, *self.values.shape[1:])

    @property
    def ndim(self) -> int:
        """The rank."""
        return len(self.shape)

    # -- row partition accessors -----------------------------------------

    def nrows(self) -> int:
        """The number of rows."""
        return int(self.row_splits.shape[0]) - 1

    def row_lengths(self, axis: int = 1) -> Any:
        """The length of each row (``axis=1``), or of each row of ``values``.

        Example:
            >>> rt = RaggedTensor.from_row_splits([1, 2, 3], [0, 1, 3])
            >>> rt.row_lengths().tolist()
            [1, 2]
        """
        if axis == 1:
            return np.diff(self.row_splits)
        if not isinstance(self.values, RaggedTensor):
            raise ValueError(f"axis={axis} is out of bounds for ragged_rank 1")
        return RaggedTensor(self.values.row_lengths(axis - 1), self.row_splits)

    def bounding_shape(self) -> np.ndarray:
        """The smallest dense shape that holds every row (int64), as TF's.

        Example:
            >>> RaggedTensor.from_row_lengths([1, 2, 3], [1, 2]).bounding_shape()
            array([2, 2])
        """
        return np.array(natural_shape(self), dtype=np.int64)

    def row_starts(self) -> np.ndarray:
        """Where each row starts in ``values``."""
        return self.row_splits[:-1]

    def row_limits(self) -> np.ndarray:
        """Where each row ends in ``values``."""
        return self.row_splits[1:]

    def value_rowids(self) -> np.ndarray:
        """The row of each item of ``values``."""
        lengths = self.row_lengths()
        ids = np.repeat(np.arange(self.nrows()), lengths)
        return ids.astype(self.row_splits.dtype)

    def with_values(self, new_values: Any) -> RaggedTensor:
        """The same rows over new ``values`` (of the same outer length)."""
        return RaggedTensor(new_values, self.row_splits, self._uniform_row_length)

    def with_flat_values(self, new_values: Any) -> RaggedTensor:
        """The same ragged structure over new ``flat_values``."""
        if isinstance(self.values, RaggedTensor):
            return self.with_values(self.values.with_flat_values(new_values))
        return self.with_values(new_values)

    # -- conversions -----------------------------------------------------

    def to_list(self) -> list[Any]:
        """Nested Python lists (bytes for strings), as TF's ``to_list()``.

        Example:
            >>> RaggedTensor.from_row_lengths([b"x", b"y"], [0, 2]).to_list()
            [[], [b'x', b'y']]
        """
        inner = self.values
        items = inner.to_list() if isinstance(inner, RaggedTensor) else inner.tolist()
        splits = self.row_splits.tolist()
        return [items[a:b] for a, b in zip(splits[:-1], splits[1:])]

    def to_tensor(
        self, default_value: Any = None, name: str | None = None, shape: Any = None
    ) -> np.ndarray:
        """A dense array, each row padded with ``default_value`` (0 or b"").

        Args:
            default_value: the padding; default zero (empty bytes for strings).
            shape: the result's shape (None entries: as needed); rows longer
                than ``shape`` are cut.

        Example:
            >>> RaggedTensor.from_row_lengths([1, 2, 3], [2, 1]).to_tensor(
            ...     default_value=-1, shape=[3, 3]).tolist()
            [[1, 2, -1], [3, -1, -1], [-1, -1, -1]]
        """
        return to_tensor(self, default_value, shape)

    def numpy(self) -> np.ndarray:
        """An object array with one array per row (as TF's ``numpy()``)."""
        out = np.empty(self.nrows(), dtype=object)
        for i in range(self.nrows()):
            row = self[i]
            out[i] = row.numpy() if isinstance(row, RaggedTensor) else row
        return out

    # -- python protocol -------------------------------------------------

    def __getitem__(self, index: int) -> Any:
        if not isinstance(index, (int, np.integer)):
            raise TypeError("RaggedTensor supports integer row indexing only")
        n = self.nrows()
        i = int(index) + n if index < 0 else int(index)
        if not 0 <= i < n:
            raise IndexError(f"row {index} out of range for {n} rows")
        a, b = int(self.row_splits[i]), int(self.row_splits[i + 1])
        if isinstance(self.values, RaggedTensor):
            return _slice_rows(self.values, a, b)
        return self.values[a:b]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RaggedTensor):
            return NotImplemented
        return (
            self.ragged_rank == other.ragged_rank
            and all(
                np.array_equal(a, b)
                for a, b in zip(self.nested_row_splits, other.nested_row_splits)
            )
            and np.array_equal(self.flat_values, other.flat_values)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<RaggedTensor {self.to_list()!r}>"


def _slice_rows(rt: RaggedTensor, a: int, b: int) -> RaggedTensor:
    splits = rt.row_splits[a : b + 1]
    lo, hi = int(splits[0]), int(splits[-1])
    inner = rt.values
    part = _slice_rows(inner, lo, hi) if isinstance(inner, RaggedTensor) else None
    if part is None:
        part = inner[lo:hi]
    return RaggedTensor(part, splits - lo, rt.uniform_row_length)
