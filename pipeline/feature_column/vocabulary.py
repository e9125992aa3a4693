"""Vocabulary files: one entry per line, read and written through ``pipeline.io.fs``.

A final ``\\r`` on a line is stripped, other whitespace is kept, and a last line
without a final newline counts, as TensorFlow's lookup tables read them. A
``"tfrecord_gzip"`` vocabulary holds one entry per record of a GZIP TFRecord
file, as TF's ``file_format="tfrecord_gzip"``.

Example:
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "v.txt")
    >>> write_vocabulary(path, ["b", "a"])
    >>> load_vocabulary(path, None, string=True)
    [b'b', b'a']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pipeline.errors import FailedPreconditionError, InvalidArgumentError
from pipeline.io import fs

__all__ = [
    "check_file_format",
    "load_vocabulary",
    "vocabulary_file_size",
    "write_vocabulary",
]


FILE_FORMATS = (None, "text", "tfrecord_gzip")


def check_file_format(file_format: Any) -> None:
    """``None``/``"text"`` (one entry a line) or ``"tfrecord_gzip"`` (a record each).

    Raises:
        ValueError: another format.
    """
    if file_format not in FILE_FORMATS:
        raise ValueError(
            f"file_format must be None, 'text' or 'tfrecord_gzip'. Given: "
            f"{file_format!r}"
        )


def _records(path: str) -> list[bytes]:
    """The records of a GZIP TFRecord vocabulary, one entry each."""
    from pipeline.data import TFRecordDataset

    return [bytes(r) for r in TFRecordDataset(str(path), compression_type="GZIP")]


def _lines(path: str, file_format: Any = None) -> list[bytes]:
    if file_format == "tfrecord_gzip":
        return _records(path)
    with fs.open_input(path) as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def vocabulary_file_size(path: str, key: str = "", file_format: Any = None) -> int:
    """The number of entries of a vocabulary file (lines, or records).

    Raises:
        ValueError: the file does not exist (as TF says at column creation).

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "v.txt")
        >>> write_vocabulary(path, ["x", "y", "z"])
        >>> vocabulary_file_size(path)
        3
    """
    if not fs.exists(path):
        raise ValueError(f"vocabulary_file {path} in {key} does not exist.")
    return len(_lines(path, file_format))


def _parse_int(entry: bytes, path: str, line: int) -> int:
    try:
        return int(entry)
    except ValueError:
        raise InvalidArgumentError(
            f"vocabulary file {path!r} line {line}: expected an int64, got {entry!r}",
            path=path,
            line=line,
        ) from None


def load_vocabulary(
    path: str, size: int | None, string: bool, file_format: Any = None
) -> list[Any]:
    """The first ``size`` entries of a vocabulary file (bytes, or ints).

    Args:
        path: the file.
        size: how many entries to keep; None keeps them all.
        string: bytes entries, else integers.
        file_format: None or ``"text"`` (lines), or ``"tfrecord_gzip"``.

    Raises:
        InvalidArgumentError: an empty line, a non-integer entry in an integer
            vocabulary, or fewer lines than ``size``.
        FailedPreconditionError: a duplicate entry, or fewer records than
            ``size`` (as TF says for a TFRecord vocabulary).

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp(), "v.txt")
        >>> _ = path.write_bytes(b"3\\r\\n-4")
        >>> load_vocabulary(path, None, string=False)
        [3, -4]
    """
    lines = _lines(path, file_format)
    if size is not None and file_format == "tfrecord_gzip" and len(lines) < size:
        raise FailedPreconditionError(
            f"Input dataset was expected to contain {size} elements but contained "
            f"only {len(lines)} elements: vocabulary {path}",
            path=path,
        )
    if size is not None:
        if len(lines) < size:
            raise InvalidArgumentError(
                f"Invalid vocab_size in {path}: expected {size} lines, "
                f"got {len(lines)}",
                path=path,
            )
        lines = lines[:size]
    entries: list[Any] = []
    seen: dict[Any, int] = {}
    for i, raw in enumerate(lines):
        if raw == b"":
            raise InvalidArgumentError(
                f"Invalid vocabulary file {path!r}: empty line {i + 1}",
                path=path,
                line=i + 1,
            )
        entry = raw if string else _parse_int(raw, path, i + 1)
        if entry in seen:
            raise FailedPreconditionError(
                f"vocabulary file {path!r} has duplicate entry {entry!r} on lines "
                f"{seen[entry] + 1} and {i + 1}",
                path=path,
                line=i + 1,
            )
        seen[entry] = i
        entries.append(entry)
    return entries


def write_vocabulary(path: str, entries: Iterable[Any]) -> None:
    """Writes one entry per line (atomically, through ``pipeline.io.fs``).

    Raises:
        ValueError: an entry is empty or holds a newline (it could not be read back).

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "v.txt")
        >>> write_vocabulary(path, [1, 2])
        >>> import pathlib
        >>> pathlib.Path(path).read_text()
        '1\\n2\\n'
    """
    out = []
    for entry in entries:
        raw = entry if isinstance(entry, bytes) else str(entry).encode("utf-8")
        if not raw or b"\n" in raw or raw.endswith(b"\r"):
            raise ValueError(
                f"vocabulary entry {entry!r} cannot be written one per line"
            )
        out.append(raw + b"\n")
    with fs.open_output(path) as f:
        f.write(b"".join(out))
