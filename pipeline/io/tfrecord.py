"""Reading TFRecord files in blocks of many records, with both CRCs checked.

The framing and CRC checks run in the ``tfrecord`` kernel (compiled, without
the GIL, or its pure-Python twin); this module reads large chunks of the
(decompressed) stream, hands them to the kernel and turns its status codes
into errors. Offsets are byte offsets in the uncompressed stream, as in
TensorFlow.

Errors, as TensorFlow raises them: a length or data CRC mismatch is
``corrupted record at <offset>`` (the header offset for the length CRC, the
data offset for the data CRC); a file that ends after a complete header but
before the end of the record is ``truncated record at <offset>``. A deliberate
departure from TensorFlow: a file that ends inside a 12-byte header, or a
compressed stream cut short, also raises `DataLossError` (TF ends silently),
after every complete record has been yielded.

Example:
    >>> from pipeline.io.tfrecord_writer import TFRecordWriter
    >>> with TFRecordWriter("memory://tfr-doc/a.tfrecord") as w:
    ...     for r in (b"x", b"yz"):
    ...         w.write(r)
    >>> list(iter_records("memory://tfr-doc/a.tfrecord"))
    [b'x', b'yz']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import numpy as np

from pipeline import _kernels
from pipeline.errors import DataLossError
from pipeline.io import fs

__all__ = ["RecordBlock", "count_records", "iter_blocks", "iter_records"]

_DEFAULT_BUFFER_BYTES = 256 * 1024
#: A long record is read in steps of at most this many bytes, so memory grows
#: with the data that really arrives, never with the length a header claims.
_READ_STEP_BYTES = 16 * 1024 * 1024
_HEADER_BYTES = 12
_DEFAULT_BLOCK_RECORDS = 1 << 16


@dataclass(frozen=True)
class RecordBlock:
    """Consecutive good records of one file.

    Attributes:
        path: the file.
        first_index: index in the file of the first record (bad records count).
        offsets: int64 array, the header offset of each record in the
            uncompressed stream.
        records: the record payloads, a list of bytes.

    Example:
        >>> block = RecordBlock("a", 0, np.array([0, 17]), [b"x", b"yz"])
        >>> len(block), block.offsets.tolist()
        (2, [0, 17])
    """

    path: str
    first_index: int
    offsets: np.ndarray
    records: list[bytes]

    def __len__(self) -> int:
        return len(self.records)


def _corruption(
    path: str,
    status: int,
    offset: int,
    index: int,
    raw: bytes | None = None,
    head: bytes = b"",
) -> DataLossError:
    """The error for a CRC mismatch at the record whose header is at ``offset``.

    ``raw`` (the bad record's data, when its length was readable) becomes the
    error's ``raw`` attribute, for quarantine. ``head``, the stream's first
    bytes, turns the hint at byte 0 into the likely cause: a gzip or zlib file
    read without its ``compression_type``.
    """
    k = _kernels.load("tfrecord")
    if status == k.STATUS_BAD_LENGTH_CRC:
        where, what = offset, "length CRC mismatch"
    else:
        where, what = offset + _HEADER_BYTES, "data CRC mismatch"
    hint = " (Is this even a TFRecord file?)" if where == 0 else ""
    if where == 0 and head[:2] == b"\x1f\x8b":
        hint = (
            " (the file starts with the gzip magic bytes: read it with "
            'compression_type="GZIP" or "AUTO")'
        )
    return DataLossError(
        f"corrupted record at {where}{hint}: {what} "
        f"(file {path!r}, record {index}, header at byte {offset})",
        path=path,
        offset=where,
        record_index=index,
        raw=raw,
    )


def _truncation(path: str, offset: int, index: int, have: int, need: int):
    if have < _HEADER_BYTES:
        what = f"truncated record header at {offset}: expected 12 bytes"
    else:
        what = f"truncated record at {offset}: expected {need} bytes"
    return DataLossError(
        f"{what}, the file ends after {have} (file {path!r}, record {index})",
        path=path,
        offset=offset,
        record_index=index,
    )


def _stream_error(path: str, err: DataLossError, offset: int, index: int):
    return DataLossError(
        f"{err.message}; every record before byte {offset} of the uncompressed "
        f"stream was read (file {path!r}, record {index})",
        path=path,
        offset=offset,
        record_index=index,
    )


def _skip_to(f: IO[bytes], path: str, start: int, compressed: bool) -> None:
    if not compressed:
        f.seek(start)
        return
    left = start
    while left > 0:
        got = len(f.read(min(left, _READ_STEP_BYTES)))
        if got == 0:
            raise _truncation(path, start - left, 0, 0, _HEADER_BYTES)
        left -= got


def iter_blocks(
    path: str,
    compression_type: str | None = None,
    buffer_size: int | None = None,
    skip_corrupt: bool = False,
    start_offset: int = 0,
    first_index: int = 0,
    max_block_records: int | None = None,
) -> Iterator[RecordBlock | DataLossError]:
    """Yield the records of one TFRecord file in blocks.

    Args:
        path: local path or fsspec URL.
        compression_type: None/``""``, ``"GZIP"``, ``"ZLIB"`` or ``"AUTO"``.
        buffer_size: bytes read per chunk (default 256 KiB).
        skip_corrupt: when True, a record with a bad data CRC (its length CRC
            being good) is yielded as a `DataLossError` value and reading goes
            on; other damage is yielded as an error value that ends the file.
            When False (the default), errors are raised.
        start_offset: uncompressed byte offset of the first record to read
            (from a record index).
        first_index: the record index of the record at ``start_offset``.
        max_block_records: at most this many records per block.

    Yields:
        `RecordBlock` values, and with ``skip_corrupt`` `DataLossError` values.

    Raises:
        DataLossError: corrupt or truncated data (unless ``skip_corrupt``).
        NotFoundError: the file does not exist.

    Example:
        >>> from pipeline.io.tfrecord_writer import TFRecordWriter
        >>> with TFRecordWriter("memory://blocks-doc/a") as w:
        ...     w.write(b"abc")
        >>> [b.records for b in iter_blocks("memory://blocks-doc/a")]
        [[b'abc']]
    """
    for item in _read_blocks(
        path, compression_type, buffer_size, start_offset, first_index,
        max_block_records or _DEFAULT_BLOCK_RECORDS, skip_corrupt,
    ):  # fmt: skip
        if isinstance(item, DataLossError) and not skip_corrupt:
            raise item
        yield item


def _grow(f: IO[bytes], buf: bytes, need: int) -> tuple[bytes | None, int]:
    """``(buf extended to need bytes, need)``, read in bounded steps, or
    ``(None, bytes there were)`` when the stream ends first.

    The steps are joined once, when the record is complete: a stream that
    ends first costs no more memory than the bytes it held.
    """
    parts, have = [buf], len(buf)
    while have < need:
        more = f.read(min(need - have, _READ_STEP_BYTES))
        if not more:
            return None, have
        parts.append(more)
        have += len(more)
    return b"".join(parts), have


def _read_blocks(path, compression_type, buffer_size, start, index, limit, skip):
    chunk = max(int(buffer_size or _DEFAULT_BUFFER_BYTES), 4096)
    kind = fs.compression_of(path, compression_type)
    size = None if kind else fs.file_size(path)  # the end, where it is known
    with fs.open_input(path, kind) as f:
        _skip_to(f, path, start, bool(kind))
        yield from _frame_stream(f, path, b"", start, index, (chunk, limit, skip), size)


def _frame_stream(f, path, buf, base, index, how, size):
    """Blocks and errors of the stream ``f`` from uncompressed offset ``base``.

    ``buf`` holds bytes already read there; ``how`` is ``(chunk, limit, skip)``.
    """
    k = _kernels.load("tfrecord")
    chunk, limit, skip = how
    pos, eof, reader = 0, False, _Reader(f, chunk)
    while True:
        starts, lengths, pos, status, need = k.frame(buf, pos, limit)
        if len(starts):
            offsets = starts + (base - _HEADER_BYTES)
            yield RecordBlock(path, index, offsets, k.split(buf, starts, lengths))
            index += len(starts)
        if status == k.STATUS_FULL:
            continue
        if status != k.STATUS_NEED_MORE:
            bad_data = status == k.STATUS_BAD_DATA_CRC
            raw = bytes(buf[pos + _HEADER_BYTES : pos + need - 4]) if bad_data else None
            head = bytes(buf[:2]) if base + pos == 0 else b""
            err = _corruption(path, status, base + pos, index, raw, head)
            if skip and not bad_data:  # the framing is lost: say what goes with it
                lost = _lost_after(f, path, bytes(buf[pos:]), base + pos, how)
                if lost[1] is None and size is not None:
                    lost = (None, size - base - pos)
                err = _with_loss(err, lost)
            yield err
            if not (bad_data and skip):
                return
            index, pos = index + 1, pos + need
            continue
        if size is not None and need > chunk and base + pos + need > size:
            eof = True  # a long record the file cannot hold: do not read it
        if eof:
            if pos < len(buf):
                have = len(buf) - pos if size is None else size - base - pos
                yield _truncation(path, base + pos, index, have, need)
            return
        rest, base, pos = bytes(buf[pos:]), base + pos, 0
        try:
            if need > chunk:  # a long record: grow as its bytes arrive
                grown, have = _grow(f, rest, need)
                if grown is None:
                    yield _truncation(path, base, index, have, need)
                    return
                buf = grown
                continue
            buf, got = reader.refill(rest)
        except DataLossError as e:
            yield _stream_error(path, e, base + len(rest), index)
            return
        eof = not got


class _Reader:
    """Reads a stream a chunk at a time into one buffer kept across reads.

    With ``readinto`` (local files, fsspec files, inflated streams) no fresh
    memory is taken per chunk; a stream without it is read as before.
    """

    def __init__(self, f: IO[bytes], chunk: int) -> None:
        self.f, self.chunk = f, chunk
        self.into = getattr(f, "readinto", None)
        self.store = bytearray()

    def refill(self, rest: bytes) -> tuple[memoryview | bytes, int]:
        """``(rest followed by up to a chunk more, bytes read)``."""
        if self.into is None:
            more = self.f.read(self.chunk)
            return (rest + more if rest else more), len(more)
        r = len(rest)
        if len(self.store) < r + self.chunk:
            self.store = bytearray(max(2 * self.chunk, r + self.chunk))
        view = memoryview(self.store)
        view[:r] = rest
        got = self.into(view[r : r + self.chunk]) or 0
        return view[: r + got], got


class _Counted:
    """A stream that counts the bytes read through it."""

    def __init__(self, f: IO[bytes]) -> None:
        self.f, self.count = f, 0

    def read(self, size: int = -1) -> bytes:
        data = self.f.read(size)
        self.count += len(data)
        return data


def _lost_after(f, path, rest, offset, how) -> tuple[int | None, int | None]:
    """``(records, bytes)`` from the bad length header at the start of ``rest``
    (at ``offset``) to the end of the stream, reading on through ``f``.

    When only the header's CRC is damaged, the record after it frames: the
    records are counted (a further break adds what it loses). Otherwise the
    count of records is unknown (None).
    """
    k = _kernels.load("tfrecord")
    length = int.from_bytes(rest[:8], "little")
    fixed = k.header(length) + rest[_HEADER_BYTES:]  # the CRC the length has
    counted, records = _Counted(f), 0
    for item in _frame_stream(counted, path, fixed, offset, 0, how, None):
        if isinstance(item, RecordBlock):
            records += len(item)
        elif records == 0:
            return None, None  # the length itself is damaged: no way to resync
        else:
            records += getattr(item, "records_lost", None) or 1
    return records, len(rest) + counted.count


def _with_loss(err: DataLossError, lost: tuple[int | None, int | None]):
    """``err`` saying what the end of its file's framing loses."""
    records, size = lost
    what = "the rest of the file is not read"
    if size is not None:
        count = "an unknown number of" if records is None else str(records)
        what += f": {count} records, {size} bytes from byte {err.offset}"
    return DataLossError(
        f"{err.message}; {what}",
        path=err.path,
        offset=err.offset,
        record_index=err.record_index,
        raw=None,
        records_lost=records,
        bytes_lost=size,
    )


def iter_records(
    path: str, compression_type: str | None = None, buffer_size: int | None = None
) -> Iterator[bytes]:
    """Yield the records of one TFRecord file, one by one.

    Example:
        >>> from pipeline.io.tfrecord_writer import TFRecordWriter
        >>> with TFRecordWriter("memory://records-doc/a", "GZIP") as w:
        ...     w.write(b"abc")
        >>> list(iter_records("memory://records-doc/a", "GZIP"))
        [b'abc']
    """
    for block in iter_blocks(path, compression_type, buffer_size):
        yield from block.records


def count_records(path: str, compression_type: str | None = None) -> int:
    """The number of records in a TFRecord file (reads and checks it all).

    Example:
        >>> from pipeline.io.tfrecord_writer import TFRecordWriter
        >>> with TFRecordWriter("memory://count-doc/a") as w:
        ...     w.write(b"a"); w.write(b"")
        >>> count_records("memory://count-doc/a")
        2
    """
    return sum(len(b) for b in iter_blocks(path, compression_type))
