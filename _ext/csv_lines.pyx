# cython: language_level=3
"""Where the lines of a text chunk end: the offsets of its ``\\n`` bytes.

Twin: ``pipeline._reference.csv_lines`` (same results and errors).

Example:
    >>> line_ends(b"ab\\n\\nc\\n").tolist()
    [2, 3, 5]
"""

import numpy as np

from libc.stdint cimport int64_t, uint8_t
from libc.string cimport memchr


def line_ends(const uint8_t[::1] buf):
    """The offsets of every ``\\n`` in ``buf``, in order (an int64 array).

    Example:
        >>> line_ends(b"no newline").tolist()
        []
    """
    cdef int64_t size = buf.shape[0], count = 0, i = 0
    cdef const uint8_t *start
    cdef const uint8_t *p
    cdef const uint8_t *end
    cdef int64_t[::1] out
    if size == 0:
        return np.empty(0, dtype=np.int64)
    start = &buf[0]
    end = start + size
    with nogil:
        p = start
        while p < end:
            p = <const uint8_t *>memchr(p, 10, end - p)
            if p == NULL:
                break
            count += 1
            p += 1
    result = np.empty(count, dtype=np.int64)
    if count == 0:
        return result
    out = result
    with nogil:
        p = start
        while i < count:
            p = <const uint8_t *>memchr(p, 10, end - p)
            out[i] = p - start
            i += 1
            p += 1
    return result
