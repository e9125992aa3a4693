"""CSV files read in chunks of whole rows, each parsed by pyarrow from memory.

The CLI never hands pyarrow a Python file object: pyarrow's streaming reader
reads one on its own I/O threads, which still hold it (and call into Python)
when the interpreter exits, so the process aborts (``PyGILState_Release``) or
hangs. Here the file is read on the calling thread in chunks that end at a
row boundary (a newline outside quotes, found by
`pipeline.io.line_index.row_ends`, the scan of the CSV row index), and each
chunk is parsed as one block from a pyarrow buffer, so a row longer than the
1 MiB chunk simply makes a longer chunk, up to ``_MAX_ROW_BYTES``.

The first ``skip_rows`` lines of the file (a preamble) are read past before
the header. A parse error names the file, the line, the record and the byte
where the row starts.

Example:
    >>> import io
    >>> list(row_chunks(io.BytesIO(b'a,b\\n"x\\ny",1\\n2,3'), "f.csv", 4))
    [b'a,b\\n', b'"x\\ny",1\\n', b'2,3']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa

from pipeline.errors import InvalidArgumentError
from pipeline.io import fs
from pipeline.io.detect import Detected
from pipeline.io.line_index import row_ends

_CHUNK_BYTES = 1 << 20
_MAX_ROW_BYTES = 1 << 28


class BadRow(NamedTuple):
    """A row whose field count differs from the header's (1-based ``number``,
    the header being row 1 when there is one)."""

    number: int
    expected_columns: int
    actual_columns: int


class LineScanner:
    """Finds where rows start in a stream of chunks, quote-aware.

    Args:
        rows: the 1-based row numbers to find.
        line: the line number of the first byte fed. Defaults to 1.
        base: the byte offset of the first byte fed. Defaults to 0.
    """

    def __init__(self, rows: set[int], line: int = 1, base: int = 0) -> None:
        self.rows = rows
        self.found: dict[int, tuple[int, int]] = {}
        self.row, self.line, self.base, self.in_quotes = 1, line, base, False
        self.carry = b""

    def feed(self, chunk: bytes, final: bool = False) -> dict[int, tuple[int, int]]:
        """``{row: (line, byte)}`` of the rows found so far."""
        data, pos = self.carry + chunk, 0
        while len(self.found) < len(self.rows):
            end = data.find(b"\n", pos)
            if end < 0:
                if not final or pos >= len(data):
                    break
                end = len(data)
            # pyarrow skips empty lines: they are not rows
            blank = not self.in_quotes and data[pos:end] in (b"", b"\r")
            if not (self.in_quotes or blank) and self.row in self.rows:
                self.found[self.row] = (self.line, self.base + pos)
            self.in_quotes ^= data.count(b'"', pos, end) % 2 == 1
            self.row += not (self.in_quotes or blank)
            self.line, pos = self.line + 1, end + 1
        self.carry, self.base = data[pos:], self.base + pos
        return self.found


def skip_preamble(f: Any, lines: int) -> int:
    """Read past the first ``lines`` lines of ``f``; the bytes read."""
    read = 0
    for _ in range(lines):
        line = f.readline()
        if not line:
            break
        read += len(line)
    return read


def _last_row_end(buf: bytes) -> int:
    """The end (after the newline) of the last whole row in ``buf``, or 0."""
    ends, _ = row_ends(np.frombuffer(buf, dtype=np.uint8))
    return int(ends[-1]) + 1 if len(ends) else 0


def row_chunks(
    f: Any, path: str, chunk_bytes: int = _CHUNK_BYTES, start: int = 0
) -> Iterator[bytes]:
    """Yield the bytes of ``f`` in chunks of whole rows (the last may lack
    its newline); ``start`` is the byte offset of ``f``'s position.

    Raises:
        InvalidArgumentError: a row is longer than 256 MiB.
    """
    carry, offset = b"", start
    while True:
        data = f.read(max(chunk_bytes, len(carry)))
        if not data:
            if carry:
                yield carry
            return
        buf = carry + data
        cut = _last_row_end(buf)
        if not cut and len(buf) > _MAX_ROW_BYTES:
            raise InvalidArgumentError(
                f"CSV row at byte {offset} of {path!r} is longer than "
                f"{_MAX_ROW_BYTES} bytes (or a quote is never closed)",
                path=path,
                offset=offset,
            )
        if cut:
            yield buf[:cut]
            offset += cut
        carry = buf[cut:]


def _parse(chunk: bytes, names: list[str], skip: int, d: Detected, conv: Any, handler):
    import pyarrow.csv as pcsv

    read = pcsv.ReadOptions(
        column_names=names,
        skip_rows_after_names=skip,  # quote-aware, unlike skip_rows
        block_size=len(chunk) + 1,  # the chunk is one block: no row straddles
        use_threads=handler is None,  # row numbers need the serial reader
    )
    parse = pcsv.ParseOptions(
        delimiter=d.delimiter or ",",
        newlines_in_values=True,
        invalid_row_handler=handler,
    )
    return pcsv.read_csv(pa.BufferReader(chunk), read, parse, conv)


class _Place(NamedTuple):
    """Where a chunk starts: rows before it (header included), the line
    number of its first line, and its byte offset."""

    rows: int
    line: int
    offset: int


def _parse_error(d: Detected, chunk: bytes, args: tuple, at: _Place, e: Exception):
    """The error of a chunk that pyarrow refused, naming file, line and record."""
    if "straddl" in str(e):  # the chunk is one block: a quote never closes
        return InvalidArgumentError(
            f"CSV file {d.path!r}: a quoted field opened on line {at.line} or "
            "after is never closed",
            path=d.path,
            line=at.line,
        )
    bad: list[Any] = []
    try:
        _parse(chunk, *args, _collect(bad))
    except pa.ArrowInvalid:
        pass
    if not bad:
        return InvalidArgumentError(
            f"cannot read CSV file {d.path!r} from line {at.line} (byte "
            f"{at.offset}): {e}",
            path=d.path,
            line=at.line,
            offset=at.offset,
        )
    row = bad[0]
    line, offset = (
        LineScanner({row.number}, at.line, at.offset)
        .feed(chunk, True)
        .get(row.number, (None, None))
    )
    record = at.rows + row.number - (2 if d.header else 1)
    return InvalidArgumentError(
        f"CSV file {d.path!r}, line {line} (record {record}, byte {offset}): "
        f"Expected {row.expected_columns} columns, got {row.actual_columns}",
        path=d.path,
        line=line,
        offset=offset,
        record_index=record,
    )


def csv_tables(
    d: Detected,
    names: list[str],
    conv: Any,
    on_bad_row: Callable[[BadRow], None] | None = None,
) -> Iterator[pa.Table]:
    """Yield the rows of a CSV file as tables, one per chunk.

    Args:
        d: the detected file (header, delimiter, compression, skip_rows).
        names: the column names.
        conv: the pyarrow ``ConvertOptions``.
        on_bad_row: None to raise on a row with the wrong field count, or a
            function that gets each such row (the row is then skipped).

    Raises:
        InvalidArgumentError: a row has the wrong field count (without
            ``on_bad_row``) or a quote is never closed; the error names the
            file, the line, the record and the byte offset.
    """
    with fs.open_input(d.path, d.compression) as f:
        at = _Place(0, d.skip_rows + 1, skip_preamble(f, d.skip_rows))
        for i, chunk in enumerate(row_chunks(f, d.path, _CHUNK_BYTES, at.offset)):
            args = (names, 1 if d.header and i == 0 else 0, d, conv)
            bad: list[Any] = []
            handler = None if on_bad_row is None else _collect(bad)
            try:
                table = _parse(chunk, *args, handler)
            except pa.ArrowInvalid as e:
                raise _parse_error(d, chunk, args, at, e) from e
            for row in bad:
                number = at.rows + (row.number or 0)
                on_bad_row(BadRow(number, row.expected_columns, row.actual_columns))  # type: ignore[misc]
            rows = at.rows + table.num_rows + len(bad) + args[1]
            at = _Place(rows, at.line + chunk.count(b"\n"), at.offset + len(chunk))
            yield table


def _collect(bad: list[Any]) -> Callable[[Any], str]:
    def handler(row: Any) -> str:
        bad.append(row)
        return "skip"

    return handler
