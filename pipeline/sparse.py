"""``pl.sparse``: TensorFlow's ``tf.sparse`` functions over `pipeline.SparseTensor`.

Example:
    >>> import pipeline as pl
    >>> st = pl.sparse.from_dense([[0, 3], [4, 0]])
    >>> st.indices.tolist(), pl.sparse.to_dense(st).tolist()
    ([[0, 1], [1, 0]], [[0, 3], [4, 0]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.types import SparseTensor

__all__ = ["SparseTensor", "from_dense", "to_dense"]


def to_dense(
    sp_input: SparseTensor,
    default_value: Any = None,
    validate_indices: bool = True,
    name: str | None = None,
) -> np.ndarray:
    """``tf.sparse.to_dense``: the dense array, ``default_value`` where unset
    (0, or ``b""`` for strings).

    Example:
        >>> to_dense(SparseTensor([[1]], [7], [3]), default_value=-1).tolist()
        [-1, 7, -1]
    """
    return sp_input.to_dense(default_value)


def from_dense(tensor: Any, name: str | None = None) -> SparseTensor:
    """``tf.sparse.from_dense``: the non-zero (non-empty) entries of ``tensor``.

    Example:
        >>> from_dense([b"", b"a"]).values.tolist()
        [b'a']
    """
    array = np.asarray(tensor)
    if array.dtype.kind in "SU":
        array = array.astype(object)
    zero = b"" if array.dtype == object else 0
    mask = array != zero
    indices = np.argwhere(mask).astype(np.int64)
    return SparseTensor(indices, array[mask], np.asarray(array.shape, np.int64))
