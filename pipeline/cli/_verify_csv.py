"""CSV field-count check for ``pipeline verify``, with line and byte offsets.

pyarrow's reader streams the file and reports each row whose field count
differs from the header's; only when there are such rows, a second pass
finds their physical line and byte offset (quote-aware).

Example:
    >>> line_starts(b'a,b\\n"x\\ny",1\\n2,3\\n', {2, 3})
    {2: (2, 4), 3: (4, 12)}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from pipeline.cli import _common
from pipeline.cli._read import csv_names
from pipeline.io import fs
from pipeline.io.detect import Detected

_BLOCK_BYTES = 1 << 20


def line_starts(data: bytes, rows: set[int]) -> dict[int, tuple[int, int]]:
    """``{row: (line, byte)}`` for 1-based CSV rows (quoted newlines allowed)."""
    out: dict[int, tuple[int, int]] = {}
    row, line, pos, in_quotes = 1, 1, 0, False
    while pos < len(data) and len(out) < len(rows):
        end = data.find(b"\n", pos)
        end = len(data) if end < 0 else end
        if not in_quotes and row in rows:
            out[row] = (line, pos)
        in_quotes ^= data.count(b'"', pos, end) % 2 == 1
        if not in_quotes:
            row += 1
        line, pos = line + 1, end + 1
    return out


def _bad_rows(d: Detected, bar: _common.Progress) -> tuple[list[Any], int]:
    import pyarrow.csv as pcsv

    bad: list[Any] = []

    def handler(row: Any) -> str:
        bad.append(row)
        return "skip"

    names = csv_names(d)
    read = pcsv.ReadOptions(
        use_threads=False,
        block_size=_BLOCK_BYTES,
        column_names=names,
        skip_rows=1 if d.header else 0,
    )
    parse = pcsv.ParseOptions(
        delimiter=d.delimiter or ",",
        newlines_in_values=True,
        invalid_row_handler=handler,
    )
    conv = pcsv.ConvertOptions(column_types={n: pa.string() for n in names})
    records = 0
    with fs.open_input(d.path, d.compression) as f:
        for rb in pcsv.open_csv(f, read, parse, conv):
            records += rb.num_rows
            bar.advance(rb.num_rows)
    return bad, records


def check_csv(d: Detected, bar: _common.Progress) -> Iterator[Any]:
    """Yield a `Problem` per row with the wrong field count, then the row count."""
    from pipeline.cli.verify import Problem

    bad, records = _bad_rows(d, bar)
    if bad:
        with fs.open_input(d.path, d.compression) as f:
            data = f.read()
        where = line_starts(data, {r.number for r in bad if r.number is not None})
        first = 2 if d.header else 1  # the 1-based row number of record 0
        for r in bad:
            line, offset = where.get(r.number, (None, None))
            record = None if r.number is None else r.number - first
            message = f"expected {r.expected_columns} fields, got {r.actual_columns}"
            yield Problem(d.path, record, offset, message, line)
    yield records + len(bad)
