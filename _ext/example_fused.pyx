# cython: language_level=3
"""tf.train.Example to dense columns in one walk: index and fill together.

Twin: pipeline/_reference/example_fused.py (same names, results and codes).

A :class:`DenseParser` digests a set of FixedLenFeatures once (keys, list
kinds, sizes, defaults). :meth:`DenseParser.parse` then walks each record of
a batch once without the GIL: it locates every requested key (the last map
entry wins), decodes numeric lists straight into the output columns and
notes where string lists lie; only the ``bytes`` objects of string columns
are created with the GIL held, at the end. It checks what
``example.index_features`` + ``example_dense.fill_dense`` check and returns
the same verdict: malformed records first, then the first feature (in spec
order) with a present list of the wrong kind or count, or a missing value
without a default.
"""

from cpython.buffer cimport (
    PyBUF_C_CONTIGUOUS, PyBUF_FORMAT, PyBUF_WRITABLE, PyBuffer_Release,
    PyObject_GetBuffer,
)
from libc.stdint cimport int8_t, int64_t, intptr_t, uint8_t, uint32_t, uint64_t
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.ref cimport PyObject, Py_INCREF
from libc.stdlib cimport calloc, free
from libc.string cimport memcmp, memcpy, memset

from example_values cimport (
    _KIND_BYTES, _KIND_FLOAT, _KIND_INT64, _Shared, _bytes_into, _count, _decode,
    _pointers, _shared_free, _shared_init,
)
from fnv cimport _fnv1a_nonzero
from protowire cimport Cursor, _skip, _sub, _tag, _varint

cdef enum:
    _LOCATE = 0  # a feature only located, as index_features does
    _OK = 0
    _WRONG_KIND = 1
    _WRONG_COUNT = 2
    _MISSING = 3
    _MALFORMED = 4

#: ``expected`` of a feature only located (see `DenseParser`).
LOCATE = _LOCATE
#: ``parse`` statuses, as ``example_dense.DENSE_*``, and a malformed record.
DENSE_OK = _OK
DENSE_WRONG_KIND = _WRONG_KIND
DENSE_WRONG_COUNT = _WRONG_COUNT
DENSE_MISSING = _MISSING
DENSE_MALFORMED = _MALFORMED


cdef struct _Slot:
    int kind  # of the last entry with the key in this record; 0: none
    bint ok  # that entry's list is of the expected kind and count
    int64_t count  # its values (located features)
    int64_t start  # where a string list's body lies (located: as index_features)
    int64_t stop


cdef struct _Walk:
    # the plan (read-only during a walk)
    int64_t n_keys
    const uint8_t **keys
    const int64_t *key_lens
    const int *expected
    const int64_t *sizes
    char **outs  # numeric columns' data; NULL for strings
    const char **defaults  # numeric defaults; NULL: none (or a string feature)
    const bint *has_default
    const int64_t *itemsize
    # per call
    _Slot *slots
    int64_t *first_bad  # [n_keys]: first row with a wrong kind or count
    int64_t *first_missing  # [n_keys]: first missing row (no default)
    _Shared **tables  # [n_keys]: string values kept across batches
    int64_t *spans  # [n_keys, batch, 4]: string lists (see _settle)
    int *follow  # [n_keys + 1]: the key that followed key f (f + 1) last time
    int *bad_status
    int64_t batch
    int64_t err_offset


cdef inline bint _eq(const uint8_t *a, const uint8_t *b, int64_t n) noexcept nogil:
    """``a[:n] == b[:n]``, eight bytes at a time (keys are short: no call)."""
    cdef uint64_t x, y
    while n >= 8:
        memcpy(&x, a, 8)
        memcpy(&y, b, 8)
        if x != y:
            return False
        a += 8
        b += 8
        n -= 8
    while n > 0:
        if a[0] != b[0]:
            return False
        a += 1
        b += 1
        n -= 1
    return True


cdef inline int _find(_Walk *w, const uint8_t *key, int64_t n, int prev) noexcept nogil:
    """The index of ``key`` in the plan's keys or -1; tries the key that
    followed ``prev`` in the previous record first."""
    cdef int h = w.follow[prev + 1]
    cdef int64_t f
    if h >= 0 and w.key_lens[h] == n and _eq(w.keys[h], key, n):
        return h
    for f in range(w.n_keys):
        if w.key_lens[f] == n and _eq(w.keys[f], key, n):
            w.follow[prev + 1] = <int>f
            return <int>f
    return -1


cdef bint _value(_Walk *w, Cursor *value, int f, int64_t b) noexcept nogil:
    """Note (and for numbers, decode) feature ``f``'s Feature body of record ``b``."""
    cdef Cursor c = value[0], sub
    cdef uint64_t field
    cdef uint32_t wire
    cdef int k = 0, want = w.expected[f]
    cdef int64_t s = 0, e = 0, n = 0, size = w.sizes[f]
    cdef _Slot *slot = &w.slots[f]
    cdef const uint8_t *p = c.p
    if (c.end - c.pos >= 2 and (p[c.pos] == 0x0A or p[c.pos] == 0x12
            or p[c.pos] == 0x1A) and p[c.pos + 1] < 0x80
            and c.pos + 2 + p[c.pos + 1] == c.end):
        k = p[c.pos] >> 3  # the usual Feature: one list with a one-byte size
        s = c.pos + 2
        e = c.end
        c.pos = c.end
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
    slot.kind = k
    slot.ok = False
    slot.count = 0
    if not k:
        slot.start = value.pos  # a Feature with no list: its own body
        slot.stop = value.end
        return True
    if k == want and want != _KIND_BYTES and _decode(
            c.p, s, e, k, w.outs[f], b * size, b * size + size) == 0:
        slot.ok = True
        return True
    if not _count(c.p, s, e, k, &n):
        return False
    slot.ok = k == want == _KIND_BYTES and n == size
    slot.count = n
    slot.start = s
    slot.stop = e
    return True


cdef bint _entry(_Walk *w, Cursor *entry, int64_t b, int *prev) noexcept nogil:
    cdef Cursor c = entry[0], key, value
    cdef uint64_t field
    cdef uint32_t wire
    cdef int f
    key.pos = 0
    key.end = 0
    value.p = c.p
    value.pos = 0
    value.end = 0
    cdef const uint8_t *p = c.p
    cdef int64_t at = c.pos + 2 + p[c.pos + 1] if c.end - c.pos >= 4 else c.end
    if (at + 2 <= c.end and p[c.pos] == 0x0A and p[c.pos + 1] < 0x80
            and p[at] == 0x12 and p[at + 1] < 0x80 and at + 2 + p[at + 1] == c.end):
        key.pos = c.pos + 2  # the usual entry: key, then value, one-byte sizes
        key.end = at
        value.pos = at + 2
        value.end = c.end
        c.pos = c.end
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
    f = _find(w, c.p + key.pos, key.end - key.pos, prev[0])
    if f < 0:
        return True
    prev[0] = f
    return _value(w, &value, f, b)


cdef bint _record(_Walk *w, const uint8_t *p, int64_t n, int64_t b) noexcept nogil:
    cdef Cursor c, features, entry
    cdef uint64_t field
    cdef uint32_t wire
    cdef int prev = -1
    c.p = p
    c.pos = 0
    c.end = n
    while c.pos < c.end:
        w.err_offset = c.pos
        if not _tag(&c, &field, &wire):
            return False
        if not (field == 1 and wire == 2):
            if not _skip(&c, wire):
                return False
            continue
        if not _sub(&c, &features):
            return False
        while features.pos < features.end:
            w.err_offset = features.pos
            if not _tag(&features, &field, &wire):
                return False
            if not (field == 1 and wire == 2):
                if not _skip(&features, wire):
                    return False
                continue
            if not _sub(&features, &entry):
                return False
            if not _entry(w, &entry, b, &prev):
                return False
    return True


cdef extern from "Python.h":
    Py_ssize_t _bytes_size "PyBytes_GET_SIZE" (PyObject *o) nogil
    char *_bytes_data "PyBytes_AS_STRING" (PyObject *o) nogil


cdef inline PyObject *_probe(_Shared *t, uint64_t h, const uint8_t *p,
                             int64_t n) noexcept nogil:
    """The table's ``bytes`` equal to ``p[:n]`` (FNV hash ``h``), or NULL.

    Reads only: the table belongs to this call's thread until it returns.
    """
    cdef int64_t slot = <int64_t>(h & <uint64_t>(t.size - 1))
    cdef PyObject *v
    while t.hashes[slot]:
        if t.hashes[slot] == h:
            v = t.values[slot]
            if _bytes_size(v) == n and memcmp(_bytes_data(v), p, n) == 0:
                return v
        slot = (slot + 1) & (t.size - 1)
    return NULL


cdef inline void _locate(_Walk *w, int64_t f, int64_t b) noexcept nogil:
    """A located feature's ``(kind, count, start, stop)`` of record ``b``."""
    cdef int64_t *loc = <int64_t *>w.outs[f]
    cdef _Slot *slot = &w.slots[f]
    loc[b] = slot.kind
    loc[w.batch + b] = slot.count
    loc[2 * w.batch + b] = slot.start
    loc[3 * w.batch + b] = slot.stop


cdef void _settle(_Walk *w, const uint8_t *p, int64_t b) noexcept nogil:
    """After record ``b``: defaults for missing values, the first errors.

    A string list's span is ``(start, stop, 0, 0)`` (its body), or for a list
    of one value ``(start, stop, hash, found)`` of the value itself, ``found``
    the table's equal ``bytes`` (a borrowed pointer) or 0; ``start`` -1 when
    the feature is missing.
    """
    cdef int64_t f, size
    cdef _Slot *slot
    cdef int64_t *span
    for f in range(w.n_keys):
        slot = &w.slots[f]
        size = w.sizes[f]
        span = &w.spans[4 * (f * w.batch + b)]
        if w.expected[f] == _LOCATE:
            _locate(w, f, b)
        elif slot.kind == 0:
            if not w.has_default[f]:
                if w.first_missing[f] < 0:
                    w.first_missing[f] = b
            elif w.defaults[f] != NULL:
                memcpy(w.outs[f] + b * size * w.itemsize[f], w.defaults[f],
                       size * w.itemsize[f])
            span[0] = -1
        elif not slot.ok:
            if w.first_bad[f] < 0:
                w.first_bad[f] = b
                w.bad_status[f] = (_WRONG_KIND if slot.kind != w.expected[f]
                                   else _WRONG_COUNT)
        elif w.expected[f] == _KIND_BYTES:
            span[0] = slot.start
            span[1] = slot.stop
            span[2] = 0
            span[3] = 0
            if (size == 1 and slot.stop - slot.start >= 2 and p[slot.start] == 0x0A
                    and p[slot.start + 1] < 0x80
                    and slot.start + 2 + p[slot.start + 1] == slot.stop):
                span[0] = slot.start + 2
                span[2] = <int64_t>_fnv1a_nonzero(p + span[0], slot.stop - span[0])
                span[3] = <int64_t><intptr_t>_probe(w.tables[f], <uint64_t>span[2],
                                                    p + span[0], slot.stop - span[0])


cdef object _NUMPY = None


cdef _np():
    global _NUMPY
    if _NUMPY is None:
        import numpy
        _NUMPY = numpy
    return _NUMPY


cdef class DenseParser:
    """FixedLenFeatures digested once; :meth:`parse` fills their columns.

    Args:
        keys: the feature keys (``bytes``), one per output column.
        expected: each key's list kind (``KIND_BYTES`` 1, ``KIND_FLOAT`` 2,
            ``KIND_INT64`` 3 of the ``example`` kernel), or ``LOCATE`` (0): a
            key only located, its output ``[4, batch]`` int64 rows ``(kind,
            count, start, stop)`` as ``example.index_features`` gives them
            (its size and default are ignored).
        sizes: the number of values per record of each key.
        defaults: each key's flat default (``sizes[f]`` values of the
            column's dtype), or None where a missing value is an error.
    """

    cdef list _keys, _defaults, _dtypes, _default_blobs, _pool
    cdef int64_t n_keys
    cdef const uint8_t **key_ptrs
    cdef int64_t *key_lens
    cdef int *expected
    cdef int64_t *sizes
    cdef const char **default_ptrs
    cdef bint *has_default
    cdef int64_t *itemsize

    def __cinit__(self, keys, expected, sizes, defaults):
        np = _np()
        n = len(keys)
        if not len(expected) == len(sizes) == len(defaults) == n:
            raise ValueError("keys, expected, sizes and defaults differ in length")
        self.n_keys = n
        self._keys = [bytes(k) for k in keys]
        self._defaults = list(defaults)
        self._dtypes = []
        self._default_blobs = []
        self._pool = []
        self.key_ptrs = <const uint8_t **>calloc(n + 1, sizeof(void *))
        self.key_lens = <int64_t *>calloc(n + 1, sizeof(int64_t))
        self.expected = <int *>calloc(n + 1, sizeof(int))
        self.sizes = <int64_t *>calloc(n + 1, sizeof(int64_t))
        self.default_ptrs = <const char **>calloc(n + 1, sizeof(void *))
        self.has_default = <bint *>calloc(n + 1, sizeof(bint))
        self.itemsize = <int64_t *>calloc(n + 1, sizeof(int64_t))
        if (self.key_ptrs == NULL or self.key_lens == NULL or self.expected == NULL
                or self.sizes == NULL or self.default_ptrs == NULL
                or self.has_default == NULL or self.itemsize == NULL):
            raise MemoryError()
        for f in range(n):
            self._digest(np, f, expected[f], sizes[f], defaults[f])

    cdef _digest(self, np, int64_t f, kind, size, default):
        cdef bytes key = self._keys[f]
        if kind not in (_LOCATE, _KIND_BYTES, _KIND_FLOAT, _KIND_INT64) or size < 0:
            raise ValueError(f"bad feature spec at position {f}")
        dtype = {_KIND_BYTES: object, _KIND_FLOAT: np.float32,
                 _KIND_INT64: np.int64, _LOCATE: np.int64}[kind]
        if kind == _LOCATE:
            size, default = 4, None
        self._dtypes.append(np.dtype(dtype))
        self.key_ptrs[f] = <const uint8_t *>key
        self.key_lens[f] = len(key)
        self.expected[f] = kind
        self.sizes[f] = size
        self.itemsize[f] = self._dtypes[f].itemsize
        self.has_default[f] = default is not None
        if default is None:
            self._default_blobs.append(None)
            return
        flat = np.asarray(default, dtype=dtype).reshape(-1)
        if flat.shape[0] != size:
            raise ValueError("default does not fit the feature")
        if kind == _KIND_BYTES:
            self._default_blobs.append(None)
            self._defaults[f] = flat
            return
        blob = flat.tobytes()
        self._default_blobs.append(blob)
        self.default_ptrs[f] = <const char *>(<bytes>blob)

    def __dealloc__(self):
        free(self.key_ptrs)
        free(self.key_lens)
        free(self.expected)
        free(self.sizes)
        free(self.default_ptrs)
        free(self.has_default)
        free(self.itemsize)

    def parse(self, records):
        """Fill the columns of ``records`` (a list of ``bytes``).

        Returns:
            ``(status, f, row, offset, outs)``: a ``DENSE_*`` code; for a
            malformed record ``row`` is the record and ``offset`` the byte
            (``f`` -1), otherwise ``f`` is the first key in spec order with
            an error and ``row`` its record. ``outs`` are the flat columns
            (``len(records) * sizes[f]`` values each), complete only when
            the status is ``DENSE_OK``.
        """
        cdef int64_t batch = len(records), n = self.n_keys, f
        outs = [_np().empty(batch * self.sizes[f], self._dtypes[f]) for f in range(n)]
        for f in range(n):
            if self.expected[f] == _LOCATE:
                outs[f] = outs[f].reshape(4, batch)
        cdef _Walk w
        cdef void *scratch = self._layout(&w, batch)
        # a thread takes its own tables (list.pop/append are atomic under the
        # GIL): string values of earlier batches are found, not created again
        tables = self._pool.pop() if self._pool else [None] * n
        try:
            for f in range(n):
                if self.expected[f] == _KIND_BYTES:
                    if tables[f] is None:
                        tables[f] = _Table()
                    w.tables[f] = &(<_Table>tables[f]).shared
            verdict = self._walk(records, &w, outs)
            if verdict is None:
                for f in range(n):
                    if self.expected[f] == _KIND_BYTES:
                        self._strings(records, &w, f, outs[f], tables[f])
                return DENSE_OK, -1, -1, -1, outs
            return (*verdict, outs)
        finally:
            free(scratch)
            if len(self._pool) < _POOL:
                self._pool.append(tables)

    cdef void *_layout(self, _Walk *w, int64_t batch) except NULL:
        """Point ``w`` at the plan and at one zeroed scratch block (to free)."""
        cdef int64_t n = self.n_keys, f
        cdef void *scratch = calloc(
            n + 1, 2 * sizeof(void *) + sizeof(_Slot) + sizeof(int) * 2
            + sizeof(int64_t) * (2 + 4 * batch))
        if scratch == NULL:
            raise MemoryError()
        w.n_keys = n
        w.keys = self.key_ptrs
        w.key_lens = self.key_lens
        w.expected = self.expected
        w.sizes = self.sizes
        w.defaults = self.default_ptrs
        w.has_default = self.has_default
        w.itemsize = self.itemsize
        w.batch = batch
        w.err_offset = 0
        w.outs = <char **>scratch
        w.tables = <_Shared **>(w.outs + n + 1)
        w.slots = <_Slot *>(w.tables + n + 1)
        w.first_bad = <int64_t *>(w.slots + n + 1)
        w.first_missing = w.first_bad + n + 1
        w.spans = w.first_missing + n + 1
        w.follow = <int *>(w.spans + 4 * batch * (n + 1))
        w.bad_status = w.follow + n + 1
        for f in range(n + 1):
            w.follow[f] = -1
            w.first_bad[f] = -1
            w.first_missing[f] = -1
        return scratch

    cdef _walk(self, records, _Walk *w, list outs):
        """The GIL-free walk; None when all is well, else ``(status, f, row,
        offset)`` of the first error."""
        cdef int64_t n = self.n_keys, f, acquired = 0, b, bad = -1
        cdef int64_t batch = w.batch
        cdef int64_t *lens_p = NULL
        cdef const uint8_t **ptrs = NULL
        cdef Py_buffer *views = <Py_buffer *>calloc(n + 1, sizeof(Py_buffer))
        if views == NULL:
            raise MemoryError()
        try:
            ptrs = _pointers(records, &lens_p)
            for f in range(n):
                if self.expected[f] != _KIND_BYTES:
                    PyObject_GetBuffer(outs[f], &views[f],
                                       PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS)
                    acquired = f + 1
                    w.outs[f] = <char *>views[f].buf
            with nogil:
                for b in range(batch):
                    memset(w.slots, 0, n * sizeof(_Slot))
                    if not _record(w, ptrs[b], lens_p[b], b):
                        bad = b
                        break
                    _settle(w, ptrs[b], b)
        finally:
            for f in range(acquired):
                if self.expected[f] != _KIND_BYTES:
                    PyBuffer_Release(&views[f])
            free(views)
            free(ptrs)
        if bad >= 0:
            return DENSE_MALFORMED, -1, bad, w.err_offset
        for f in range(n):
            if w.first_bad[f] >= 0:
                return w.bad_status[f], f, w.first_bad[f], -1
            if w.first_missing[f] >= 0:
                return DENSE_MISSING, f, w.first_missing[f], -1
        return None

    cdef _strings(self, records, _Walk *w, int64_t f, object[::1] out,
                  _Table table):
        """Create the ``bytes`` of string column ``f`` (GIL held)."""
        cdef int64_t size = self.sizes[f]
        cdef _Shared shared  # lists of several values: shared within the batch
        default = self._defaults[f]
        _shared_init(&shared, 0 if size == 1 else w.batch * size)
        try:
            self._fill_strings(records, w, f, out, table, &shared, default)
        finally:
            _shared_free(&shared)

    cdef _fill_strings(self, records, _Walk *w, int64_t f, object[::1] out,
                       _Table table, _Shared *shared, default):
        cdef int64_t b, k, size = self.sizes[f], batch = w.batch
        cdef const int64_t *span
        cdef bytes rec
        for b in range(batch):
            span = &w.spans[4 * (f * batch + b)]
            if span[0] < 0:
                for k in range(size):
                    out[b * size + k] = default[k]
                continue
            if span[3]:
                out[b] = <object><PyObject *><intptr_t>span[3]
                continue
            rec = records[b]
            if span[2]:
                out[b] = table.value(<uint64_t>span[2],
                                     <const uint8_t *>(<char *>rec) + span[0],
                                     span[1] - span[0])
            elif _bytes_into(<const uint8_t *>(<char *>rec), span[0], span[1], out,
                             b * size, b * size + size, shared) < 0:
                raise ValueError(f"record {b} does not match its walk")


cdef enum:
    _POOL = 4  # tables kept per parser (one set per thread at a time)
    _KEEP_BYTES = 64  # longer values are not kept across batches
    _TABLE_VALUES = 1024


cdef class _Table:
    """Equal string values share one ``bytes``, across the batches of a parser."""

    cdef _Shared shared

    def __cinit__(self):
        _shared_init(&self.shared, _TABLE_VALUES)

    def __dealloc__(self):
        _shared_free(&self.shared)

    cdef object value(self, uint64_t h, const uint8_t *p, int64_t n):
        """A ``bytes`` of ``p[:n]`` (FNV hash ``h``): the table's when it has it."""
        cdef _Shared *t = &self.shared
        cdef int64_t slot = <int64_t>(h & <uint64_t>(t.size - 1))
        cdef object found
        while t.hashes[slot]:
            if t.hashes[slot] == h:
                found = <object>t.values[slot]
                if PyBytes_GET_SIZE(found) == n and memcmp(
                        PyBytes_AS_STRING(found), p, n) == 0:
                    return found
            slot = (slot + 1) & (t.size - 1)
        found = PyBytes_FromStringAndSize(<const char *>p, n)
        if t.count < t.limit and n <= _KEEP_BYTES:
            Py_INCREF(found)
            t.hashes[slot] = h
            t.values[slot] = <PyObject *>found
            t.count += 1
        return found
