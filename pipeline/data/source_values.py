"""What the source constructors of `Dataset` need: slices and file matches.

``from_tensor_slices`` of arrays of datasets, `SparseTensor`s or
`RaggedTensor`s lists its
elements (`listed_slices`); ``list_files`` expands its patterns with
`matching_files`, which raises TF's error when nothing matches.

Example:
    >>> from pipeline.types import SparseTensor
    >>> st = SparseTensor([[0, 1], [2, 0]], np.array([5, 6]), [3, 2])
    >>> [r.indices.tolist() for r in listed_slices(st)]
    [[[1]], [], [[0]]]
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError, NotFoundError
from pipeline.graph.structure import flatten, is_dataset_array, pack, to_leaf
from pipeline.ragged import RaggedTensor
from pipeline.types import SparseTensor

__all__ = ["NoFilesMatched", "listed_slices", "matching_files", "needs_listed_slices"]


class NoFilesMatched(NotFoundError, InvalidArgumentError):
    """``list_files`` matched nothing: TF's InvalidArgumentError, our NotFoundError.

    Example:
        >>> issubclass(NoFilesMatched, FileNotFoundError), issubclass(
        ...     NoFilesMatched, ValueError)
        (True, True)
    """


def matching_files(file_pattern: Any) -> list[str]:
    """The sorted files matching a pattern or a list of patterns.

    Raises:
        NoFilesMatched: nothing matches (the message names the patterns).
    """
    from pipeline.io import fs

    if isinstance(file_pattern, (list, tuple)) or hasattr(file_pattern, "tolist"):
        items = np.asarray(file_pattern, dtype=object).ravel()
        patterns = [_text(p) for p in items]
    else:
        patterns = [_text(file_pattern)]
    try:
        return fs.expand(patterns)
    except NotFoundError as e:
        raise NoFilesMatched(
            f"No files matched pattern: {', '.join(patterns)} ({e})", path=e.path
        ) from e


def needs_listed_slices(value: Any) -> bool:
    """Whether ``from_tensor_slices(value)`` must list its elements one by one."""
    return any(
        is_dataset_array(leaf) or isinstance(leaf, (SparseTensor, RaggedTensor))
        for leaf in flatten(value)
    )


def listed_slices(value: Any) -> tuple[Any, ...]:
    """The slices of ``value`` along axis 0, as elements (datasets, sparse rows)."""
    leaves = flatten(value)
    sizes = {_rows(leaf) for leaf in leaves}
    if len(sizes) != 1:
        raise InvalidArgumentError(
            "Dimensions of the components do not match: all must have the "
            f"same size along axis 0; got sizes {sorted(sizes)}."
        )
    rows = range(sizes.pop())
    return tuple(pack(value, [_row(leaf, i) for leaf in leaves]) for i in rows)


def _rows(leaf: Any) -> int:
    if isinstance(leaf, SparseTensor):
        return int(leaf.dense_shape[0]) if leaf.dense_shape.size else 0
    if isinstance(leaf, RaggedTensor):
        return int(leaf.nrows())
    return len(leaf) if np.ndim(leaf) else 0


def _row(leaf: Any, i: int) -> Any:
    """Row ``i`` of a leaf; a sparse row keeps the entries whose first index is i."""
    if isinstance(leaf, RaggedTensor):
        return leaf[i]  # a RaggedTensor, or an array when the row is dense
    if not isinstance(leaf, SparseTensor):
        return to_leaf(leaf[i])
    keep = leaf.indices[:, 0] == i
    return SparseTensor(leaf.indices[keep, 1:], leaf.values[keep], leaf.dense_shape[1:])


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(os.fspath(value))
