"""Runs of indexed records read with one seek each, for `global_shuffle`.

An `IndexedReader` belongs to one iterator: it keeps the data files and their
record index sidecars open (at most ``max_open`` pairs, the least recently
used closed first) and closes them all in `IndexedReader.close`. A run of
records ``[lo, hi)`` of a file costs one read of its ``hi - lo + 1`` offsets
and one read of its bytes; the compiled TFRecord kernel frames the run and
checks every CRC in one call, and lines and CSV rows are split in bulk.

Example:
    >>> from pipeline.io import fs
    >>> from pipeline.io.line_index import write_line_index
    >>> with fs.open_output("memory://shufread-doc/a.txt") as f:
    ...     _ = f.write(b"zero\\none\\r\\ntwo\\n")
    >>> _ = write_line_index("memory://shufread-doc/a.txt")
    >>> count, size = indexed_count("memory://shufread-doc/a.txt", "text")
    >>> reader = IndexedReader(["memory://shufread-doc/a.txt"], [count], [size], "text")
    >>> reader.read(0, 1, 3)
    [b'one', b'two']
    >>> reader.close()
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import IO

import numpy as np

from pipeline import _kernels
from pipeline.errors import DataLossError, FailedPreconditionError
from pipeline.io import fs
from pipeline.io.index import _HEAD, index_path_of  # magic, records, file bytes
from pipeline.io.line_index import MAGICS
from pipeline.io.tfrecord import _corruption

__all__ = ["IndexedReader", "file_runs", "indexed_count"]


def indexed_count(path: str, format: str) -> tuple[int, int]:
    """``(records, file bytes)`` from the sidecar's header (offsets unread).

    Raises:
        NotFoundError: no sidecar.
        DataLossError: the sidecar is not a record index of ``format``.
        FailedPreconditionError: the file changed size since it was indexed.

    Example:
        >>> from pipeline.io.line_index import write_line_index
        >>> with fs.open_output("memory://shufread-doc/b.txt") as f:
        ...     _ = f.write(b"a\\nbc\\n")
        >>> _ = write_line_index("memory://shufread-doc/b.txt")
        >>> indexed_count("memory://shufread-doc/b.txt", "text")
        (2, 5)
    """
    target = index_path_of(path)
    with fs.open_input(target) as f:
        head = f.read(_HEAD.size)
    if len(head) < _HEAD.size or head[:8] != MAGICS[format]:
        raise DataLossError(
            f"not a record index of a {format} file: {target!r} (build it with "
            f"`pipeline index` or write_{'' if format == 'tfrecord' else 'line_'}"
            "index)",
            path=target,
        )
    _, count, size = _HEAD.unpack(head)
    if fs.file_size(path) != size:
        raise FailedPreconditionError(
            f"record index {target!r} is stale: {path!r} was {size} bytes when "
            f"indexed, now {fs.file_size(path)}; rebuild it with `pipeline index`",
            path=path,
        )
    return int(count), int(size)


def file_runs(
    starts: np.ndarray, lo: int, hi: int, limit: int = 0
) -> Iterator[tuple[int, int, int]]:
    """``(file, first, last)``: the runs of records ``[first, last)`` of each
    file that make up records ``[lo, hi)`` of the global numbering (``starts``:
    each file's first global record number, then the total), in order; each
    at most ``limit`` records long when ``limit`` is set.

    Example:
        >>> list(file_runs(np.array([0, 3, 3, 5]), 1, 5, limit=2))
        [(0, 1, 3), (2, 0, 2)]
    """
    f = int(np.searchsorted(starts, lo, side="right")) - 1
    while lo < hi:
        while lo >= int(starts[f + 1]):  # past the end of f (or f is empty)
            f += 1
        end = min(hi, int(starts[f + 1]), lo + limit if limit else hi)
        first = lo - int(starts[f])
        yield f, first, first + end - lo
        lo = end


def _mismatch(path: str, lo: int, what: str) -> DataLossError:
    return DataLossError(
        f"{path!r} does not match its record index at record {lo}: {what}",
        path=path,
        record_index=lo,
    )


def _tfrecords(path: str, buf: bytes, base: int, lo: int, n: int) -> list[bytes]:
    k = _kernels.load("tfrecord")
    starts, lengths, pos, status, _ = k.frame(buf, 0, n)
    good = len(starts)
    if good < n and status in (k.STATUS_BAD_LENGTH_CRC, k.STATUS_BAD_DATA_CRC):
        raise _corruption(path, status, base + pos, lo + good)
    if good < n or pos != len(buf):
        raise _mismatch(path, lo + good, f"expected {n} whole records from byte {base}")
    return k.split(buf, starts, lengths)


def _lines(path: str, buf: bytes, base: int, lo: int, n: int) -> list[bytes]:
    lines = buf.split(b"\n")
    if not lines[-1].replace(b"\r", b""):  # after the last newline: no record
        lines.pop()
    if len(lines) != n:
        raise _mismatch(path, lo, f"expected {n} lines from byte {base}")
    if b"\r" in buf:
        return [line.replace(b"\r", b"") for line in lines]
    return lines


def _rows(path: str, buf: bytes, bounds: np.ndarray, lo: int) -> list[bytes]:
    if b'"' not in buf:
        rows = _lines(path, buf, int(bounds[0]), lo, len(bounds) - 1)
    else:  # quoted newlines: cut at the indexed row starts
        cuts = (bounds - bounds[0]).tolist()
        rows = [buf[a:b] for a, b in zip(cuts[:-1], cuts[1:])]
    if b"\r" in buf:
        return [row.rstrip(b"\r\n") for row in rows]
    return [row.rstrip(b"\n") for row in rows] if b'"' in buf else rows


class IndexedReader:
    """Indexed files of one iterator (see the module docstring)."""

    def __init__(
        self,
        paths: Sequence[str],
        counts: Sequence[int],
        sizes: Sequence[int],
        format: str,
        max_open: int = 64,
    ) -> None:
        self.paths, self.counts, self.sizes = paths, counts, sizes
        self.format, self.max_open = format, max_open
        self._open: dict[int, tuple[IO[bytes], IO[bytes]]] = {}

    def _files(self, f: int) -> tuple[IO[bytes], IO[bytes]]:
        pair = self._open.pop(f, None)
        if pair is None:
            if len(self._open) >= self.max_open:
                for h in self._open.pop(next(iter(self._open))):
                    h.close()
            data = fs.open_input(self.paths[f])
            try:
                pair = data, fs.open_input(index_path_of(self.paths[f]))
            except BaseException:
                data.close()
                raise
        self._open[f] = pair  # most recently used last
        return pair

    def read(self, f: int, lo: int, hi: int) -> list[bytes]:
        """Records ``[lo, hi)`` of file ``f``, in file order.

        Raises:
            DataLossError: the file is corrupt or does not match its index.
        """
        path, n = self.paths[f], hi - lo
        data, index = self._files(f)
        last = hi >= self.counts[f]
        index.seek(_HEAD.size + 8 * lo)
        bounds = np.frombuffer(index.read(8 * (n if last else n + 1)), "<u8")
        bounds = bounds.astype(np.int64)
        if last:
            bounds = np.append(bounds, self.sizes[f])
        if len(bounds) != n + 1:
            raise DataLossError(f"record index of {path!r} is truncated", path=path)
        start = int(bounds[0])
        data.seek(start)
        buf = data.read(int(bounds[-1]) - start)
        if len(buf) != int(bounds[-1]) - start:
            raise _mismatch(path, lo, f"the file ends at byte {start + len(buf)}")
        if self.format == "tfrecord":
            return _tfrecords(path, buf, start, lo, n)
        if self.format == "text":
            return _lines(path, buf, start, lo, n)
        return _rows(path, buf, bounds, lo)

    def close(self) -> None:
        """Close every open file."""
        while self._open:
            for h in self._open.popitem()[1]:
                h.close()
