"""`RaggedTensorSpec`: the type of a ragged leaf in a dataset element.

Example:
    >>> RaggedTensorSpec([None, None]).ragged_rank
    1
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["RaggedTensorSpec"]


class RaggedTensorSpec:
    """The type of a `RaggedTensor` leaf in a dataset element.

    Args:
        shape: the full shape, ragged dimensions None.
        dtype: the values' dtype; default float32.
        ragged_rank: ragged dimensions; default ``len(shape) - 1``.
        row_splits_dtype: int64 (default) or int32.

    Example:
        >>> RaggedTensorSpec([None, None], np.int64).ragged_rank
        1
    """

    __slots__ = ("shape", "dtype", "ragged_rank", "row_splits_dtype")

    def __init__(
        self,
        shape: Any = None,
        dtype: Any = np.float32,
        ragged_rank: int | None = None,
        row_splits_dtype: Any = np.int64,
    ) -> None:
        self.shape = (
            None
            if shape is None
            else tuple(None if d is None else int(d) for d in shape)
        )
        self.dtype = np.dtype(dtype)
        if ragged_rank is None:
            ragged_rank = len(self.shape) - 1 if self.shape else 1
        self.ragged_rank = int(ragged_rank)
        self.row_splits_dtype = np.dtype(row_splits_dtype)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RaggedTensorSpec):
            return NotImplemented
        return (self.shape, self.dtype, self.ragged_rank, self.row_splits_dtype) == (
            other.shape,
            other.dtype,
            other.ragged_rank,
            other.row_splits_dtype,
        )

    def __hash__(self) -> int:
        return hash((self.shape, self.dtype, self.ragged_rank))

    def __repr__(self) -> str:
        dtype = "string" if self.dtype == object else self.dtype.name
        return (
            f"RaggedTensorSpec(shape={self.shape}, dtype={dtype}, "
            f"ragged_rank={self.ragged_rank}, "
            f"row_splits_dtype={self.row_splits_dtype.name})"
        )
