# cython: language_level=3
"""Values of tf.train.Example lists, shared by the Example kernels (inline).

`_count` counts (and checks) the values of a list body and `_decode` copies
an Int64List/FloatList body into a numeric buffer, both without the GIL;
`_bytes_into` creates a BytesList body's ``bytes``, equal values sharing one
object through a `_Shared` table when given one; `_pointers` gives the data
pointers and sizes of a list of ``bytes``.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_Check, PyBytes_FromStringAndSize
from cpython.bytes cimport PyBytes_GET_SIZE
from cpython.ref cimport PyObject, Py_INCREF, Py_XDECREF
from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t
from libc.stdlib cimport calloc, free, malloc
from libc.string cimport memcmp, memcpy

from fnv cimport _fnv1a_nonzero
from protowire cimport Cursor, _skip, _sub, _tag, _varint

cdef enum:
    _KIND_BYTES = 1
    _KIND_FLOAT = 2
    _KIND_INT64 = 3


cdef inline const uint8_t **_pointers(seq, int64_t **lens) except NULL:
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


cdef inline bint _count(const uint8_t *p, int64_t start, int64_t stop, int kind,
                 int64_t *count) noexcept nogil:
    """Count the values of a list message body; False when malformed."""
    cdef Cursor c, sub
    cdef uint64_t field, v
    cdef uint32_t wire
    cdef int64_t k = 0
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


cdef inline int _decode(const uint8_t *p, int64_t s, int64_t e, int kind, void *out,
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


cdef struct _Shared:
    uint64_t *hashes  # 0 marks a free slot
    PyObject **values  # owned references
    int64_t size  # a power of 2
    int64_t count
    int64_t limit


cdef inline int _shared_init(_Shared *t, int64_t expected) except -1:
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


cdef inline void _shared_free(_Shared *t):
    cdef int64_t i
    for i in range(t.size):
        Py_XDECREF(t.values[i])
    free(t.hashes)
    free(t.values)


cdef inline object _shared_bytes(_Shared *t, const uint8_t *p, int64_t n):
    """A ``bytes`` of ``p[:n]``: the table's one when it holds those bytes."""
    cdef uint64_t h = _fnv1a_nonzero(p, n)
    cdef int64_t slot
    cdef object value
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


cdef inline int _bytes_into(const uint8_t *p, int64_t s, int64_t e, object[::1] out,
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
