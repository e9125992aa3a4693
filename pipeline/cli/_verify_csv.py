"""CSV field-count check for ``pipeline verify``, with line and byte offsets.

The file is read in chunks of whole rows (`_csv_chunks`) and pyarrow reports
each row whose field count differs from the header's; only when there are
such rows, a second streamed pass finds their physical line and byte offset
(quote-aware; the lines of a preamble that ``--skip-rows`` leaves out count).

Example:
    >>> line_starts(b'a,b\\n"x\\ny",1\\n2,3\\n', {2, 3})
    {2: (2, 4), 3: (4, 12)}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from pipeline.cli import _common
from pipeline.cli._csv_chunks import BadRow, LineScanner, csv_tables, skip_preamble
from pipeline.cli._read import csv_names
from pipeline.io import fs
from pipeline.io.detect import Detected

_BLOCK_BYTES = 1 << 20


_LineScanner = LineScanner


def line_starts(data: bytes, rows: set[int]) -> dict[int, tuple[int, int]]:
    """``{row: (line, byte)}`` for 1-based CSV rows (quoted newlines allowed;
    empty lines are not rows, as pyarrow reads them)."""
    return LineScanner(rows).feed(data, final=True)


def _bad_rows(
    d: Detected, bar: _common.Progress, limit: int | None = None
) -> tuple[list[BadRow], int]:
    import pyarrow.csv as pcsv

    names = csv_names(d)
    conv = pcsv.ConvertOptions(column_types={n: pa.string() for n in names})
    bad: list[BadRow] = []
    records = 0
    for table in csv_tables(d, names, conv, bad.append):
        records += table.num_rows
        bar.advance(table.num_rows)
        if limit is not None and records + len(bad) >= limit:
            break  # --sample: the rows after these are not read
    return bad, records


def check_csv(
    d: Detected, bar: _common.Progress, limit: int | None = None
) -> Iterator[Any]:
    """Yield a `Problem` per row with the wrong field count, then the count of
    the rows read (reading stops in the chunk that reaches ``limit`` rows)."""
    from pipeline.cli.verify import Problem

    bad, records = _bad_rows(d, bar, limit)
    if bad:
        rows = {r.number for r in bad if r.number is not None}
        with fs.open_input(d.path, d.compression) as f:
            skipped = skip_preamble(f, d.skip_rows)
            scanner = LineScanner(rows, d.skip_rows + 1, skipped)
            while (chunk := f.read(_BLOCK_BYTES)) and len(scanner.found) < len(
                scanner.rows
            ):
                scanner.feed(chunk)
        where = scanner.feed(b"", final=True)
        first = 2 if d.header else 1  # the 1-based row number of record 0
        for r in bad:
            line, offset = where.get(r.number, (None, None))
            record = None if r.number is None else r.number - first
            message = f"expected {r.expected_columns} fields, got {r.actual_columns}"
            yield Problem(d.path, record, offset, message, line, "record")
    yield records
