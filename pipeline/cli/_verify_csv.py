"""CSV field-count check for ``pipeline verify``, with line and byte offsets.

The file is read in chunks of whole rows (`_csv_chunks`) and pyarrow reports
each row whose field count differs from the header's; only when there are
such rows, a second streamed pass finds their physical line and byte offset
(quote-aware).

Example:
    >>> line_starts(b'a,b\\n"x\\ny",1\\n2,3\\n', {2, 3})
    {2: (2, 4), 3: (4, 12)}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from pipeline.cli import _common
from pipeline.cli._csv_chunks import BadRow, csv_tables
from pipeline.cli._read import csv_names
from pipeline.io import fs
from pipeline.io.detect import Detected

_BLOCK_BYTES = 1 << 20


def line_starts(data: bytes, rows: set[int]) -> dict[int, tuple[int, int]]:
    """``{row: (line, byte)}`` for 1-based CSV rows (quoted newlines allowed)."""
    return _LineScanner(rows).feed(data, final=True)


class _LineScanner:
    """Finds where rows start in a stream of chunks, quote-aware."""

    def __init__(self, rows: set[int]) -> None:
        self.rows = rows
        self.found: dict[int, tuple[int, int]] = {}
        self.row, self.line, self.base, self.in_quotes = 1, 1, 0, False
        self.carry = b""

    def feed(self, chunk: bytes, final: bool = False) -> dict[int, tuple[int, int]]:
        data, pos = self.carry + chunk, 0
        while len(self.found) < len(self.rows):
            end = data.find(b"\n", pos)
            if end < 0:
                if not final or pos >= len(data):
                    break
                end = len(data)
            if not self.in_quotes and self.row in self.rows:
                self.found[self.row] = (self.line, self.base + pos)
            self.in_quotes ^= data.count(b'"', pos, end) % 2 == 1
            self.row += not self.in_quotes
            self.line, pos = self.line + 1, end + 1
        self.carry, self.base = data[pos:], self.base + pos
        return self.found


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
        scanner = _LineScanner({r.number for r in bad if r.number is not None})
        with fs.open_input(d.path, d.compression) as f:
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
