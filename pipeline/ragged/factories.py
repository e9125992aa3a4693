"""`RaggedFactories`: the ``from_*`` factories of `RaggedTensor` built on
``from_row_splits`` (row starts, limits, value row ids, uniform lengths, nested
splits and lengths).

Example:
    >>> from pipeline.ragged import RaggedTensor
    >>> RaggedTensor.from_value_rowids([1, 2, 3], [0, 0, 2]).to_list()
    [[1, 2], [], [3]]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.ragged.convert import count_values, index_array, values_array

if TYPE_CHECKING:
    from pipeline.ragged.tensor import RaggedTensor

__all__ = ["RaggedFactories"]


class RaggedFactories:
    """Mixin of `RaggedTensor`: the factories beyond splits and lengths."""

    __slots__ = ()

    @classmethod
    def from_row_starts(
        cls,
        values: Any,
        row_starts: Any,
        name: str | None = None,
        validate: bool = True,
    ) -> RaggedTensor:
        """Rows starting at ``row_starts`` (the last one ends at ``len(values)``).

        Example:
            >>> from pipeline.ragged import RaggedTensor
            >>> RaggedTensor.from_row_starts([1, 2, 3], [0, 2]).to_list()
            [[1, 2], [3]]
        """
        starts = index_array(row_starts, "row_starts")
        values = values_array(values)
        end = np.array([count_values(values)], dtype=starts.dtype)
        return cls.from_row_splits(
            values, np.concatenate([starts, end]), validate=validate
        )

    @classmethod
    def from_row_limits(
        cls,
        values: Any,
        row_limits: Any,
        name: str | None = None,
        validate: bool = True,
    ) -> RaggedTensor:
        """Rows ending at ``row_limits`` (the first one starts at 0).

        Example:
            >>> from pipeline.ragged import RaggedTensor
            >>> RaggedTensor.from_row_limits([1, 2, 3], [1, 3]).to_list()
            [[1], [2, 3]]
        """
        limits = index_array(row_limits, "row_limits")
        splits = np.concatenate([np.zeros(1, limits.dtype), limits])
        return cls.from_row_splits(values, splits, validate=validate)

    @classmethod
    def from_value_rowids(
        cls,
        values: Any,
        value_rowids: Any,
        nrows: int | None = None,
        name: str | None = None,
        validate: bool = True,
    ) -> RaggedTensor:
        """``values[j]`` goes to row ``value_rowids[j]`` (sorted ascending).

        Args:
            values: the flat values.
            value_rowids: the row of each value, non-decreasing.
            nrows: how many rows; default ``value_rowids[-1] + 1`` (0 if empty).
            validate: check the ids; default True.

        Example:
            >>> from pipeline.ragged import RaggedTensor
            >>> RaggedTensor.from_value_rowids([3, 1, 4], [0, 0, 2]).to_list()
            [[3, 1], [], [4]]
        """
        ids = index_array(value_rowids, "value_rowids")
        if nrows is None:
            nrows = int(ids[-1]) + 1 if ids.size else 0
        nrows = int(nrows)
        if validate:
            if ids.size and (ids[0] < 0 or (np.diff(ids) < 0).any()):
                raise InvalidArgumentError("value_rowids must be sorted and >= 0")
            if nrows < 0 or (ids.size and ids[-1] >= nrows):
                raise InvalidArgumentError("nrows must be greater than value_rowids")
        counts = np.bincount(ids, minlength=nrows)[:nrows] if ids.size else None
        if counts is None:
            counts = np.zeros(nrows, dtype=np.int64)
        return cls.from_row_lengths(values, counts.astype(ids.dtype), validate=validate)

    @classmethod
    def from_uniform_row_length(
        cls,
        values: Any,
        uniform_row_length: int,
        nrows: int | None = None,
        validate: bool = True,
        name: str | None = None,
    ) -> RaggedTensor:
        """Rows all of length ``uniform_row_length`` (a dimension that is uniform).

        Example:
            >>> from pipeline.ragged import RaggedTensor
            >>> rt = RaggedTensor.from_uniform_row_length([1, 2, 3, 4], 2)
            >>> rt.to_list(), rt.shape
            ([[1, 2], [3, 4]], (2, 2))
        """
        values = values_array(values)
        length, nvals = int(uniform_row_length), count_values(values)
        if nrows is None:
            nrows = nvals // length if length else 0
        if length * int(nrows) != nvals:
            raise InvalidArgumentError(
                f"uniform_row_length {length} with nrows {nrows} does not "
                f"match {nvals} values"
            )
        splits = np.arange(int(nrows) + 1, dtype=np.int64) * length
        return cls(values, splits, uniform_row_length=length)

    @classmethod
    def from_nested_row_splits(
        cls,
        flat_values: Any,
        nested_row_splits: Any,
        name: str | None = None,
        validate: bool = True,
    ) -> RaggedTensor:
        """Several ragged dimensions at once, outermost splits first.

        Example:
            >>> from pipeline.ragged import RaggedTensor
            >>> RaggedTensor.from_nested_row_splits(
            ...     [1, 2, 3], [[0, 2, 3], [0, 1, 1, 3]]).to_list()
            [[[1], []], [[2, 3]]]
        """
        if isinstance(nested_row_splits, np.ndarray) and nested_row_splits.ndim == 1:
            raise ValueError("`nested_row_splits` must be a list of vectors")
        result = values_array(flat_values)
        for splits in reversed(list(nested_row_splits)):
            result = cls.from_row_splits(result, splits, validate=validate)
        return result

    @classmethod
    def from_nested_row_lengths(
        cls,
        flat_values: Any,
        nested_row_lengths: Any,
        name: str | None = None,
        validate: bool = True,
    ) -> RaggedTensor:
        """Several ragged dimensions from row lengths, outermost first.

        Example:
            >>> from pipeline.ragged import RaggedTensor
            >>> RaggedTensor.from_nested_row_lengths([1, 2], [[1, 1], [2, 0]]).to_list()
            [[[1, 2]], [[]]]
        """
        result = values_array(flat_values)
        for lengths in reversed(list(nested_row_lengths)):
            result = cls.from_row_lengths(result, lengths, validate=validate)
        return result
