"""CSV files read in chunks of whole rows, each parsed by pyarrow from memory.

The CLI never hands pyarrow a Python file object: pyarrow's streaming reader
reads one on its own I/O threads, which still hold it (and call into Python)
when the interpreter exits, so the process aborts (``PyGILState_Release``) or
hangs. Here the file is read on the calling thread in chunks that end at a
row boundary (a newline outside quotes, found by
`pipeline.io.line_index.row_ends`, the scan of the CSV row index), and each
chunk is parsed as one block from a pyarrow buffer, so a row longer than the
1 MiB chunk simply makes a longer chunk, up to ``_MAX_ROW_BYTES``.

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


def _last_row_end(buf: bytes) -> int:
    """The end (after the newline) of the last whole row in ``buf``, or 0."""
    ends, _ = row_ends(np.frombuffer(buf, dtype=np.uint8))
    return int(ends[-1]) + 1 if len(ends) else 0


def row_chunks(f: Any, path: str, chunk_bytes: int = _CHUNK_BYTES) -> Iterator[bytes]:
    """Yield the bytes of ``f`` in chunks of whole rows (the last may lack
    its newline).

    Raises:
        InvalidArgumentError: a row is longer than 256 MiB.
    """
    carry, offset = b"", 0
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
    try:
        return pcsv.read_csv(pa.BufferReader(chunk), read, parse, conv)
    except pa.ArrowInvalid as e:
        if "straddl" not in str(e):
            raise
        raise InvalidArgumentError(  # the chunk is one block: a quote never closes
            f"CSV file {d.path!r}: a quoted field is never closed", path=d.path
        ) from e


def csv_tables(
    d: Detected,
    names: list[str],
    conv: Any,
    on_bad_row: Callable[[BadRow], None] | None = None,
) -> Iterator[pa.Table]:
    """Yield the rows of a CSV file as tables, one per chunk.

    Args:
        d: the detected file (header, delimiter, compression).
        names: the column names.
        conv: the pyarrow ``ConvertOptions``.
        on_bad_row: None to raise on a row with the wrong field count, or a
            function that gets each such row (the row is then skipped).
    """
    rows_before = 0
    with fs.open_input(d.path, d.compression) as f:
        for i, chunk in enumerate(row_chunks(f, d.path)):
            skip = 1 if d.header and i == 0 else 0
            bad: list[Any] = []
            handler = None if on_bad_row is None else _collect(bad)
            table = _parse(chunk, names, skip, d, conv, handler)
            for row in bad:
                number = rows_before + (row.number or 0)
                on_bad_row(BadRow(number, row.expected_columns, row.actual_columns))  # type: ignore[misc]
            rows_before += table.num_rows + len(bad) + skip
            yield table


def _collect(bad: list[Any]) -> Callable[[Any], str]:
    def handler(row: Any) -> str:
        bad.append(row)
        return "skip"

    return handler
