# cython: language_level=3
"""tf.train.Example wire-format decoder into columns, without the GIL.

Twin: pipeline/_reference/example.py (same names, results and status codes).

:func:`index_features` walks a batch of serialized Examples once and records,
for each requested feature key and each record, the kind of the last map entry
with that key, its value count and where its list message lies. An entry
whose Feature sets no list (``KIND_NONE``, as TFX writes a missing value)
reads as missing, and its ``start``/``stop`` bound the Feature's body: ``start
> 0`` tells such an entry from an absent key (whose ``start`` and ``stop`` are
0), so a caller can account for every byte of a record.
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
from example_values cimport (
    _KIND_BYTES, _KIND_FLOAT, _KIND_INT64, _Shared, _bytes_into, _count, _decode,
    _pointers,
)
from protowire cimport Cursor, _skip, _sub, _tag, _varint

cdef enum:
    _OK = 0
    _MALFORMED = 1
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
    if not k:  # no list set: the Feature's own body (empty for TFX's Feature{})
        s = value.pos
        e = value.end
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
    _check_lists(n, start_v.shape[0], stop_v.shape[0], dest_v.shape[0],
                 count_v.shape[0])
    try:
        with nogil:
            for j in range(n):
                if (rows_v[j] < 0 or rows_v[j] >= n_records
                        or start_v[j] < 0 or stop_v[j] > lens_p[rows_v[j]]
                        or start_v[j] > stop_v[j] or dest_v[j] < 0
                        or count_v[j] < 0 or count_v[j] > size - dest_v[j]
                        or _decode(ptrs[rows_v[j]], start_v[j], stop_v[j], kind,
                                   base, dest_v[j], dest_v[j] + count_v[j]) < 0):
                    bad = j
                    break
    finally:
        free(ptrs)
    if bad >= 0:
        raise ValueError(f"list {bad} does not match its index (record {rows[bad]})")


cdef _check_lists(int64_t rows, int64_t start, int64_t stop, int64_t dest,
                  int64_t count):
    if min(start, stop, dest, count) < rows:
        raise ValueError("start, stop, dest and count need an entry per row")


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


def decode_bytes(records, const int64_t[::1] rows, const int64_t[::1] start,
                 const int64_t[::1] stop, const int64_t[::1] dest,
                 const int64_t[::1] count, object[::1] out):
    """Decode BytesList bodies into a flat object array ``out`` (see decode_int64)."""
    cdef int64_t j, at, limit
    cdef bytes rec
    _check_lists(rows.shape[0], start.shape[0], stop.shape[0], dest.shape[0],
                 count.shape[0])
    for j in range(rows.shape[0]):
        if rows[j] < 0 or rows[j] >= len(records):
            raise ValueError(f"list {j} does not match its index (record {rows[j]})")
        rec = records[rows[j]]
        at = dest[j]
        if at < 0 or count[j] < 0 or count[j] > out.shape[0] - at:
            raise ValueError(f"list {j} does not match its index")
        limit = at + count[j]
        if start[j] < 0 or stop[j] > len(rec) or start[j] > stop[j] or _bytes_into(
                    <const uint8_t *>PyBytes_AS_STRING(rec), start[j], stop[j], out,
                    at, limit) < 0:
            raise ValueError(f"list {j} does not match its index")


#: ``fill_dense`` statuses: a present list of the wrong type or length, or a
#: missing feature without a default, at ``(feature, row)``.
def all_bytes(list records):
    """Whether every item of the list ``records`` is exactly ``bytes``."""
    cdef Py_ssize_t i
    for i in range(len(records)):
        if type(records[i]) is not bytes:
            return False
    return True


cdef bint _lists_record(const uint8_t *p, int64_t n, int64_t b, int64_t batch,
                        const uint8_t **keys, const int64_t *key_lens,
                        int64_t n_keys, int8_t *present, int64_t *start,
                        int64_t *stop, int64_t *err_offset,
                        int *hints) noexcept nogil:
    """Record where the last FeatureList of each wanted key lies (SequenceExample)."""
    cdef Cursor c, lists, entry, key, value
    cdef uint64_t field
    cdef uint32_t wire
    cdef int64_t e = 0
    cdef int f
    c.p = p
    c.pos = 0
    c.end = n
    while c.pos < c.end:
        err_offset[0] = c.pos
        if not _tag(&c, &field, &wire):
            return False
        if not (field == 2 and wire == 2):
            if not _skip(&c, wire):
                return False
            continue
        if not _sub(&c, &lists):
            return False
        while lists.pos < lists.end:
            err_offset[0] = lists.pos
            if not _tag(&lists, &field, &wire):
                return False
            if not (field == 1 and wire == 2):
                if not _skip(&lists, wire):
                    return False
                continue
            if not _sub(&lists, &entry):
                return False
            key.pos = 0
            key.end = 0
            value.pos = 0
            value.end = 0
            while entry.pos < entry.end:
                if not _tag(&entry, &field, &wire):
                    return False
                if field == 1 and wire == 2:
                    if not _sub(&entry, &key):
                        return False
                elif field == 2 and wire == 2:
                    if not _sub(&entry, &value):
                        return False
                elif not _skip(&entry, wire):
                    return False
            f = _find(p + key.pos, key.end - key.pos, keys, key_lens, n_keys,
                      &hints[e if e < _HINTS else _HINTS])
            e += 1
            if f >= 0:
                present[f * batch + b] = 1
                start[f * batch + b] = value.pos
                stop[f * batch + b] = value.end
    return True


def index_feature_lists(records, keys):
    """Locate each requested feature list in each serialized SequenceExample.

    Returns ``(present, start, stop, status, err_record, err_offset)``: an int8
    and two int64 ``[len(keys), len(records)]`` arrays (whether the last map
    entry with the key exists, and where its FeatureList body lies) and the
    ``STATUS_*`` code with the first malformed record and byte offset.
    """
    cdef int64_t batch = len(records), n_keys = len(keys)
    present = np.zeros((n_keys, batch), dtype=np.int8)
    start = np.zeros((n_keys, batch), dtype=np.int64)
    stop = np.zeros((n_keys, batch), dtype=np.int64)
    cdef int8_t[:, ::1] present_v = present
    cdef int64_t[:, ::1] start_v = start, stop_v = stop
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
                    if not _lists_record(ptrs[b], lens_p[b], b, batch, key_ptrs,
                                         key_lens_p, n_keys, &present_v[0, 0],
                                         &start_v[0, 0], &stop_v[0, 0],
                                         &err_offset, hints):
                        err_record = b
                        break
    finally:
        free(ptrs)
        free(key_ptrs)
    if err_record >= 0:
        return present, start, stop, STATUS_MALFORMED, err_record, err_offset
    return present, start, stop, STATUS_OK, -1, -1


cdef bint _count_steps(Cursor c, int64_t *n, int64_t *err_offset) noexcept nogil:
    cdef uint64_t field
    cdef uint32_t wire
    cdef Cursor sub
    n[0] = 0
    while c.pos < c.end:
        err_offset[0] = c.pos
        if not _tag(&c, &field, &wire):
            return False
        if field == 1 and wire == 2:
            if not _sub(&c, &sub):
                return False
            n[0] += 1
        elif not _skip(&c, wire):
            return False
    return True


cdef bint _fill_steps(Cursor c, int64_t first, int64_t total, int8_t *kind,
                      int64_t *count, int64_t *start, int64_t *stop,
                      int64_t *err_offset) noexcept nogil:
    cdef uint64_t field
    cdef uint32_t wire
    cdef Cursor sub
    cdef int64_t s = first
    while c.pos < c.end:
        err_offset[0] = c.pos
        if not _tag(&c, &field, &wire):
            return False
        if field == 1 and wire == 2:
            if not _sub(&c, &sub):
                return False
            if not _feature(&sub, 0, s, total, kind, count, start, stop):
                return False
            s += 1
        elif not _skip(&c, wire):
            return False
    return True


def index_steps(records, start, stop):
    """Locate every Feature (time step) of one FeatureList body per record.

    ``records[b][start[b]:stop[b]]`` is a FeatureList body (``start == stop``:
    none). Returns ``(splits, kind, count, fstart, fstop, status, err_record,
    err_offset)``: record ``b`` owns steps ``splits[b]:splits[b + 1]`` of the
    per-step arrays, which are as :func:`index_features` gives them. A first
    pass counts the steps of every record, a second locates them.
    """
    cdef int64_t batch = len(records), b, n = 0, total = 0
    cdef int64_t err_offset = 0, err_record = -1
    starts = np.ascontiguousarray(start, dtype=np.int64)
    stops = np.ascontiguousarray(stop, dtype=np.int64)
    if starts.shape != (batch,) or stops.shape != (batch,):
        raise ValueError("start and stop need one entry per record")
    cdef const int64_t[::1] s_v = starts
    cdef const int64_t[::1] e_v = stops
    splits = np.zeros(batch + 1, dtype=np.int64)
    cdef int64_t[::1] splits_v = splits
    cdef int64_t *lens_p = NULL
    cdef const uint8_t **ptrs = _pointers(records, &lens_p)
    cdef Cursor c
    cdef int8_t[::1] kind_v
    cdef int64_t[::1] count_v, fstart_v, fstop_v
    try:
        for b in range(batch):
            if not 0 <= s_v[b] <= e_v[b] <= lens_p[b]:
                raise ValueError(f"start/stop of record {b} lie outside it")
        with nogil:
            for b in range(batch):
                c.p = ptrs[b]
                c.pos = s_v[b]
                c.end = e_v[b]
                if not _count_steps(c, &n, &err_offset):
                    err_record = b
                    break
                splits_v[b + 1] = splits_v[b] + n
        if err_record >= 0:
            none = np.zeros(0, dtype=np.int64)
            return (splits[:err_record + 1], np.zeros(0, dtype=np.int8), none,
                    none, none, STATUS_MALFORMED, err_record, err_offset)
        total = splits_v[batch]
        kind = np.zeros(total, dtype=np.int8)
        count = np.zeros(total, dtype=np.int64)
        fstart = np.zeros(total, dtype=np.int64)
        fstop = np.zeros(total, dtype=np.int64)
        if total:
            kind_v = kind
            count_v = count
            fstart_v = fstart
            fstop_v = fstop
            with nogil:
                for b in range(batch):
                    c.p = ptrs[b]
                    c.pos = s_v[b]
                    c.end = e_v[b]
                    if not _fill_steps(c, splits_v[b], total, &kind_v[0],
                                       &count_v[0], &fstart_v[0], &fstop_v[0],
                                       &err_offset):
                        err_record = b
                        break
    finally:
        free(ptrs)
    if err_record >= 0:
        return (splits, kind, count, fstart, fstop, STATUS_MALFORMED, err_record,
                err_offset)
    return splits, kind, count, fstart, fstop, STATUS_OK, -1, -1
