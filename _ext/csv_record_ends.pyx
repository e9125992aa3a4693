# cython: language_level=3
"""Where CSV records end, without the GIL: newline counts and TF's quote rule.

Twin: pipeline/_reference/csv_record_ends.py (same names and results).

`count_lines` counts ``\\n`` bytes; `open_at_end` says whether a quoted field
is still open at the end of a line (CsvDataset's rule: a quote opens a field
only at the field's first byte; inside, ``""`` is a quote and any other quote
ends the quoting); `lines_are_records` says whether every line of a range is
one record by that rule, so a block can be decoded without splitting it.
"""

from libc.stdint cimport int64_t, uint8_t
from libc.string cimport memchr

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE


def count_lines(const uint8_t[::1] buf, int64_t start=0):
    """The number of ``\\n`` bytes in ``buf[start:]`` (``bytes.count``, faster).

    Example:
        >>> count_lines(b"a\\nb\\n\\n"), count_lines(b"a\\nb", 2)
        (3, 0)
    """
    cdef int64_t size = buf.shape[0], count = 0
    cdef const uint8_t *p
    cdef const uint8_t *end
    if start < 0 or start > size:
        raise ValueError(f"start {start} is outside the buffer of {size} bytes")
    if size == 0:
        return 0
    p = &buf[0] + start
    end = &buf[0] + size
    with nogil:
        while p < end:
            p = <const uint8_t *>memchr(p, 10, end - p)
            if p == NULL:
                break
            count += 1
            p += 1
    return count


def open_at_end(bytes line not None, int delim, bint quoted):
    """Whether a quoted field is still open at the end of ``line``.

    CsvDataset's rule: a quote opens a field only at the field's first byte
    (``quoted`` False: ``line`` starts a record); elsewhere it is a byte of
    an unquoted field. Inside a quoted field ``""`` is a quote and any other
    quote ends the quoting.

    Example:
        >>> open_at_end(b'1,"a', 44, False), open_at_end(b'1,2"3', 44, False)
        (True, False)
    """
    cdef const uint8_t *p = <const uint8_t *>PyBytes_AS_STRING(line)
    cdef Py_ssize_t n = PyBytes_GET_SIZE(line), i = 0
    cdef bint first = True  # at the first byte of a field
    cdef uint8_t c
    if delim < 0 or delim > 255:
        raise ValueError(f"delim {delim} is not a byte")
    while i < n:
        c = p[i]
        i += 1
        if quoted:
            if c == 34:
                if i < n and p[i] == 34:
                    i += 1
                else:
                    quoted = False
            continue
        if c == 34 and first:
            quoted = True
            first = False
        else:
            first = c == delim
    return quoted


def lines_are_records(const uint8_t[::1] buf, int64_t start, int64_t end, int delim):
    """Whether every ``\\n`` of ``buf[start:end]`` (which starts a record) ends
    a record: no quoted field is open there, by `open_at_end`'s rule.

    Example:
        >>> lines_are_records(b'1,"a,b"\\n2,c\\n', 0, 12, 44)
        True
        >>> lines_are_records(b'1,"a\\nb"\\n', 0, 8, 44)
        False
    """
    cdef int64_t size = buf.shape[0], i
    cdef bint quoted = False, first = True
    cdef uint8_t c, d
    cdef const uint8_t *p
    if delim < 0 or delim > 255:
        raise ValueError(f"delim {delim} is not a byte")
    if not 0 <= start <= end <= size:
        raise ValueError(f"[{start}, {end}) is outside the buffer of {size} bytes")
    if start == end:
        return True
    p = &buf[0]
    d = <uint8_t>delim
    i = start
    with nogil:
        while i < end:
            c = p[i]
            i += 1
            if quoted:
                if c == 34:
                    if i < end and p[i] == 34:
                        i += 1
                    else:
                        quoted = False
                elif c == 10:
                    break
                continue
            if c == 34 and first:
                quoted = True
                first = False
            else:
                first = c == d or c == 10
    return not quoted
