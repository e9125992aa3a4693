# cython: language_level=3
"""Kernels of DenseFeatures' plan: dense ids with a missing mark, outputs in place.

Twin: pipeline/_reference/feature_plan.py (same names, results and errors).

A batch of a categorical column in its dense form is ``ids``: ``rows * k``
int64 values, row r's ids at ``[r * k, (r + 1) * k)``, where ``MISSING`` marks
a dropped input (``""`` or ``-1``). Every consumer skips ids < 0, so
``MISSING`` counts for nothing, as a value dropped from a ragged row does.
The writers fill a block of columns ``[col, col + width)`` of a preallocated
float32 ``[rows, total]`` output, zeroing it first. Loops run without the GIL
except where they read Python objects.
"""

from cpython.bytes cimport PyBytes_Check, PyBytes_GET_SIZE
from cpython.unicode cimport PyUnicode_Check, PyUnicode_GET_LENGTH
from cpython.bytes cimport PyBytes_AS_STRING
from libc.stdint cimport int64_t, uint8_t, uint64_t, INT64_MIN
from libc.stdlib cimport malloc, free
from libc.string cimport memset

import numpy as np

from farmhash_core cimport plf_cat64, plf_fingerprint64

cdef extern from "Python.h":
    const char* PyUnicode_AsUTF8AndSize(object s, Py_ssize_t *size) except NULL

#: The id of a dropped (missing) input.
MISSING = -(2 ** 63)
cdef int64_t _MISSING = INT64_MIN

cdef enum:
    _SUM = 0
    _MEAN = 1
    _SQRTN = 2

_CODES = {"sum": _SUM, "mean": _MEAN, "sqrtn": _SQRTN}


cdef int _raise_type(Py_ssize_t index, object value) except -1:
    raise TypeError(
        f"expected bytes or str at index {index}, got {type(value).__name__}"
    )


def mark_missing(values, ids):
    """Sets ``ids[i] = MISSING`` where ``values[i]`` is ``""`` (strings) or -1.

    ``values`` is a 1-D object array of bytes/str or an int64 array; ``ids``
    an int64 array of the same length, changed in place and returned.
    """
    cdef int64_t[::1] iv = ids
    cdef Py_ssize_t i, n = iv.shape[0]
    cdef const int64_t[::1] xv
    cdef object[::1] items
    if values.shape[0] != n:
        raise ValueError(f"values ({values.shape[0]}) and ids ({n}) differ in length")
    if values.dtype != object:
        xv = values
        with nogil:
            for i in range(n):
                if xv[i] == -1:
                    iv[i] = _MISSING
        return ids
    items = values
    for i in range(n):
        item = items[i]
        if PyBytes_Check(item):
            if PyBytes_GET_SIZE(item) == 0:
                iv[i] = _MISSING
        elif PyUnicode_Check(item):
            if PyUnicode_GET_LENGTH(item) == 0:
                iv[i] = _MISSING
        else:
            _raise_type(i, item)
    return ids


def hash_ids(values, uint64_t num_buckets):
    """``Fingerprint64(s) % num_buckets`` of each string, ``MISSING`` for ``""``.

    ``values`` is a 1-D object array of bytes/str (str hashes as UTF-8).
    """
    if num_buckets < 1:
        raise ValueError(f"num_buckets must be >= 1, got {num_buckets}")
    cdef object[::1] items = values
    cdef Py_ssize_t i, size, n = items.shape[0]
    out = np.empty(n, dtype=np.int64)
    if n == 0:
        return out
    cdef int64_t[::1] res = out
    cdef const uint8_t **ptrs = <const uint8_t**>malloc(n * sizeof(uint8_t*))
    cdef size_t *lens = <size_t*>malloc(n * sizeof(size_t))
    try:
        if ptrs == NULL or lens == NULL:
            raise MemoryError()
        for i in range(n):
            item = items[i]
            if PyBytes_Check(item):
                ptrs[i] = <const uint8_t*>PyBytes_AS_STRING(item)
                lens[i] = PyBytes_GET_SIZE(item)
            elif PyUnicode_Check(item):
                ptrs[i] = <const uint8_t*>PyUnicode_AsUTF8AndSize(item, &size)
                lens[i] = size
            else:
                _raise_type(i, item)
        with nogil:
            for i in range(n):
                if lens[i] == 0:
                    res[i] = _MISSING
                else:
                    res[i] = <int64_t>(plf_fingerprint64(ptrs[i], lens[i]) % num_buckets)
    finally:
        free(ptrs)
        free(lens)
    return out


def bucket_ids(values, boundaries, int64_t depth):
    """Bucket ids of float32 ``[rows, width]`` values: ``bucket + column * depth``.

    A value's bucket is the number of ``boundaries`` (float64, ascending)
    ``<= value``; NaN goes to the last bucket.
    """
    if values.dtype != np.float32 or values.ndim != 2:
        raise ValueError("values must be a 2-D float32 array")
    cdef const float[:, ::1] x = np.ascontiguousarray(values)
    cdef const double[::1] b = np.ascontiguousarray(boundaries, dtype=np.float64)
    cdef Py_ssize_t rows = x.shape[0], width = x.shape[1], r, j, lo, hi, mid
    cdef Py_ssize_t nb = b.shape[0]
    cdef double v
    out = np.empty(rows * width, dtype=np.int64)
    if rows * width == 0:
        return out
    cdef int64_t[::1] res = out
    with nogil:
        for r in range(rows):
            for j in range(width):
                v = x[r, j]
                lo = 0
                hi = nb
                while lo < hi:  # first boundary with v < boundary
                    mid = (lo + hi) >> 1
                    if v < b[mid]:
                        hi = mid
                    else:
                        lo = mid + 1
                res[r * width + j] = lo + j * depth
    return out


def cross_dense(values, ks, Py_ssize_t rows, uint64_t hash_key, int64_t num_buckets):
    """TF's hashed cross of dense inputs: input j holds ``rows * ks[j]`` uint64.

    Row r's ids are every combination of its values (the last input varying
    fastest), each ``FingerprintCat64`` chained from ``hash_key``, modulo
    ``num_buckets``: ``rows * prod(ks)`` int64 ids.
    """
    if num_buckets < 1:
        raise ValueError(f"num_buckets must be >= 1, got {num_buckets}")
    cdef Py_ssize_t k = len(values), j, total = 1
    if k < 1 or len(ks) != k:
        raise ValueError("cross_dense needs as many widths as inputs, at least one")
    arrays = [np.ascontiguousarray(v, dtype=np.uint64).reshape(-1) for v in values]
    widths = np.array(ks, dtype=np.int64)
    for j in range(k):
        if widths[j] < 1 or arrays[j].shape[0] != rows * widths[j]:
            raise ValueError(f"input {j} does not hold {rows} rows of {widths[j]}")
        if total > (1 << 40) // widths[j]:
            raise ValueError("the cross product has more than 2**40 ids per row")
        total *= widths[j]
    out = np.empty(rows * total, dtype=np.int64)
    if rows == 0:
        return out
    cdef const uint64_t **vals = <const uint64_t**>malloc(k * sizeof(uint64_t*))
    cdef Py_ssize_t *digit = <Py_ssize_t*>malloc(k * sizeof(Py_ssize_t))
    cdef const int64_t[::1] wv = widths
    cdef int64_t[::1] res = out
    cdef const uint64_t[::1] view
    try:
        if vals == NULL or digit == NULL:
            raise MemoryError()
        for j in range(k):
            view = arrays[j]
            vals[j] = &view[0]
        with nogil:
            _cross_dense(rows, k, vals, &wv[0], total, hash_key,
                         <uint64_t>num_buckets, digit, &res[0])
    finally:
        free(vals)
        free(digit)
    return out


cdef void _cross_dense(Py_ssize_t rows, Py_ssize_t k, const uint64_t **vals,
                       const int64_t *widths, Py_ssize_t total, uint64_t hash_key,
                       uint64_t num_buckets, Py_ssize_t *digit,
                       int64_t *out) noexcept nogil:
    cdef Py_ssize_t r, c, j, rest
    cdef uint64_t h
    for r in range(rows):
        for c in range(total):
            rest = c
            for j in range(k - 1, -1, -1):  # c's digits: the last input fastest
                digit[j] = rest % widths[j]
                rest = rest // widths[j]
            h = hash_key
            for j in range(k):
                h = plf_cat64(h, vals[j][r * widths[j] + digit[j]])
            out[r * total + c] = <int64_t>(h % num_buckets)


cdef int _check_block(Py_ssize_t n_ids, Py_ssize_t rows, Py_ssize_t k,
                      Py_ssize_t col, Py_ssize_t width, Py_ssize_t total) except -1:
    if k < 0 or n_ids != rows * k:
        raise ValueError(f"{n_ids} ids are not {rows} rows of {k}")
    if col < 0 or width < 0 or col + width > total:
        raise ValueError(f"columns [{col}, {col + width}) are outside [0, {total})")
    return 0


def indicator_into(ids, Py_ssize_t k, Py_ssize_t depth, out, Py_ssize_t col):
    """``out[r, col:col+depth]``: per row, the count of each id in ``[0, depth)``."""
    cdef const int64_t[::1] iv = ids
    cdef float[:, ::1] ov = out
    cdef Py_ssize_t rows = ov.shape[0], r, e
    cdef int64_t v
    _check_block(iv.shape[0], rows, k, col, depth, ov.shape[1])
    if rows == 0 or depth == 0:
        return out
    with nogil:
        for r in range(rows):
            memset(&ov[r, col], 0, depth * sizeof(float))
            for e in range(r * k, r * k + k):
                v = iv[e]
                if 0 <= v < depth:
                    ov[r, col + v] += 1
    return out


cdef Py_ssize_t _combine_block(Py_ssize_t rows, Py_ssize_t k, const int64_t *ids,
                               const float *table, Py_ssize_t vocab, Py_ssize_t dim,
                               int combiner, float *out, Py_ssize_t stride) noexcept nogil:
    """The rows of one embedding block; -1, or the position of an id >= vocab."""
    cdef Py_ssize_t r, e, d
    cdef float w = 1, sw, sw2, scale
    cdef const float *row
    cdef float *o
    for r in range(rows):
        o = out + r * stride
        memset(o, 0, dim * sizeof(float))
        sw = 0
        sw2 = 0
        for e in range(r * k, r * k + k):
            if ids[e] < 0:
                continue
            if ids[e] >= vocab:
                return e
            row = table + ids[e] * dim
            for d in range(dim):
                o[d] += row[d] * w
            sw += w
            sw2 += w * w
        if combiner == _MEAN and sw > 0:
            for d in range(dim):
                o[d] /= sw
        elif combiner == _SQRTN and sw2 > 0:
            scale = sw2 ** 0.5
            for d in range(dim):
                o[d] /= scale
    return -1


def combine_into(ids, Py_ssize_t k, table, combiner, out, Py_ssize_t col):
    """``out[r, col:col+dim]``: TF's safe embedding lookup of row r's ids.

    Ids < 0 are skipped; the rest add ``table[id]`` in order (float32), then
    ``mean`` divides by their count and ``sqrtn`` by its square root. Returns
    -1, or the position in ``ids`` of the first id >= the table's rows (the
    block is then incomplete).
    """
    if combiner not in _CODES:
        raise ValueError(f"unknown combiner {combiner!r}")
    cdef int code = _CODES[combiner]
    cdef const int64_t[::1] iv = ids
    cdef const float[:, ::1] tb = table
    cdef float[:, ::1] ov = out
    cdef Py_ssize_t rows = ov.shape[0], dim = tb.shape[1], bad
    _check_block(iv.shape[0], rows, k, col, dim, ov.shape[1])
    if rows == 0 or dim == 0:
        return -1
    cdef const float *tp = &tb[0, 0] if tb.shape[0] else NULL
    cdef const int64_t *ip = &iv[0] if iv.shape[0] else NULL
    with nogil:
        bad = _combine_block(rows, k, ip, tp, tb.shape[0], dim, code,
                             &ov[0, col], ov.shape[1])
    return bad
