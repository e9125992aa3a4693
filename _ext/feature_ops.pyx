# cython: language_level=3
"""Batch kernels of the feature columns: vocabulary lookup, bucketize, crossing.

Twin: pipeline/_reference/feature_ops.py (same names, results and errors).
The loops run without the GIL; string pointers are gathered with it first.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE, PyBytes_Check
from cpython.unicode cimport PyUnicode_Check
from cpython.sequence cimport PySequence_Fast, PySequence_Fast_ITEMS, PySequence_Fast_GET_SIZE
from cpython.ref cimport PyObject
from cpython.buffer cimport PyObject_GetBuffer, PyBuffer_Release, PyBUF_C_CONTIGUOUS
from libc.stdint cimport uint8_t, uint64_t, int64_t
from libc.stdlib cimport malloc, free
from libc.string cimport memcmp

import numpy as np

from farmhash_core cimport plf_cat64, plf_fingerprint64, plf_itoa

cdef extern from "Python.h":
    const char* PyUnicode_AsUTF8AndSize(object s, Py_ssize_t *size) except NULL


cdef int _raise_type(Py_ssize_t index, object value) except -1:
    raise TypeError(
        f"expected bytes or str at index {index}, got {type(value).__name__}"
    )


cdef int _check_lookup_args(int64_t default_value, int64_t num_oov_buckets) except -1:
    if num_oov_buckets < 0:
        raise ValueError(f"num_oov_buckets must be >= 0, got {num_oov_buckets}")
    return 0


cdef inline uint64_t _mix(uint64_t v) noexcept nogil:
    v ^= v >> 33
    v *= 0xff51afd7ed558ccdULL
    v ^= v >> 33
    return v


cdef Py_ssize_t _capacity(Py_ssize_t n):
    cdef Py_ssize_t cap = 16
    while cap < 2 * n:
        cap *= 2
    return cap


cdef class _Gathered:
    """Pointers and lengths of a sequence of bytes/str, kept alive by ``seq``."""

    cdef object seq
    cdef const uint8_t **ptrs
    cdef size_t *lens
    cdef Py_ssize_t n

    def __cinit__(self, values):
        cdef Py_ssize_t i, size
        cdef PyObject **items
        cdef Py_buffer buf
        if (type(values) is np.ndarray and values.dtype == object and values.ndim == 1
                and values.flags.c_contiguous):  # read the array's items in place
            self.seq = values
            self.n = values.shape[0]
            PyObject_GetBuffer(values, &buf, PyBUF_C_CONTIGUOUS)
            items = <PyObject**>buf.buf  # kept alive by self.seq
            PyBuffer_Release(&buf)
        else:
            self.seq = PySequence_Fast(values, "expected a sequence of bytes or str")
            self.n = PySequence_Fast_GET_SIZE(self.seq)
            items = PySequence_Fast_ITEMS(self.seq)
        self.ptrs = <const uint8_t**>malloc((self.n + 1) * sizeof(uint8_t*))
        self.lens = <size_t*>malloc((self.n + 1) * sizeof(size_t))
        if self.ptrs == NULL or self.lens == NULL:
            raise MemoryError()
        for i in range(self.n):
            item = <object>items[i]
            if PyBytes_Check(item):
                self.ptrs[i] = <const uint8_t*>PyBytes_AS_STRING(item)
                self.lens[i] = PyBytes_GET_SIZE(item)
            elif PyUnicode_Check(item):
                self.ptrs[i] = <const uint8_t*>PyUnicode_AsUTF8AndSize(item, &size)
                self.lens[i] = size
            else:
                _raise_type(i, item)

    def __dealloc__(self):
        free(self.ptrs)
        free(self.lens)


cdef class StringVocab:
    """A string vocabulary (entry -> position) in an open-addressing table."""

    cdef _Gathered entries
    cdef object keep
    cdef int64_t[::1] table
    cdef uint64_t mask
    cdef Py_ssize_t n

    def __init__(self, vocab):
        vocab = list(vocab)
        self.keep = vocab
        self.entries = _Gathered(vocab)
        self.n = self.entries.n
        cap = _capacity(self.n)
        self.table = np.full(cap, -1, dtype=np.int64)
        self.mask = cap - 1
        cdef Py_ssize_t i
        cdef int64_t found
        for i in range(self.n):
            found = self._find(self.entries.ptrs[i], self.entries.lens[i],
                               plf_fingerprint64(self.entries.ptrs[i], self.entries.lens[i]), 1, i)
            if found >= 0:
                key = (<const char*>self.entries.ptrs[i])[:self.entries.lens[i]]
                raise ValueError(
                    f"duplicate vocabulary entry {key!r} at positions {found} and {i}"
                )

    def __len__(self):
        return self.n

    cdef int64_t _find(self, const uint8_t *p, size_t n, uint64_t fp,
                       bint insert, int64_t pos) noexcept nogil:
        cdef uint64_t slot = _mix(fp) & self.mask
        cdef int64_t e
        while True:
            e = self.table[slot]
            if e < 0:
                if insert:
                    self.table[slot] = pos
                return -1
            if self.entries.lens[e] == n and memcmp(self.entries.ptrs[e], p, n) == 0:
                return e
            slot = (slot + 1) & self.mask

    def lookup(self, values, int64_t default_value, int64_t num_oov_buckets):
        """int64 ids of ``values`` (position, OOV bucket, or default)."""
        _check_lookup_args(default_value, num_oov_buckets)
        cdef _Gathered g = _Gathered(values)
        out = np.empty(g.n, dtype=np.int64)
        cdef int64_t[::1] res = out
        cdef Py_ssize_t i
        cdef uint64_t fp
        cdef int64_t found
        with nogil:
            for i in range(g.n):
                fp = plf_fingerprint64(g.ptrs[i], g.lens[i])
                found = self._find(g.ptrs[i], g.lens[i], fp, 0, 0)
                if found >= 0:
                    res[i] = found
                elif num_oov_buckets > 0:
                    res[i] = self.n + <int64_t>(fp % <uint64_t>num_oov_buckets)
                else:
                    res[i] = default_value
        return out


cdef class IntVocab:
    """An int64 vocabulary (entry -> position) in an open-addressing table."""

    cdef int64_t[::1] keys
    cdef int64_t[::1] table
    cdef uint64_t mask
    cdef Py_ssize_t n

    def __init__(self, vocab):
        self.keys = np.ascontiguousarray(vocab, dtype=np.int64).reshape(-1).copy()
        self.n = self.keys.shape[0]
        cap = _capacity(self.n)
        self.table = np.full(cap, -1, dtype=np.int64)
        self.mask = cap - 1
        cdef Py_ssize_t i
        cdef int64_t found
        for i in range(self.n):
            found = self._find(self.keys[i], 1, i)
            if found >= 0:
                raise ValueError(
                    f"duplicate vocabulary entry {self.keys[i]} at positions {found} and {i}"
                )

    def __len__(self):
        return self.n

    cdef int64_t _find(self, int64_t key, bint insert, int64_t pos) noexcept nogil:
        cdef uint64_t slot = _mix(<uint64_t>key * 0x9E3779B97F4A7C15ULL) & self.mask
        cdef int64_t e
        while True:
            e = self.table[slot]
            if e < 0:
                if insert:
                    self.table[slot] = pos
                return -1
            if self.keys[e] == key:
                return e
            slot = (slot + 1) & self.mask

    def lookup(self, values, int64_t default_value, int64_t num_oov_buckets):
        """int64 ids of integer ``values`` (OOV hashed as decimal strings)."""
        _check_lookup_args(default_value, num_oov_buckets)
        cdef const int64_t[::1] vals = np.ascontiguousarray(values, dtype=np.int64).reshape(-1)
        out = np.empty(vals.shape[0], dtype=np.int64)
        cdef int64_t[::1] res = out
        cdef Py_ssize_t i
        cdef int64_t found
        cdef uint8_t buf[24]
        cdef size_t k
        with nogil:
            for i in range(vals.shape[0]):
                found = self._find(vals[i], 0, 0)
                if found >= 0:
                    res[i] = found
                elif num_oov_buckets > 0:
                    k = plf_itoa(vals[i], buf)
                    res[i] = self.n + <int64_t>(
                        plf_fingerprint64(buf, k) % <uint64_t>num_oov_buckets)
                else:
                    res[i] = default_value
        return out


def bucketize(values, boundaries):
    """int64 bucket of each value: how many boundaries are <= x (NaN: last)."""
    cdef const double[::1] x = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
    cdef const double[::1] b = np.ascontiguousarray(boundaries, dtype=np.float64).reshape(-1)
    out = np.empty(x.shape[0], dtype=np.int64)
    cdef int64_t[::1] res = out
    cdef Py_ssize_t i, lo, hi, mid, nb = b.shape[0]
    cdef double v
    with nogil:
        for i in range(x.shape[0]):
            v = x[i]
            lo = 0
            hi = nb
            while lo < hi:  # first boundary with v < boundary
                mid = (lo + hi) >> 1
                if v < b[mid]:
                    hi = mid
                else:
                    lo = mid + 1
            res[i] = lo
    return out


cdef int _bad_splits(Py_ssize_t rows, const int64_t *sp, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t r
    if sp[0] != 0 or sp[rows] != n:
        return 1
    for r in range(rows):
        if sp[r + 1] < sp[r]:
            return 1
    return 0


cdef void _cross_rows(Py_ssize_t rows, int k, const int64_t **sp, const uint64_t **vals,
                      uint64_t hash_key, uint64_t num_buckets,
                      const int64_t *out_splits, int64_t *ids, int64_t *pos) noexcept nogil:
    cdef Py_ssize_t r, o
    cdef int j
    cdef uint64_t h
    for r in range(rows):
        if out_splits[r + 1] == out_splits[r]:
            continue
        for j in range(k):
            pos[j] = sp[j][r]
        for o in range(out_splits[r], out_splits[r + 1]):
            h = hash_key
            for j in range(k):
                h = plf_cat64(h, vals[j][pos[j]])
            ids[o] = <int64_t>(h % num_buckets)
            j = k - 1  # odometer: the last input varies fastest
            while j >= 0:
                pos[j] += 1
                if pos[j] < sp[j][r + 1]:
                    break
                pos[j] = sp[j][r]
                j -= 1


#: Ids a cross may produce (the twin's limit too): past it, int64 sizes overflow.
cdef int64_t _CROSS_LIMIT = (<int64_t>1) << 62
_CROSS_TOO_LARGE = "the cross product has more than 2**62 ids"


cdef int64_t _row_count(const int64_t **sp, int k, Py_ssize_t r) noexcept nogil:
    """The ids of row ``r`` of the cross (product of widths), or -1 past the limit."""
    cdef int64_t count = 1, width
    cdef int j
    for j in range(k):
        if sp[j][r + 1] == sp[j][r]:
            return 0
    for j in range(k):
        width = sp[j][r + 1] - sp[j][r]
        if count > _CROSS_LIMIT // width:
            return -1
        count *= width
    return count


def cross(splits, values, uint64_t hash_key, int64_t num_buckets):
    """Hashed cartesian product per row of ragged uint64 inputs -> (splits, ids)."""
    if num_buckets < 1:
        raise ValueError(f"num_buckets must be >= 1, got {num_buckets}")
    if len(splits) != len(values) or not splits:
        raise ValueError("cross needs as many splits as values, at least one")
    sp_arrays = [np.ascontiguousarray(s, dtype=np.int64).reshape(-1) for s in splits]
    val_arrays = [np.ascontiguousarray(v, dtype=np.uint64).reshape(-1) for v in values]
    cdef Py_ssize_t rows = sp_arrays[0].shape[0] - 1, r
    cdef int k = len(sp_arrays), j
    for j in range(k):
        if sp_arrays[j].shape[0] - 1 != rows:
            raise ValueError(
                f"input {j} has {sp_arrays[j].shape[0] - 1} rows, expected {rows}")
    cdef const int64_t **sp = <const int64_t**>malloc(k * sizeof(int64_t*))
    cdef const uint64_t **vals = <const uint64_t**>malloc(k * sizeof(uint64_t*))
    cdef int64_t *pos = <int64_t*>malloc(k * sizeof(int64_t))
    cdef const int64_t[::1] s_view
    cdef const uint64_t[::1] v_view
    cdef uint64_t dummy = 0
    cdef int64_t count
    out_splits = np.zeros(rows + 1, dtype=np.int64)
    cdef int64_t[::1] os_view = out_splits
    try:
        for j in range(k):
            s_view = sp_arrays[j]
            sp[j] = &s_view[0]
            v_view = val_arrays[j]
            vals[j] = &v_view[0] if v_view.shape[0] else &dummy
            if _bad_splits(rows, sp[j], v_view.shape[0]):
                raise ValueError(f"input {j} has bad row splits")
        for r in range(rows):
            count = _row_count(sp, k, r)
            if count < 0 or count > _CROSS_LIMIT - os_view[r]:
                raise ValueError(_CROSS_TOO_LARGE)
            os_view[r + 1] = os_view[r] + count
        ids = np.empty(int(os_view[rows]), dtype=np.int64)
        if ids.shape[0]:
            _run_cross(rows, k, sp, vals, hash_key, num_buckets, os_view, ids, pos)
    finally:
        free(sp); free(vals); free(pos)
    return out_splits, ids


cdef void _run_cross(Py_ssize_t rows, int k, const int64_t **sp, const uint64_t **vals,
                     uint64_t hash_key, int64_t num_buckets, int64_t[::1] os_view,
                     int64_t[::1] ids_view, int64_t *pos):
    with nogil:
        _cross_rows(rows, k, sp, vals, hash_key, <uint64_t>num_buckets,
                    &os_view[0], &ids_view[0], pos)


cdef enum:
    _SUM = 0
    _MEAN = 1
    _SQRTN = 2


cdef int64_t _combine_rows(Py_ssize_t rows, const int64_t *splits, const int64_t *ids,
                           const float *weights, const float *table, Py_ssize_t vocab,
                           Py_ssize_t dim, int combiner, float *out) noexcept nogil:
    """Fills out[rows, dim]; returns -1, or the position of an id >= vocab."""
    cdef Py_ssize_t r, e, d
    cdef float w, sw, sw2, scale
    cdef const float *row
    for r in range(rows):
        sw = 0
        sw2 = 0
        for e in range(splits[r], splits[r + 1]):
            if ids[e] < 0:
                continue
            w = 1 if weights == NULL else weights[e]
            if combiner != _SUM and w <= 0:
                continue
            if ids[e] >= vocab:
                return e
            row = table + ids[e] * dim
            for d in range(dim):
                out[r * dim + d] += row[d] * w
            sw += w
            sw2 += w * w
        if combiner == _MEAN and sw > 0:
            for d in range(dim):
                out[r * dim + d] /= sw
        elif combiner == _SQRTN and sw2 > 0:
            scale = sw2 ** 0.5
            for d in range(dim):
                out[r * dim + d] /= scale
    return -1


cdef _check_segment_splits(const int64_t[::1] sp, Py_ssize_t n_ids):
    """Row splits must start at >= 0, never decrease, and end within the ids."""
    cdef Py_ssize_t r
    if sp.shape[0] == 0:
        raise ValueError("row splits must have at least one entry")
    if sp[0] < 0:
        raise ValueError("bad row splits")
    for r in range(sp.shape[0] - 1):
        if sp[r + 1] < sp[r]:
            raise ValueError("bad row splits")
    if sp[sp.shape[0] - 1] > n_ids:
        raise ValueError("row splits run past the ids")


def segment_combine(splits, ids, weights, table, combiner):
    """[rows, dim] float32 of TF's safe embedding lookup -> (out, bad_position).

    ``bad_position`` is -1, or the index in ``ids`` of the first id >= the
    table's rows (then ``out`` is incomplete).
    """
    codes = {"sum": _SUM, "mean": _MEAN, "sqrtn": _SQRTN}
    if combiner not in codes:
        raise ValueError(f"unknown combiner {combiner!r}")
    cdef const int64_t[::1] sp = np.ascontiguousarray(splits, dtype=np.int64)
    cdef const int64_t[::1] iv = np.ascontiguousarray(ids, dtype=np.int64)
    cdef const float[:, ::1] tb = np.ascontiguousarray(table, dtype=np.float32)
    cdef const float[::1] wv
    cdef const float *wp = NULL
    cdef Py_ssize_t rows = sp.shape[0] - 1, dim = tb.shape[1]
    _check_segment_splits(sp, iv.shape[0])
    if weights is not None:
        wv = np.ascontiguousarray(weights, dtype=np.float32)
        if wv.shape[0] != iv.shape[0]:
            raise ValueError("weights and ids differ in length")
        if wv.shape[0]:
            wp = &wv[0]
    out = np.zeros((rows, dim), dtype=np.float32)
    if rows == 0 or dim == 0 or iv.shape[0] == 0:
        return out, -1
    cdef float[:, ::1] ov = out
    cdef int code = codes[combiner]
    cdef const float *tp = &tb[0, 0] if tb.shape[0] else NULL
    cdef int64_t bad
    with nogil:
        bad = _combine_rows(rows, &sp[0], &iv[0], wp, tp, tb.shape[0], dim, code, &ov[0, 0])
    return out, int(bad)


def indicator(splits, ids, weights, Py_ssize_t depth):
    """[rows, depth] float32: per row, the count (or weight sum) of each id."""
    cdef const int64_t[::1] sp = np.ascontiguousarray(splits, dtype=np.int64)
    cdef const int64_t[::1] iv = np.ascontiguousarray(ids, dtype=np.int64)
    cdef const float[::1] wv
    cdef const float *wp = NULL
    cdef Py_ssize_t rows = sp.shape[0] - 1, r, e
    _check_segment_splits(sp, iv.shape[0])
    if weights is not None:
        wv = np.ascontiguousarray(weights, dtype=np.float32)
        if wv.shape[0] != iv.shape[0]:
            raise ValueError("weights and ids differ in length")
        if wv.shape[0]:
            wp = &wv[0]
    out = np.zeros((rows, depth), dtype=np.float32)
    if rows == 0 or depth == 0:
        return out
    cdef float[:, ::1] ov = out
    with nogil:
        for r in range(rows):
            for e in range(sp[r], sp[r + 1]):
                if 0 <= iv[e] < depth:
                    ov[r, iv[e]] += 1 if wp == NULL else wp[e]
    return out


def nonempty(values):
    """bool array: which strings (bytes or str) are not empty."""
    cdef _Gathered g = _Gathered(values)
    out = np.empty(g.n, dtype=np.bool_)
    cdef char[::1] res = out.view(np.int8)
    cdef Py_ssize_t i
    for i in range(g.n):
        res[i] = g.lens[i] != 0
    return out
