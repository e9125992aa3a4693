"""Where CSV records end, in plain Python: the spec of ``_ext/csv_record_ends.pyx``.

`count_lines` counts ``\\n`` bytes; `open_at_end` says whether a quoted field
is still open at the end of a line (CsvDataset's rule: a quote opens a field
only at the field's first byte; inside, ``""`` is a quote and any other quote
ends the quoting); `lines_are_records` says whether every line of a range is
one record by that rule.
"""

from __future__ import annotations


def count_lines(buf: bytes, start: int = 0) -> int:
    """The number of ``\\n`` bytes in ``buf[start:]``.

    Example:
        >>> count_lines(b"a\\nb\\n\\n"), count_lines(b"a\\nb", 2)
        (3, 0)
    """
    if not 0 <= start <= len(buf):
        raise ValueError(f"start {start} is outside the buffer of {len(buf)} bytes")
    return bytes(buf).count(b"\n", start)


def open_at_end(line: bytes, delim: int, quoted: bool) -> bool:
    """Whether a quoted field is still open at the end of ``line``.

    CsvDataset's rule: a quote opens a field only at the field's first byte
    (``quoted`` False: ``line`` starts a record); elsewhere it is a byte of
    an unquoted field. Inside a quoted field ``""`` is a quote and any other
    quote ends the quoting.

    Example:
        >>> open_at_end(b'1,"a', 44, False), open_at_end(b'1,2"3', 44, False)
        (True, False)
    """
    if not 0 <= delim <= 255:
        raise ValueError(f"delim {delim} is not a byte")
    sep = bytes([delim])
    pos = 0
    while True:
        q = line.find(b'"', pos)
        if q < 0:
            return bool(quoted)
        if quoted:
            if line[q + 1 : q + 2] == b'"':
                pos = q + 2
                continue
            quoted = False
        else:
            quoted = q == 0 or line[q - 1 : q] == sep
        pos = q + 1


def lines_are_records(buf: bytes, start: int, end: int, delim: int) -> bool:
    """Whether every ``\\n`` of ``buf[start:end]`` (which starts a record) ends
    a record: no quoted field is open there, by `open_at_end`'s rule.

    Example:
        >>> lines_are_records(b'1,"a,b"\\n2,c\\n', 0, 12, 44)
        True
        >>> lines_are_records(b'1,"a\\nb"\\n', 0, 8, 44)
        False
    """
    if not 0 <= delim <= 255:
        raise ValueError(f"delim {delim} is not a byte")
    if not 0 <= start <= end <= len(buf):
        raise ValueError(f"[{start}, {end}) is outside the buffer of {len(buf)} bytes")
    lines = bytes(buf[start:end]).split(b"\n")
    return not any(open_at_end(line, delim, False) for line in lines)
