"""CSV files read in big blocks: records (quoted newlines kept), decoded columns.

`read_records` splits a file into CSV records the way ``CsvDataset`` does: a
record ends at ``\\n`` or ``\\r\\n`` outside quotes; a quoted field may span
lines. `decode_file_blocks` decodes each block of records into typed numpy
columns in one vectorized call; a block holding bad rows is decoded row by
row, so each bad row comes out as its own error (file, line, column) while the
good rows around it are kept.

Positions are ``(offset, skip, line, record)``: ``skip`` records after the
decompressed byte ``offset``, where ``line`` and ``record`` are the line
number and record index at ``offset`` (for messages); reading can resume at
any position.

Example:
    >>> from pipeline.io import fs
    >>> with fs.open_output("memory://csvfile-doc/a.csv") as f:
    ...     _ = f.write(b'x,y\\n1,"a\\nb"\\n2,c\\n')
    >>> blocks = read_records("memory://csvfile-doc/a.csv", header=True)
    >>> [b.get_records() for b in blocks]
    [[b'1,"a\\nb"', b'2,c']]
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.io import fs
from pipeline.io.csv_fast import decode_batch, decode_buffer
from pipeline.io.csv_records import decode_records
from pipeline.io.csv_spec import ColumnSpec, CsvOptions

__all__ = ["DecodedBlock", "RecordBlock", "decode_file_blocks", "read_records"]

_DEFAULT_BUFFER_BYTES = 4 << 20
_BREAKS = re.compile(rb"(\r\n|\r|\n)")
#: Records per block handed to the decoder and the engine.
_BLOCK_RECORDS = 65536


@dataclasses.dataclass
class RecordBlock:
    """Raw records of one file with their 1-based line numbers and end position.

    A block of plain one-line records may carry them as ``text`` (each ended
    by a newline) and split them only when asked (`get_records`).
    """

    records: list[bytes] | None
    lines: np.ndarray
    first_record: int
    position: tuple[int, int, int, int]
    text: bytes | None = None

    def __len__(self) -> int:
        return len(self.lines)

    def get_records(self) -> list[bytes]:
        """The records as a list."""
        if self.records is None:
            self.records = self.text[:-1].split(b"\n") if self.text else []
        return self.records


@dataclasses.dataclass
class DecodedBlock:
    """Decoded columns of a block; ``errors`` holds ``(row, exception)`` pairs.

    ``columns`` hold the good rows only; ``rows`` their indices in the block.
    """

    columns: list[np.ndarray]
    rows: np.ndarray
    errors: list[tuple[int, InvalidArgumentError]]
    raw: list[bytes]
    position: tuple[int, int, int, int]


def _group_quoted(
    lines: list[bytes], seps: list[bytes]
) -> tuple[list[bytes], list[int], int]:
    """Join lines whose quotes are unbalanced (with their own line breaks).

    Returns the records, the index in ``lines`` of each record's first line,
    and the index of the first line of an unterminated record (or
    ``len(lines)``). Only lines holding a quote are looked at: a record spans
    from a line with an odd number of quotes to the next such line.
    """
    records: list[bytes] = []
    starts: list[int] = []
    pos, open_at = 0, -1
    for i in [k for k, line in enumerate(lines) if b'"' in line]:
        if not lines[i].count(b'"') % 2:
            continue
        if open_at < 0:
            records.extend(lines[pos:i])
            starts.extend(range(pos, i))
            open_at = i
        else:
            parts = [lines[open_at]]
            for k in range(open_at + 1, i + 1):
                parts += [seps[k - 1], lines[k]]
            records.append(b"".join(parts))
            starts.append(open_at)
            pos, open_at = i + 1, -1
    if open_at >= 0:
        return records, starts, open_at
    records.extend(lines[pos:])
    starts.extend(range(pos, len(lines)))
    return records, starts, len(lines)


def _records_of(
    data: bytes, quotes: bool, final: bool
) -> tuple[list[bytes], list[int], bytes, int]:
    """Records of ``data`` as CsvDataset splits them, and the unfinished rest.

    A record ends at ``\\n``, ``\\r\\n`` or ``\\r`` outside quotes; quoted
    fields keep their line breaks. Returns ``(records, first line index of
    each, rest, line breaks consumed)``. With ``final`` the rest is a record.
    """
    if b"\r" in data:
        parts = _BREAKS.split(data)
        lines, seps = parts[0::2], parts[1::2]
        if not final and seps and seps[-1] == b"\r" and not lines[-1]:
            lines.pop()  # maybe the first half of a CRLF cut by the chunk
            seps.pop()
            lines[-1] += b"\r"
    else:
        lines = data.split(b"\n")
        seps = [b"\n"] * (len(lines) - 1)
    if final:
        if lines[-1]:
            seps.append(b"")
        else:
            lines.pop()
    cut = len(lines) - 1 if not final else len(lines)
    if quotes and b'"' in data:
        records, starts, open_at = _group_quoted(lines[:cut], seps)
    else:
        records, starts, open_at = lines[:cut], list(range(cut)), cut
    rest_parts = []
    for k in range(open_at, len(lines)):
        rest_parts.append(lines[k])
        if k < len(seps) and k < len(lines) - 1:
            rest_parts.append(seps[k])
    if final and open_at < len(lines):  # an unterminated quote ends the file
        records.append(b"".join(rest_parts))
        starts.append(open_at)
        rest_parts = []
    return records, starts, b"".join(rest_parts), open_at


def read_records(
    path: str,
    quotes: bool = True,
    header: bool = False,
    compression_type: str | None = None,
    buffer_size: int | None = None,
    position: tuple[int, int, int, int] | None = None,
) -> Iterator[RecordBlock]:
    """Blocks of CSV records of ``path`` from ``position`` (None: the start).

    With ``header``, the first record of the file is skipped when reading from
    the start. Record indices count data records from 0.
    """
    base, skip, line_no, rec_no = position or (0, 0, 1, 0)
    if position is None and header:
        skip, rec_no = 1, -1
    size = max(int(buffer_size or 0), _DEFAULT_BUFFER_BYTES)
    with fs.open_input(path, compression_type, buffer_size) as stream:
        if base:
            _skip_bytes(stream, base)
        rest = b""
        while True:
            data = stream.read(size)
            buf = rest + data if rest else data
            end = buf.rfind(b"\n") + 1 if data else 0
            plain = _plain_block(buf[:end], quotes, skip) if end else None
            if plain is not None:  # every line a record: no split, no join
                text, count = plain
                where = (base, count, line_no, rec_no)
                numbers = np.arange(line_no + skip, line_no + count, dtype=np.int64)
                yield RecordBlock(None, numbers, rec_no + skip, where, text)
                skip = 0
                rec_no += count
                line_no += count
                base += end
                rest = buf[end:]
                continue
            if not data and not rest:
                return
            records, starts, new_rest, breaks = _records_of(buf, quotes, not data)
            lines = line_no + np.asarray(starts, dtype=np.int64)
            done = min(skip, len(records))
            skip -= done
            at_base = (base, line_no, rec_no)
            for lo in range(done, len(records), _BLOCK_RECORDS):
                hi = min(lo + _BLOCK_RECORDS, len(records))
                where = (base, hi, at_base[1], at_base[2])
                yield RecordBlock(records[lo:hi], lines[lo:hi], rec_no + lo, where)
            rec_no += len(records)
            line_no += breaks
            base += len(buf) - len(new_rest)
            rest = new_rest
            if not data:
                return


def _plain_block(complete: bytes, quotes: bool, skip: int) -> tuple[bytes, int] | None:
    """``(text after skip lines, line count)`` when every line is one record."""
    if (quotes and b'"' in complete) or b"\r" in complete:
        return None
    count = complete.count(b"\n")
    if count > _BLOCK_RECORDS or count <= skip:
        return None
    cut = 0
    for _ in range(skip):
        cut = complete.index(b"\n", cut) + 1
    return (complete[cut:] if cut else complete), count


def _skip_bytes(stream, count: int) -> None:
    if stream.seekable():
        stream.seek(count)
        return
    while count > 0:
        got = len(stream.read(min(count, _DEFAULT_BUFFER_BYTES)))
        if not got:
            return
        count -= got


def decode_file_blocks(
    blocks: Iterator[RecordBlock],
    specs: Sequence[ColumnSpec],
    opts: CsvOptions,
    path: str,
) -> Iterator[DecodedBlock]:
    """Decode record blocks; bad rows become ``(row, error)`` entries."""
    for block in blocks:
        n = len(block)
        try:
            if block.text is not None:
                columns = decode_buffer(
                    block.text, n, specs, opts, path=path, lines=block.lines,
                    records=block.get_records,
                )  # fmt: skip
            else:
                columns = decode_batch(
                    block.records, specs, opts, path=path, lines=block.lines
                )
            yield DecodedBlock(columns, np.arange(n), [], [], block.position)
        except InvalidArgumentError:
            yield _row_by_row(block, specs, opts, path)


def _row_by_row(
    block: RecordBlock, specs: Sequence[ColumnSpec], opts: CsvOptions, path: str
) -> DecodedBlock:
    good, errors, parts = [], [], []
    records = block.get_records()
    for i, record in enumerate(records):
        try:
            parts.append(
                decode_records(
                    [record], specs, opts, path=path, lines=block.lines[i : i + 1],
                    first_record=block.first_record + i,
                )
            )  # fmt: skip
            good.append(i)
        except InvalidArgumentError as e:
            errors.append((i, e))
    columns = [
        np.concatenate([p[j] for p in parts]) if parts else np.empty(0, s.dtype)
        for j, s in enumerate(specs)
    ]
    rows = np.asarray(good, dtype=np.int64)
    return DecodedBlock(columns, rows, errors, records, block.position)
