# cython: language_level=3
"""FNV-1a over a byte range, for the tables that share equal ``bytes`` values."""

from libc.stdint cimport int64_t, uint8_t, uint64_t


cdef inline uint64_t _fnv1a_nonzero(const uint8_t *p, int64_t n) noexcept nogil:
    """FNV-1a of ``p[:n]`` with the low bit set (0 can mark a free slot)."""
    cdef uint64_t h = 14695981039346656037ULL
    cdef int64_t i
    for i in range(n):
        h = (h ^ p[i]) * 1099511628211ULL
    return h | 1
