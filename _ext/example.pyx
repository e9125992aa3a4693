# cython: language_level=3
"""tf.train.Example wire-format decoder into columns, without the GIL.

Twin: pipeline/_reference/example.py (same names, results and status codes).

:func:`index_features` walks a batch of serialized Examples once and records,
for each requested feature key and each record, the kind of the last map entry
with that key, its value count and where its list message lies.
``decode_int64`` / ``decode_float32`` / ``decode_bytes`` then copy the values
of chosen records straight into flat output arrays.

Layouts: ``kind``, ``count``, ``start``, ``stop`` are ``[n_features, batch]``.
"""

import numpy as np

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_Check, PyBytes_FromStringAndSize
from cpython.bytes cimport PyBytes_GET_SIZE
from cpython.buffer cimport (
    PyBUF_C_CONTIGUOUS, PyBUF_FORMAT, PyBUF_WRITABLE, PyBuffer_Release,
    PyObject_GetBuffer,
)
from libc.stdint cimport int8_t, int64_t, uint8_t, uint32_t, uint64_t
from cpython.ref cimport PyObject, Py_INCREF, Py_XDECREF
from libc.stdlib cimport calloc, free, malloc
from libc.string cimport memcmp, memcpy, strlen
from protowire cimport Cursor, _skip, _sub, _tag, _varint

cdef enum:
    _OK = 0
    _MALFORMED = 1
    _KIND_BYTES = 1
    _KIND_FLOAT = 2
    _KIND_INT64 = 3
    _HINTS = 128

#: Every record parsed.
STATUS_OK = _OK
#: A record is not a valid serialized Example (``err_record``, ``err_offset``).
STATUS_MALFORMED = _MALFORMED
#: Kinds: a missing feature (or a Feature with no list set) is ``KIND_NONE``.
KIND_NONE = 0
KIND_BYTES = _KIND_BYTES
KIND_FLOAT = _KIND_FLOAT
KIND_INT64 = _KIND_INT64


cdef bint _count(const uint8_t *p, int64_t start, int64_t stop, int kind,
                 int64_t *count) noexcept nogil:
    """Count the values of a list message body; False when malformed."""
    cdef Cursor c, sub
    cdef uint64_t field, v
    cdef uint32_t wire
    cdef int64_t k = 0, i
    c.p = p
    c.pos = start
    c.end = stop
    while c.pos < c.end:
        if not _tag(&c, &field, &wire):
            return False
        if field != 1 or not (wire == 2 or (kind == _KIND_FLOAT and wire == 5)
                              or (kind == _KIND_INT64 and wire == 0)):
            if not _skip(&c, wire):
                return False
            continue
        if wire == 5:
            c.pos += 4
            if c.pos > c.end:
                return False
            k += 1
        elif wire == 0:
            if not _varint(&c, &v):
                return False
            k += 1
        elif not _sub(&c, &sub):
            return False
        elif kind == _KIND_BYTES:
            k += 1
        elif kind == _KIND_FLOAT:
            if (sub.end - sub.pos) % 4:
                return False
            k += (sub.end - sub.pos) // 4
        else:
            while sub.pos < sub.end:
                if not _varint(&sub, &v):
                    return False
                k += 1
    count[0] = k
    return True


cdef inline bint _same(const uint8_t *a, int64_t a_len, const uint8_t *b,
                       int64_t b_len) noexcept nogil:
    return a_len == b_len and (a_len == 0 or memcmp(a, b, a_len) == 0)


cdef int _find(const uint8_t *key, int64_t n, const uint8_t **keys,
               const int64_t *key_lens, int64_t n_keys, int *hint) noexcept nogil:
    """The index of ``key`` in ``keys`` or -1; ``hint`` is tried first, then set.

    Records of one batch usually list their keys in the same order, so the
    key matched at the same entry position in the previous record is tried
    first.
    """
    cdef int64_t f
    cdef int h = hint[0]
    if 0 <= h < n_keys and _same(keys[h], key_lens[h], key, n):
        return h
    for f in range(n_keys):
        if _same(keys[f], key_lens[f], key, n):
            hint[0] = <int>f
            return <int>f
    hint[0] = -1
    return -1


cdef bint _feature(Cursor *value, int64_t f, int64_t b, int64_t batch,
                   int8_t *kind, int64_t *count, int64_t *start,
                   int64_t *stop) noexcept nogil:
    cdef Cursor c = value[0], sub
    cdef uint64_t field
    cdef uint32_t wire
    cdef int k = 0
    cdef int64_t s = 0, e = 0, n = 0
    while c.pos < c.end:
        if not _tag(&c, &field, &wire):
            return False
        if 1 <= field <= 3 and wire == 2:
            if not _sub(&c, &sub):
                return False
            k = <int>field
            s = sub.pos
            e = sub.end
        elif not _skip(&c, wire):
            return False
    if k and not _count(c.p, s, e, k, &n):
        return False
    kind[f * batch + b] = k
    count[f * batch + b] = n
    start[f * batch + b] = s
    stop[f * batch + b] = e
    return True


cdef bint _entry(Cursor *entry, int64_t b, int64_t batch, const uint8_t **keys,
                 const int64_t *key_lens, int64_t n_keys, int8_t *kind,
                 int64_t *count, int64_t *start, int64_t *stop,
                 int *hint) noexcept nogil:
    cdef Cursor c = entry[0], key, value
    cdef uint64_t field
    cdef uint32_t wire
    cdef int f
    key.p = c.p
    key.pos = 0
    key.end = 0
    value.p = c.p
    value.pos = 0
    value.end = 0
    while c.pos < c.end:
        if not _tag(&c, &field, &wire):
            return False
        if field == 1 and wire == 2:
            if not _sub(&c, &key):
                return False
        elif field == 2 and wire == 2:
            if not _sub(&c, &value):
                return False
        elif not _skip(&c, wire):
            return False
    f = _find(c.p + key.pos, key.end - key.pos, keys, key_lens, n_keys, hint)
    if f < 0:
        return True
    return _feature(&value, f, b, batch, kind, count, start, stop)


cdef bint _record(const uint8_t *p, int64_t n, int64_t b, int64_t batch,
                  const uint8_t **keys, const int64_t *key_lens, int64_t n_keys,
                  int8_t *kind, int64_t *count, int64_t *start, int64_t *stop,
                  int64_t *err_offset, int *hints) noexcept nogil:
    cdef Cursor c, features, entry
    cdef uint64_t field
    cdef uint32_t wire
    cdef int64_t e = 0
    c.p = p
    c.pos = 0
    c.end = n
    while c.pos < c.end:
        err_offset[0] = c.pos
        if not _tag(&c, &field, &wire):
            return False
        if not (field == 1 and wire == 2):
            if not _skip(&c, wire):
                return False
            continue
        if not _sub(&c, &features):
            return False
        while features.pos < features.end:
            err_offset[0] = features.pos
            if not _tag(&features, &field, &wire):
                return False
            if not (field == 1 and wire == 2):
                if not _skip(&features, wire):
                    return False
                continue
            if not _sub(&features, &entry):
                return False
            if not _entry(&entry, b, batch, keys, key_lens, n_keys, kind, count,
                          start, stop, &hints[e if e < _HINTS else _HINTS]):
                return False
            e += 1
    return True


cdef const uint8_t **_pointers(seq, int64_t **lens) except NULL:
    """Data pointers of a sequence of bytes, and (in ``lens``) their sizes.

    One ``malloc`` holds both; ``free`` the returned pointer.
    """
    cdef Py_ssize_t i, n = len(seq)
    cdef void *block = malloc((n + 1) * (sizeof(void *) + sizeof(int64_t)))
    if block == NULL:
        raise MemoryError()
    cdef const uint8_t **out = <const uint8_t **>block
    cdef int64_t *sizes = <int64_t *>(out + n + 1)
    for i in range(n):
        obj = seq[i]
        if not PyBytes_Check(obj):
            free(block)
            raise TypeError(f"record {i} is {type(obj).__name__}, expected bytes")
        out[i] = <const uint8_t *>PyBytes_AS_STRING(obj)
        sizes[i] = PyBytes_GET_SIZE(obj)
    lens[0] = sizes
    return out


def index_features(records, keys):
    """Locate each requested feature in each record of a batch.

    Args:
        records: a list (or 1-D object array) of ``bytes``, the batch.
        keys: the feature keys (``bytes``) to look for.

    Returns:
        ``(kind, count, start, stop, status, err_record, err_offset)``: four
        ``[len(keys), len(records)]`` arrays (int8, int64, int64, int64) and the
        ``STATUS_*`` code with the first malformed record and byte offset.
    """
    cdef int64_t batch = len(records), n_keys = len(keys)
    kind = np.zeros((n_keys, batch), dtype=np.int8)
    count = np.zeros((n_keys, batch), dtype=np.int64)
    start = np.zeros((n_keys, batch), dtype=np.int64)
    stop = np.zeros((n_keys, batch), dtype=np.int64)
    cdef int8_t[:, ::1] kind_v = kind
    cdef int64_t[:, ::1] count_v = count, start_v = start, stop_v = stop
    cdef int64_t *lens_p = NULL
    cdef int64_t *key_lens_p = NULL
    cdef const uint8_t **ptrs = _pointers(records, &lens_p)
    cdef const uint8_t **key_ptrs = NULL
    cdef int64_t b, err_offset = 0, err_record = -1
    cdef int hints[_HINTS + 1]
    for b in range(_HINTS + 1):
        hints[b] = -1
    try:
        key_ptrs = _pointers(keys, &key_lens_p)
        if batch and n_keys:
            with nogil:
                for b in range(batch):
                    if not _record(ptrs[b], lens_p[b], b, batch, key_ptrs,
                                   key_lens_p, n_keys, &kind_v[0, 0],
                                   &count_v[0, 0], &start_v[0, 0], &stop_v[0, 0],
                                   &err_offset, hints):
                        err_record = b
                        break
    finally:
        free(ptrs)
        free(key_ptrs)
    if err_record >= 0:
        return kind, count, start, stop, STATUS_MALFORMED, err_record, err_offset
    return kind, count, start, stop, STATUS_OK, -1, -1


cdef int _decode(const uint8_t *p, int64_t s, int64_t e, int kind, void *out,
                 int64_t at, int64_t limit) noexcept nogil:
    """Write the values of one list body to ``out[at:limit]``; -1 if it overflows."""
    cdef Cursor c, sub
    cdef uint64_t field, v
    cdef uint32_t wire
    c.p = p
    c.pos = s
    c.end = e
    while c.pos < c.end:
        if not _tag(&c, &field, &wire):
            return -1
        if field != 1 or not (wire == 2 or (kind == _KIND_FLOAT and wire == 5)
                              or (kind == _KIND_INT64 and wire == 0)):
            if not _skip(&c, wire):
                return -1
            continue
        if wire == 5:
            if at >= limit or c.pos + 4 > c.end:
                return -1
            memcpy(<float *>out + at, p + c.pos, 4)
            c.pos += 4
            at += 1
        elif wire == 0:
            if at >= limit or not _varint(&c, &v):
                return -1
            (<int64_t *>out)[at] = <int64_t>v
            at += 1
        elif not _sub(&c, &sub):
            return -1
        elif kind == _KIND_FLOAT:
            if (sub.end - sub.pos) % 4 or at + (sub.end - sub.pos) // 4 > limit:
                return -1
            memcpy(<float *>out + at, p + sub.pos, sub.end - sub.pos)
            at += (sub.end - sub.pos) // 4
        else:
            while sub.pos < sub.end:
                if at >= limit or not _varint(&sub, &v):
                    return -1
                (<int64_t *>out)[at] = <int64_t>v
                at += 1
    return 0 if at == limit else -1


cdef _decode_numeric(records, rows, start, stop, dest, count, out, int kind):
    cdef int64_t[::1] rows_v = rows, start_v = start, stop_v = stop
    cdef int64_t[::1] dest_v = dest, count_v = count
    cdef int64_t j, n = rows_v.shape[0], bad = -1
    cdef int8_t[::1] out_bytes = out.view(np.int8)
    cdef int64_t size = out.shape[0]
    cdef int64_t n_records = len(records)
    cdef int64_t *lens_p = NULL
    cdef const uint8_t **ptrs = _pointers(records, &lens_p)
    cdef void *base = <void *>&out_bytes[0] if size else NULL
    try:
        with nogil:
            for j in range(n):
                if (rows_v[j] < 0 or rows_v[j] >= n_records
                        or start_v[j] < 0 or stop_v[j] > lens_p[rows_v[j]]
                        or start_v[j] > stop_v[j] or dest_v[j] < 0
                        or dest_v[j] + count_v[j] > size
                        or _decode(ptrs[rows_v[j]], start_v[j], stop_v[j], kind,
                                   base, dest_v[j], dest_v[j] + count_v[j]) < 0):
                    bad = j
                    break
    finally:
        free(ptrs)
    if bad >= 0:
        raise ValueError(f"list {bad} does not match its index (record {rows[bad]})")


def decode_int64(records, rows, start, stop, dest, count, out):
    """Decode Int64List bodies ``records[rows[j]][start[j]:stop[j]]`` into ``out``.

    ``out`` is a flat int64 array; list ``j`` fills ``out[dest[j]:dest[j] +
    count[j]]`` (the counts from :func:`index_features`).
    """
    if out.dtype != np.int64 or not out.flags.c_contiguous:
        raise ValueError("out must be a contiguous int64 array")
    _decode_numeric(records, rows, start, stop, dest, count, out, _KIND_INT64)


def decode_float32(records, rows, start, stop, dest, count, out):
    """Decode FloatList bodies into a flat float32 ``out`` (see decode_int64)."""
    if out.dtype != np.float32 or not out.flags.c_contiguous:
        raise ValueError("out must be a contiguous float32 array")
    _decode_numeric(records, rows, start, stop, dest, count, out, _KIND_FLOAT)


cdef struct _Shared:
    uint64_t *hashes  # 0 marks a free slot
    PyObject **values  # owned references
    int64_t size  # a power of 2
    int64_t count
    int64_t limit


cdef int _shared_init(_Shared *t, int64_t expected) except -1:
    """A table for up to ``min(expected, 1024)`` distinct values."""
    t.size = 16
    while t.size < 2 * min(expected, 1024):
        t.size *= 2
    t.count, t.limit = 0, t.size // 2
    t.hashes = <uint64_t *>calloc(t.size, sizeof(uint64_t))
    t.values = <PyObject **>calloc(t.size, sizeof(PyObject *))
    if t.hashes == NULL or t.values == NULL:
        free(t.hashes)
        free(t.values)
        raise MemoryError()
    return 0


cdef void _shared_free(_Shared *t):
    cdef int64_t i
    for i in range(t.size):
        Py_XDECREF(t.values[i])
    free(t.hashes)
    free(t.values)


cdef object _shared_bytes(_Shared *t, const uint8_t *p, int64_t n):
    """A ``bytes`` of ``p[:n]``: the table's one when it holds those bytes."""
    cdef uint64_t h = 14695981039346656037ULL
    cdef int64_t i, slot
    cdef object value
    for i in range(n):
        h = (h ^ p[i]) * 1099511628211ULL
    h |= 1
    slot = <int64_t>(h & <uint64_t>(t.size - 1))
    while t.hashes[slot]:
        if t.hashes[slot] == h:
            value = <object>t.values[slot]
            if (PyBytes_GET_SIZE(value) == n and
                    memcmp(PyBytes_AS_STRING(value), p, n) == 0):
                return value
        slot = (slot + 1) & (t.size - 1)
    value = PyBytes_FromStringAndSize(<const char *>p, n)
    if t.count < t.limit:
        Py_INCREF(value)
        t.hashes[slot] = h
        t.values[slot] = <PyObject *>value
        t.count += 1
    return value


cdef int _bytes_into(const uint8_t *p, int64_t s, int64_t e, object[::1] out,
                    int64_t at, int64_t limit, _Shared *shared=NULL) except -2:
    """Create the values of one BytesList body in ``out[at:limit]``; -1 if off.

    With ``shared``, equal values share one object (``bytes`` are immutable).
    """
    cdef Cursor c, sub
    cdef uint64_t field
    cdef uint32_t wire
    c.p = p
    c.pos = s
    c.end = e
    while c.pos < c.end:
        if not _tag(&c, &field, &wire):
            return -1
        if field != 1 or wire != 2:
            if not _skip(&c, wire):
                return -1
            continue
        if at >= limit or not _sub(&c, &sub):
            return -1
        if shared != NULL:
            out[at] = _shared_bytes(shared, p + sub.pos, sub.end - sub.pos)
        else:
            out[at] = PyBytes_FromStringAndSize(<const char *>p + sub.pos,
                                                sub.end - sub.pos)
        at += 1
    return 0 if at == limit else -1


def decode_bytes(records, const int64_t[::1] rows, const int64_t[::1] start,
                 const int64_t[::1] stop, const int64_t[::1] dest,
                 const int64_t[::1] count, object[::1] out):
    """Decode BytesList bodies into a flat object array ``out`` (see decode_int64)."""
    cdef int64_t j, at, limit
    cdef bytes rec
    for j in range(rows.shape[0]):
        rec = records[rows[j]]
        at = dest[j]
        limit = at + count[j]
        if start[j] < 0 or stop[j] > len(rec) or start[j] > stop[j] or at < 0 or (
                limit > out.shape[0]) or _bytes_into(
                    <const uint8_t *>PyBytes_AS_STRING(rec), start[j], stop[j], out,
                    at, limit) < 0:
            raise ValueError(f"list {j} does not match its index")


#: ``fill_dense`` statuses: a present list of the wrong type or length, or a
#: missing feature without a default, at ``(feature, row)``.
cdef enum:
    _DENSE_OK = 0
    _DENSE_WRONG_KIND = 1
    _DENSE_WRONG_COUNT = 2
    _DENSE_MISSING = 3

DENSE_OK = _DENSE_OK
DENSE_WRONG_KIND = _DENSE_WRONG_KIND
DENSE_WRONG_COUNT = _DENSE_WRONG_COUNT
DENSE_MISSING = _DENSE_MISSING


cdef int _check_dense(const int8_t *kind, const int64_t *count, int64_t batch,
                      int expected, int64_t size, bint has_default,
                      int64_t *row) noexcept nogil:
    cdef int64_t b, first_missing = -1
    for b in range(batch):
        if kind[b] == 0:
            if first_missing < 0:
                first_missing = b
        elif kind[b] != expected:
            row[0] = b
            return _DENSE_WRONG_KIND
        elif count[b] != size:
            row[0] = b
            return _DENSE_WRONG_COUNT
    if first_missing >= 0 and not has_default:
        row[0] = first_missing
        return _DENSE_MISSING
    return _DENSE_OK


cdef bint _bounded(const int64_t *start, const int64_t *stop, const int64_t *lens,
                   int64_t batch) noexcept nogil:
    cdef int64_t b
    for b in range(batch):
        if start[b] < 0 or start[b] > stop[b] or stop[b] > lens[b]:
            return False
    return True


cdef int _fill_numeric(const uint8_t **ptrs, const int8_t *kind, const int64_t *start,
                       const int64_t *stop, int64_t batch, int64_t size, int ekind,
                       char *out, const char *default, int64_t item) noexcept nogil:
    cdef int64_t b
    for b in range(batch):
        if kind[b] == 0:
            memcpy(out + b * size * item, default, size * item)
        elif _decode(ptrs[b], start[b], stop[b], ekind, out, b * size,
                     b * size + size) < 0:
            return -1
    return 0


def fill_dense(records, kind, count, start, stop, features, expected, sizes, outs,
               defaults):
    """Check and fill the dense outputs of several FixedLenFeatures at once.

    For each ``j``, feature row ``f = features[j]`` of the ``index_features``
    arrays fills the flat array ``outs[j]`` (``len(records) * sizes[j]``
    values of kind ``expected[j]``); a missing record takes ``defaults[j]``
    (flat, ``sizes[j]`` values), and without a default (None) is an error.

    Returns ``(status, j, row)``: a ``DENSE_*`` code, the spec position and
    the record of the first error (``(DENSE_OK, -1, -1)`` when all is well).
    """
    cdef int8_t[:, ::1] kind_v = kind
    cdef int64_t[:, ::1] count_v = count, start_v = start, stop_v = stop
    cdef int64_t batch = kind_v.shape[1], j, f, size, row = -1
    cdef int status, ekind
    if batch != len(records) or not (
            kind.shape == count.shape == start.shape == stop.shape):
        raise ValueError("the index does not match the records")
    cdef int64_t *lens_p = NULL
    cdef const uint8_t **ptrs = _pointers(records, &lens_p)
    try:
        for j in range(len(features)):
            f, ekind, size = features[j], expected[j], sizes[j]
            if not (0 <= f < kind_v.shape[0]) or ekind not in (1, 2, 3) or size < 0:
                raise ValueError(f"bad feature spec at position {j}")
            if batch == 0:
                continue
            if not _bounded(&start_v[f, 0], &stop_v[f, 0], lens_p, batch):
                raise ValueError(f"feature {f} does not match the records")
            status = _check_dense(&kind_v[f, 0], &count_v[f, 0], batch, ekind, size,
                                  defaults[j] is not None, &row)
            if status != DENSE_OK:
                return status, j, row
            if ekind == _KIND_BYTES:
                _fill_bytes(ptrs, &kind_v[f, 0], &start_v[f, 0], &stop_v[f, 0],
                            batch, size, outs[j], defaults[j])
            else:
                _fill_numbers(ptrs, kind_v, start_v, stop_v, f, batch, size, ekind,
                              outs[j], defaults[j])
    finally:
        free(ptrs)
    return DENSE_OK, -1, -1


cdef bint _numeric_buffer(object array, Py_buffer *view, int ekind, int64_t n,
                         bint writable) except False:
    """Acquire ``array`` as a flat C-contiguous buffer of ``n`` values of ``ekind``."""
    cdef int flags = PyBUF_FORMAT | PyBUF_C_CONTIGUOUS
    if writable:
        flags |= PyBUF_WRITABLE
    PyObject_GetBuffer(array, view, flags)
    cdef const char *fmt = view.format
    cdef char last = b"B"
    if fmt != NULL and fmt[0]:
        last = fmt[strlen(fmt) - 1]
    cdef bint ok = view.ndim == 1 and view.shape[0] == n
    if ekind == _KIND_INT64:
        ok = ok and view.itemsize == 8 and (last == b"l" or last == b"q")
    else:
        ok = ok and view.itemsize == 4 and last == b"f"
    if not ok:
        PyBuffer_Release(view)
        raise ValueError("out does not fit the batch" if writable else
                         "default does not fit the feature")
    return True


cdef _fill_numbers(const uint8_t **ptrs, int8_t[:, ::1] kind_v,
                   int64_t[:, ::1] start_v, int64_t[:, ::1] stop_v, int64_t f,
                   int64_t batch, int64_t size, int ekind, out, default):
    cdef Py_buffer out_buf, default_buf
    cdef int rc = 0
    cdef const char *dflt = NULL
    _numeric_buffer(out, &out_buf, ekind, batch * size, True)
    try:
        if default is not None:
            _numeric_buffer(default, &default_buf, ekind, size, False)
            dflt = <const char *>default_buf.buf
        try:
            if size:
                with nogil:
                    rc = _fill_numeric(ptrs, &kind_v[f, 0], &start_v[f, 0],
                                       &stop_v[f, 0], batch, size, ekind,
                                       <char *>out_buf.buf, dflt, out_buf.itemsize)
        finally:
            if default is not None:
                PyBuffer_Release(&default_buf)
    finally:
        PyBuffer_Release(&out_buf)
    if rc < 0:
        raise ValueError(f"feature {f} does not match its index")


cdef _fill_bytes(const uint8_t **ptrs, const int8_t *kind, const int64_t *start,
                 const int64_t *stop, int64_t batch, int64_t size, object[::1] out,
                 default):
    cdef int64_t b, k
    cdef _Shared shared
    if out.shape[0] != batch * size:
        raise ValueError("out does not fit the batch")
    _shared_init(&shared, batch * size)
    try:
        for b in range(batch):
            if kind[b] == 0:
                for k in range(size):
                    out[b * size + k] = default[k]
            elif _bytes_into(ptrs[b], start[b], stop[b], out, b * size,
                             b * size + size, &shared) < 0:
                raise ValueError(f"record {b} does not match its index")
    finally:
        _shared_free(&shared)


def all_bytes(list records):
    """Whether every item of the list ``records`` is exactly ``bytes``."""
    cdef Py_ssize_t i
    for i in range(len(records)):
        if type(records[i]) is not bytes:
            return False
    return True
