"""The vectorized CSV decoder, and the one description of CSV's decode tiers.

Every CSV path (``decode_csv``, ``CsvDataset``, ``make_csv_dataset``) decodes
a batch of records through the same tiers, fastest first; each tier hands
the batch on when it cannot decode it exactly, so all give the same columns
and TF's error for the first bad record:

1. ``csv_plain`` kernel (`_plain`): an unquoted batch (no ``"`` to honour,
   no CR, no empty record) in one pass, typed columns, plain decimal numbers
   converted exactly without the GIL; the few fields it leaves (``" 7"``,
   ``+5``, hex, inf/nan, long mantissas) go through TF's rules
   (`csv_values`).
2. ``pyarrow.csv`` (`_read`): a quoted batch of at least
   ``_MIN_VECTOR_RECORDS``, every selected column typed; values pyarrow will
   not convert go column by column through the same rules, which name the
   first bad record.
3. The exact per-record decoder (`csv_records.decode_records`): what neither
   can take (CR/LF inside records, empty records, quotes TF's splitter
   rejects, differing field counts, errors tier 2 cannot place). With
   ``exact=False`` this tier is not run over the batch: `decode_buffer`
   returns None and the caller splits the batch instead.
4. Bad records inside a file block (`csv_split`, called by
   `csv_file.decode_file_block`): a block that fails is cut at the record
   an error names and the rest halved and decoded again through tiers 1-2
   (``exact=False``); tier 3 runs only on spans of at most
   ``csv_split._ISOLATE_ROWS`` records, and record by record only where such
   a span holds a bad record, so each bad record becomes its own error
   (file, line, column) while the good rows around it are kept.

Example:
    >>> import numpy as np
    >>> from pipeline.io.csv_spec import column_specs
    >>> decode_batch([b"1,a", b",b"], column_specs([[0], ""]), CsvOptions())
    [array([1, 0], dtype=int32), array([b'a', b'b'], dtype=object)]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from pipeline import _kernels
from pipeline.io.csv_records import (
    convert_field,
    decode_records,
    field_message,
    split_record,
)
from pipeline.io.csv_spec import ColumnSpec, CsvOptions, csv_error

__all__ = ["decode_batch", "decode_buffer"]

#: Below this many records the per-record path is faster than a pyarrow call.
_MIN_VECTOR_RECORDS = 16
#: Buffers above this size are parsed by pyarrow's thread pool.
_THREADED_READ_BYTES = 1 << 19
_ARROW_TYPES = {
    np.dtype(np.int32): pa.int32(),
    np.dtype(np.int64): pa.int64(),
    np.dtype(np.float32): pa.float32(),
    np.dtype(np.float64): pa.float64(),
}
_quoted_res: dict[bytes, re.Pattern[bytes]] = {}
#: Column dtype -> the csv_plain kernel's KIND_* code.
_KINDS = {
    np.dtype(np.int32): 0,
    np.dtype(np.int64): 1,
    np.dtype(np.float32): 2,
    np.dtype(np.float64): 3,
    np.dtype(object): 4,
}


def decode_batch(
    records: Sequence[bytes],
    specs: Sequence[ColumnSpec],
    opts: CsvOptions,
    *,
    path: str | None = None,
    lines: Sequence[int] | None = None,
    exact: bool = True,
) -> list[np.ndarray] | None:
    """Decode ``records`` into one 1-D array per column, vectorized where possible.

    Same results and errors as `csv_records.decode_records` (tiers 1-3 of the
    module docstring); with ``exact=False``, None where only tier 3 could.

    Example:
        >>> from pipeline.io.csv_spec import column_specs
        >>> decode_batch([b"7"] * 20, column_specs([np.int64]), CsvOptions())[0][:3]
        array([7, 7, 7])
    """
    buf = b"\n".join(records) + b"\n"
    return decode_buffer(
        buf, len(records), specs, opts, path=path, lines=lines,
        records=lambda: records, exact=exact,
    )  # fmt: skip


def decode_buffer(
    buf: bytes | memoryview,
    n: int,
    specs: Sequence[ColumnSpec],
    opts: CsvOptions,
    *,
    records: Callable[[], Sequence[bytes]],
    path: str | None = None,
    lines: Sequence[int] | None = None,
    plain: bool = False,
    exact: bool = True,
) -> list[np.ndarray] | None:
    """`decode_batch` of the ``n`` records of ``buf`` (each ended by ``\\n``).

    ``records`` gives the records as a list, for the per-record path only.
    ``plain`` says ``buf`` is known to hold no quote and no CR; ``exact=False``
    returns None instead of running the per-record tier.
    """
    columns = _plain(buf, n, specs, opts, plain) if n else None
    if columns is not None:
        return columns
    buf = bytes(buf)
    ncols = _arrow_columns(n, buf, specs, opts) if n >= _MIN_VECTOR_RECORDS else 0
    arrays = _read(buf, n, ncols, specs, opts) if ncols else None
    if arrays is None:
        if not exact:
            return None
        return decode_records(records(), specs, opts, path=path, lines=lines)
    return _columns(arrays, specs, path, lines)


def _plain(
    buf: bytes | memoryview,
    n: int,
    specs: Sequence[ColumnSpec],
    opts: CsvOptions,
    checked: bool,
) -> list[np.ndarray] | None:
    """The columns from the unquoted-CSV kernel, or None when the batch needs
    the other paths (quotes, CR, empty records, field counts, errors).

    ``checked``: ``buf`` is known to end with a newline and hold no quote or
    CR; an unchecked ``buf`` is ``bytes``.
    """
    delim = opts.delim
    if delim in b"\n\r" or (opts.use_quote_delim and delim == b'"'):
        return None
    if not checked and (
        not buf.endswith(b"\n")
        or b"\r" in buf
        or (opts.use_quote_delim and b'"' in buf)
    ):
        return None
    ncols = len(specs)
    if opts.select_cols is not None or opts.exclude_cols is not None:
        ncols = _first_record(buf).count(delim) + 1
    select = opts.selected(ncols, len(specs))
    if select is None:
        return None
    kinds = [_KINDS[s.dtype] for s in specs]
    defaults = [s.default for s in specs]
    required = [s.required for s in specs]
    out = _kernels.load("csv_plain").decode(
        buf, n, ncols, select, kinds, defaults, required, delim[0], opts.na_value,
        max(64, n // 8),
    )  # fmt: skip
    if out is None:
        return None
    columns, fixups = out
    for row, col, start, length in fixups.tolist():
        value = convert_field(bytes(buf[start : start + length]), specs[col])
        if value is None:
            return None  # the exact path reports TF's first error
        columns[col][row] = value
    return columns


def _first_record(buf: bytes | memoryview) -> bytes:
    """The bytes of ``buf`` before its first newline (without copying all)."""
    head = bytes(buf[: 1 << 16])
    end = head.find(b"\n")
    return head[:end] if end >= 0 else bytes(buf).split(b"\n", 1)[0]


def _arrow_columns(
    n: int, buf: bytes, specs: Sequence[ColumnSpec], opts: CsvOptions
) -> int:
    """How many columns pyarrow should see, or 0 when the batch needs the slow path."""
    delim = opts.delim
    if delim in b'\n\r"' or delim[0] > 127 or buf.count(b"\n") != n:
        return 0
    if b"\r" in buf or buf.startswith(b"\n") or b"\n\n" in buf:
        return 0
    if opts.use_quote_delim and b'"' in buf and not _quotes_valid(buf, delim):
        return 0
    if opts.select_cols is None and opts.exclude_cols is None:
        return len(specs)
    first = buf[: buf.index(b"\n")]
    if not (opts.use_quote_delim and b'"' in first):
        ncols = first.count(delim) + 1
    else:
        ncols = len(split_record(first, CsvOptions(delim, True, b"", None)))
    return ncols if opts.selected(ncols, len(specs)) is not None else 0


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
    buf: bytes, n: int, ncols: int, specs: Sequence[ColumnSpec], opts: CsvOptions
) -> list[pa.Array] | None:
    """The selected columns as read by pyarrow's CSV reader, or None."""
    try:
        na = opts.na_value.decode("utf-8")
    except UnicodeDecodeError:
        return None
    select = opts.selected(ncols, len(specs))
    names = [f"c{i}" for i in range(ncols)]
    hex_ints = b"0x" in buf or b"0X" in buf
    typed = {names[c]: _arrow_type(s, hex_ints) for c, s in zip(select, specs)}
    for types in (typed, dict.fromkeys(typed, pa.binary())):
        try:
            table = pacsv.read_csv(
                pa.py_buffer(buf),
                pacsv.ReadOptions(
                    column_names=names, use_threads=len(buf) > _THREADED_READ_BYTES
                ),
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
        if table.num_rows != n:
            return None
        return [column.combine_chunks() for column in table.columns]
    return None


def _arrow_type(spec: ColumnSpec, hex_ints: bool) -> pa.DataType:
    if spec.kind == "string" or (spec.kind == "int" and hex_ints):
        return pa.binary()
    return _ARROW_TYPES[spec.dtype]


def _columns(
    arrays: list[pa.Array],
    specs: Sequence[ColumnSpec],
    path: str | None,
    lines: Sequence[int] | None,
) -> list[np.ndarray]:
    """Typed, filled numpy columns; TF's first error in record order, if any."""
    arrays = _cast_all(arrays, specs)
    outs, errors = [], []
    for j, (spec, arr) in enumerate(zip(specs, arrays)):
        if spec.kind != "string" and pa.types.is_binary(arr.type):
            arr, bad = _convert(arr, spec, j)
            if bad is not None:
                errors.append((bad[0], j, bad[1]))
        nulls = _null_mask(arr)
        if nulls is not None and spec.required:
            row = int(np.argmax(nulls))
            errors.append(
                (row, j, f"Field {j} is required but missing in record {row}!")
            )
        outs.append(_filled(arr, spec, nulls))
    if errors:
        row, j, msg = min(errors)
        line = None if lines is None else int(lines[row])
        raise csv_error(msg, record=row, column=j, path=path, line=line)
    return outs


def _cast_all(arrays: list[pa.Array], specs: Sequence[ColumnSpec]) -> list[pa.Array]:
    """Cast the binary numeric columns, one pyarrow cast per dtype.

    A group pyarrow refuses (or an int group holding hex, which pyarrow takes
    and TF does not) stays binary for `_convert`.
    """
    groups: dict[np.dtype, list[int]] = {}
    for j, (spec, arr) in enumerate(zip(specs, arrays)):
        if spec.kind != "string" and pa.types.is_binary(arr.type):
            groups.setdefault(spec.dtype, []).append(j)
    out = list(arrays)
    for dtype, cols in groups.items():
        parts = [arrays[j] for j in cols]
        if dtype.kind == "i" and any(_has_hex(a) for a in parts):
            continue
        joined = pa.concat_arrays(parts) if len(parts) > 1 else parts[0]
        try:
            cast = pc.cast(joined, _ARROW_TYPES[dtype])
        except pa.ArrowInvalid:
            continue
        offset = 0
        for j in cols:
            out[j] = cast.slice(offset, len(arrays[j]))
            offset += len(arrays[j])
    return out


def _has_hex(arr: pa.Array) -> bool:
    data = arr.buffers()[2]
    if data is None:
        return False
    raw = np.frombuffer(data, np.uint8)
    return bool(((raw == 120) | (raw == 88)).any())  # "x" or "X"


def _convert(
    arr: pa.Array, spec: ColumnSpec, col: int
) -> tuple[pa.Array, tuple | None]:
    """Cast a binary column to ``spec``'s type; TF's rules for what pyarrow refuses."""
    target = _ARROW_TYPES[spec.dtype]
    if not (spec.kind == "int" and _has_hex(arr)):
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


def _null_mask(arr: pa.Array) -> np.ndarray | None:
    """The rows that are null, from the validity bitmap (None when there are none)."""
    if not arr.null_count:
        return None
    bits = np.frombuffer(arr.buffers()[0], np.uint8)
    valid = np.unpackbits(bits, bitorder="little", count=arr.offset + len(arr))
    return valid[arr.offset :] == 0


def _filled(arr: pa.Array, spec: ColumnSpec, nulls: np.ndarray | None) -> np.ndarray:
    if spec.kind == "string":
        out = arr.to_numpy(zero_copy_only=False)
        if nulls is not None:
            out[nulls] = spec.default
        return out
    values = np.frombuffer(arr.buffers()[1], spec.dtype)
    out = values[arr.offset : arr.offset + len(arr)].copy()
    if nulls is not None:
        out[nulls] = 0 if spec.required else spec.default
    return out
