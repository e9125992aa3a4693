"""How raw features enter the columns: dense arrays, SparseTensors, ragged lists.

Categorical values travel between columns as :class:`Ragged`: per batch row,
a run of values (``values[splits[r]:splits[r+1]]``), with optional weights.
Dense inputs become ragged by dropping the missing marker (``""`` for strings,
``-1`` for integers) as TensorFlow's dense-to-sparse step does; SparseTensor and
ragged-list inputs are used as they are.

Example:
    >>> r = to_ragged(np.array([[b"a"], [b""]], dtype=object), missing=True)
    >>> r.splits.tolist(), r.values.tolist()
    ([0, 1, 1], [b'a'])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline import _kernels
from pipeline.errors import InvalidArgumentError
from pipeline.types import SparseTensor

__all__ = [
    "Ragged",
    "as_dtype",
    "dense_input",
    "is_string_dtype",
    "missing_mask",
    "to_ragged",
]


class Ragged:
    """Per-row runs of values (and optional float32 weights) of a batch.

    Example:
        >>> Ragged(np.array([0, 2]), np.array([3, 4])).rows
        1
    """

    __slots__ = ("splits", "values", "weights")

    def __init__(self, splits: np.ndarray, values: np.ndarray, weights: Any = None):
        self.splits = splits
        self.values = values
        self.weights = weights

    @property
    def rows(self) -> int:
        """The batch size."""
        return len(self.splits) - 1

    def row_ids(self) -> np.ndarray:
        """The batch row of every value.

        Example:
            >>> Ragged(np.array([0, 2, 2, 3]), np.arange(3)).row_ids().tolist()
            [0, 0, 2]
        """
        return np.repeat(np.arange(self.rows, dtype=np.int64), np.diff(self.splits))

    def with_values(self, values: np.ndarray) -> Ragged:
        """The same rows and weights holding new values."""
        return Ragged(self.splits, values, self.weights)


_STRING_NAMES = {"string", "str", "bytes", "object"}


def as_dtype(dtype: Any) -> np.dtype:
    """A numpy dtype from a numpy dtype, a Python type or a TF name ("string").

    Example:
        >>> as_dtype("string"), as_dtype("int64"), as_dtype(float)
        (dtype('O'), dtype('int64'), dtype('float64'))
    """
    if isinstance(dtype, str) and dtype in _STRING_NAMES:
        return np.dtype(object)
    if dtype in (str, bytes):
        return np.dtype(object)
    return np.dtype(dtype)


def is_string_dtype(dtype: Any) -> bool:
    """Whether ``dtype`` names strings (object, ``S`` or ``U``).

    Example:
        >>> is_string_dtype(np.dtype(object)), is_string_dtype(np.int64)
        (True, False)
    """
    return np.dtype(dtype).kind in "OSU"


def _as_values(values: Any) -> np.ndarray:
    arr = values if isinstance(values, np.ndarray) else np.asarray(values)
    if arr.dtype.kind == "U":
        flat = [s.encode("utf-8") for s in arr.reshape(-1).tolist()]
        return np.array(flat, dtype=object).reshape(arr.shape)
    if arr.dtype.kind == "S":
        return arr.astype(object)
    return arr


def _is_ragged_list(value: Any) -> bool:
    if isinstance(value, np.ndarray):
        return (
            value.dtype == object
            and value.ndim == 1
            and any(isinstance(v, (list, tuple, np.ndarray)) for v in value.tolist())
        )
    if not isinstance(value, (list, tuple)) or not value:
        return False
    rows = [v for v in value if isinstance(v, (list, tuple, np.ndarray))]
    return len(rows) == len(value) and len({len(v) for v in rows}) > 1


def _from_ragged_list(value: Any) -> Ragged:
    rows = list(value)
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    splits = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=splits[1:])
    flat = [v for r in rows for v in (r.tolist() if isinstance(r, np.ndarray) else r)]
    if flat and all(isinstance(v, (bytes, str)) for v in flat):
        values = np.array(flat, dtype=object)
    else:
        values = _as_values(flat)
    return Ragged(splits, values)


def dense_input(value: Any, key: str) -> Any:
    """A raw feature as TF sees it: SparseTensor or Ragged kept, else an array.

    A 1-D dense input becomes ``[batch, 1]``, as TensorFlow expands it.

    Raises:
        InvalidArgumentError: a scalar input.

    Example:
        >>> dense_input([1.0, 2.0], "x").shape
        (2, 1)
    """
    if isinstance(value, np.ndarray) and value.dtype.kind not in "OUS" and value.ndim:
        return value.reshape(-1, 1) if value.ndim == 1 else value  # the common case
    if isinstance(value, (SparseTensor, Ragged)):
        return value
    if _is_ragged_list(value):
        return _from_ragged_list(value)
    if type(value).__module__.startswith("pyarrow"):
        value = value.to_numpy(zero_copy_only=False)
    if isinstance(value, (list, tuple)):
        value = np.array(value, dtype=object) if _has_text(value) else np.asarray(value)
    arr = _as_values(value)
    if arr.ndim == 0:
        raise InvalidArgumentError(
            f"Feature (key: {key}) cannot have rank 0: it must have a batch "
            f"dimension, got a scalar {arr!r}",
        )
    return arr.reshape(-1, 1) if arr.ndim == 1 else arr


def _has_text(value: Any) -> bool:
    first = value
    while isinstance(first, (list, tuple)) and first:
        first = first[0]
    return isinstance(first, (bytes, str))


def _sparse_to_ragged(st: SparseTensor) -> Ragged:
    rows = int(st.dense_shape[0]) if len(st.dense_shape) else 0
    row_of = st.indices[:, 0] if st.indices.shape[0] else np.zeros(0, np.int64)
    values = _as_values(st.values)
    if values.shape[0] != st.indices.shape[0]:
        raise InvalidArgumentError(
            f"SparseTensor has {st.indices.shape[0]} indices but "
            f"{values.shape[0]} values"
        )
    if row_of.size > 1 and np.any(np.diff(row_of) < 0):
        order = np.lexsort(st.indices.T[::-1])
        row_of, values = row_of[order], values[order]
    if row_of.size and (row_of[0] < 0 or row_of[-1] >= rows):
        raise InvalidArgumentError(
            f"SparseTensor row index out of range [0, {rows}): "
            f"{int(row_of.min())}..{int(row_of.max())}"
        )
    splits = np.zeros(rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of, minlength=rows), out=splits[1:])
    return Ragged(splits, values)


def missing_mask(arr: np.ndarray) -> np.ndarray:
    """True where a dense categorical input holds a value (not ``""``/``-1``).

    Example:
        >>> missing_mask(np.array([[1], [-1]])).tolist()
        [[True], [False]]
    """
    if arr.dtype == object:
        flat = _kernels.load("feature_ops").nonempty(arr.reshape(-1))
        return flat.reshape(arr.shape)
    return arr != -1


def to_ragged(value: Any, missing: bool) -> Ragged:
    """Per-row values of a raw feature (see ``dense_input``).

    Args:
        value: the raw feature.
        missing: drop ``""``/``-1`` from a dense input (categorical columns do;
            raw keys of a crossed column do not).

    Example:
        >>> to_ragged(np.array([[3, -1], [4, 5]]), missing=True).splits.tolist()
        [0, 1, 3]
    """
    value = dense_input(value, "")
    if isinstance(value, Ragged):
        return value
    if isinstance(value, SparseTensor):
        return _sparse_to_ragged(value)
    arr = value.reshape(value.shape[0], -1)
    if not missing:
        splits = np.arange(arr.shape[0] + 1, dtype=np.int64) * arr.shape[1]
        return Ragged(splits, arr.reshape(-1))
    mask = missing_mask(arr)
    splits = np.zeros(arr.shape[0] + 1, dtype=np.int64)
    np.cumsum(mask.sum(axis=1), out=splits[1:])
    return Ragged(splits, arr[mask])
