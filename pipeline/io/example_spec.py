"""Parse specs for tf.train.Example features, as ``tf.io`` declares them.

A dtype is a numpy dtype (``np.int64``, ``np.float32``), `pl.string`
(``np.dtype(object)``) or a TensorFlow name (``"int64"``, ``"float32"``,
``"string"``). Strings come out as numpy object arrays of ``bytes``.

Example:
    >>> import numpy as np
    >>> FixedLenFeature([3], "float32", default_value=[0.0, 0.0, 0.0])
    FixedLenFeature(shape=(3,), dtype=float32, default_value=[0.0, 0.0, 0.0])
    >>> VarLenFeature(np.int64)
    VarLenFeature(dtype=int64)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError

__all__ = [
    "FixedLenFeature",
    "FixedLenSequenceFeature",
    "VarLenFeature",
    "check_fixed_shape",
    "check_parse_dtype",
    "feature_dtype",
    "normalize_dtype",
    "tf_dtype_name",
]

_STRING = np.dtype(object)
_NAMES = {
    "int64": np.dtype(np.int64),
    "float32": np.dtype(np.float32),
    "float": np.dtype(np.float32),
    "string": _STRING,
    "str": _STRING,
    "bytes": _STRING,
    "object": _STRING,
}


def normalize_dtype(dtype: Any) -> np.dtype:
    """The numpy dtype of a feature: int64, float32 or object (strings).

    Raises:
        InvalidArgumentError: any other dtype (as TF, only these three parse).

    Example:
        >>> normalize_dtype("string"), normalize_dtype(np.float32)
        (dtype('O'), dtype('float32'))
    """
    if isinstance(dtype, str) and dtype.lower() in _NAMES:
        return _NAMES[dtype.lower()]
    if dtype in (str, bytes):
        return _STRING
    name = getattr(dtype, "name", None)  # a tf.DType-like object
    if isinstance(name, str) and name in _NAMES and not isinstance(dtype, np.dtype):
        return _NAMES[name]
    try:
        result = np.dtype(dtype)
    except TypeError:
        result = None
    if result is not None and result.kind in "SUO":
        return _STRING
    if result in (np.dtype(np.int64), np.dtype(np.float32)):
        return result
    raise InvalidArgumentError(
        f"Feature dtype must be int64, float32 or string. Received: dtype={dtype!r}"
    )


def feature_dtype(dtype: Any) -> np.dtype:
    """The numpy dtype a feature spec holds: any numpy dtype, strings as object.

    As TF, a spec may name a dtype that no Example holds (``int32``); parsing
    with it raises (`check_parse_dtype`), building it does not.

    Example:
        >>> feature_dtype("string"), feature_dtype(np.int32)
        (dtype('O'), dtype('int32'))
    """
    try:
        return normalize_dtype(dtype)
    except InvalidArgumentError:
        pass
    try:
        return np.dtype(getattr(dtype, "as_numpy_dtype", dtype))
    except TypeError:
        raise InvalidArgumentError(
            f"Feature dtype must be a dtype (int64, float32 or string to parse). "
            f"Received: dtype={dtype!r}"
        ) from None


_TF_NAMES = {"float64": "double", "float16": "half", "float32": "float"}


def check_parse_dtype(key: str, spec: Any, attr: str) -> None:
    """Raise TF's InvalidArgumentError when ``spec``'s dtype cannot be parsed.

    ``attr`` is TF's name of the op attribute (``Tdense``, ``sparse_types``).

    Example:
        >>> try:
        ...     check_parse_dtype("a", VarLenFeature(np.int32), "sparse_types")
        ... except InvalidArgumentError as e:
        ...     print(str(e)[:48])
        Value for attr 'sparse_types' of int32 is not in
    """
    dtype = spec.dtype
    if dtype == _STRING or dtype in (np.dtype(np.int64), np.dtype(np.float32)):
        return
    name = _TF_NAMES.get(dtype.name, dtype.name)
    raise InvalidArgumentError(
        f"Value for attr '{attr}' of {name} is not in the list of allowed values: "
        f"float, int64, string (feature {key!r})"
    )


def tf_dtype_name(dtype: np.dtype) -> str:
    """TensorFlow's name of a feature dtype (``int64``, ``float``, ``string``).

    Example:
        >>> tf_dtype_name(np.dtype(np.float32))
        'float'
    """
    if dtype == _STRING:
        return "string"
    return "float" if dtype == np.float32 else "int64"


def _shape(shape: Any) -> tuple[int | None, ...] | None:
    """``shape`` as a tuple; None (and None dimensions) kept for parse to reject."""
    if shape is None:
        return None
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    if hasattr(shape, "as_list"):  # a TensorShape-like object
        shape = None if getattr(shape, "rank", 0) is None else shape.as_list()
        if shape is None:
            return None
    dims = tuple(None if d is None else int(d) for d in shape)
    if any(d is not None and d < 0 for d in dims):
        raise InvalidArgumentError(f"Feature shape must be fully defined: {shape!r}")
    return dims


def check_fixed_shape(key: str, spec: Any) -> None:
    """Raise TF's ValueError for a FixedLenFeature shape with unknown parts.

    Example:
        >>> try:
        ...     check_fixed_shape("a", FixedLenFeature([None, 2], "float32"))
        ... except ValueError as e:
        ...     print(str(e)[:46])
        First dimension of shape for feature a unknown
    """
    shape = spec.shape
    if shape is None:
        raise ValueError(f"Missing shape for feature {key}. Received feature={spec!r}.")
    if shape and shape[0] is None:
        raise ValueError(
            f"First dimension of shape for feature {key} unknown. Consider using "
            f"FixedLenSequenceFeature. Received feature={spec!r}."
        )
    if any(d is None for d in shape):
        raise ValueError(
            f"All dimensions of shape for feature {key} need to be known but "
            f"received {shape}."
        )


@dataclass(frozen=True)
class FixedLenFeature:
    """A feature with a fixed number of values per record (dense output).

    Args:
        shape: the shape of one record's value (``[]`` for a scalar).
        dtype: int64, float32 or string.
        default_value: used where the feature is missing; a Python scalar or
            list (bytes for strings). None makes the feature required.

    Example:
        >>> FixedLenFeature([], np.int64).shape
        ()
    """

    shape: Any
    dtype: Any
    default_value: Any = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "shape", _shape(self.shape))
        object.__setattr__(self, "dtype", feature_dtype(self.dtype))

    def flat_default(self, key: str) -> np.ndarray | None:
        """The default as a flat array of ``prod(shape)`` values (cached), or None.

        Example:
            >>> FixedLenFeature([2], "int64", 7).flat_default("k").tolist()
            [7, 7]
        """
        if self.default_value is None or np.size(self.default_value) == 0:
            return None  # as TF, an empty default leaves the feature required
        cached = self.__dict__.get("_flat_default")
        if cached is None:
            array = default_array(self.default_value, self.dtype, self.shape, key)
            cached = array.reshape(-1)
            cached.flags.writeable = False
            self.__dict__["_flat_default"] = cached
        return cached

    def __repr__(self) -> str:
        return (
            f"FixedLenFeature(shape={self.shape}, dtype={_name(self.dtype)}, "
            f"default_value={self.default_value!r})"
        )


@dataclass(frozen=True)
class VarLenFeature:
    """A feature with any number of values per record (`SparseTensor` output).

    Args:
        dtype: int64, float32 or string.

    Example:
        >>> VarLenFeature("string").dtype
        dtype('O')
    """

    dtype: Any

    def __post_init__(self) -> None:
        object.__setattr__(self, "dtype", feature_dtype(self.dtype))

    def __repr__(self) -> str:
        return f"VarLenFeature(dtype={_name(self.dtype)})"


@dataclass(frozen=True)
class FixedLenSequenceFeature:
    """A sequence of fixed-shape items per record, padded to the batch's longest.

    Args:
        shape: the shape of one item.
        dtype: int64, float32 or string.
        allow_missing: whether a record may lack the feature (default False).
        default_value: the padding value (a scalar); None pads with 0 or b"".

    Example:
        >>> FixedLenSequenceFeature([], "int64", allow_missing=True).allow_missing
        True
    """

    shape: Any
    dtype: Any
    allow_missing: bool = False
    default_value: Any = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "shape", _shape(self.shape))
        object.__setattr__(self, "dtype", feature_dtype(self.dtype))
        object.__setattr__(self, "allow_missing", bool(self.allow_missing))

    def __repr__(self) -> str:
        return (
            f"FixedLenSequenceFeature(shape={self.shape}, dtype={_name(self.dtype)}, "
            f"allow_missing={self.allow_missing}, default_value={self.default_value!r})"
        )


def _name(dtype: np.dtype) -> str:
    return "string" if dtype == _STRING else dtype.name


def default_array(value: Any, dtype: np.dtype, shape: tuple[int, ...], key: str):
    """``value`` as an array of ``shape`` (a single value broadcasts).

    Raises:
        InvalidArgumentError: the value does not fit the shape.

    Example:
        >>> default_array([b"a", "b"], np.dtype(object), (2,), "k").tolist()
        [b'a', b'b']
    """
    if dtype == _STRING:
        flat = np.asarray(value, dtype=object).reshape(-1)
        flat = np.array([_as_bytes(v) for v in flat], dtype=object)
    else:
        flat = np.asarray(value, dtype=dtype).reshape(-1)
    size = int(np.prod(shape))
    if flat.size == 1 and size != 1:
        flat = np.repeat(flat, size)
    if flat.size != size:
        raise InvalidArgumentError(
            f"Feature {key!r}: Cannot reshape a tensor with {flat.size} elements "
            f"to shape {list(shape)} ({size} elements): default_value does not "
            "fit the feature shape",
        )
    return flat.reshape(shape)


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (bytes, bytearray, memoryview, np.bytes_)):
        return bytes(value)
    raise InvalidArgumentError(f"string default_value must be bytes, got {value!r}")
