"""Writing TFRecord files that TensorFlow reads, atomically.

Example:
    >>> with TFRecordWriter("memory://writer-doc/a.tfrecord") as w:
    ...     w.write(b"hello")
    >>> from pipeline.io import fs
    >>> fs.open_input("memory://writer-doc/a.tfrecord").read()[12:17]
    b'hello'
"""

from __future__ import annotations

import os
import warnings
import zlib
from typing import Any

import numpy as np

from pipeline import _kernels
from pipeline.errors import FailedPreconditionError
from pipeline.io import fs
from pipeline.io.tfrecord_options import TFRecordOptions

__all__ = ["FOOTER_BYTES", "HEADER_BYTES", "TFRecordOptions", "TFRecordWriter"]

#: Bytes of a record's frame before its data (length, masked CRC of the length).
HEADER_BYTES = 12
#: Bytes of a record's frame after its data (masked CRC of the data).
FOOTER_BYTES = 4
_FRAME_BYTES = HEADER_BYTES + FOOTER_BYTES


def _options(options: Any) -> TFRecordOptions:
    if isinstance(options, TFRecordOptions):
        return options
    return TFRecordOptions(options)


class TFRecordWriter:
    """Writes records to a TFRecord file, as ``tf.io.TFRecordWriter``.

    The file is written under a temporary name and renamed to ``path`` by
    :meth:`close` (or at the end of a ``with`` block), so a crash never leaves
    a half-written file under the final name. An exception inside the ``with``
    block discards the file. A writer dropped without :meth:`close` is closed
    when it is garbage-collected, as TensorFlow's is, with a `ResourceWarning`.

    Args:
        path: local path or fsspec URL.
        options: None or ``""`` (uncompressed), ``"GZIP"``, ``"ZLIB"``, or a
            `TFRecordOptions` (its zlib settings are used).

    Raises:
        ValueError: an unknown compression type.
        FailedPreconditionError: ``write`` or ``flush`` after ``close``.

    Example:
        >>> with TFRecordWriter("memory://writer-doc/b", options="ZLIB") as w:
        ...     w.write(b"one")
        ...     w.flush()
        ...     w.write(b"two")
        >>> from pipeline.io.tfrecord import iter_records
        >>> list(iter_records("memory://writer-doc/b", "ZLIB"))
        [b'one', b'two']
    """

    _out: Any = None  # set first thing: __del__ must see it even after a failure

    def __init__(self, path: str | os.PathLike, options: Any = None) -> None:
        self.path = os.fspath(path)
        self._kernel = _kernels.load("tfrecord")
        self._options = _options(options)
        self._zip = self._options.compressor()
        self._out = fs.open_output(self.path, "")

    def _check_open(self) -> None:
        if self._out.closed:
            raise FailedPreconditionError(
                f"Writer is closed: {self.path!r}", path=self.path
            )

    def write(self, record: bytes | str) -> None:
        """Append one record (bytes-like; a str is written as UTF-8)."""
        self._check_open()
        record = record.encode() if isinstance(record, str) else bytes(record)
        k = self._kernel
        data = k.header(len(record)) + record + k.footer(record)
        if self._zip is not None:
            data = self._compress(data)
        self._out.write(data)

    def write_block(
        self, data: np.ndarray, starts: np.ndarray, lengths: np.ndarray
    ) -> None:
        """Append many records at once: ``data[starts[i] : starts[i] + lengths[i]]``.

        The file holds the same bytes as ``write`` called on each record in
        turn (compressed output may be cut into deflate blocks differently).
        Records laid out with room for their frames (`HEADER_BYTES` before
        each, `FOOTER_BYTES` after, back to back from byte 0, as
        `pipeline.io.example_encode.encode_examples` leaves them with
        ``head=HEADER_BYTES, tail=FOOTER_BYTES``) are framed in place in a
        writable ``data``; other layouts are copied first.

        Args:
            data: a uint8 array (or bytes-like) holding the records.
            starts: int array, the offset of each record in ``data``.
            lengths: int array, the size of each record.

        Raises:
            FailedPreconditionError: the writer is closed.
            ValueError: a record reaches outside ``data``.

        Example:
            >>> import numpy as np
            >>> with TFRecordWriter("memory://writer-doc/blk") as w:
            ...     w.write_block(np.frombuffer(b"abcde", np.uint8), [0, 2], [2, 3])
            >>> from pipeline.io.tfrecord import iter_records
            >>> list(iter_records("memory://writer-doc/blk"))
            [b'ab', b'cde']
        """
        self._check_open()
        buf, at, size = _framed_layout(data, starts, lengths)
        if not len(at):
            return
        _fill_frames(buf, at, size, self._kernel_crc)
        if self._zip is not None and self._options.flush_mode:
            for s, n in zip(at.tolist(), size.tolist()):  # a flush after each record
                record = buf[s - HEADER_BYTES : s + n + FOOTER_BYTES].tobytes()
                self._out.write(self._compress(record))
            return
        block = memoryview(buf)
        self._out.write(block if self._zip is None else self._compress(block))

    @property
    def _kernel_crc(self) -> Any:
        return _kernels.load("crc32c").masked_crc32c_many

    def _compress(self, data: bytes) -> bytes:
        step = self._options.input_buffer_size or len(data) or 1
        parts = [
            self._zip.compress(data[i : i + step]) for i in range(0, len(data), step)
        ]
        mode = self._options.flush_mode
        if mode:
            parts.append(self._zip.flush(mode))
        return b"".join(parts)

    def flush(self) -> None:
        """Push written records to the (temporary) file."""
        self._check_open()
        if self._zip is not None:
            self._out.write(self._zip.flush(zlib.Z_SYNC_FLUSH))
        self._out.flush()

    def close(self) -> None:
        """Finish the file and move it to its final name (idempotent)."""
        if self._out.closed:
            return
        if self._zip is not None:
            try:
                self._out.write(self._zip.flush())
            except BaseException:
                self._out.abort()
                raise
        self._out.close()

    def abort(self) -> None:
        """Discard everything written; the final path is left untouched."""
        self._out.abort()

    def __del__(self) -> None:
        out = self._out
        if out is None or out.closed:
            return
        try:
            warnings.warn(
                f"TFRecordWriter for {self.path!r} was not closed; closing it now "
                "(call close() or use `with`)",
                ResourceWarning,
                stacklevel=2,
            )
        finally:
            self.close()

    def __enter__(self) -> TFRecordWriter:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def _framed_layout(
    data: Any, starts: Any, lengths: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``data`` itself when its records leave room for their frames and it is
    writable, else a copy laid out so; with the records' starts and sizes."""
    if isinstance(data, np.ndarray):
        buf = np.ascontiguousarray(data).reshape(-1).view(np.uint8)
    else:
        buf = np.frombuffer(data, dtype=np.uint8)
    at = np.asarray(starts, dtype=np.int64).reshape(-1)
    size = np.asarray(lengths, dtype=np.int64).reshape(-1)
    if len(at) != len(size):
        raise ValueError(f"{len(at)} starts but {len(size)} lengths")
    if ((at < 0) | (size < 0) | (at > len(buf) - size)).any():
        raise ValueError(f"a record reaches outside the {len(buf)} bytes given")
    stride = size + _FRAME_BYTES
    want = np.cumsum(stride) - stride + HEADER_BYTES
    if buf.flags.writeable and len(buf) == int(stride.sum()) and (at == want).all():
        return buf, at, size
    out = np.empty(int(stride.sum()), dtype=np.uint8)
    if len(size):
        out[np.repeat(want - at, size) + np.repeat(at, size) + _ranks(size)] = buf[
            np.repeat(at, size) + _ranks(size)
        ]
    return out, want, size


def _ranks(size: np.ndarray) -> np.ndarray:
    """0, 1, ... within each record's bytes, for all records in a row."""
    total = int(size.sum())
    return np.arange(total) - np.repeat(np.cumsum(size) - size, size)


def _fill_frames(buf: np.ndarray, at: np.ndarray, size: np.ndarray, crc: Any) -> None:
    """Write each record's length, length CRC and data CRC around it
    (``crc``: the kernel's ``masked_crc32c_many``)."""
    head = at - HEADER_BYTES
    buf[head[:, None] + np.arange(8)] = size.astype("<u8").view(np.uint8).reshape(-1, 8)
    length_crcs = crc(buf, head, np.full(len(at), 8, dtype=np.int64))
    put = length_crcs.astype("<u4").view(np.uint8).reshape(-1, 4)
    buf[(head + 8)[:, None] + np.arange(4)] = put
    data_crcs = crc(buf, at, size).astype("<u4")
    buf[(at + size)[:, None] + np.arange(4)] = data_crcs.view(np.uint8).reshape(-1, 4)
