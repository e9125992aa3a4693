"""``decode_raw``: the bytes of each string read as an array of numbers.

Example:
    >>> decode_raw([b"\\x01\\x00\\x02\\x00"], "int16").tolist()
    [[1, 2]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError

__all__ = ["decode_raw"]

_ALLOWED = "half, float, double, int32, uint16, uint8, int16, int8, int64, complex64, "
_ALLOWED += "complex128, bool"
_KINDS = {
    np.dtype(t)
    for t in (
        np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64,
        np.uint8, np.uint16, np.complex64, np.complex128, np.bool_,
    )
}  # fmt: skip


def _out_dtype(out_type: Any) -> np.dtype:
    out_type = getattr(out_type, "as_numpy_dtype", out_type)
    try:
        dtype = np.dtype(out_type)
    except TypeError:
        dtype = None
    if dtype not in _KINDS:
        raise InvalidArgumentError(
            f"Value for attr 'out_type' of {out_type!r} is not in the list of "
            f"allowed values: {_ALLOWED}"
        )
    return dtype


def _as_bytes(value: Any) -> bytes:
    return value.encode() if isinstance(value, str) else bytes(value)


def decode_raw(
    input_bytes: Any,
    out_type: Any,
    little_endian: bool = True,
    fixed_length: int | None = None,
    name: str | None = None,
) -> np.ndarray:
    """Reinterpret each byte string as numbers, as ``tf.io.decode_raw``.

    Args:
        input_bytes: a bytes value or an array (any shape) of them.
        out_type: the number dtype (``np.uint8``, ``"int16"``, ``np.float32`` ...).
        little_endian: byte order of the input; default True.
        fixed_length: cut or zero-pad every string to this many bytes first
            (a multiple of the item size); default None (all strings must
            have one length).
        name: accepted for TF compatibility; unused.

    Returns:
        An array of shape ``input_bytes.shape + [length // itemsize]``.

    Raises:
        InvalidArgumentError: an unsupported ``out_type``, strings of different
            lengths, or a length that is not a multiple of the item size.

    Example:
        >>> decode_raw(["ab", "cd"], np.uint8).tolist()
        [[97, 98], [99, 100]]
    """
    dtype = _out_dtype(out_type)
    wire = dtype.newbyteorder("<" if little_endian else ">")
    strings = np.asarray(input_bytes, dtype=object)
    flat = [_as_bytes(v) for v in strings.reshape(-1)]
    length = _length(flat, dtype, fixed_length)
    if fixed_length is not None:
        flat = [v[:length].ljust(length, b"\0") for v in flat]
    data = np.frombuffer(b"".join(flat), dtype=wire).astype(dtype)
    return data.reshape(*strings.shape, length // dtype.itemsize)


def _length(flat: list[bytes], dtype: np.dtype, fixed_length: int | None) -> int:
    size = dtype.itemsize
    if fixed_length is not None:
        if int(fixed_length) % size:
            raise InvalidArgumentError(
                f"fixed_length ({int(fixed_length)}) must be a multiple of the size "
                f"of out_type ({size})"
            )
        return int(fixed_length)
    if not flat:
        return 0
    first = len(flat[0])
    for i, value in enumerate(flat):
        if len(value) != first:
            raise InvalidArgumentError(
                "DecodeRaw requires input strings to all be the same size, but "
                f"element {i} has size {first} != {len(value)}"
            )
    if first % size:
        raise InvalidArgumentError(
            f"Input to DecodeRaw has length {first} that is not a multiple of "
            f"{size}, the size of {dtype.name}"
        )
    return first
