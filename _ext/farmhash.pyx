# cython: language_level=3
"""FarmHash Fingerprint64, SipHash-2-4, TF's legacy Hash64 and FingerprintCat64.

Written from the algorithms' descriptions. Twin: pipeline/_reference/farmhash.py
(same names, results and errors). Batch functions gather the string pointers
with the GIL, then hash without it.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE, PyBytes_Check
from cpython.unicode cimport PyUnicode_Check
from cpython.sequence cimport PySequence_Fast, PySequence_Fast_ITEMS, PySequence_Fast_GET_SIZE
from cpython.ref cimport PyObject
from libc.stdint cimport uint8_t, uint64_t, int64_t
from libc.stdlib cimport malloc, free

import numpy as np

cdef extern from "Python.h":
    const char* PyUnicode_AsUTF8AndSize(object s, Py_ssize_t *size) except NULL

from farmhash_core cimport (
    plf_cat64,
    plf_fingerprint64,
    plf_itoa,
    plf_legacy,
    plf_siphash24,
)

cdef enum:
    _FARM = 0
    _SIP = 1
    _LEGACY = 2


cdef inline uint64_t _hash_one(int kind, uint64_t k0, uint64_t k1,
                               const uint8_t *p, size_t n) noexcept nogil:
    if kind == _FARM:
        return plf_fingerprint64(p, n)
    if kind == _SIP:
        return plf_siphash24(k0, k1, p, n)
    return plf_legacy(p, n)


cdef bytes _as_bytes(object data):
    return data if type(data) is bytes else bytes(data)


cpdef uint64_t fingerprint64(object data):
    """FarmHash Fingerprint64 of ``data`` (bytes-like)."""
    cdef bytes b = _as_bytes(data)
    return plf_fingerprint64(<const uint8_t*>PyBytes_AS_STRING(b), PyBytes_GET_SIZE(b))


cpdef uint64_t siphash24(uint64_t k0, uint64_t k1, object data):
    """SipHash-2-4 of ``data`` under the key (k0, k1)."""
    cdef bytes b = _as_bytes(data)
    return plf_siphash24(k0, k1, <const uint8_t*>PyBytes_AS_STRING(b), PyBytes_GET_SIZE(b))


cpdef uint64_t legacy_hash64(object data):
    """TensorFlow's Hash64(data, 0xDECAFCAFFE)."""
    cdef bytes b = _as_bytes(data)
    return plf_legacy(<const uint8_t*>PyBytes_AS_STRING(b), PyBytes_GET_SIZE(b))


cpdef uint64_t fingerprint_cat64(uint64_t fp1, uint64_t fp2):
    """TensorFlow's FingerprintCat64."""
    return plf_cat64(fp1, fp2)


cdef int _raise_type(Py_ssize_t index, object value) except -1:
    raise TypeError(
        f"expected bytes or str at index {index}, got {type(value).__name__}"
    )


cdef object _items_of(object values, PyObject ***items, Py_ssize_t *n):
    """The item pointers of a 1-D object ndarray (no copy) or of any sequence.

    Returns the object that keeps them alive.
    """
    if (type(values) is np.ndarray and values.dtype == object and values.ndim == 1
            and values.flags.c_contiguous):
        n[0] = values.shape[0]
        items[0] = <PyObject**><size_t>values.__array_interface__["data"][0]
        return values
    seq = PySequence_Fast(values, "expected a sequence of bytes or str")
    n[0] = PySequence_Fast_GET_SIZE(seq)
    items[0] = PySequence_Fast_ITEMS(seq)
    return seq


cdef void _finish(int kind, uint64_t k0, uint64_t k1, Py_ssize_t n,
                  const uint8_t **ptrs, const size_t *lens, uint64_t num_buckets,
                  uint64_t *res) noexcept nogil:
    cdef Py_ssize_t i
    cdef uint64_t h
    for i in range(n):
        h = _hash_one(kind, k0, k1, ptrs[i], lens[i])
        res[i] = h % num_buckets if num_buckets else h


cdef object _new_out(Py_ssize_t n, uint64_t num_buckets):
    return np.empty(n, dtype=np.int64 if num_buckets else np.uint64)


cdef object _hash_objects(int kind, uint64_t k0, uint64_t k1, object values,
                          uint64_t num_buckets=0):
    cdef PyObject **items
    cdef Py_ssize_t n, i, size
    keep = _items_of(values, &items, &n)
    out = _new_out(n, num_buckets)
    if n == 0:
        return out
    cdef uint64_t[::1] res = out.view(np.uint64)
    cdef const uint8_t **ptrs = <const uint8_t**>malloc(n * sizeof(uint8_t*))
    cdef size_t *lens = <size_t*>malloc(n * sizeof(size_t))
    if ptrs == NULL or lens == NULL:
        free(ptrs); free(lens)
        raise MemoryError()
    try:
        for i in range(n):
            item = <object>items[i]
            if PyBytes_Check(item):
                ptrs[i] = <const uint8_t*>PyBytes_AS_STRING(item)
                lens[i] = PyBytes_GET_SIZE(item)
            elif PyUnicode_Check(item):
                ptrs[i] = <const uint8_t*>PyUnicode_AsUTF8AndSize(item, &size)
                lens[i] = size
            else:
                _raise_type(i, item)
        with nogil:
            _finish(kind, k0, k1, n, ptrs, lens, num_buckets, &res[0])
    finally:
        free(ptrs); free(lens)
    return out


cdef object _hash_packed(int kind, uint64_t k0, uint64_t k1, object data, object offsets,
                         uint64_t num_buckets=0):
    cdef const uint8_t[::1] buf = np.ascontiguousarray(data, dtype=np.uint8).reshape(-1)
    cdef const int64_t[::1] offs = np.ascontiguousarray(offsets, dtype=np.int64).reshape(-1)
    cdef Py_ssize_t n = max(offs.shape[0] - 1, 0), i, total = buf.shape[0]
    for i in range(n):
        if offs[i] < 0 or offs[i] > offs[i + 1] or offs[i + 1] > total:
            raise ValueError(f"bad offsets at index {i}: {offs[i]}..{offs[i + 1]}")
    out = _new_out(n, num_buckets)
    if n == 0:
        return out
    cdef uint64_t[::1] res = out.view(np.uint64)
    cdef const uint8_t *base = &buf[0] if total else <const uint8_t*>b""
    cdef uint64_t h
    with nogil:
        for i in range(n):
            h = _hash_one(kind, k0, k1, base + offs[i], offs[i + 1] - offs[i])
            res[i] = h % num_buckets if num_buckets else h
    return out


def fingerprint64_objects(values, uint64_t num_buckets=0):
    """uint64 fingerprints of a sequence of bytes/str (str as UTF-8).

    With ``num_buckets > 0``: int64 ``fingerprint % num_buckets`` instead.
    """
    return _hash_objects(_FARM, 0, 0, values, num_buckets)


def fingerprint64_packed(data, offsets, uint64_t num_buckets=0):
    """uint64 fingerprints of the strings data[offsets[i]:offsets[i+1]] (or buckets)."""
    return _hash_packed(_FARM, 0, 0, data, offsets, num_buckets)


def siphash24_objects(uint64_t k0, uint64_t k1, values, uint64_t num_buckets=0):
    """uint64 SipHash-2-4 values of a sequence of bytes/str (or buckets)."""
    return _hash_objects(_SIP, k0, k1, values, num_buckets)


def siphash24_packed(uint64_t k0, uint64_t k1, data, offsets, uint64_t num_buckets=0):
    """uint64 SipHash-2-4 values of packed strings (or buckets)."""
    return _hash_packed(_SIP, k0, k1, data, offsets, num_buckets)


def legacy_hash64_objects(values, uint64_t num_buckets=0):
    """uint64 legacy TF hashes of a sequence of bytes/str (or buckets)."""
    return _hash_objects(_LEGACY, 0, 0, values, num_buckets)


def fingerprint64_int64(values):
    """uint64 fingerprints of the decimal strings of int64 values."""
    cdef const int64_t[::1] ints = np.ascontiguousarray(values, dtype=np.int64).reshape(-1)
    cdef Py_ssize_t n = ints.shape[0], i
    cdef uint8_t buf[24]
    cdef size_t k
    out = np.empty(n, dtype=np.uint64)
    cdef uint64_t[::1] res = out
    with nogil:
        for i in range(n):
            k = plf_itoa(ints[i], buf)
            res[i] = plf_fingerprint64(buf, k)
    return out
