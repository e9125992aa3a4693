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

from pipeline import _kernels
from pipeline.errors import FailedPreconditionError
from pipeline.io import fs
from pipeline.io.tfrecord_options import TFRecordOptions

__all__ = ["TFRecordOptions", "TFRecordWriter"]


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
