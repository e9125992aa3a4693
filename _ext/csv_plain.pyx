# cython: language_level=3
"""CSV records straight into typed columns, in one pass.

Twin: pipeline/_reference/csv_plain.py (same names, results and fix-ups).

``decode`` reads ``n`` records of ``buf``, each ended by ``\\n``, split on
one delimiter byte. With ``quotes`` a field may be quoted (RFC 4180, as TF
reads it): its first byte is ``"``, ``""`` inside stands for one quote, and
delimiters and newlines inside are data; the closing quote is followed by
the delimiter or the record's newline. Anything else (a quote inside an
unquoted field, a quote after the closing one) refuses the batch. Numbers in the plain decimal syntax are
converted here, correctly rounded, without the GIL; any other text of a
numeric field (whitespace, hex, inf/nan, too many digits, overflow) is left
as a *fix-up* for the exact rules in ``pipeline.io.csv_values``. String
fields become ``bytes``, equal values of a column sharing one object. The
whole batch is refused (None) when a record has another field count or a
required field is missing: the exact decoder then reports TF's error.
"""

import numpy as np

from cpython.buffer cimport (
    PyBUF_C_CONTIGUOUS,
    PyBUF_WRITABLE,
    PyBuffer_Release,
    PyObject_GetBuffer,
)
from cpython.bytes cimport (
    PyBytes_AS_STRING,
    PyBytes_FromStringAndSize,
    PyBytes_GET_SIZE,
)
from libc.stdint cimport int32_t, int64_t, uint8_t, uint64_t
from libc.stdlib cimport calloc, free, malloc, realloc
from libc.string cimport memchr, memcmp, memcpy, memset

from csv_fields cimport (
    _CACHE_LIMIT,
    _FLOAT32,
    _FLOAT64,
    _INT32,
    _INT64,
    _STRING,
    Plan,
    _close_quote,
    _intern,
    _missing_at,
    _same_unescaped,
    _set_default,
    _skip,
    _zero,
)
from decimal_text cimport Decimal, _decimal_at, _integer_at, _to_double, _to_float

KIND_INT32 = 0
KIND_INT64 = 1
KIND_FLOAT32 = 2
KIND_FLOAT64 = 3
KIND_STRING = 4

cdef uint8_t _EMPTY[1]


cdef bint _fixup_room(Plan *pl) noexcept nogil:
    """Whether one more fix-up row fits (the table grown if need be): 0 past
    ``max_fixups`` or when memory runs out (the batch is then refused)."""
    cdef int64_t room
    cdef int64_t *grown
    if pl.nfixups < pl.fixup_room:
        return 1
    if pl.fixup_room >= pl.max_fixups:
        return 0
    room = min(pl.max_fixups, max(64, 2 * pl.fixup_room))
    grown = <int64_t *>realloc(pl.fixups, room * 4 * sizeof(int64_t))
    if grown == NULL:
        return 0
    pl.fixups, pl.fixup_room = grown, room
    return 1


cdef inline int64_t _number(Plan *pl, const uint8_t *buf, int64_t pos,
                            int64_t size, int64_t row, int64_t col) noexcept nogil:
    """Convert the numeric field at ``pos``; its end, or -1 to refuse the batch."""
    cdef int64_t kind = pl.kinds[col], iv, end, at
    cdef Decimal dec
    cdef bint ok
    if kind == _INT32 or kind == _INT64:
        end = _integer_at(buf, pos, size, kind == _INT64, &iv, &ok)
        ok = ok and end < size and pl.sep[buf[end]]
        if ok and kind == _INT32:
            (<int32_t *>pl.data[col])[row] = <int32_t>iv
        elif ok:
            (<int64_t *>pl.data[col])[row] = iv
    else:
        end = _decimal_at(buf, pos, size, &dec, &ok)
        ok = ok and end < size and pl.sep[buf[end]]
        if ok and kind == _FLOAT32:
            ok = _to_float(&dec, &(<float *>pl.data[col])[row])
        elif ok:
            ok = _to_double(&dec, &(<double *>pl.data[col])[row])
    if ok:
        return end
    if not _fixup_room(pl):
        return -1
    _zero(pl, row, col)
    end = _skip(pl, buf, end, size)
    at = pl.nfixups * 4
    pl.fixups[at] = row
    pl.fixups[at + 1] = col
    pl.fixups[at + 2] = pos
    pl.fixups[at + 3] = end - pos
    pl.nfixups += 1
    return end


cdef inline int64_t _field(Plan *pl, const uint8_t *buf, int64_t pos,
                           int64_t size, int64_t row, int64_t col) noexcept nogil:
    """Read the selected field at ``pos``; its end, or -1 to refuse the batch."""
    cdef int64_t end, at
    if _missing_at(pl, buf, pos, size):
        if pl.required[col]:
            return -1
        pl.missing[col * pl.n + row] = 1
        _set_default(pl, row, col)
        return _skip(pl, buf, pos, size)
    if pl.kinds[col] != _STRING:
        return _number(pl, buf, pos, size, row, col)
    end = _skip(pl, buf, pos, size)
    at = (pl.string_slot[col] * pl.n + row) * 3
    pl.spans[at] = pos
    pl.spans[at + 1] = end - pos
    pl.spans[at + 2] = _intern(pl, buf, pos, end - pos, pl.string_slot[col])
    return end


cdef bint _quoted_number(Plan *pl, const uint8_t *buf, int64_t pos, int64_t q,
                         int64_t row, int64_t col) noexcept nogil:
    """Convert a quoted numeric field's text ``buf[pos:q]`` (as `_number`, in
    a copy of its own that keeps `_number` inlined in the unquoted loop);
    0 to refuse the batch."""
    cdef int64_t kind = pl.kinds[col], iv, end, at
    cdef Decimal dec
    cdef bint ok
    if kind == _INT32 or kind == _INT64:
        end = _integer_at(buf, pos, q, kind == _INT64, &iv, &ok)
        ok = ok and end == q
        if ok and kind == _INT32:
            (<int32_t *>pl.data[col])[row] = <int32_t>iv
        elif ok:
            (<int64_t *>pl.data[col])[row] = iv
    else:
        end = _decimal_at(buf, pos, q, &dec, &ok)
        ok = ok and end == q
        if ok and kind == _FLOAT32:
            ok = _to_float(&dec, &(<float *>pl.data[col])[row])
        elif ok:
            ok = _to_double(&dec, &(<double *>pl.data[col])[row])
    if ok:
        return 1
    if _skip(pl, buf, end, q) != q or not _fixup_room(pl):
        return 0  # fix-ups full, or a delimiter or newline inside a number
    _zero(pl, row, col)
    at = pl.nfixups * 4
    pl.fixups[at] = row
    pl.fixups[at + 1] = col
    pl.fixups[at + 2] = pos
    pl.fixups[at + 3] = q - pos
    pl.nfixups += 1
    return 1


cdef inline int64_t _quoted(Plan *pl, const uint8_t *buf, int64_t pos,
                            int64_t size, int64_t row, int64_t col) noexcept nogil:
    """Read the quoted field at ``pos`` (its opening quote) into output column
    ``col`` (-1: skip it); the position after its closing quote, or -1."""
    cdef bint escaped = 0, missing
    cdef int64_t start = pos + 1, q, n, at
    q = _close_quote(buf, start, size, &escaped)
    if q < 0 or q + 1 >= size or not pl.sep[buf[q + 1]]:
        return -1
    if col < 0:
        return q + 1
    n = q - start
    if escaped:
        missing = pl.na_len and _same_unescaped(buf, start, q, pl.na, pl.na_len)
    else:
        missing = n == 0 or (n == pl.na_len and memcmp(buf + start, pl.na, n) == 0)
    if missing:
        if pl.required[col]:
            return -1
        pl.missing[col * pl.n + row] = 1
        _set_default(pl, row, col)
        return q + 1
    if pl.kinds[col] != _STRING:
        if escaped:
            return -1  # a quote is no part of a number
        return q + 1 if _quoted_number(pl, buf, start, q, row, col) else -1
    at = (pl.string_slot[col] * pl.n + row) * 3
    pl.spans[at] = start
    pl.spans[at + 1] = n
    pl.spans[at + 2] = -2 if escaped else _intern(pl, buf, start, n,
                                                   pl.string_slot[col])
    return q + 1


cdef bint _scan(Plan *pl, const uint8_t *buf, int64_t size) noexcept nogil:
    """Walk every record and field; 0 to refuse the batch."""
    cdef int64_t row, pos = 0, field, col
    cdef uint8_t c
    for row in range(pl.n):
        if pos < size and buf[pos] == 10:
            return 0  # an empty record: the callers' rules for it differ
        field = 0
        while True:
            if field >= pl.ncols:
                return 0
            col = pl.out_of_field[field]
            if pl.quotes and pos < size and buf[pos] == 34:
                pos = _quoted(pl, buf, pos, size, row, col)
            elif col < 0:
                pos = _skip(pl, buf, pos, size)
            else:
                pos = _field(pl, buf, pos, size, row, col)
            if pos < 0 or pos >= size:
                return 0  # refused, or the record is not ended by a newline
            c = buf[pos]
            pos += 1
            field += 1
            if c == 10:
                break
            if c != pl.delim:
                return 0  # a quote inside an unquoted field
        if field != pl.ncols or (pl.ends != NULL and pos - 1 != pl.ends[row]):
            return 0
    return pos == size


cdef object _strings(Plan *pl, const uint8_t *buf, int64_t col, object default):
    """The column's ``bytes`` objects: one per table slot, shared by its rows."""
    cdef object[::1] out
    cdef object[::1] shared
    cdef int64_t row, slot, table = pl.string_slot[col]
    cdef int64_t base = table * pl.table_size
    cdef int64_t *spans = &pl.spans[table * pl.n * 3]
    cdef const uint8_t *missing = &pl.missing[col * pl.n]
    values = np.empty(pl.table_size, dtype=object)
    shared = values
    for slot in range(pl.table_size):
        if pl.hashes[base + slot]:
            shared[slot] = PyBytes_FromStringAndSize(
                <const char *>buf + pl.slot_span[(base + slot) * 2],
                pl.slot_span[(base + slot) * 2 + 1])
    column = np.empty(pl.n, dtype=object)
    out = column
    for row in range(pl.n):
        if missing[row]:
            out[row] = default
            continue
        slot = spans[3 * row + 2]
        if slot >= 0:
            out[row] = shared[slot]
        elif slot == -2:
            out[row] = _unescaped(buf + spans[3 * row], spans[3 * row + 1])
        else:
            out[row] = PyBytes_FromStringAndSize(
                <const char *>buf + spans[3 * row], spans[3 * row + 1])
    return column


cdef bytes _unescaped(const uint8_t *text, int64_t n):
    """``text[:n]`` (a quoted field's inside) with each ``""`` read as ``"``."""
    cdef int64_t i = 0, k = 0, quotes = 0
    cdef char *out
    for i in range(n):
        quotes += text[i] == 34
    value = PyBytes_FromStringAndSize(NULL, n - quotes // 2)
    out = PyBytes_AS_STRING(value)
    i = 0
    while i < n:
        out[k] = <char>text[i]
        i += 2 if text[i] == 34 else 1
        k += 1
    return value


_DTYPES = (np.int32, np.int64, np.float32, np.float64)
_NUMBER_BYTES = frozenset(b"0123456789+-.eE")


def decode(const uint8_t[::1] buf, int64_t n, int64_t ncols, select, kinds,
           defaults, required, int delim, bytes na_value, int64_t max_fixups,
           bint quotes=False, const int64_t[::1] ends=None):
    """Decode ``n`` records of ``buf`` into one array per output column.

    Output column ``j`` is field ``select[j]`` typed by ``kinds[j]`` (a
    ``KIND_*``), missing fields (empty or ``na_value``) taking
    ``defaults[j]``. Returns ``(columns, fixups)``, ``fixups`` an int64 array
    of ``(row, column, start, length)`` rows for numeric fields left for the
    exact rules (their slots hold 0), or None to refuse the batch (field
    count, a missing required field, more than ``max_fixups`` fix-ups, bytes
    left after the ``n`` records, an empty record, a delimiter that is a
    newline or a character of a number: ``0-9 + - . e E``). With ``quotes``,
    fields may be quoted (module docstring; the delimiter may not be ``"``);
    ``ends``, when given, holds the offset of each record's newline, and a
    batch whose records end elsewhere is refused.
    """
    cdef int64_t nout = len(select), j, k, nstr = 0, size = buf.shape[0]
    cdef Plan pl
    cdef bint ok
    cdef const uint8_t *p = &buf[0] if size else NULL
    if ncols <= 0 or n < 0 or len(kinds) != nout or len(defaults) != nout:
        raise ValueError("select, kinds and defaults must match; ncols > 0")
    for j in range(nout):
        if not 0 <= select[j] < ncols or not 0 <= kinds[j] <= _STRING:
            raise ValueError(f"bad column {j}: field {select[j]}, kind {kinds[j]}")
    if len(set(select)) != nout:
        raise ValueError("a field is selected twice")
    columns = []
    memset(&pl, 0, sizeof(pl))
    pl.n, pl.ncols, pl.nout = n, ncols, nout
    if not 0 <= delim <= 255:
        raise ValueError(f"delim must be a byte value; got {delim}")
    if delim in _NUMBER_BYTES or delim == 10 or (quotes and delim == 34):
        return None  # a number's own characters cannot split fields here
    if ends is not None and ends.shape[0] != n:
        raise ValueError(f"ends holds {ends.shape[0]} offsets for {n} records")
    if n == 0:
        return None if size else _no_records(kinds)
    if n > size // ncols:
        return None  # a record of ncols fields takes at least ncols bytes
    pl.sep[delim] = 1
    pl.sep[10] = 1
    memcpy(pl.stop, pl.sep, 256)
    pl.stop[34] = pl.stop[34] or quotes
    pl.quotes, pl.delim = quotes, delim
    pl.ends = &ends[0] if ends is not None and n else NULL
    pl.na, pl.na_len = <const uint8_t *>na_value, len(na_value)
    pl.max_fixups = max(0, min(max_fixups, n * nout))  # n * nout <= size
    try:
        pl.out_of_field = <int64_t *>malloc(max(ncols, 1) * sizeof(int64_t))
        pl.kinds = <int64_t *>malloc(max(nout, 1) * sizeof(int64_t))
        pl.required = <uint8_t *>malloc(max(nout, 1))
        pl.data = <void **>malloc(max(nout, 1) * sizeof(void *))
        pl.string_slot = <int64_t *>malloc(max(nout, 1) * sizeof(int64_t))
        pl.missing = <uint8_t *>malloc(max(nout * n, 1))
        pl.fixup_room = min(pl.max_fixups, 64)
        pl.fixups = <int64_t *>malloc(max(pl.fixup_room * 4, 1) * sizeof(int64_t))
        pl.default_int = <int64_t *>calloc(max(nout, 1), sizeof(int64_t))
        pl.default_float = <double *>calloc(max(nout, 1), sizeof(double))
        if not (pl.out_of_field and pl.kinds and pl.required and pl.data and
                pl.string_slot and pl.missing and pl.fixups and pl.default_int and
                pl.default_float):
            raise MemoryError()
        memset(pl.missing, 0, max(nout * n, 1))
        for k in range(ncols):
            pl.out_of_field[k] = -1
        for j in range(nout):
            if pl.out_of_field[select[j]] >= 0:
                raise ValueError(f"field {select[j]} is selected twice")
            pl.out_of_field[select[j]] = j
            pl.kinds[j] = kinds[j]
            pl.required[j] = 1 if required[j] else 0
            pl.data[j] = NULL
            if kinds[j] == _STRING:
                pl.string_slot[j] = nstr
                nstr += 1
                columns.append(None)
            else:
                if not required[j] and kinds[j] <= _INT64:
                    pl.default_int[j] = int(defaults[j])
                elif not required[j]:
                    pl.default_float[j] = float(defaults[j])
                column = np.empty(n, dtype=_DTYPES[kinds[j]])
                pl.data[j] = _address(column)
                columns.append(column)
        pl.nstrings = nstr
        pl.table_size = 16
        while pl.table_size < 2 * min(n, _CACHE_LIMIT):
            pl.table_size *= 2
        pl.table_limit = pl.table_size // 2
        pl.spans = <int64_t *>malloc(max(nstr * n * 3, 1) * sizeof(int64_t))
        pl.hashes = <uint64_t *>calloc(max(nstr * pl.table_size, 1), sizeof(uint64_t))
        pl.slot_span = <int64_t *>malloc(
            max(nstr * pl.table_size * 2, 1) * sizeof(int64_t))
        pl.table_count = <int64_t *>calloc(max(nstr, 1), sizeof(int64_t))
        if not (pl.spans and pl.hashes and pl.slot_span and pl.table_count):
            raise MemoryError()
        with nogil:
            ok = _scan(&pl, p, size)
        if not ok:
            return None
        for j in range(nout):
            if pl.kinds[j] == _STRING:
                columns[j] = _strings(&pl, p, j, defaults[j])
        fixups = np.empty((pl.nfixups, 4), dtype=np.int64)
        if pl.nfixups:
            memcpy(_address(fixups), pl.fixups, pl.nfixups * 4 * sizeof(int64_t))
        return columns, fixups
    finally:
        free(pl.out_of_field)
        free(pl.kinds)
        free(pl.required)
        free(pl.data)
        free(pl.string_slot)
        free(pl.missing)
        free(pl.fixups)
        free(pl.spans)
        free(pl.hashes)
        free(pl.slot_span)
        free(pl.table_count)
        free(pl.default_int)
        free(pl.default_float)


def _no_records(kinds):
    """The columns and fix-ups of zero records."""
    columns = [np.empty(0, dtype=object if k == _STRING else _DTYPES[k]) for k in kinds]
    return columns, np.empty((0, 4), dtype=np.int64)


cdef void *_address(object array) except NULL:
    """The data pointer of a C-contiguous numpy array (which stays alive)."""
    cdef Py_buffer view
    cdef void *address
    PyObject_GetBuffer(array, &view, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS)
    address = view.buf
    PyBuffer_Release(&view)
    return address if address != NULL else <void *>_EMPTY
