"""Unquoted CSV records into typed columns, in plain Python: the spec of
``_ext/csv_plain.pyx``.

`decode` reads ``n`` records of ``buf``, each ended by ``\\n``, split on one
delimiter byte with no quoting. Numeric fields in the plain decimal syntax
that one IEEE operation converts exactly are converted; any other numeric
text is left as a fix-up ``(row, column, start, length)`` for the exact rules
of ``pipeline.io.csv_values`` (its slot holds 0). A missing field (empty or
``na_value``) takes its column's default. The batch is refused (None) when a
record has another field count, a required field is missing, there are more
than ``max_fixups`` fix-ups, bytes are left after the ``n`` records, a record
is empty, or the delimiter is a newline or a character of a number (``0-9 + - . e E``).

Example:
    >>> cols, fixups = decode(b"1,a\\n x,\\n", 2, 2, [0, 1], [KIND_INT64,
    ...     KIND_STRING], [0, b"?"], [False, False], 44, b"", 10)
    >>> cols
    [array([1, 0]), array([b'a', b'?'], dtype=object)]
    >>> fixups.tolist()
    [[1, 0, 4, 2]]
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from typing import Any

import numpy as np

KIND_INT32 = 0
KIND_INT64 = 1
KIND_FLOAT32 = 2
KIND_FLOAT64 = 3
KIND_STRING = 4

_DTYPES = (np.int32, np.int64, np.float32, np.float64)
_INT_RE = re.compile(rb"[+-]?[0-9]+")
_DEC_RE = re.compile(
    rb"([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?",
)
_MAX_DIGITS = 19
#: Significant exponent digits the kernel reads (it stops past 9999).
_MAX_EXPONENT_DIGITS = 5
#: A field that is empty or ``na_value``.
_MISSING = object()


def decode(
    buf: bytes,
    n: int,
    ncols: int,
    select: Sequence[int],
    kinds: Sequence[int],
    defaults: Sequence[Any],
    required: Sequence[bool],
    delim: int,
    na_value: bytes,
    max_fixups: int,
) -> tuple[list[np.ndarray], np.ndarray] | None:
    """The columns and fix-ups of ``n`` records (module docstring), or None."""
    _check(ncols, n, select, kinds, defaults)
    if not 0 <= delim <= 255:
        raise ValueError(f"delim must be a byte value; got {delim}")
    if delim in b"0123456789+-.eE\n":
        return None
    buf = bytes(buf)
    col_of = {f: j for j, f in enumerate(select)}
    columns: list[list[Any]] = [[] for _ in select]
    fixups: list[list[int]] = []
    pos = 0
    sep = bytes([delim])
    for row in range(n):
        end = buf.find(b"\n", pos)
        if end <= pos:
            return None  # no newline, or an empty record
        fields = buf[pos:end].split(sep)
        if len(fields) != ncols:
            return None
        start = pos
        for f, text in enumerate(fields):
            j = col_of.get(f)
            if j is not None:
                value = _value(text, kinds[j], na_value)
                if value is _MISSING:
                    if required[j]:
                        return None
                    value = defaults[j]
                elif value is None:
                    fixups.append([row, j, start, len(text)])
                    value = 0
                columns[j].append(value)
            start += len(text) + 1
        pos = end + 1
    if pos != len(buf) or len(fixups) > max(0, max_fixups):
        return None
    out = [_array(values, kind) for values, kind in zip(columns, kinds)]
    return out, np.asarray(fixups, dtype=np.int64).reshape(-1, 4)


def _check(ncols: int, n: int, select, kinds, defaults) -> None:
    if ncols <= 0 or n < 0 or not len(kinds) == len(select) == len(defaults):
        raise ValueError("select, kinds and defaults must match; ncols > 0")
    for j, (f, k) in enumerate(zip(select, kinds)):
        if not 0 <= f < ncols or not 0 <= k <= KIND_STRING:
            raise ValueError(f"bad column {j}: field {f}, kind {k}")
    if len(set(select)) != len(select):
        raise ValueError("a field is selected twice")


def _array(values: list[Any], kind: int) -> np.ndarray:
    if kind == KIND_STRING:
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return np.asarray(values, dtype=_DTYPES[kind])


def _value(text: bytes, kind: int, na_value: bytes) -> Any:
    """The field's value, `_MISSING`, or None for a fix-up."""
    if not text or (na_value and text == na_value):
        return _MISSING
    if kind == KIND_STRING:
        return text
    if kind in (KIND_INT32, KIND_INT64):
        return _integer(text, 31 if kind == KIND_INT32 else 63)
    return _decimal(text, kind == KIND_FLOAT32)


def _integer(text: bytes, bits: int) -> int | None:
    if not _INT_RE.fullmatch(text):
        return None
    digits = text.lstrip(b"+-").lstrip(b"0") or b"0"
    if len(digits) > _MAX_DIGITS:
        return None  # out of range: the kernel stops at the overflow
    value = -int(digits) if text[:1] == b"-" else int(digits)
    return value if -(2**bits) <= value < 2**bits else None


def _decimal(text: bytes, single: bool) -> float | None:
    """The value where the kernel converts it in one IEEE operation, else None."""
    match = _DEC_RE.fullmatch(text)
    if not match:
        return None
    sign, whole, frac, exp = match.groups()
    frac = frac or b""
    significant = (whole + frac).lstrip(b"0")
    if not whole + frac or len(significant) > _MAX_DIGITS:
        return None
    exp_digits = (exp or b"0").lstrip(b"+-").lstrip(b"0")
    if len(exp_digits) > _MAX_EXPONENT_DIGITS:
        return None  # the kernel stops reading once the exponent passes 9999
    mantissa = int(significant or b"0")
    exp_value = int(exp_digits or b"0")
    exp10 = (-exp_value if exp and exp[:1] == b"-" else exp_value) - len(frac)
    if mantissa == 0:
        return -0.0 if sign == b"-" else 0.0
    if single and mantissa <= 2**24 and -10 <= exp10 <= 10:
        # Both operands are exact in float32: one IEEE operation rounds once.
        m, scale = np.float32(mantissa), np.float32(10 ** abs(exp10))
        value = m / scale if exp10 < 0 else m * scale
        return float(-value if sign == b"-" else value)
    if mantissa > 2**53 or not -22 <= exp10 <= 22:
        return None
    double = float(text)
    if not single:
        return double
    low = struct.unpack("<Q", struct.pack("<d", double))[0] & ((1 << 29) - 1)
    return None if low == 1 << 28 else float(np.float32(double))


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
