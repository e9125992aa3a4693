# cython: language_level=3
"""Kernels of DenseFeatures' plan: dense ids with a missing mark, outputs in place.

Twin: pipeline/_reference/feature_plan.py (same names, results and errors).

A batch of a categorical column in its dense form is ``ids``: ``rows * k``
int64 values, row r's ids at ``[r * k, (r + 1) * k)``, where ``MISSING`` marks
a dropped input (``""`` or ``-1``). Every consumer skips ids < 0, so
``MISSING`` counts for nothing, as a value dropped from a ragged row does.
The writers fill a block of columns ``[col, col + width)`` of a preallocated
float32 ``[rows, total]`` output, zeroing it first. ``Program`` runs a whole
DenseFeatures layer in one call: typed inputs, then id ops and write ops
(see the twin for the op list). Loops run without the GIL except where they
read Python objects.
"""

from cpython.bytes cimport PyBytes_Check, PyBytes_GET_SIZE
from cpython.unicode cimport PyUnicode_Check, PyUnicode_GET_LENGTH
from cpython.bytes cimport PyBytes_AS_STRING
from libc.stdint cimport int64_t, uint8_t, uint64_t, INT64_MIN
from libc.stdlib cimport malloc, free
from libc.string cimport memset

import numpy as np

from farmhash_core cimport plf_cat64, plf_fingerprint64, plf_itoa

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


cdef int _gather(object[::1] items, const uint8_t **ptrs, size_t *lens) except -1:
    """Pointers and UTF-8 lengths of bytes/str items (kept alive by the array)."""
    cdef Py_ssize_t i, size
    for i in range(items.shape[0]):
        item = items[i]
        if PyBytes_Check(item):
            ptrs[i] = <const uint8_t*>PyBytes_AS_STRING(item)
            lens[i] = PyBytes_GET_SIZE(item)
        elif PyUnicode_Check(item):
            ptrs[i] = <const uint8_t*>PyUnicode_AsUTF8AndSize(item, &size)
            lens[i] = size
        else:
            _raise_type(i, item)
    return 0


cdef int _fingerprints(object[::1] items, uint64_t num_buckets, bint mark,
                       int64_t *res) except -1:
    """``res[i]``: Fingerprint64 of item i (``% num_buckets`` unless 0), or
    ``MISSING`` for ``""`` when ``mark``."""
    cdef Py_ssize_t i, n = items.shape[0]
    if n == 0:
        return 0
    cdef const uint8_t **ptrs = <const uint8_t**>malloc(n * sizeof(uint8_t*))
    cdef size_t *lens = <size_t*>malloc(n * sizeof(size_t))
    cdef uint64_t h
    try:
        if ptrs == NULL or lens == NULL:
            raise MemoryError()
        _gather(items, ptrs, lens)
        with nogil:
            for i in range(n):
                if mark and lens[i] == 0:
                    res[i] = _MISSING
                    continue
                h = plf_fingerprint64(ptrs[i], lens[i])
                res[i] = <int64_t>(h % num_buckets if num_buckets else h)
    finally:
        free(ptrs)
        free(lens)
    return 0


def hash_ids(values, uint64_t num_buckets):
    """``Fingerprint64(s) % num_buckets`` of each string, ``MISSING`` for ``""``.

    ``values`` is a 1-D object array of bytes/str (str hashes as UTF-8).
    """
    if num_buckets < 1:
        raise ValueError(f"num_buckets must be >= 1, got {num_buckets}")
    out = np.empty(values.shape[0], dtype=np.int64)
    cdef int64_t[::1] res = out
    if res.shape[0]:
        _fingerprints(values, num_buckets, True, &res[0])
    return out


cdef void _buckets(const float *x, Py_ssize_t n, Py_ssize_t width, const double *b,
                   Py_ssize_t nb, int64_t depth, int64_t *res) noexcept nogil:
    cdef Py_ssize_t i, lo, hi, mid
    cdef double v
    for i in range(n):
        v = x[i]
        lo = 0
        hi = nb
        while lo < hi:  # first boundary with v < boundary
            mid = (lo + hi) >> 1
            if v < b[mid]:
                hi = mid
            else:
                lo = mid + 1
        res[i] = lo + (i % width) * depth


def bucket_ids(values, boundaries, int64_t depth):
    """Bucket ids of float32 ``[rows, width]`` values: ``bucket + column * depth``.

    A value's bucket is the number of ``boundaries`` (float64, ascending)
    ``<= value``; NaN goes to the last bucket.
    """
    if values.dtype != np.float32 or values.ndim != 2:
        raise ValueError("values must be a 2-D float32 array")
    cdef const float[:, ::1] x = np.ascontiguousarray(values)
    cdef const double[::1] b = np.ascontiguousarray(boundaries, dtype=np.float64)
    cdef Py_ssize_t rows = x.shape[0], width = x.shape[1]
    out = np.empty(rows * width, dtype=np.int64)
    if rows * width == 0:
        return out
    cdef int64_t[::1] res = out
    cdef const double *bp = &b[0] if b.shape[0] else NULL
    with nogil:
        _buckets(&x[0, 0], rows * width, width, bp, b.shape[0], depth, &res[0])
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


cdef void _indicator_block(Py_ssize_t rows, Py_ssize_t k, const int64_t *ids,
                           Py_ssize_t depth, float *out, Py_ssize_t stride) noexcept nogil:
    cdef Py_ssize_t r, e
    cdef int64_t v
    cdef float *o
    for r in range(rows):
        o = out + r * stride
        memset(o, 0, depth * sizeof(float))
        for e in range(r * k, r * k + k):
            v = ids[e]
            if 0 <= v < depth:
                o[v] += 1


def indicator_into(ids, Py_ssize_t k, Py_ssize_t depth, out, Py_ssize_t col):
    """``out[r, col:col+depth]``: per row, the count of each id in ``[0, depth)``."""
    cdef const int64_t[::1] iv = ids
    cdef float[:, ::1] ov = out
    cdef Py_ssize_t rows = ov.shape[0]
    _check_block(iv.shape[0], rows, k, col, depth, ov.shape[1])
    if rows == 0 or depth == 0:
        return out
    cdef const int64_t *ip = &iv[0] if iv.shape[0] else NULL
    with nogil:
        _indicator_block(rows, k, ip, depth, &ov[0, col], ov.shape[1])
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


# -- Program: a layer's whole plan, run in one call ---------------------------

_KINDS = {"float": 0, "int": 1, "string": 2, "raw": 3}
_OPS = {"numeric": 0, "bucket": 1, "identity": 2, "hash": 3, "hash_int": 4,
        "vocab": 5, "cross": 6, "indicator": 7, "combine": 8}


cdef class _Op:
    cdef int code
    cdef Py_ssize_t a, b, c, d, e
    cdef uint64_t key
    cdef object obj


cdef _Op _make_op(tuple spec):
    cdef _Op op = _Op()
    name = spec[0]
    if name not in _OPS:
        raise ValueError(f"unknown op {name!r}")
    op.code = _OPS[name]
    if op.code == 0 or op.code == 7:  # (slot|ids, width|depth, col)
        op.a, op.b, op.c = spec[1], spec[2], spec[3]
    elif op.code == 1:  # bucket: slot, width, edges, depth, ids
        op.a, op.b, op.obj, op.c, op.d = spec[1], spec[2], spec[3], spec[4], spec[5]
        op.obj = np.ascontiguousarray(op.obj, dtype=np.float64)
    elif op.code == 2:  # identity: slot, n, default, ids
        op.a, op.b, op.c, op.d = spec[1], spec[2], spec[3], spec[4]
    elif op.code == 3 or op.code == 4:  # hash: slot, n, ids
        op.a, op.b, op.d = spec[1], spec[2], spec[3]
        if op.b < 1:
            raise ValueError(f"num_buckets must be >= 1, got {op.b}")
    elif op.code == 5:  # vocab: slot, table, default, oov, ids
        op.a, op.obj, op.c, op.e, op.d = spec[1], spec[2], spec[3], spec[4], spec[5]
    elif op.code == 6:  # cross: sources, key, n, ids
        op.obj = [(s == "ids", int(i)) for s, i in spec[1]]
        op.key, op.b, op.d = spec[2], spec[3], spec[4]
        if op.b < 1:
            raise ValueError(f"num_buckets must be >= 1, got {op.b}")
    else:  # combine: ids, table, combiner, col
        if spec[3] not in _CODES:
            raise ValueError(f"unknown combiner {spec[3]!r}")
        op.a, op.b, op.e, op.c = spec[1], spec[2], _CODES[spec[3]], spec[4]
    return op


cdef class Program:
    """A layer's plan: typed inputs, then ops writing ids and output blocks.

    See the twin (pipeline/_reference/feature_plan.py) for the op list.
    """

    cdef list keys
    cdef list kinds
    cdef list ops
    cdef Py_ssize_t width, n_ids

    def __init__(self, inputs, ops, Py_ssize_t width):
        self.keys = [k for k, _ in inputs]
        self.kinds = [_KINDS[kind] for _, kind in inputs]
        if not self.keys:
            raise ValueError("a program needs at least one input")
        self.ops = [_make_op(tuple(op)) for op in ops]
        self.width = width
        for o in self.ops:
            if (<_Op>o).code == 0 or (<_Op>o).code == 7:
                _check_block(0, 0, 0, (<_Op>o).c, (<_Op>o).b, width)
        self.n_ids = 1 + max([(<_Op>o).d for o in self.ops if (<_Op>o).code in
                              (1, 2, 3, 4, 5, 6)], default=-1)

    def run(self, features, tables):
        """``(out [rows, width] float32, [(ids, k) per id slot])``, or None."""
        first = features.get(self.keys[0])
        if type(first) is not np.ndarray or first.ndim == 0 or first.shape[0] == 0:
            return None
        cdef Py_ssize_t rows = first.shape[0], i
        arrays = []
        ks = []
        for i in range(len(self.keys)):
            v = _input(features.get(self.keys[i]), <int>self.kinds[i], rows)
            if v is None:
                return None
            arrays.append(v)
            ks.append(v.shape[0] // rows if v.ndim == 1 else v.shape[1])
        out = np.empty((rows, self.width), dtype=np.float32)
        ids = [None] * self.n_ids
        cdef float[:, ::1] ov = out
        cdef _Op op
        for op in self.ops:
            if not _step(op, arrays, ks, ids, tables, ov, rows):
                return None
        return out, ids


cdef object _input(object v, int kind, Py_ssize_t rows):
    """The input as the op wants it, or None: float32 [rows, k], else flat."""
    if type(v) is not np.ndarray or v.ndim == 0 or v.shape[0] != rows:
        return None
    if v.size == 0 or v.size % rows:
        return None
    c = v.dtype.kind
    if kind == 0 and c in "fiu":
        return np.ascontiguousarray(v, dtype=np.float32).reshape(rows, -1)
    if (kind == 1 and c == "i") or (kind == 3 and c in "iu"):
        return np.ascontiguousarray(v, dtype=np.int64).reshape(-1)
    if (kind == 2 or kind == 3) and c == "O":
        return np.ascontiguousarray(v).reshape(-1)
    return None


cdef bint _step(_Op op, list arrays, list ks, list ids, object tables,
                float[:, ::1] ov, Py_ssize_t rows) except -1:
    """Runs one op; False when its inputs are not the plan's."""
    if op.code == 0:
        return _numeric(arrays[op.a], op.b, ov, op.c)
    if op.code == 7 or op.code == 8:
        found = ids[op.a]
        return _write_ids(op, found[0], found[1], tables, ov, rows)
    result = _ids_of(op, arrays, ks, ids, rows)
    if result is None:
        return False
    ids[op.d] = result
    return True


cdef bint _numeric(object values, Py_ssize_t width, float[:, ::1] ov,
                   Py_ssize_t col) except -1:
    cdef const float[:, ::1] x = values
    cdef Py_ssize_t r, j, stride = ov.shape[1]
    if x.shape[1] != width:
        return False
    cdef const float *src = &x[0, 0]
    cdef float *dst = &ov[0, col]
    with nogil:
        for r in range(x.shape[0]):
            for j in range(width):
                dst[r * stride + j] = src[r * width + j]
    return True


cdef bint _write_ids(_Op op, object ids, Py_ssize_t k, object tables, float[:, ::1] ov,
                     Py_ssize_t rows) except -1:
    cdef const int64_t[::1] iv = ids
    cdef const int64_t *ip = &iv[0]
    cdef const float[:, ::1] tb
    cdef Py_ssize_t bad
    if op.code == 7:
        with nogil:
            _indicator_block(rows, k, ip, op.b, &ov[0, op.c], ov.shape[1])
        return True
    tb = tables[op.b]
    _check_block(0, 0, 0, op.c, tb.shape[1], ov.shape[1])
    if tb.shape[0] == 0:
        return False
    with nogil:
        bad = _combine_block(rows, k, ip, &tb[0, 0], tb.shape[0], tb.shape[1], <int>op.e,
                             &ov[0, op.c], ov.shape[1])
    return bad < 0


cdef object _ids_of(_Op op, list arrays, list ks, list ids, Py_ssize_t rows):
    """The ``(ids, k)`` an id op makes, or None when its inputs are not the plan's."""
    cdef Py_ssize_t k, n, i
    values = arrays[op.a] if op.code != 6 else None
    k = ks[op.a] if op.code != 6 else 0
    if op.code == 6:
        return _cross(op, arrays, ks, ids, rows)
    if op.code == 1 and k != op.b:
        return None
    n = rows * k
    out = np.empty(n, dtype=np.int64)
    cdef int64_t[::1] res = out
    cdef const int64_t[::1] iv
    cdef const float[:, ::1] x
    cdef const double[::1] edges
    if op.code == 1:
        x = values
        edges = op.obj
        with nogil:
            _buckets(&x[0, 0], n, k, &edges[0] if edges.shape[0] else NULL,
                     edges.shape[0], op.c, &res[0])
        return out, k
    if op.code == 3:
        try:
            _fingerprints(values, <uint64_t>op.b, True, &res[0])
        except TypeError:
            return None
        return out, k
    if op.code == 5:
        try:
            found = op.obj.lookup(values, op.c, op.e)
        except TypeError:
            return None
        return mark_missing(values, found), k
    iv = values
    with nogil:
        if op.code == 2:
            _identity(&iv[0], n, op.b, op.c, &res[0])
        else:
            _hash_ints(&iv[0], n, <uint64_t>op.b, &res[0])
    return out, k


cdef void _identity(const int64_t *v, Py_ssize_t n, int64_t num_buckets,
                    int64_t default, int64_t *res) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        if v[i] == -1:
            res[i] = _MISSING
        elif default >= 0 and (v[i] < 0 or v[i] >= num_buckets):
            res[i] = default
        else:
            res[i] = v[i]


cdef void _hash_ints(const int64_t *v, Py_ssize_t n, uint64_t num_buckets,
                     int64_t *res) noexcept nogil:
    cdef Py_ssize_t i, k
    cdef uint8_t buf[24]
    for i in range(n):
        if v[i] == -1:
            res[i] = _MISSING
        else:
            k = plf_itoa(v[i], buf)
            res[i] = <int64_t>(plf_fingerprint64(buf, k) % num_buckets)


cdef object _cross(_Op op, list arrays, list ks, list ids, Py_ssize_t rows):
    """A cross of id slots and raw inputs (strings as Fingerprint64, ints as bits)."""
    cdef list sources = op.obj
    cdef Py_ssize_t m = len(sources), j, total = 1, k
    cdef const uint64_t **vals = <const uint64_t**>malloc(m * sizeof(uint64_t*))
    cdef int64_t *widths = <int64_t*>malloc(m * sizeof(int64_t))
    cdef Py_ssize_t *digit = <Py_ssize_t*>malloc(m * sizeof(Py_ssize_t))
    cdef const int64_t[::1] view
    keep = []  # the arrays behind vals
    try:
        if vals == NULL or widths == NULL or digit == NULL:
            raise MemoryError()
        for j in range(m):
            is_ids, index = sources[j]
            if is_ids:
                found, k = ids[index]
            else:
                found, k = arrays[index], ks[index]
                if found.dtype == object:
                    hashed = np.empty(found.shape[0], dtype=np.int64)
                    try:
                        _fingerprint_into(found, hashed)
                    except TypeError:
                        return None
                    found = hashed
            view = found
            if is_ids and _has_missing(&view[0], view.shape[0]):
                return None  # rows of other lengths: not the plan's
            keep.append(found)
            vals[j] = <const uint64_t*>&view[0]
            widths[j] = k
            if total * k > _MAX_CROSS_WIDTH:
                return None
            total *= k
        out = np.empty(rows * total, dtype=np.int64)
        _run_cross(rows, m, vals, widths, total, op.key, <uint64_t>op.b, digit, out)
    finally:
        free(vals)
        free(widths)
        free(digit)
    return out, total


cdef int _run_cross(Py_ssize_t rows, Py_ssize_t m, const uint64_t **vals,
                    const int64_t *widths, Py_ssize_t total, uint64_t key,
                    uint64_t num_buckets, Py_ssize_t *digit, object out) except -1:
    cdef int64_t[::1] res = out
    with nogil:
        _cross_dense(rows, m, vals, widths, total, key, num_buckets, digit, &res[0])
    return 0


cdef bint _has_missing(const int64_t *ids, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        if ids[i] == _MISSING:
            return True
    return False


cdef int _fingerprint_into(object items, object out) except -1:
    cdef int64_t[::1] res = out
    if res.shape[0]:
        _fingerprints(items, 0, False, &res[0])
    return 0


#: Ids per row of a planned cross (a wider one takes the general path).
cdef Py_ssize_t _MAX_CROSS_WIDTH = 1 << 20
