"""TFRecord framing in plain Python: the living spec of ``_ext/tfrecord.pyx``.

A record is ``uint64 length | uint32 masked_crc(length) | data | uint32
masked_crc(data)``, all little-endian. :func:`frame` scans a buffer and says
why it stopped with a ``STATUS_*`` code; the caller turns codes into errors.

Example:
    >>> rec = header(3) + b"abc" + footer(b"abc")
    >>> starts, lengths, next_pos, status, need = frame(rec + rec[:5], 0, 10)
    >>> starts.tolist(), lengths.tolist(), next_pos, status == STATUS_NEED_MORE
    ([12], [3], 19, True)
    >>> split(rec, starts, lengths)
    [b'abc']
"""

from __future__ import annotations

import struct

import numpy as np

from pipeline._reference.crc32c import masked_crc32c

#: Stopped after ``max_records`` records; more may follow in the buffer.
STATUS_FULL = 0
#: The buffer ends before the next record is complete; ``need`` is its size.
STATUS_NEED_MORE = 1
#: The length CRC of the record at ``next_pos`` does not match.
STATUS_BAD_LENGTH_CRC = 2
#: The data CRC of the record at ``next_pos`` does not match (``need`` is its size).
STATUS_BAD_DATA_CRC = 3

HEADER_BYTES = 12
FOOTER_BYTES = 4
_HUGE = 1 << 62


def _scan(buf: memoryview, pos: int, cap: int) -> tuple[list, list, int, int, int]:
    starts: list[int] = []
    lengths: list[int] = []
    n = len(buf)
    while len(starts) < cap:
        if n - pos < HEADER_BYTES:
            return starts, lengths, pos, STATUS_NEED_MORE, HEADER_BYTES
        length, length_crc = struct.unpack_from("<QI", buf, pos)
        if masked_crc32c(buf[pos : pos + 8]) != length_crc:
            return starts, lengths, pos, STATUS_BAD_LENGTH_CRC, HEADER_BYTES
        if length > _HUGE:
            return starts, lengths, pos, STATUS_NEED_MORE, length
        need = length + HEADER_BYTES + FOOTER_BYTES
        if n - pos < need:
            return starts, lengths, pos, STATUS_NEED_MORE, need
        data = buf[pos + HEADER_BYTES : pos + HEADER_BYTES + length]
        (data_crc,) = struct.unpack_from("<I", buf, pos + HEADER_BYTES + length)
        if masked_crc32c(data) != data_crc:
            return starts, lengths, pos, STATUS_BAD_DATA_CRC, need
        starts.append(pos + HEADER_BYTES)
        lengths.append(length)
        pos += need
    return starts, lengths, pos, STATUS_FULL, HEADER_BYTES


def frame(
    buf: bytes, pos: int, max_records: int
) -> tuple[np.ndarray, np.ndarray, int, int, int]:
    """Scan complete records in ``buf`` from ``pos``, at most ``max_records``.

    Returns ``(starts, lengths, next_pos, status, need)``: int64 arrays with the
    data offset and length of each good record, the position after the last
    one, a ``STATUS_*`` code saying why the scan stopped at ``next_pos``, and
    the byte size of the record there when known (12 when its header is cut).

    Example:
        >>> frame(b"", 0, 1)[3] == STATUS_NEED_MORE
        True
    """
    view = memoryview(buf).cast("B")
    if max_records < 1:
        raise ValueError(f"max_records must be >= 1, got {max_records}")
    if pos < 0 or pos > len(view):
        raise ValueError(f"pos {pos} outside the buffer of {len(view)} bytes")
    cap = min(max_records, (len(view) - pos) // 16 + 1)
    starts, lengths, pos, status, need = _scan(view, pos, cap)
    return (
        np.array(starts, dtype=np.int64),
        np.array(lengths, dtype=np.int64),
        pos,
        status,
        need,
    )


def split(buf: bytes, starts: np.ndarray, lengths: np.ndarray) -> list[bytes]:
    """The records ``buf[starts[i]:starts[i] + lengths[i]]`` as a list of bytes.

    Example:
        >>> split(b"abcdef", np.array([1, 4]), np.array([2, 0]))
        [b'bc', b'']
    """
    view = memoryview(buf).cast("B")
    if len(starts) != len(lengths):
        raise ValueError("starts and lengths differ in size")
    out = []
    for i, (start, length) in enumerate(zip(starts.tolist(), lengths.tolist())):
        if start < 0 or length < 0 or start + length > len(view):
            raise ValueError(f"record {i} outside the buffer")
        out.append(bytes(view[start : start + length]))
    return out


def header(length: int) -> bytes:
    """The 12-byte header of a record of ``length`` bytes.

    Example:
        >>> len(header(5))
        12
    """
    if not 0 <= length < 2**64:  # the kernel's uint64 argument
        raise OverflowError(f"record length {length} is not a uint64")
    raw = struct.pack("<Q", length)
    return raw + struct.pack("<I", masked_crc32c(raw))


def footer(data: bytes) -> bytes:
    """The 4-byte footer (masked CRC of ``data``) of a record.

    Example:
        >>> footer(b"") == struct.pack("<I", masked_crc32c(b""))
        True
    """
    return struct.pack("<I", masked_crc32c(data))


def gather(parts: list) -> np.ndarray:
    """One 1-D object array of ``records[lo:hi]`` for each ``(records, lo, hi)``.

    Example:
        >>> gather([([b"a", b"b", b"c"], 1, 3), ([b"d"], 0, 1)]).tolist()
        [b'b', b'c', b'd']
    """
    picked = []
    for records, lo, hi in parts:
        if not isinstance(records, list):
            raise TypeError(f"records must be a list, not {type(records).__name__}")
        if lo < 0 or hi < lo or hi > len(records):
            raise ValueError(f"records[{lo}:{hi}] outside a block of {len(records)}")
        picked.extend(records[lo:hi])
    out = np.empty(len(picked), dtype=object)
    for i, record in enumerate(picked):
        out[i] = record
    return out
