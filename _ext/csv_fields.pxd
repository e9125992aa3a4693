# cython: language_level=3
"""The CSV kernel's plan (`Plan`: one decode's options, outputs and tables) and
its small inline field readers, shared by ``csv_plain.pyx``: skipping a field,
missing fields and defaults, interning strings, finding a quoted field's end.
"""

from libc.stdint cimport int32_t, int64_t, uint8_t, uint64_t
from libc.string cimport memchr, memcmp

from fnv cimport _fnv1a_nonzero

cdef enum:
    _INT32 = 0
    _INT64 = 1
    _FLOAT32 = 2
    _FLOAT64 = 3
    _STRING = 4
    _CACHE_LIMIT = 1024  # distinct values shared per string column

cdef struct Plan:
    int64_t n
    int64_t ncols
    int64_t nout
    int64_t *out_of_field  # output column of each field, or -1
    int64_t *kinds
    uint8_t *required
    void **data  # each output column's buffer (numeric) or NULL
    int64_t *spans  # (start, length, table slot or -1) of each string field
    int64_t *string_slot  # index of each output column among string columns
    int64_t nstrings
    int64_t table_size  # slots of each string column's table (a power of 2)
    int64_t table_limit  # values a table takes at most
    uint64_t *hashes  # (nstrings, table_size); 0 marks a free slot
    int64_t *slot_span  # (nstrings, table_size, 2): the first field seen there
    int64_t *table_count  # values in each string column's table
    uint8_t *missing  # (nout, n): field empty or na_value
    int64_t *default_int  # each integer column's default
    double *default_float  # each float column's default (exact for float32)
    int64_t *fixups  # (row, col, start, length) rows
    int64_t max_fixups
    int64_t nfixups
    int64_t fixup_room  # fix-up rows allocated (grown up to max_fixups)
    const uint8_t *na
    int64_t na_len
    uint8_t delim
    uint8_t sep[256]  # 1 for the delimiter and the newline
    uint8_t stop[256]  # sep, and the quote when fields may be quoted
    bint quotes  # fields may be quoted
    const int64_t *ends  # the offset of each record's newline, or NULL


cdef inline int64_t _skip(Plan *pl, const uint8_t *buf, int64_t pos,
                          int64_t size) noexcept nogil:
    """The position of the next delimiter, newline (or quote, with quoting) at
    or after ``pos``."""
    cdef const uint8_t *stop = pl.stop
    while pos < size and not stop[buf[pos]]:
        pos += 1
    return pos


cdef inline bint _missing_at(Plan *pl, const uint8_t *buf, int64_t pos,
                             int64_t size) noexcept nogil:
    """Whether the field at ``pos`` is empty or ``na_value``."""
    if pos < size and pl.sep[buf[pos]]:
        return 1
    return (pl.na_len and pos + pl.na_len < size and
            pl.sep[buf[pos + pl.na_len]] and
            memcmp(buf + pos, pl.na, pl.na_len) == 0)


cdef inline void _zero(Plan *pl, int64_t row, int64_t col) noexcept nogil:
    cdef int64_t kind = pl.kinds[col]
    if kind == _INT32:
        (<int32_t *>pl.data[col])[row] = 0
    elif kind == _INT64:
        (<int64_t *>pl.data[col])[row] = 0
    elif kind == _FLOAT32:
        (<float *>pl.data[col])[row] = 0
    elif kind == _FLOAT64:
        (<double *>pl.data[col])[row] = 0


cdef inline void _set_default(Plan *pl, int64_t row, int64_t col) noexcept nogil:
    cdef int64_t kind = pl.kinds[col]
    if kind == _INT32:
        (<int32_t *>pl.data[col])[row] = <int32_t>pl.default_int[col]
    elif kind == _INT64:
        (<int64_t *>pl.data[col])[row] = pl.default_int[col]
    elif kind == _FLOAT32:
        (<float *>pl.data[col])[row] = <float>pl.default_float[col]
    elif kind == _FLOAT64:
        (<double *>pl.data[col])[row] = pl.default_float[col]


cdef inline bint _same_bytes(const uint8_t *a, const uint8_t *b,
                             int64_t n) noexcept nogil:
    """``a[:n] == b[:n]``, inline (fields are short: no library call)."""
    cdef int64_t i
    for i in range(n):
        if a[i] != b[i]:
            return 0
    return 1


cdef inline int64_t _intern(Plan *pl, const uint8_t *buf, int64_t pos,
                            int64_t n, int64_t table) noexcept nogil:
    """The slot of the column's table holding these bytes (added if new), or -1
    when the table is full."""
    cdef uint64_t h = _fnv1a_nonzero(buf + pos, n)
    cdef int64_t slot, mask = pl.table_size - 1, base = table * pl.table_size
    cdef int64_t *span
    slot = <int64_t>(h & mask)
    while pl.hashes[base + slot]:
        if pl.hashes[base + slot] == h:
            span = &pl.slot_span[(base + slot) * 2]
            if span[1] == n and _same_bytes(buf + span[0], buf + pos, n):
                return slot
        slot = (slot + 1) & mask
    if pl.table_count[table] >= pl.table_limit:
        return -1
    pl.hashes[base + slot] = h
    pl.slot_span[(base + slot) * 2] = pos
    pl.slot_span[(base + slot) * 2 + 1] = n
    pl.table_count[table] += 1
    return slot


cdef inline int64_t _close_quote(const uint8_t *buf, int64_t pos, int64_t size,
                                 bint *escaped) noexcept nogil:
    """The closing quote of the quoted field whose text starts at ``pos``
    (``""`` pairs skipped, ``escaped`` set if any), or -1."""
    cdef const uint8_t *q
    while pos < size:
        q = <const uint8_t *>memchr(buf + pos, 34, size - pos)
        if q == NULL:
            return -1
        pos = q - buf
        if pos + 1 < size and buf[pos + 1] == 34:
            escaped[0] = 1
            pos += 2
            continue
        return pos
    return -1


cdef inline bint _same_unescaped(const uint8_t *buf, int64_t pos, int64_t end,
                                 const uint8_t *text, int64_t n) noexcept nogil:
    """Whether ``buf[pos:end]`` with each ``""`` read as ``"`` is ``text``."""
    cdef int64_t k = 0
    while pos < end:
        if k == n or buf[pos] != text[k]:
            return 0
        pos += 2 if buf[pos] == 34 else 1
        k += 1
    return k == n
