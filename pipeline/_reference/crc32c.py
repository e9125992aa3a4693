"""CRC-32C (Castagnoli) and TFRecord's masked CRC, in plain Python.

Reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF.
The mask is ``((c >> 15) | (c << 17)) + 0xA282EAD8 (mod 2**32)``.

Example:
    >>> hex(crc32c(b"123456789"))
    '0xe3069283'
"""

from __future__ import annotations

import numpy as np

_POLY = 0x82F63B78
_MASK_DELTA = 0xA282EAD8


def _make_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ _POLY if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE = _make_table()


def _uint32(value: int) -> int:
    """``value``, which must fit a uint32 (as the kernel's arguments do)."""
    if not 0 <= value <= 0xFFFFFFFF:
        raise OverflowError(f"{value} does not fit a uint32")
    return value


def crc32c_update(crc: int, data: bytes) -> int:
    """Continue a CRC-32C over ``data`` from a previous result ``crc``.

    Example:
        >>> crc32c_update(crc32c(b"1234"), b"56789") == crc32c(b"123456789")
        True
    """
    crc = _uint32(crc) ^ 0xFFFFFFFF
    for byte in memoryview(data).cast("B"):
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def crc32c(data: bytes) -> int:
    """CRC-32C of ``data`` (bytes-like).

    Example:
        >>> crc32c(b"")
        0
    """
    return crc32c_update(0, data)


def mask(crc: int) -> int:
    """TFRecord's masking of a CRC value.

    Example:
        >>> unmask(mask(12345))
        12345
    """
    crc = _uint32(crc)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + _MASK_DELTA) & 0xFFFFFFFF


def unmask(masked: int) -> int:
    """Inverse of :func:`mask`.

    Example:
        >>> unmask(mask(0))
        0
    """
    rot = (_uint32(masked) - _MASK_DELTA) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF


def masked_crc32c(data: bytes) -> int:
    """The masked CRC-32C that TFRecord stores after the length and the data.

    Example:
        >>> masked_crc32c(b"") == mask(0)
        True
    """
    return mask(crc32c(data))


def masked_crc32c_many(data: bytes, starts, lengths) -> np.ndarray:
    """The masked CRC-32C of each ``data[starts[i] : starts[i] + lengths[i]]``.

    Returns a uint32 array (TFRecord's data CRCs of a block of records);
    raises ValueError when the arrays differ in size or a slice leaves ``data``.

    Example:
        >>> masked_crc32c_many(b"abc", [0, 1], [1, 2]).tolist() == [
        ...     masked_crc32c(b"a"), masked_crc32c(b"bc")]
        True
    """
    view = memoryview(data).cast("B")
    starts, lengths = list(starts), list(lengths)
    n, k = len(view), len(starts)
    if len(lengths) != k:
        raise ValueError(f"{k} starts but {len(lengths)} lengths")
    for i, (s, m) in enumerate(zip(starts, lengths)):
        if s < 0 or m < 0 or s > n or m > n - s:
            raise ValueError(f"slice {i} outside the {n} bytes given")
    crcs = [masked_crc32c(view[s : s + m]) for s, m in zip(starts, lengths)]
    return np.array(crcs, dtype=np.uint32)
