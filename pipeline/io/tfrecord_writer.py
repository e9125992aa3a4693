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
from typing import Any

from pipeline import _kernels
from pipeline.io import fs

__all__ = ["TFRecordOptions", "TFRecordWriter"]


class TFRecordOptions:
    """Options of a TFRecord file, as ``tf.io.TFRecordOptions``.

    Args:
        compression_type: None or ``""`` (none, the default), ``"GZIP"`` or
            ``"ZLIB"``.

    Example:
        >>> TFRecordOptions("gzip").compression_type
        'GZIP'
    """

    def __init__(self, compression_type: str | None = None) -> None:
        self.compression_type = fs.compression_of("", compression_type or "")

    def __repr__(self) -> str:
        return f"TFRecordOptions(compression_type={self.compression_type!r})"


def _compression(options: Any) -> str:
    if options is None or isinstance(options, str):
        return TFRecordOptions(options).compression_type
    return TFRecordOptions(getattr(options, "compression_type", None)).compression_type


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
            `TFRecordOptions`.

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
        self._out = fs.open_output(self.path, _compression(options))

    def write(self, record: bytes | str) -> None:
        """Append one record (bytes-like; a str is written as UTF-8)."""
        record = record.encode() if isinstance(record, str) else bytes(record)
        k = self._kernel
        self._out.write(k.header(len(record)) + record + k.footer(record))

    def flush(self) -> None:
        """Push written records to the (temporary) file."""
        self._out.flush()

    def close(self) -> None:
        """Finish the file and move it to its final name (idempotent)."""
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
            out.close()

    def __enter__(self) -> TFRecordWriter:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
