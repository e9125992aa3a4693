"""The per-record CSV decoder: TF's splitting and field rules, one record at a time.

This is the exact, obvious path: `split_record` follows TF's field splitter
character by character and `decode_records` converts every field with the
rules of `csv_values`. The vectorized decoder (`csv_fast`) falls back to it
for batches it cannot take, so errors come out in TF's order: record by
record, and within a record splitting first, then column by column.

Example:
    >>> split_record(b'"a,b",,"x""y"', CsvOptions())
    [b'a,b', b'', b'x"y']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.io.csv_spec import ColumnSpec, CsvOptions, csv_error, dtype_name
from pipeline.io.csv_values import parse_float, parse_int

__all__ = ["FieldError", "convert_field", "decode_records", "split_record"]

_QUOTE = 34  # ord('"')
_CR, _LF = 13, 10


class FieldError(Exception):
    """A record that TF's splitter rejects (internal; carries TF's message)."""


def split_record(record: bytes, opts: CsvOptions) -> list[bytes]:
    """The fields of ``record`` that ``opts.select_cols`` keeps (all by default).

    Raises:
        FieldError: on a quoting error or a CR/LF in an unquoted field.

    Example:
        >>> split_record(b"1,2,3,4", CsvOptions(select_cols=(1, 2)))
        [b'2', b'3']
    """
    delim = opts.delim[0]
    if not record and opts.empty_is_field:
        return [b""] if _included(opts, 0, 0) else []
    fields: list[bytes] = []
    size, pos, parsed = len(record), 0, 0
    last = None if opts.scan_all or opts.select_cols is None else opts.select_cols
    while pos < size:
        if record[pos] == _LF or record[pos] == _CR:
            pos += 1  # TF skips CR/LF where a field would start
            continue
        include = _included(opts, parsed, len(fields))
        if opts.use_quote_delim and record[pos] == _QUOTE:
            field, pos = _quoted(record, pos + 1, delim)
        else:
            field, pos = _unquoted(record, pos, delim, opts.use_quote_delim)
        parsed += 1
        if include:
            fields.append(field)
            if last is not None and len(fields) == len(last):
                return fields
    if size and record[-1] == delim and _included(opts, parsed, len(fields)):
        fields.append(b"")
    return fields


def _included(opts: CsvOptions, parsed: int, kept: int) -> bool:
    """Whether field number ``parsed`` is kept, ``kept`` fields being kept so far."""
    if opts.exclude_cols is not None:
        return parsed not in opts.exclude_cols
    select = opts.select_cols
    return select is None or (kept < len(select) and select[kept] == parsed)


def _unquoted(record: bytes, pos: int, delim: int, quotes: bool) -> tuple[bytes, int]:
    end = record.find(bytes((delim,)), pos)
    end = len(record) if end < 0 else end
    field = record[pos:end]
    if _LF in field or _CR in field or (quotes and _QUOTE in field):
        raise FieldError("Unquoted fields cannot have quotes/CRLFs inside")
    return field, end + 1


def _quoted(record: bytes, pos: int, delim: int) -> tuple[bytes, int]:
    size = len(record)
    out = bytearray()
    while pos < size - 1 and not (record[pos] == _QUOTE and record[pos + 1] == delim):
        if record[pos] != _QUOTE:
            out.append(record[pos])
            pos += 1
        elif record[pos + 1] == _QUOTE:
            out.append(_QUOTE)
            pos += 2
        else:
            raise FieldError("Quote inside a string has to be escaped by another quote")
    if not (
        pos < size
        and record[pos] == _QUOTE
        and (pos == size - 1 or record[pos + 1] == delim)
    ):
        raise FieldError("Quoted field has to end with quote followed by delim or end")
    return bytes(out), pos + 2


def convert_field(field: bytes, spec: ColumnSpec) -> object | None:
    """The value of a non-missing ``field`` in ``spec``'s type, or None if invalid.

    Example:
        >>> convert_field(b" 7", ColumnSpec(np.dtype(np.int32)))
        7
    """
    if spec.kind == "int":
        return parse_int(field, spec.bits)
    if spec.kind == "float":
        return parse_float(field, spec.bits)
    return field


def field_message(field: bytes, spec: ColumnSpec, col: int, rec: int) -> str:
    """TF's message for a field that does not parse as ``spec``'s type."""
    name = {"float32": "float", "float64": "double"}.get(
        dtype_name(spec.dtype), dtype_name(spec.dtype)
    )
    text = field.decode("utf-8", "backslashreplace")
    return f"Field {col} in record {rec} is not a valid {name}: {text}"


def decode_records(
    records: Sequence[bytes],
    specs: Sequence[ColumnSpec],
    opts: CsvOptions,
    *,
    path: str | None = None,
    lines: Sequence[int] | None = None,
    first_record: int = 0,
) -> list[np.ndarray]:
    """Decode ``records`` one by one into one 1-D numpy array per column.

    Record indices in messages start at ``first_record``.

    Raises:
        InvalidArgumentError: TF's error for the first bad record, naming
            ``path`` and the line from ``lines`` when given.

    Example:
        >>> decode_records([b"1,x", b",y"], [ColumnSpec(np.dtype(np.int32), 5,
        ...     False), ColumnSpec(np.dtype(object))], CsvOptions())
        [array([1, 5], dtype=int32), array([b'x', b'y'], dtype=object)]
    """
    n = len(records)
    outs = [np.empty(n, dtype=s.dtype) for s in specs]
    for k, record in enumerate(records):
        i = first_record + k
        where = {"path": path, "line": None if lines is None else int(lines[k])}
        try:
            fields = split_record(record, opts)
        except FieldError as e:
            raise csv_error(str(e), record=i, **where) from None
        if len(fields) != len(specs):
            msg = f"Expect {len(specs)} fields but have {len(fields)} in record {i}"
            raise csv_error(msg, record=i, **where)
        for j, (field, spec) in enumerate(zip(fields, specs)):
            outs[j][k] = _field_value(field, spec, opts, i, j, where)
    return outs


def _field_value(
    field: bytes, spec: ColumnSpec, opts: CsvOptions, i: int, j: int, where: dict
) -> object:
    if not field or field == opts.na_value:
        if spec.required:
            msg = f"Field {j} is required but missing in record {i}!"
            raise csv_error(msg, record=i, column=j, **where)
        return spec.default
    value = convert_field(field, spec)
    if value is None:
        raise csv_error(field_message(field, spec, j, i), record=i, column=j, **where)
    return value
