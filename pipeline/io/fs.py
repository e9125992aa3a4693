"""Paths, globs, compressed streams and atomic writes on any fsspec filesystem.

Paths are plain local paths, ``file://`` URLs, or any URL fsspec knows
(``memory://``; ``s3://`` and ``gs://`` with the ``s3``/``gcs`` extras).
Local files go through the builtin ``open`` (fast path); everything else
through fsspec.

* :func:`expand` turns patterns into a sorted list of files.
* :func:`open_input` opens a file for reading and streams decompressed bytes
  (``GZIP``, ``ZLIB``, or ``AUTO`` from the suffix).
* :func:`open_output` writes to a temporary name and renames on close, so a
  crash never leaves a half-written file under the final name.

A compressed stream that is corrupt, or ends before its end marker (cut short
or missing its trailer), raises :class:`~pipeline.errors.DataLossError` once
every byte before the damage has been read.

Example:
    >>> with open_output("memory://fs-doc/a.txt.gz", "AUTO") as f:
    ...     _ = f.write(b"hello")
    >>> expand("memory://fs-doc/*.gz")
    ['memory://fs-doc/a.txt.gz']
    >>> open_input("memory://fs-doc/a.txt.gz", "AUTO").read()
    b'hello'
"""

from __future__ import annotations

import glob as _glob
import os
import zlib
from collections.abc import Iterable
from typing import IO, Any

from pipeline.errors import (
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    UnimplementedError,
)
from pipeline.io.fs_inflate import GZIP_WBITS, ZLIB_WBITS, InflateStream
from pipeline.io.fs_temp import clean_stale_leftovers, is_temp_leftover, temp_path_for

__all__ = [
    "compression_of",
    "discard",
    "exists",
    "expand",
    "file_size",
    "open_input",
    "open_output",
]

_COMPRESSIONS = ("", "GZIP", "ZLIB")


def _local_path(path: str) -> str | None:
    """The OS path of a local ``path`` (plain or ``file://``), else None."""
    path = os.fspath(path)
    if path.startswith("file://"):
        return path[len("file://") :]
    if "://" in path:
        return None
    return path


# The extra that installs the fsspec implementation of a scheme.
_EXTRAS = {"gs": "gcs", "gcs": "gcs", "s3": "s3", "s3a": "s3"}


def _fs(path: str) -> tuple[Any, str]:
    import fsspec.core

    try:
        return fsspec.core.url_to_fs(path)
    except ImportError as e:
        scheme = path.split("://", 1)[0]
        extra = _EXTRAS.get(scheme)
        fix = f"pip install 'pipeline[{extra}]'" if extra else str(e)
        raise UnimplementedError(
            f"reading {path!r} needs the {scheme}:// file system, which is not "
            f"installed: {fix}"
        ) from e


def _has_magic(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")


def _expand_one(pattern: str) -> list[str]:
    local = _local_path(pattern)
    if local is not None:
        prefix = pattern[: len(pattern) - len(local)]
        found = [p for p in _glob.glob(local) if os.path.isfile(p)]
        return [prefix + p for p in found if not is_temp_leftover(os.path.basename(p))]
    fs, path = _fs(pattern)
    if _has_magic(path):
        found = fs.glob(path)
    else:
        found = [path] if fs.exists(path) else []
    protocol, rest = pattern.split("://", 1)
    strip = 1 if path.startswith("/") and not rest.startswith("/") else 0
    found = [p for p in found if not is_temp_leftover(p.rsplit("/", 1)[-1])]
    return [f"{protocol}://{p[strip:]}" for p in found if fs.isfile(p)]


def expand(patterns: str | os.PathLike | Iterable[str | os.PathLike]) -> list[str]:
    """The sorted list of files matching one pattern or a list of patterns.

    Args:
        patterns: a path or glob pattern (``*``, ``?``, ``[...]``), or a list of
            them. Non-local matches keep their protocol prefix.

    Returns:
        The matching file paths, sorted, without duplicates.

    Raises:
        NotFoundError: a pattern matches no file; the message names it.

    Example:
        >>> with open_output("memory://expand-doc/b.txt") as f:
        ...     _ = f.write(b"x")
        >>> expand(["memory://expand-doc/b.txt"])
        ['memory://expand-doc/b.txt']
    """
    if isinstance(patterns, (str, os.PathLike)):
        patterns = [patterns]
    found: set[str] = set()
    for pattern in patterns:
        pattern = os.fspath(pattern)
        matches = _expand_one(pattern)
        if not matches:
            raise NotFoundError(f"no files match pattern {pattern!r}", path=pattern)
        found.update(matches)
    return sorted(found)


def exists(path: str) -> bool:
    """Whether ``path`` exists.

    Example:
        >>> exists("memory://no/such/file")
        False
    """
    local = _local_path(path)
    if local is not None:
        return os.path.exists(local)
    fs, p = _fs(path)
    return bool(fs.exists(p))


def discard(path: str) -> bool:
    """Remove the file ``path`` if it exists; return whether it did.

    Example:
        >>> with open_output("memory://discard-doc/a") as f:
        ...     _ = f.write(b"x")
        >>> discard("memory://discard-doc/a"), discard("memory://discard-doc/a")
        (True, False)
    """
    local = _local_path(path)
    if local is not None:
        if not os.path.exists(local):
            return False
        os.remove(local)
        return True
    store, p = _fs(path)
    if not store.exists(p):
        return False
    store.rm(p)
    return True


def file_size(path: str) -> int:
    """The size in bytes of the (stored, possibly compressed) file ``path``.

    Raises:
        NotFoundError: the file does not exist.

    Example:
        >>> with open_output("memory://size-doc/c") as f:
        ...     _ = f.write(b"abc")
        >>> file_size("memory://size-doc/c")
        3
    """
    local = _local_path(path)
    try:
        if local is not None:
            return os.path.getsize(local)
        fs, p = _fs(path)
        return int(fs.size(p))
    except FileNotFoundError as e:
        raise NotFoundError(f"file not found: {path!r}", path=path) from e


def compression_of(path: str, compression_type: str | None) -> str:
    """The normalized compression of ``path``: ``""``, ``"GZIP"`` or ``"ZLIB"``.

    Args:
        path: the file path (used for ``"AUTO"``: ``.gz`` is GZIP, ``.zz`` and
            ``.zlib`` are ZLIB, anything else is uncompressed).
        compression_type: None, ``""``, ``"GZIP"``, ``"ZLIB"`` or ``"AUTO"``
            (case-insensitive).

    Raises:
        InvalidArgumentError: an unknown compression type.

    Example:
        >>> compression_of("a.tfrecord.gz", "AUTO"), compression_of("a", None)
        ('GZIP', '')
    """
    kind = (compression_type or "").upper()
    if kind == "AUTO":
        lower = os.fspath(path).lower()
        if lower.endswith(".gz"):
            return "GZIP"
        if lower.endswith((".zz", ".zlib")):
            return "ZLIB"
        return ""
    if kind not in _COMPRESSIONS:
        raise InvalidArgumentError(
            "`compression_type` must be one of None, '', 'GZIP', 'ZLIB', 'AUTO'. "
            f"Received: compression_type={compression_type!r}"
        )
    return kind


def _open_raw(path: str, mode: str, buffer_size: int | None = None) -> IO[bytes]:
    local = _local_path(path)
    try:
        if local is not None:
            return open(local, mode, buffering=buffer_size or -1)  # noqa: SIM115
        fs, p = _fs(path)
        if "w" in mode:
            parent = p.rsplit("/", 1)[0] if "/" in p else ""
            if parent:
                fs.makedirs(parent, exist_ok=True)
        return fs.open(p, mode)
    except FileNotFoundError as e:
        raise NotFoundError(f"file not found: {path!r}", path=path) from e
    except IsADirectoryError as e:  # TF's class and wording for a folder
        raise FailedPreconditionError(f"{path}; Is a directory", path=path) from e


def open_input(
    path: str, compression_type: str | None = None, buffer_size: int | None = None
) -> IO[bytes]:
    """Open ``path`` for reading; the stream yields decompressed bytes.

    Args:
        path: a local path or fsspec URL.
        compression_type: None or ``""`` (none, the default), ``"GZIP"``
            (concatenated members read as one stream), ``"ZLIB"`` (bytes after
            the end of the stream are ignored) or ``"AUTO"`` (from the suffix).
        buffer_size: read buffer size in bytes for local files; None for the
            default.

    Returns:
        A binary file-like object with ``read``/``readinto``/``close``.

    Raises:
        NotFoundError: the file does not exist.
        DataLossError: (on read) the compressed stream is corrupt or ends before
            its end marker; raised only after every good byte was returned.

    Example:
        >>> with open_output("memory://open-doc/d.zz", "ZLIB") as f:
        ...     _ = f.write(b"abc" * 3)
        >>> open_input("memory://open-doc/d.zz", "ZLIB").read()
        b'abcabcabc'
    """
    kind = compression_of(path, compression_type)
    raw = _open_raw(path, "rb", buffer_size)
    if not kind:
        return raw
    return InflateStream(raw, kind, path)


def open_output(path: str, compression_type: str | None = None) -> AtomicWriter:
    """Open ``path`` for writing through a temporary name (see `AtomicWriter`).

    Example:
        >>> with open_output("memory://out-doc/e") as f:
        ...     _ = f.write(b"x")
        >>> open_input("memory://out-doc/e").read()
        b'x'
    """
    return AtomicWriter(path, compression_type)


class AtomicWriter:
    """A binary writer that renames a temporary file to ``path`` on close.

    The temporary file is ``.<name>.pipeline-tmp-<pid>-<random>`` in the same
    folder (see `pipeline.io.fs_temp`); opening a writer removes the leftovers
    for the same ``path`` of processes that died before their rename.

    On error (an exception inside ``with``, or :meth:`abort`) the temporary
    file is removed and ``path`` is left untouched.

    Args:
        path: final local path or fsspec URL.
        compression_type: None/``""``, ``"GZIP"``, ``"ZLIB"`` or ``"AUTO"``.

    Example:
        >>> w = AtomicWriter("memory://atomic-doc/f")
        >>> _ = w.write(b"ab")
        >>> exists("memory://atomic-doc/f")
        False
        >>> w.close()
        >>> exists("memory://atomic-doc/f")
        True
    """

    def __init__(self, path: str, compression_type: str | None = None) -> None:
        self.path = os.fspath(path)
        kind = compression_of(self.path, compression_type)
        local = _local_path(self.path)
        if local is not None:
            clean_stale_leftovers(local)  # of writers killed before their rename
        self._tmp = temp_path_for(self.path)
        try:
            self._file = _open_raw(self._tmp, "wb")
        except NotFoundError as e:  # name the path asked for, not the temp name
            folder = os.path.dirname(self.path) or "."
            raise NotFoundError(
                f"cannot write {self.path!r}: its folder {folder!r} does not exist",
                path=self.path,
            ) from e
        self._deflater = None
        if kind:
            wbits = GZIP_WBITS if kind == "GZIP" else ZLIB_WBITS
            self._deflater = zlib.compressobj(6, zlib.DEFLATED, wbits)
        self.closed = False

    def write(self, data: bytes) -> int:
        """Write ``data``; returns its length."""
        if self.closed:
            raise ValueError(f"write to closed writer for {self.path!r}")
        out = self._deflater.compress(data) if self._deflater else data
        if out:
            self._file.write(out)
        return len(data)

    def flush(self) -> None:
        """Push buffered bytes to the temporary file (a full compression flush)."""
        if self.closed:
            return
        if self._deflater is not None:
            self._file.write(self._deflater.flush(zlib.Z_SYNC_FLUSH))
        self._file.flush()

    def close(self) -> None:
        """Finish the stream and rename it to the final path (idempotent)."""
        if self.closed:
            return
        self.closed = True
        try:
            if self._deflater is not None:
                self._file.write(self._deflater.flush())
            self._file.close()
            _rename(self._tmp, self.path)
        except BaseException:
            self._remove_tmp()
            raise

    def abort(self) -> None:
        """Drop everything written; the final path is not touched."""
        if self.closed:
            return
        self.closed = True
        try:
            self._file.close()
        finally:
            self._remove_tmp()

    def _remove_tmp(self) -> None:
        local = _local_path(self._tmp)
        try:
            if local is not None:
                os.remove(local)
            else:
                fs, p = _fs(self._tmp)
                fs.rm(p)
        except (FileNotFoundError, OSError):
            pass

    def __enter__(self) -> AtomicWriter:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def _rename(src: str, dst: str) -> None:
    local_src, local_dst = _local_path(src), _local_path(dst)
    if local_src is not None and local_dst is not None:
        os.replace(local_src, local_dst)
        return
    fs, p_src = _fs(src)
    _, p_dst = _fs(dst)
    fs.mv(p_src, p_dst)
