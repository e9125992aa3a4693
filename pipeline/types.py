"""Value types shared across the package: `SparseTensor`, `TensorSpec`,
`SparseTensorSpec`, `string`.

Elements are numpy arrays; strings are numpy object arrays of ``bytes`` (as TF's
``.numpy()`` gives them); a sparse value is a `SparseTensor` of numpy fields.

Example:
    >>> import numpy as np
    >>> st = SparseTensor(indices=[[0, 1]], values=[7], dense_shape=[2, 3])
    >>> st.to_dense().tolist()
    [[0, 7, 0], [0, 0, 0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["SparseTensor", "SparseTensorSpec", "TensorShape", "TensorSpec", "string"]

#: The dtype that names byte-string columns (numpy object arrays of ``bytes``).
string = np.dtype(object)


class SparseTensor:
    """A sparse tensor as TensorFlow represents it, with numpy fields.

    Args:
        indices: int64 array ``[nnz, rank]`` of coordinates, in row-major order.
        values: array ``[nnz]`` of values.
        dense_shape: int64 array ``[rank]``.

    Example:
        >>> st = SparseTensor([[0], [2]], np.array([1.0, 2.0]), [3])
        >>> st.to_dense().tolist()
        [1.0, 0.0, 2.0]
    """

    __slots__ = ("indices", "values", "dense_shape")

    def __init__(self, indices: Any, values: Any, dense_shape: Any) -> None:
        self.values = values if isinstance(values, np.ndarray) else _as_values(values)
        dense_shape = np.asarray(dense_shape, dtype=np.int64).reshape(-1)
        indices = np.asarray(indices, dtype=np.int64)
        if indices.size == 0:
            indices = indices.reshape(0, dense_shape.shape[0])
        _check_sparse_parts(indices, self.values, dense_shape)
        self.indices = indices
        self.dense_shape = dense_shape

    @property
    def dtype(self) -> np.dtype:
        """The dtype of ``values``."""
        return self.values.dtype

    @property
    def shape(self) -> tuple[int, ...]:
        """``dense_shape`` as a tuple."""
        return tuple(int(d) for d in self.dense_shape)

    def to_dense(self, default_value: Any = None) -> np.ndarray:
        """The dense numpy array (``default_value`` where nothing is set).

        Example:
            >>> SparseTensor([[1]], [b"x"], [2]).to_dense().tolist()
            [b'', b'x']
        """
        if default_value is None:
            default_value = b"" if self.values.dtype == object else 0
        out = np.full(self.shape, default_value, dtype=self.values.dtype)
        if self.indices.shape[0]:
            out[tuple(self.indices.T)] = self.values
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SparseTensor):
            return NotImplemented
        return (
            np.array_equal(self.indices, other.indices)
            and np.array_equal(self.values, other.values)
            and np.array_equal(self.dense_shape, other.dense_shape)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"SparseTensor(indices={self.indices.tolist()}, "
            f"values={self.values.tolist()}, dense_shape={self.dense_shape.tolist()})"
        )


def _check_sparse_parts(indices: np.ndarray, values: Any, shape: np.ndarray) -> None:
    """ValueError (as TF) unless indices are ``[nnz, rank]`` and values ``[nnz]``."""
    rank = shape.shape[0]
    if indices.ndim != 2 or indices.shape[1] != rank:
        raise ValueError(
            f"SparseTensor indices must have shape [nnz, {rank}] for a dense_shape "
            f"of rank {rank}; got indices of shape {list(indices.shape)}"
        )
    count = np.shape(values)[0] if np.ndim(values) else -1
    if np.ndim(values) != 1 or count != indices.shape[0]:
        raise ValueError(
            f"SparseTensor values must be a vector of {indices.shape[0]} values, one "
            f"per index; got shape {list(np.shape(values))}"
        )


def _as_values(values: Any) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype.kind in ("U", "S"):
        arr = np.array(
            [v.encode() if isinstance(v, str) else bytes(v) for v in arr.ravel()],
            dtype=object,
        ).reshape(arr.shape)
    return arr


class TensorShape(tuple):
    """A shape: a tuple of ints and ``None`` (unknown) dimensions, with
    TensorFlow's ``TensorShape`` methods, equal to the same dims as a list too.

    Example:
        >>> shape = TensorShape([None, 3])
        >>> shape == [None, 3], shape == (None, 3), shape.as_list(), shape.rank
        (True, True, [None, 3], 2)
        >>> shape.is_compatible_with([7, 3]), shape.is_fully_defined()
        (True, False)
    """

    def __new__(cls, dims: Any) -> TensorShape:
        if hasattr(dims, "as_list"):
            dims = dims.as_list()
        if isinstance(dims, (int, np.integer)):
            dims = (dims,)
        return super().__new__(cls, (None if d is None else int(d) for d in dims))

    @property
    def rank(self) -> int:
        """The number of dimensions."""
        return len(self)

    ndims = rank

    @property
    def dims(self) -> list[int | None]:
        """The dimensions as a list."""
        return list(self)

    def as_list(self) -> list[int | None]:
        """The dimensions as a list (``None`` where unknown)."""
        return list(self)

    def is_fully_defined(self) -> bool:
        """Whether every dimension is known."""
        return all(d is not None for d in self)

    def num_elements(self) -> int | None:
        """The number of elements, or None when a dimension is unknown."""
        return int(np.prod(self, dtype=np.int64)) if self.is_fully_defined() else None

    def is_compatible_with(self, other: Any) -> bool:
        """Whether ``other`` (a shape, or None for unknown rank) could be the
        same shape: same rank, and equal dims where both are known."""
        if other is None:
            return True
        other = TensorShape(other)
        return len(other) == len(self) and all(
            a is None or b is None or a == b for a, b in zip(self, other)
        )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, list) or hasattr(other, "as_list"):
            try:
                other = TensorShape(other)
            except (TypeError, ValueError):
                return False
        return tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = tuple.__hash__


class TensorSpec:
    """The shape and dtype of one leaf of a dataset element.

    Unknown dimensions are ``None``.

    Args:
        shape: tuple of ints or None.
        dtype: numpy dtype (``pl.string`` for byte strings).
        name: optional name.

    Example:
        >>> TensorSpec((None, 3), np.float32)
        TensorSpec(shape=(None, 3), dtype=float32, name=None)
    """

    __slots__ = ("shape", "dtype", "name")

    def __init__(self, shape: Any, dtype: Any = np.float32, name: str | None = None):
        if hasattr(shape, "as_list") and getattr(shape, "rank", 0) is None:
            shape = None  # a TF TensorShape of unknown rank
        self.shape = None if shape is None else TensorShape(shape)
        self.dtype = np.dtype(getattr(dtype, "as_numpy_dtype", dtype))
        self.name = name

    def is_compatible_with(self, spec_or_value: Any) -> bool:
        """Whether ``spec_or_value`` (a spec or an array) fits this spec: same
        dtype, and a shape this one's unknown parts allow (TF's method).

        Example:
            >>> spec = TensorSpec((None, 2), np.int64)
            >>> spec.is_compatible_with(np.zeros((5, 2), np.int64))
            True
        """
        other = spec_or_value
        if not isinstance(other, TensorSpec):
            array = np.asarray(other)
            other = TensorSpec(array.shape, array.dtype)
        if other.dtype != self.dtype:
            return False
        return self.shape is None or self.shape.is_compatible_with(other.shape)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TensorSpec):
            return NotImplemented
        return self.shape == other.shape and self.dtype == other.dtype

    def __hash__(self) -> int:
        return hash((self.shape, self.dtype))

    def __repr__(self) -> str:
        dtype = "string" if self.dtype == object else self.dtype.name
        return f"TensorSpec(shape={self.shape}, dtype={dtype}, name={self.name!r})"


class SparseTensorSpec(TensorSpec):
    """The spec of a `SparseTensor` component: its dense shape and values' dtype.

    A `TensorSpec` subclass, so code reading ``shape`` and ``dtype`` works on
    both; ``isinstance(spec, SparseTensorSpec)`` tells the sparse ones apart
    (``padded_batch`` rejects them, as TF does).

    Example:
        >>> SparseTensorSpec((None, 3), np.int64)
        SparseTensorSpec(shape=(None, 3), dtype=int64, name=None)
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "Sparse" + super().__repr__()
