# cython: language_level=3
"""tf.train.Example dense outputs: check and fill several FixedLenFeatures of a
batch in one call, from the locations ``example.index_features`` found.

Twin: pipeline/_reference/example_dense.py (same names, results and codes).
Numbers are copied without the GIL; equal string values of a feature share
one ``bytes`` object.
"""

from cpython.buffer cimport (
    PyBUF_C_CONTIGUOUS, PyBUF_FORMAT, PyBUF_WRITABLE, PyBuffer_Release,
    PyObject_GetBuffer,
)
from libc.stdint cimport INT64_MAX, int8_t, int64_t, uint8_t
from libc.stdlib cimport free
from libc.string cimport memcpy, strlen

from example_values cimport (
    _KIND_BYTES, _KIND_INT64, _Shared, _bytes_into, _decode, _pointers, _shared_free,
    _shared_init,
)


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
    if size and batch > INT64_MAX // size:
        raise ValueError("out does not fit the batch")
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
    if (size and batch > INT64_MAX // size) or out.shape[0] != batch * size:
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
