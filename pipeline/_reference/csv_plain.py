"""CSV records into typed columns, in plain Python: the spec of
``_ext/csv_plain.pyx``.

`decode` reads ``n`` records of ``buf``, each ended by ``\\n``, split on one
delimiter byte. With ``quotes``, a field whose first byte is ``"`` is quoted:
its text runs to the next quote not doubled (``""`` stands for ``"``),
delimiters and newlines inside are data, and the closing quote must be
followed by the delimiter or the record's newline; a quote anywhere else
refuses the batch, and so does a quoted number holding a quote, delimiter or
newline. With ``ends`` (each record's newline offset) records ending
elsewhere refuse the batch. Numeric fields in the plain decimal syntax
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
_QUOTE = 34


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
    quotes: bool = False,
    ends: Sequence[int] | None = None,
) -> tuple[list[np.ndarray], np.ndarray] | None:
    """The columns and fix-ups of ``n`` records (module docstring), or None."""
    _check(ncols, n, select, kinds, defaults)
    if not 0 <= delim <= 255:
        raise ValueError(f"delim must be a byte value; got {delim}")
    if ends is not None and len(ends) != n:
        raise ValueError(f"ends holds {len(ends)} offsets for {n} records")
    if delim in b"0123456789+-.eE\n" or (quotes and delim == _QUOTE):
        return None
    rows = _split(bytes(buf), n, ncols, delim, quotes, ends)
    if rows is None:
        return None
    col_of = {f: j for j, f in enumerate(select)}
    columns: list[list[Any]] = [[] for _ in select]
    fixups: list[list[int]] = []
    for row, fields in enumerate(rows):
        for f, (start, text, quoted) in enumerate(fields):
            j = col_of.get(f)
            if j is None:
                continue
            value = _value(_unescape(text) if quoted else text, kinds[j], na_value)
            if value is _MISSING:
                if required[j]:
                    return None
                value = defaults[j]
            elif value is None:
                if quoted and not _plain_number(text, delim):
                    return None  # quotes, a delimiter or a newline in a number
                fixups.append([row, j, start, len(text)])
                value = 0
            columns[j].append(value)
    if len(fixups) > max(0, max_fixups):
        return None
    out = [_array(values, kind) for values, kind in zip(columns, kinds)]
    return out, np.asarray(fixups, dtype=np.int64).reshape(-1, 4)


def _plain_number(text: bytes, delim: int) -> bool:
    """Whether a quoted numeric field's text holds no quote, delimiter or newline."""
    return not any(b in text for b in (b'"', bytes([delim]), b"\n"))


def _unescape(text: bytes) -> bytes:
    return text.replace(b'""', b'"')


def _split(
    buf: bytes,
    n: int,
    ncols: int,
    delim: int,
    quotes: bool,
    ends: Sequence[int] | None,
) -> list[list[tuple[int, bytes, bool]]] | None:
    """``n`` records of ``ncols`` ``(start, text, quoted)`` fields, or None.

    A quoted field's text is between its quotes, its ``""`` pairs kept.
    """
    rows = []
    pos, size = 0, len(buf)
    stops = {delim, 10} | ({_QUOTE} if quotes else set())
    for row in range(n):
        if pos < size and buf[pos] == 10:
            return None  # an empty record
        fields = []
        while True:
            if len(fields) == ncols:
                return None
            if quotes and pos < size and buf[pos] == _QUOTE:
                q = _closing_quote(buf, pos + 1)
                if q < 0 or q + 1 >= size or buf[q + 1] not in (delim, 10):
                    return None
                fields.append((pos + 1, buf[pos + 1 : q], True))
                pos = q + 1
            else:
                end = pos
                while end < size and buf[end] not in stops:
                    end += 1
                if end >= size or buf[end] == _QUOTE:
                    return None
                fields.append((pos, buf[pos:end], False))
                pos = end
            pos += 1
            if buf[pos - 1] == 10:
                break
        if len(fields) != ncols or (ends is not None and pos - 1 != ends[row]):
            return None
        rows.append(fields)
    return rows if pos == size else None


def _closing_quote(buf: bytes, pos: int) -> int:
    """The quote closing a quoted field whose text starts at ``pos``, or -1."""
    while True:
        q = buf.find(b'"', pos)
        if q < 0 or buf[q + 1 : q + 2] != b'"':
            return q
        pos = q + 2


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
