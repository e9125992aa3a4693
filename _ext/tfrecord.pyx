# cython: language_level=3
"""TFRecord framing: split a buffer into records, checking both masked CRCs.

Twin: pipeline/_reference/tfrecord.py (same names, results and status codes).
The scan runs without the GIL; building the ``bytes`` objects needs it.

A record is ``uint64 length | uint32 masked_crc(length) | data | uint32
masked_crc(data)``, all little-endian.
"""

import numpy as np

from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t
from cpython.bytes cimport PyBytes_FromStringAndSize
from crc32c_core cimport pl_crc32c_update, pl_crc_init, pl_crc_mask

pl_crc_init()

cdef enum:
    _FULL = 0
    _NEED_MORE = 1
    _BAD_LENGTH = 2
    _BAD_DATA = 3
    _HEADER = 12
    _FOOTER = 4

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

cdef uint64_t _HUGE = (<uint64_t>1) << 62
cdef uint8_t _EMPTY[1]


cdef inline uint64_t _le64(const uint8_t *p) noexcept nogil:
    cdef uint64_t v = 0
    cdef int i
    for i in range(7, -1, -1):
        v = (v << 8) | p[i]
    return v


cdef inline uint32_t _le32(const uint8_t *p) noexcept nogil:
    return (<uint32_t>p[0]) | (<uint32_t>p[1] << 8) | (<uint32_t>p[2] << 16) | (
        <uint32_t>p[3] << 24)


cdef inline uint32_t _masked(const uint8_t *p, size_t n) noexcept nogil:
    return pl_crc_mask(pl_crc32c_update(0, p, n))


cdef int _scan(const uint8_t *buf, int64_t n, int64_t *pos, int64_t max_records,
               int64_t *starts, int64_t *lengths, int64_t *count,
               uint64_t *need) noexcept nogil:
    cdef int64_t p = pos[0]
    cdef int64_t k = 0
    cdef int64_t avail
    cdef uint64_t length
    cdef int status = _FULL
    while k < max_records:
        need[0] = _HEADER
        avail = n - p
        if avail < _HEADER:
            need[0] = _HEADER
            status = _NEED_MORE
            break
        length = _le64(buf + p)
        if _masked(buf + p, 8) != _le32(buf + p + 8):
            status = _BAD_LENGTH
            break
        if length > _HUGE:
            need[0] = length
            status = _NEED_MORE
            break
        need[0] = length + _HEADER + _FOOTER
        if <uint64_t>avail < need[0]:
            status = _NEED_MORE
            break
        if _masked(buf + p + _HEADER, length) != _le32(
                buf + p + _HEADER + length):
            status = _BAD_DATA
            break
        starts[k] = p + _HEADER
        lengths[k] = <int64_t>length
        k += 1
        p += <int64_t>need[0]
        need[0] = _HEADER
    pos[0] = p
    count[0] = k
    return status


def frame(const uint8_t[::1] buf, int64_t pos, int64_t max_records):
    """Scan complete records in ``buf`` from ``pos``, at most ``max_records``.

    Returns ``(starts, lengths, next_pos, status, need)``: int64 arrays with the
    data offset and length of each good record, the position after the last
    one, a ``STATUS_*`` code saying why the scan stopped at ``next_pos``, and
    the byte size of the record there when known (12 when its header is cut).
    """
    cdef int64_t n = buf.shape[0]
    if max_records < 1:
        raise ValueError(f"max_records must be >= 1, got {max_records}")
    if pos < 0 or pos > n:
        raise ValueError(f"pos {pos} outside the buffer of {n} bytes")
    cdef int64_t cap = min(max_records, (n - pos) // 16 + 1)
    starts = np.empty(cap, dtype=np.int64)
    lengths = np.empty(cap, dtype=np.int64)
    cdef int64_t[::1] s = starts
    cdef int64_t[::1] l = lengths
    cdef int64_t count = 0
    cdef uint64_t need = _HEADER
    cdef int status
    cdef const uint8_t *base = &buf[0] if n else _EMPTY
    with nogil:
        status = _scan(base, n, &pos, cap, &s[0], &l[0], &count, &need)
    return starts[:count], lengths[:count], pos, status, need


def split(const uint8_t[::1] buf, const int64_t[::1] starts,
          const int64_t[::1] lengths):
    """The records ``buf[starts[i]:starts[i] + lengths[i]]`` as a list of bytes."""
    cdef Py_ssize_t i, k = starts.shape[0]
    cdef Py_ssize_t n = buf.shape[0]
    if lengths.shape[0] != k:
        raise ValueError("starts and lengths differ in size")
    out = [None] * k
    cdef const char *base = <const char *>(&buf[0] if n else _EMPTY)
    for i in range(k):
        # lengths[i] > n - starts[i], not starts[i] + lengths[i] > n: no overflow
        if (starts[i] < 0 or lengths[i] < 0 or starts[i] > n
                or lengths[i] > n - starts[i]):
            raise ValueError(f"record {i} outside the buffer")
        out[i] = PyBytes_FromStringAndSize(base + starts[i], lengths[i])
    return out


def header(uint64_t length):
    """The 12-byte header of a record of ``length`` bytes."""
    cdef uint8_t h[12]
    cdef int i
    cdef uint64_t v = length
    for i in range(8):
        h[i] = (v >> (8 * i)) & 0xFF
    cdef uint32_t c = _masked(h, 8)
    for i in range(4):
        h[8 + i] = (c >> (8 * i)) & 0xFF
    return PyBytes_FromStringAndSize(<char *>h, 12)


def footer(const uint8_t[::1] data):
    """The 4-byte footer (masked CRC of ``data``) of a record."""
    cdef uint8_t f[4]
    cdef uint32_t c
    cdef int i
    if data.shape[0] == 0:
        c = pl_crc_mask(0)
    else:
        with nogil:
            c = _masked(&data[0], data.shape[0])
    for i in range(4):
        f[i] = (c >> (8 * i)) & 0xFF
    return PyBytes_FromStringAndSize(<char *>f, 4)


def gather(list parts):
    """One 1-D object array of ``records[lo:hi]`` for each ``(records, lo, hi)``.

    The batch of records cut from one or more blocks, without a numpy
    conversion of each element (the objects are referenced, not copied).
    """
    cdef Py_ssize_t total = 0, lo, hi, i, j = 0
    cdef list records
    for part in parts:
        records, lo, hi = part
        if lo < 0 or hi < lo or hi > len(records):
            raise ValueError(f"records[{lo}:{hi}] outside a block of {len(records)}")
        total += hi - lo
    out = np.empty(total, dtype=object)
    cdef object[::1] view = out
    for part in parts:
        records, lo, hi = part
        for i in range(lo, hi):
            view[j] = records[i]
            j += 1
    return out
