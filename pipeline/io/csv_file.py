"""CSV files read in big blocks: records (quoted newlines kept), decoded columns.

`read_records` splits a file into CSV records the way ``CsvDataset`` does: a
record ends at ``\\n`` or ``\\r\\n`` outside quotes; a quoted field may span
lines. `decode_file_block` decodes a block of records into typed numpy
columns in one vectorized call; a block holding bad rows is split around
them, so each bad row comes out as its own error (file, line, column) while
the good rows around it are kept (tier 3 of `csv_fast`'s decode tiers).

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

from pipeline import _kernels
from pipeline.errors import InvalidArgumentError
from pipeline.io import fs
from pipeline.io.csv_fast import decode_batch, decode_buffer
from pipeline.io.csv_spec import ColumnSpec, CsvOptions
from pipeline.io.csv_split import split_decode

__all__ = [
    "DecodedBlock",
    "RecordBlock",
    "decode_file_block",
    "read_records",
]

_DEFAULT_BUFFER_BYTES = 4 << 20
_BREAKS = re.compile(rb"(\r\n|\r|\n)")
#: Records per block handed to the decoder and the engine, where records are
#: split apart (a block of plain lines is bounded by the read size instead).
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
    #: The records, each ended by a newline (one line each), with no CR.
    text: bytes | memoryview | None = None
    #: Index of a last record the end of the file cut off inside a quoted
    #: field (-1: none).
    cut_off_at: int = -1

    def __len__(self) -> int:
        return len(self.lines)

    def get_records(self) -> list[bytes]:
        """The records as a list."""
        if self.records is None:
            self.records = bytes(self.text[:-1]).split(b"\n") if self.text else []
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
    lines: list[bytes], seps: list[bytes], delim: bytes
) -> tuple[list[bytes], list[int], int]:
    """Join the lines of records whose quoted fields span lines.

    Returns the records, the index in ``lines`` of each record's first line,
    and the index of the first line of an unterminated record (or
    ``len(lines)``). Only lines holding a quote are scanned: a quote opens a
    field only at the field's first byte, as TF's CsvDataset reads (elsewhere
    it is a bad byte of an unquoted field, and the line break still ends the
    record), so one bad row never swallows the rows after it.
    """
    open_at_end = _kernels.load("csv_record_ends").open_at_end
    records: list[bytes] = []
    starts: list[int] = []
    pos, open_at = 0, -1
    for i in [k for k, line in enumerate(lines) if b'"' in line]:
        if i < pos:
            continue
        if not open_at_end(lines[i], delim[0], open_at >= 0):
            if open_at >= 0:
                parts = [lines[open_at]]
                for k in range(open_at + 1, i + 1):
                    parts += [seps[k - 1], lines[k]]
                records.append(b"".join(parts))
                starts.append(open_at)
                pos, open_at = i + 1, -1
            continue
        if open_at < 0:
            records.extend(lines[pos:i])
            starts.extend(range(pos, i))
            open_at = i
    if open_at >= 0:
        return records, starts, open_at
    records.extend(lines[pos:])
    starts.extend(range(pos, len(lines)))
    return records, starts, len(lines)


def _records_of(
    data: bytes, quotes: bool, final: bool, delim: bytes = b","
) -> tuple[list[bytes], list[int], bytes, int, bool]:
    """Records of ``data`` as CsvDataset splits them, and the unfinished rest.

    A record ends at ``\\n``, ``\\r\\n`` or ``\\r`` outside quotes; quoted
    fields keep their line breaks. Returns ``(records, first line index of
    each, rest, line breaks consumed, whether the last record is cut off by
    the end of the file inside a quoted field)``. With ``final`` the rest is
    a record.
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
        records, starts, open_at = _group_quoted(lines[:cut], seps, delim)
    else:
        records, starts, open_at = lines[:cut], list(range(cut)), cut
    rest_parts = []
    for k in range(open_at, len(lines)):
        rest_parts.append(lines[k])
        if k < len(seps) and k < len(lines) - 1:
            rest_parts.append(seps[k])
    cut_off = final and open_at < len(lines)
    if cut_off:  # an unterminated quote ends the file
        records.append(b"".join(rest_parts))
        starts.append(open_at)
        rest_parts = []
    return records, starts, b"".join(rest_parts), open_at, cut_off


def read_records(
    path: str,
    quotes: bool = True,
    header: bool = False,
    compression_type: str | None = None,
    buffer_size: int | None = None,
    position: tuple[int, int, int, int] | None = None,
    delim: bytes = b",",
) -> Iterator[RecordBlock]:
    """Blocks of CSV records of ``path`` from ``position`` (None: the start).

    With ``header``, the first record of the file is skipped when reading from
    the start. Record indices count data records from 0.

    Raises:
        InvalidArgumentError: ``header`` and the file is empty (TF's "Can't
            read header of file").
    """
    base, skip, line_no, rec_no = position or (0, 0, 1, 0)
    if position is None and header:
        skip, rec_no = 1, -1
    size = max(int(buffer_size or 0), _DEFAULT_BUFFER_BYTES)
    opened = buffer_size if buffer_size and buffer_size > 1 else None  # 1: a line
    with fs.open_input(path, compression_type, opened) as stream:
        if base:
            _skip_bytes(stream, base)
        rest = b""
        while True:
            buf, got = _read_after(stream, rest, size)
            end = buf.rfind(b"\n") + 1 if got else 0
            plain = _plain_block(buf, end, quotes, skip, delim) if end else None
            if plain is not None:  # every line a record: no split, no join
                cut, count = plain
                where = (base, count, line_no, rec_no)
                numbers = np.arange(line_no + skip, line_no + count, dtype=np.int64)
                text = memoryview(buf)[cut:end]
                yield RecordBlock(None, numbers, rec_no + skip, where, text)
                skip = 0
                rec_no += count
                line_no += count
                base += end
                rest = bytes(buf[end:])
                continue
            if not got and not rest:
                _check_header_read(path, position is None and header, skip)
                return
            records, starts, new_rest, breaks, cut_off = _records_of(
                bytes(buf), quotes, not got, delim
            )
            lines = line_no + np.asarray(starts, dtype=np.int64)
            done = min(skip, len(records))
            skip -= done
            at_base = (base, line_no, rec_no)
            for lo in range(done, len(records), _BLOCK_RECORDS):
                hi = min(lo + _BLOCK_RECORDS, len(records))
                where = (base, hi, at_base[1], at_base[2])
                last = hi - lo - 1 if cut_off and hi == len(records) else -1
                yield RecordBlock(
                    records[lo:hi], lines[lo:hi], rec_no + lo, where, cut_off_at=last
                )
            rec_no += len(records)
            line_no += breaks
            base += len(buf) - len(new_rest)
            rest = new_rest
            if not got:
                _check_header_read(path, position is None and header, skip)
                return


def _check_header_read(path: str, header: bool, skip: int) -> None:
    if header and skip:
        raise InvalidArgumentError(
            f"Can't read header of file {path!r}: it is empty", path=path
        )


def _read_after(stream, rest: bytes, size: int) -> tuple[bytes, int]:
    """``rest`` and up to ``size`` more bytes of ``stream``, and how many were
    read (no zero-filled buffer: a file's first block is its bytes as read)."""
    chunks, got = [], 0
    while got < size:
        chunk = stream.read(size - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    return (rest + data if rest else data), got


def _plain_block(
    buf: bytes, end: int, quotes: bool, skip: int, delim: bytes = b","
) -> tuple[int, int] | None:
    """``(offset after skip lines, line count)`` of ``buf[:end]`` when every
    line there is one record.

    The ``skip`` lines (a header) may hold quotes, each line an even number of
    them (a quoted field spanning lines would make them one record); after
    them, no quoted field may span lines (`csv_record_ends.lines_are_records`).
    """
    if buf.find(b"\r", 0, end) >= 0:
        return None
    cut = 0
    for _ in range(skip):
        stop = buf.find(b"\n", cut, end) + 1
        if not stop or (quotes and buf.count(b'"', cut, stop) % 2):
            return None
        cut = stop
    if cut == end:
        return None
    kernel = _kernels.load("csv_record_ends")
    with memoryview(buf) as view:
        if quotes and buf.find(b'"', cut, end) >= 0:
            if not kernel.lines_are_records(view, cut, end, delim[0]):
                return None
        count = kernel.count_lines(view[:end], cut) + skip
    return cut, count


def _skip_bytes(stream, count: int) -> None:
    if stream.seekable():
        stream.seek(count)
        return
    while count > 0:
        got = len(stream.read(min(count, _DEFAULT_BUFFER_BYTES)))
        if not got:
            return
        count -= got


def decode_file_block(
    block: RecordBlock, specs: Sequence[ColumnSpec], opts: CsvOptions, path: str
) -> DecodedBlock:
    """One block's columns in one vectorized call, or split around its bad
    rows when it holds some (each then an ``(row, error)`` entry).

    Example:
        >>> from pipeline.io.csv_spec import column_specs
        >>> block = RecordBlock(None, np.arange(1, 3), 0, (0, 2, 1, 0), b"1\\nx\\n")
        >>> out = decode_file_block(block, column_specs([[0]]), CsvOptions(), "f")
        >>> out.columns, out.rows, [e.line for _, e in out.errors]
        ([array([1], dtype=int32)], array([0]), [2])
    """
    n = len(block)
    try:
        if block.text is not None:
            columns = decode_buffer(
                block.text, n, specs, opts, path=path, lines=block.lines,
                records=block.get_records, plain=True, exact=False,
            )  # fmt: skip
        else:
            columns = decode_batch(
                block.records, specs, opts, path=path, lines=block.lines, exact=False
            )
    except InvalidArgumentError as e:
        return _split(block, specs, opts, path, e)
    if columns is None:  # only the per-record tier can: done in spans
        return _split(block, specs, opts, path, None)
    return DecodedBlock(columns, np.arange(n), [], [], block.position)


def _split(
    block: RecordBlock,
    specs: Sequence[ColumnSpec],
    opts: CsvOptions,
    path: str,
    failed: InvalidArgumentError | None,
) -> DecodedBlock:
    """`csv_split.split_decode` of a block the kernel refused."""
    records = block.get_records()
    columns, rows, errors = split_decode(
        records, specs, opts, path=path, lines=block.lines,
        first_record=block.first_record, cut_off_at=block.cut_off_at, failed=failed,
    )  # fmt: skip
    raw = records if errors else []  # kept for the bad rows' raw bytes only
    return DecodedBlock(columns, rows, errors, raw, block.position)
