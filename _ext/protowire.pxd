# cython: language_level=3
"""Protobuf wire-format primitives (inline, nogil) for the Example kernels.

A `Cursor` walks ``p[pos:end]``; every reader returns False (never reads past
``end``) on malformed input.
"""

from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t


cdef struct Cursor:
    const uint8_t *p
    int64_t pos
    int64_t end


cdef inline bint _varint(Cursor *c, uint64_t *out) noexcept nogil:
    cdef uint64_t v = 0
    cdef int shift = 0
    cdef uint8_t b
    if c.pos < c.end and c.p[c.pos] < 0x80:  # one byte: most tags and sizes
        out[0] = c.p[c.pos]
        c.pos += 1
        return True
    while c.pos < c.end and shift < 70:
        b = c.p[c.pos]
        c.pos += 1
        if shift == 63 and b > 1:
            return False
        v |= (<uint64_t>(b & 0x7F)) << shift
        if b < 0x80:
            out[0] = v
            return True
        shift += 7
    return False


cdef inline bint _skip(Cursor *c, uint32_t wire) noexcept nogil:
    cdef uint64_t v
    if wire == 0:
        return _varint(c, &v)
    if wire == 1:
        c.pos += 8
    elif wire == 5:
        c.pos += 4
    elif wire == 2:
        if not _varint(c, &v) or v > <uint64_t>(c.end - c.pos):
            return False
        c.pos += <int64_t>v
    else:
        return False
    return c.pos <= c.end


cdef inline bint _tag(Cursor *c, uint64_t *field, uint32_t *wire) noexcept nogil:
    cdef uint64_t t
    if not _varint(c, &t):
        return False
    field[0] = t >> 3
    wire[0] = t & 7
    return field[0] != 0


cdef inline bint _sub(Cursor *c, Cursor *sub) noexcept nogil:
    """Read a LEN field's size and point ``sub`` at its body; skip it in ``c``."""
    cdef uint64_t n
    if not _varint(c, &n) or n > <uint64_t>(c.end - c.pos):
        return False
    sub.p = c.p
    sub.pos = c.pos
    sub.end = c.pos + <int64_t>n
    c.pos = sub.end
    return True
