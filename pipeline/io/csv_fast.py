"""The vectorized CSV decoder, and the one description of CSV's decode tiers.

Every CSV path (``decode_csv``, ``CsvDataset``, ``make_csv_dataset``) decodes
a batch of records through the same tiers, fastest first; each tier hands
the batch on when it cannot decode it exactly, so all give the same columns
and TF's error for the first bad record:

1. ``csv_plain`` kernel (`_plain`): a batch with no CR and no empty record,
   in one pass, typed columns, plain decimal numbers converted exactly
   without the GIL. Quoted fields (RFC 4180 as TF reads them: ``""`` for a
   quote, delimiters and newlines inside) are the kernel's too. The fields
   it leaves (``" 7"``, ``+5``, hex, inf/nan, long mantissas) go through
   TF's rules (`csv_values`); the first one those refuse is TF's first
   error of the batch, raised naming its record.
2. The exact per-record decoder (`csv_records.decode_records`): what the
   kernel refuses (CR/LF inside records, empty records, quotes TF's
   splitter rejects, differing field counts, missing required fields). With
   ``exact=False`` this tier is not run over the batch: `decode_buffer`
   returns None and the caller splits the batch instead.
3. Bad records inside a file block (`csv_split`, called by
   `csv_file.decode_file_block`): a block that fails is cut at the record
   an error names, or halved, and decoded again through tier 1
   (``exact=False``); tier 2 runs only on spans of at most
   ``csv_split._ISOLATE_ROWS`` records, and record by record only where such
   a span holds a bad record, so each bad record becomes its own error
   (file, line, column) while the good rows around it are kept.

No tier uses pyarrow.

Example:
    >>> import numpy as np
    >>> from pipeline.io.csv_spec import column_specs
    >>> decode_batch([b'1,"a,b"', b",b"], column_specs([[0], ""]), CsvOptions())
    [array([1, 0], dtype=int32), array([b'a,b', b'b'], dtype=object)]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from pipeline import _kernels
from pipeline.io.csv_records import (
    FieldError,
    convert_field,
    decode_records,
    field_message,
    split_record,
)
from pipeline.io.csv_spec import ColumnSpec, CsvOptions, csv_error

__all__ = ["decode_batch", "decode_buffer"]

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

    Same results and errors as `csv_records.decode_records` (tiers 1-2 of the
    module docstring); with ``exact=False``, None where only tier 2 could.

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

    ``records`` gives the records as a list, for the per-record path, and
    for their ends where quoted records may hold newlines. ``plain`` says
    ``buf`` is known to end with a newline, hold no CR and hold one record
    per line; ``exact=False`` returns None instead of running the per-record
    tier.
    """
    ends = None
    if not plain and opts.use_quote_delim and b'"' in buf and buf.count(b"\n") != n:
        # Records holding newlines (quoted): the kernel must end them there.
        sizes = np.fromiter(map(len, records()), np.int64, n)
        ends = np.cumsum(sizes + 1) - 1
    columns = _plain(buf, n, specs, opts, plain, ends, path, lines) if n else None
    if columns is not None or not exact:
        return columns
    return decode_records(records(), specs, opts, path=path, lines=lines)


def _plain(
    buf: bytes | memoryview,
    n: int,
    specs: Sequence[ColumnSpec],
    opts: CsvOptions,
    checked: bool,
    ends: np.ndarray | None,
    path: str | None,
    lines: Sequence[int] | None,
) -> list[np.ndarray] | None:
    """The columns from the CSV kernel, or None when the batch needs the
    per-record path (CR, empty records, field counts, quoting errors,
    missing required fields).

    ``checked``: ``buf`` is known to end with a newline and hold no CR; an
    unchecked ``buf`` is ``bytes``.

    Raises:
        InvalidArgumentError: TF's error for the first field that TF's
            number rules refuse (the batch is otherwise well formed).
    """
    delim = opts.delim
    quotes = opts.use_quote_delim
    if delim in b"\n\r" or (quotes and delim == b'"'):
        return None
    if not checked and (not buf.endswith(b"\n") or b"\r" in buf):
        return None
    ncols = len(specs)
    if opts.select_cols is not None or opts.exclude_cols is not None:
        ncols = _field_count(_first_record(buf), opts)
    select = opts.selected(ncols, len(specs)) if ncols else None
    if select is None:
        return None
    kinds = [_KINDS[s.dtype] for s in specs]
    defaults = [s.default for s in specs]
    required = [s.required for s in specs]
    out = _kernels.load("csv_plain").decode(
        buf, n, ncols, select, kinds, defaults, required, delim[0], opts.na_value,
        n * len(specs), quotes, ends,
    )  # fmt: skip
    if out is None:
        return None
    columns, fixups = out
    for row, col, start, length in fixups.tolist():
        field = bytes(buf[start : start + length])
        value = convert_field(field, specs[col])
        if value is None:  # the first field TF refuses: its error
            line = None if lines is None else int(lines[row])
            msg = field_message(field, specs[col], col, row)
            raise csv_error(msg, record=row, column=col, path=path, line=line)
        columns[col][row] = value
    return columns


def _field_count(first: bytes, opts: CsvOptions) -> int:
    """The fields of the first record (its first line), or 0 where quoting
    makes that line no whole record."""
    if not (opts.use_quote_delim and b'"' in first):
        return first.count(opts.delim) + 1
    try:
        return len(split_record(first, CsvOptions(opts.delim, True, b"", None)))
    except FieldError:
        return 0


def _first_record(buf: bytes | memoryview) -> bytes:
    """The bytes of ``buf`` before its first newline (without copying all)."""
    head = bytes(buf[: 1 << 16])
    end = head.find(b"\n")
    return head[:end] if end >= 0 else bytes(buf).split(b"\n", 1)[0]
