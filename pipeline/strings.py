"""TensorFlow-compatible string hashing over the compiled kernels.

Every function takes byte strings in any of these forms and hashes each string
on its own (elementwise), keeping the input's shape:

* a numpy array of ``object`` dtype holding ``bytes`` or ``str`` (``str`` is
  hashed as its UTF-8 bytes), or of dtype ``S``/``U``;
* a (nested) list of ``bytes``/``str``, or a single ``bytes``/``str``;
* a pyarrow ``StringArray``/``BinaryArray`` (large variants and chunked arrays
  too), hashed straight from its buffers without making Python objects.

The values are TensorFlow's: ``fingerprint64`` is FarmHash Fingerprint64,
``to_hash_bucket_fast`` is its unsigned remainder, ``to_hash_bucket_strong`` is
SipHash-2-4 with the 128-bit key ``(key[0], key[1])``, and ``to_hash_bucket`` is
the deprecated ``tf.strings.to_hash_bucket``.

Example:
    >>> import pipeline as pl
    >>> pl.strings.fingerprint64([b"", "a"]).tolist()
    [11160318154034397263, 12917804110809363939]
    >>> pl.strings.to_hash_bucket_fast(["hello world"], 1000).tolist()
    [11]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline import _kernels
from pipeline.errors import InvalidArgumentError

__all__ = [
    "fingerprint",
    "fingerprint64",
    "to_hash_bucket",
    "to_hash_bucket_fast",
    "to_hash_bucket_strong",
]

_U64_MAX = (1 << 64) - 1


def _arrow_chunks(x: Any) -> list[Any] | None:
    """The chunks of a pyarrow (chunked) array, or None if ``x`` is not one."""
    module = type(x).__module__
    if not module.startswith("pyarrow"):
        return None
    return list(x.chunks) if hasattr(x, "chunks") else [x]


def _arrow_packed(chunk: Any) -> tuple[np.ndarray, np.ndarray]:
    """(uint8 data, int64 offsets) of one Arrow string or binary array."""
    if chunk.null_count:
        raise InvalidArgumentError(
            f"cannot hash a null string (Arrow array with {chunk.null_count} nulls); "
            "fill the nulls first, e.g. with pyarrow.compute.fill_null(arr, '')"
        )
    large = str(chunk.type).startswith("large_")
    _, offs_buf, data_buf = chunk.buffers()
    off_dtype = np.int64 if large else np.int32
    offsets = np.frombuffer(offs_buf, dtype=off_dtype)
    offsets = offsets[chunk.offset : chunk.offset + len(chunk) + 1].astype(np.int64)
    data = (
        np.frombuffer(data_buf, dtype=np.uint8) if data_buf else np.zeros(0, np.uint8)
    )
    return data, offsets


def _as_object_array(x: Any) -> np.ndarray:
    if isinstance(x, (bytes, str)):
        return np.array([x], dtype=object).reshape(())
    # Lists go straight to object arrays: dtype "S" would drop trailing NULs.
    arr = x if isinstance(x, np.ndarray) else np.array(x, dtype=object)
    if arr.dtype.kind == "U":
        return np.vectorize(lambda s: s.encode("utf-8"), otypes=[object])(arr)
    if arr.dtype.kind == "S":
        return arr.astype(object)
    if arr.dtype != object:
        raise TypeError(f"expected strings (bytes or str), got an array of {arr.dtype}")
    return arr


def _hash(x: Any, objects_fn: Any, packed_fn: Any, num_buckets: int = 0) -> np.ndarray:
    chunks = _arrow_chunks(x)
    if chunks is not None:
        parts = [packed_fn(*_arrow_packed(c), num_buckets) for c in chunks]
        dtype = np.int64 if num_buckets else np.uint64
        return np.concatenate(parts) if parts else np.zeros(0, dtype)
    arr = _as_object_array(x)
    return objects_fn(arr.reshape(-1), num_buckets).reshape(arr.shape)


def _check_buckets(num_buckets: int) -> int:
    if isinstance(num_buckets, bool) or int(num_buckets) != num_buckets:
        raise TypeError(f"`num_buckets` must be an integer. Received: {num_buckets!r}")
    if num_buckets < 1:
        raise InvalidArgumentError(
            f"`num_buckets` must be >= 1. Received: num_buckets={num_buckets}"
        )
    return int(num_buckets)


def fingerprint64(x: Any) -> np.ndarray:
    """FarmHash Fingerprint64 of every string, as uint64.

    The value TensorFlow's ``tf.fingerprint(x, "farmhash64")`` stores
    little-endian for a 1-D input; ``to_hash_bucket_fast`` and feature columns
    build on it.

    Args:
        x: strings (see the module docstring); ``str`` is hashed as UTF-8.

    Returns:
        A uint64 numpy array of ``x``'s shape (1-D for Arrow input).

    Raises:
        TypeError: an element is not ``bytes``/``str``.
        InvalidArgumentError: an Arrow array has nulls.

    Example:
        >>> fingerprint64(np.array([[b"abc"]], dtype=object))
        array([[2640714258260161385]], dtype=uint64)
    """
    k = _kernels.load("farmhash")
    return _hash(x, k.fingerprint64_objects, k.fingerprint64_packed)


def fingerprint(data: Any, method: str = "farmhash64") -> np.ndarray:
    """``tf.fingerprint`` of a 1-D string array: ``[n, 8]`` uint8 per string.

    Args:
        data: a 1-D array of strings.
        method: only ``"farmhash64"`` (TensorFlow's only method).

    Returns:
        uint8 ``[n, 8]``: each fingerprint64 in little-endian byte order.

    Raises:
        InvalidArgumentError: for another method or a non 1-D input.

    Example:
        >>> fingerprint([b"a"])[0].tolist()
        [227, 117, 223, 182, 101, 66, 69, 179]
    """
    if method != "farmhash64":
        raise InvalidArgumentError(f"Unsupported fingerprint method: {method}")
    fps = fingerprint64(data)
    if fps.ndim != 1:
        raise InvalidArgumentError(
            f"fingerprint expects a 1-D string input here, got shape {fps.shape}"
        )
    return fps.astype("<u8").view(np.uint8).reshape(-1, 8)


def to_hash_bucket_fast(x: Any, num_buckets: int) -> np.ndarray:
    """``fingerprint64(x) % num_buckets`` as int64, like TensorFlow's op.

    Args:
        x: strings (see the module docstring).
        num_buckets: the number of buckets, >= 1.

    Returns:
        An int64 array of ``x``'s shape with values in ``[0, num_buckets)``.

    Raises:
        InvalidArgumentError: ``num_buckets < 1``.

    Example:
        >>> to_hash_bucket_fast(["", "a", "abc"], 7).tolist()
        [6, 5, 1]
    """
    n = _check_buckets(num_buckets)
    k = _kernels.load("farmhash")
    return _hash(x, k.fingerprint64_objects, k.fingerprint64_packed, n)


def to_hash_bucket_strong(x: Any, num_buckets: int, key: Any) -> np.ndarray:
    """Keyed hash buckets: ``SipHash-2-4(key, s) % num_buckets`` as int64.

    Args:
        x: strings (see the module docstring).
        num_buckets: the number of buckets, >= 1.
        key: two unsigned 64-bit integers ``[k0, k1]`` (the 128-bit secret).

    Returns:
        An int64 array of ``x``'s shape with values in ``[0, num_buckets)``.

    Raises:
        InvalidArgumentError: ``num_buckets < 1`` or a key that is not two uint64.

    Example:
        >>> to_hash_bucket_strong(["", "a"], 1000, key=[1, 2]).tolist()
        [435, 646]
    """
    n = _check_buckets(num_buckets)
    key = list(key)
    if len(key) != 2:
        raise InvalidArgumentError(
            f"Key must have 2 elements: `key` is two unsigned 64-bit integers. "
            f"Received: key={key}"
        )
    if not all(0 <= int(k) <= _U64_MAX for k in key):
        raise InvalidArgumentError(
            f"`key` must be two unsigned 64-bit integers. Received: key={key}"
        )
    k0, k1 = (int(k) for k in key)
    k = _kernels.load("farmhash")
    return _hash(
        x,
        lambda v, nb: k.siphash24_objects(k0, k1, v, nb),
        lambda d, o, nb: k.siphash24_packed(k0, k1, d, o, nb),
        n,
    )


def to_hash_bucket(x: Any, num_buckets: int) -> np.ndarray:
    """The deprecated ``tf.strings.to_hash_bucket``: TF's own Hash64 bucket.

    Prefer `to_hash_bucket_fast`; this one exists to read old models.

    Args:
        x: strings (see the module docstring; Arrow input is converted).
        num_buckets: the number of buckets, >= 1.

    Returns:
        An int64 array of ``x``'s shape.

    Example:
        >>> to_hash_bucket([""], 1000).tolist()
        [899]
    """
    n = _check_buckets(num_buckets)
    if _arrow_chunks(x) is not None:
        x = np.array(x.to_pylist(), dtype=object)
    arr = _as_object_array(x)
    buckets = _kernels.load("farmhash").legacy_hash64_objects(arr.reshape(-1), n)
    return buckets.reshape(arr.shape)
