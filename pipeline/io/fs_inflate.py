"""Streaming inflate of GZIP and ZLIB files, as TensorFlow reads them.

GZIP: concatenated members are read as one stream. ZLIB: bytes after the end
of the stream are ignored. A corrupt stream, or one that ends before its end
marker (cut short, missing its trailer), raises `DataLossError` once every
byte before the damage has been returned.

Example:
    >>> import gzip
    >>> data = gzip.compress(b"ab") + gzip.compress(b"cd")
    >>> InflateStream(io.BytesIO(data), "GZIP", "x.gz").read()
    b'abcd'
"""

from __future__ import annotations

import io
import zlib
from typing import IO, Any

from pipeline.errors import DataLossError

__all__ = ["GZIP_WBITS", "ZLIB_WBITS", "InflateStream"]

GZIP_WBITS = 31
ZLIB_WBITS = 15
_READ_CHUNK_BYTES = 1 << 20


class InflateStream(io.BufferedIOBase):
    """Streams the inflated bytes of a GZIP or ZLIB file.

    An error met after some bytes of a ``read`` call were produced is kept and
    raised by the next call, so no good byte is lost to it.

    Example:
        >>> import zlib
        >>> InflateStream(io.BytesIO(zlib.compress(b"abc")), "ZLIB", "x").read()
        b'abc'
    """

    def __init__(self, raw: IO[bytes], kind: str, path: str) -> None:
        self._raw = raw
        self._kind = kind
        self._path = path
        self._wbits = GZIP_WBITS if kind == "GZIP" else ZLIB_WBITS
        self._inflater = zlib.decompressobj(self._wbits)
        self._pending = b""
        self._pos = 0  # read position in _pending
        self._consumed = 0  # compressed bytes fed so far
        self._done = False
        self._failure: DataLossError | None = None

    def readable(self) -> bool:
        return True

    def _available(self) -> bool:
        """Make ``_pending[_pos:]`` non-empty unless the stream is done."""
        if self._pos >= len(self._pending):
            self._pending, self._pos = b"", 0
            if self._failure is not None:
                failure, self._failure = self._failure, None
                raise failure
            while not self._pending and not self._done:
                self._fill()
        return self._pos < len(self._pending)

    def peek(self, size: int = 0) -> bytes:
        """The buffered bytes ahead (at least one unless at the end), unread."""
        self._available()
        return self._pending[self._pos :]

    def readline(self, size: int | None = -1) -> bytes:
        """The next line, ``\\n`` included, from the inflated chunks directly.

        (``IOBase.readline`` would read one byte per call.)
        """
        limit = -1 if size is None else size
        parts: list[bytes] = []
        got = 0
        while limit < 0 or got < limit:
            try:
                if not self._available():
                    break
            except DataLossError as e:
                if not parts:
                    raise
                self._failure = e  # raised by the next call
                break
            newline = self._pending.find(b"\n", self._pos)
            stop = len(self._pending) if newline < 0 else newline + 1
            if limit >= 0:
                stop = min(stop, self._pos + limit - got)
            parts.append(self._pending[self._pos : stop])
            got += stop - self._pos
            self._pos = stop
            if newline >= 0 and stop == newline + 1:
                break
        return b"".join(parts)

    def read1(self, size: int | None = -1) -> bytes:
        self._available()
        end = len(self._pending)
        if size is not None and size >= 0:
            end = min(end, self._pos + size)
        out = self._pending[self._pos : end]
        self._pos = end
        return out

    def read(self, size: int | None = -1) -> bytes:
        want = -1 if size is None else size
        parts: list[bytes] = []
        got = 0
        while want < 0 or got < want:
            try:
                chunk = self.read1(_READ_CHUNK_BYTES if want < 0 else want - got)
            except DataLossError as e:
                if not parts or want < 0:
                    raise
                self._failure = e
                break
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
        return b"".join(parts)

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)

    def _fill(self) -> None:
        inflater = self._inflater
        if inflater.eof:
            self._next_member(inflater.unused_data)
            return
        chunk = inflater.unconsumed_tail or self._read_compressed()
        if not chunk:
            self._done = True
            self._check_clean_end()
            return
        try:
            self._pending = inflater.decompress(chunk, _READ_CHUNK_BYTES)
        except zlib.error as e:
            raise self._error(f"inflate() failed with {e}") from e

    def _read_compressed(self) -> bytes:
        chunk = self._raw.read(_READ_CHUNK_BYTES)
        self._consumed += len(chunk)
        return chunk

    def _next_member(self, unused: bytes) -> None:
        if self._kind == "ZLIB":
            self._done = True  # TF ignores what follows the zlib stream
            return
        rest = unused or self._read_compressed()
        if not rest:
            self._done = True
            return
        self._inflater = zlib.decompressobj(self._wbits)
        try:
            self._pending = self._inflater.decompress(rest, _READ_CHUNK_BYTES)
        except zlib.error as e:
            raise self._error(f"inflate() failed with {e}") from e

    def _check_clean_end(self) -> None:
        if self._consumed and not self._inflater.eof:
            raise self._error(
                f"{self._kind} stream ended before its end marker "
                "(file cut short or missing its trailer)"
            )

    def _error(self, what: str) -> DataLossError:
        return DataLossError(
            f"{what} (file {self._path!r}, compressed byte {self._consumed})",
            path=self._path,
            offset=self._consumed,
        )

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()
