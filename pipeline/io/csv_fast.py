"""The vectorized CSV decoder: a batch of records through pyarrow's CSV reader.

The records are joined into one newline-separated buffer and read by
``pyarrow.csv`` (multithreaded C++, no GIL) with every selected column typed.
Only where pyarrow's answer is TF's: a batch whose records hold CR/LF, an empty
record, a quote that TF's splitter would reject, or rows with differing field
counts goes to the exact per-record decoder (`csv_records`), which raises TF's
error for the first bad record. Values pyarrow will not convert (``" 7"``,
``+5``, hex floats, overflow) are converted column by column with TF's rules.

Example:
    >>> import numpy as np
    >>> from pipeline.io.csv_spec import column_specs
    >>> decode_batch([b"1,a", b",b"], column_specs([[0], ""]), CsvOptions())
    [array([1, 0], dtype=int32), array([b'a', b'b'], dtype=object)]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from pipeline.io.csv_records import (
    convert_field,
    decode_records,
    field_message,
    split_record,
)
from pipeline.io.csv_spec import ColumnSpec, CsvOptions, csv_error

__all__ = ["decode_batch"]

#: Below this many records the per-record path is faster than a pyarrow call.
_MIN_VECTOR_RECORDS = 16
_ARROW_TYPES = {
    "int32": pa.int32(),
    "int64": pa.int64(),
    "float32": pa.float32(),
    "float64": pa.float64(),
}
_HEX_INT = re.compile(rb"0[xX]")
_quoted_res: dict[bytes, re.Pattern[bytes]] = {}


def decode_batch(
    records: Sequence[bytes],
    specs: Sequence[ColumnSpec],
    opts: CsvOptions,
    *,
    path: str | None = None,
    lines: Sequence[int] | None = None,
) -> list[np.ndarray]:
    """Decode ``records`` into one 1-D array per column, vectorized where possible.

    Same results and errors as `csv_records.decode_records`.

    Example:
        >>> from pipeline.io.csv_spec import column_specs
        >>> decode_batch([b"7"] * 20, column_specs([np.int64]), CsvOptions())[0][:3]
        array([7, 7, 7])
    """
    n = len(records)
    buf = b"\n".join(records) + b"\n"
    ncols = _arrow_columns(records, buf, specs, opts) if n >= _MIN_VECTOR_RECORDS else 0
    table = _read(buf, ncols, specs, opts) if ncols else None
    if table is None or table.num_rows != n:
        return decode_records(records, specs, opts, path=path, lines=lines)
    return _columns(table, specs, opts, path, lines)


def _arrow_columns(
    records: Sequence[bytes], buf: bytes, specs: Sequence[ColumnSpec], opts: CsvOptions
) -> int:
    """How many columns pyarrow should see, or 0 when the batch needs the slow path."""
    delim = opts.delim
    if delim in b'\n\r"' or delim[0] > 127 or buf.count(b"\n") != len(records):
        return 0
    if b"\r" in buf or buf.startswith(b"\n") or b"\n\n" in buf:
        return 0
    if opts.use_quote_delim and b'"' in buf and not _quotes_valid(buf, delim):
        return 0
    if opts.select_cols is None:
        return len(specs)
    first = records[0]
    if not (opts.use_quote_delim and b'"' in first):
        ncols = first.count(delim) + 1
    else:
        ncols = len(split_record(first, CsvOptions(delim, True, b"", None)))
    return ncols if ncols > opts.select_cols[-1] else 0


def _quotes_valid(buf: bytes, delim: bytes) -> bool:
    """Whether every quote in ``buf`` belongs to a well-formed quoted field."""
    pattern = _quoted_res.get(delim)
    if pattern is None:
        d = re.escape(delim)
        pattern = re.compile(
            rb"(?<![^" + d + rb'\n])"(?:[^"\n]|"")*"(?=[' + d + rb"\n])"
        )
        _quoted_res[delim] = pattern
    return b'"' not in pattern.sub(b"", buf)


def _read(
    buf: bytes, ncols: int, specs: Sequence[ColumnSpec], opts: CsvOptions
) -> pa.Table | None:
    try:
        na = opts.na_value.decode("utf-8")
    except UnicodeDecodeError:
        return None
    select = opts.select_cols or range(len(specs))
    names = [f"c{i}" for i in range(ncols)]
    hex_ints = _HEX_INT.search(buf) is not None
    typed = {names[c]: _arrow_type(s, hex_ints) for c, s in zip(select, specs)}
    for types in (typed, dict.fromkeys(typed, pa.binary())):
        try:
            return pacsv.read_csv(
                pa.py_buffer(buf),
                pacsv.ReadOptions(column_names=names, use_threads=len(buf) > 1 << 20),
                pacsv.ParseOptions(
                    delimiter=opts.delim.decode(),
                    quote_char='"' if opts.use_quote_delim else False,
                    double_quote=True,
                    newlines_in_values=False,
                    ignore_empty_lines=False,
                ),
                pacsv.ConvertOptions(
                    column_types=types,
                    null_values=sorted({"", na}),
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                    include_columns=[names[c] for c in select],
                    check_utf8=False,
                ),
            )
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    return None


def _arrow_type(spec: ColumnSpec, hex_ints: bool) -> pa.DataType:
    if spec.kind == "string" or (spec.kind == "int" and hex_ints):
        return pa.binary()
    return _ARROW_TYPES[str(spec.dtype)]


def _columns(
    table: pa.Table,
    specs: Sequence[ColumnSpec],
    opts: CsvOptions,
    path: str | None,
    lines: Sequence[int] | None,
) -> list[np.ndarray]:
    outs, first_error = [], None
    for j, (spec, chunked) in enumerate(zip(specs, table.columns)):
        arr = chunked.combine_chunks()
        if spec.kind != "string" and pa.types.is_binary(arr.type):
            arr, bad = _convert(arr, spec, j)
            if bad is not None and (first_error is None or bad[0] < first_error[0]):
                first_error = (bad[0], j, bad[1])
        if arr.null_count and spec.required:
            row = int(pc.index(arr.is_null(), True).as_py())
            msg = f"Field {j} is required but missing in record {row}!"
            if first_error is None or row < first_error[0]:
                first_error = (row, j, msg)
        outs.append(_filled(arr, spec))
    if first_error is not None:
        row, j, msg = first_error
        line = None if lines is None else int(lines[row])
        raise csv_error(msg, record=row, column=j, path=path, line=line)
    return outs


def _convert(
    arr: pa.Array, spec: ColumnSpec, col: int
) -> tuple[pa.Array, tuple | None]:
    """Cast a binary column to ``spec``'s type; TF's rules for what pyarrow refuses."""
    target = _ARROW_TYPES[str(spec.dtype)]
    hexy = (
        spec.kind == "int"
        and pc.any(pc.match_substring(arr, "x", ignore_case=True)).as_py()
    )
    if not hexy:
        try:
            return pc.cast(arr, target), None
        except pa.ArrowInvalid:
            pass
    values, bad = [], None
    for i, field in enumerate(arr.to_pylist()):
        value = None if field is None else convert_field(field, spec)
        if field is not None and value is None:
            bad = bad or (i, field_message(field, spec, col, i))
            value = 0  # keeps the null mask, so an earlier missing field still wins
        values.append(value)
    return pa.array(values, target), bad


def _filled(arr: pa.Array, spec: ColumnSpec) -> np.ndarray:
    if spec.kind == "string":
        out = arr.to_numpy(zero_copy_only=False)
        if arr.null_count:
            out[np.asarray(arr.is_null())] = spec.default
        return out
    if arr.null_count:
        default = 0 if spec.required else spec.default
        arr = pc.fill_null(arr, pa.scalar(default, arr.type))
    return arr.to_numpy(zero_copy_only=False).astype(spec.dtype, copy=False)
