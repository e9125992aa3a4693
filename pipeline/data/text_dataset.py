"""`TextLineDataset` and `FixedLengthRecordDataset`: files read in big blocks.

Both read a file in large chunks (`pipeline.io.text`) and hand the engine
blocks of many byte strings. Files are read in order, or ``num_parallel_reads``
at a time, interleaved line by line in TF's deterministic order.

Example:
    >>> from pipeline.io import fs
    >>> with fs.open_output("memory://textds-doc/a.txt") as f:
    ...     _ = f.write(b"a,1\\nb,2\\n")
    >>> list(TextLineDataset("memory://textds-doc/a.txt"))
    [b'a,1', b'b,2']
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from pipeline.data.dataset import Dataset
from pipeline.errors import DataLossError, InvalidArgumentError, NotFoundError
from pipeline.graph.base import AUTOTUNE, UNKNOWN
from pipeline.graph.failures import ElementFailure
from pipeline.graph.sources import BlockSourceNode
from pipeline.io import fs, text
from pipeline.types import TensorSpec, string

__all__ = ["FixedLengthRecordDataset", "TextLineDataset", "file_names"]


def file_names(filenames: Any) -> tuple[str, ...]:
    """``filenames`` (a path, a list, an array of str/bytes) as a tuple of str.

    Example:
        >>> file_names(np.array([b"a.csv", b"b.csv"], dtype=object))
        ('a.csv', 'b.csv')
    """
    if isinstance(filenames, (str, bytes, np.bytes_, os.PathLike)):
        filenames = [filenames]
    elif isinstance(filenames, np.ndarray):
        filenames = filenames.reshape(-1).tolist()
    names = []
    for name in filenames:
        if isinstance(name, (bytes, np.bytes_)):
            name = bytes(name).decode()
        elif not isinstance(name, (str, os.PathLike)):
            raise TypeError(
                "The `filenames` argument must contain `tf.string` elements. "
                f"Got `tf.{_type_name(name)}` elements."
            )
        names.append(os.fspath(name))
    if not names:
        raise InvalidArgumentError("`filenames` must not be empty.")
    return tuple(names)


def _type_name(value: Any) -> str:
    """The dtype TF would give ``value``: Python ints are int32, floats float32."""
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, int):
        return "int32"
    if isinstance(value, float):
        return "float32"
    if isinstance(value, np.generic):
        return value.dtype.name
    return type(value).__name__


def _check_positive(name: str, value: int | None) -> None:
    if value is not None and value <= 0:
        raise InvalidArgumentError(
            f"`{name}` must be positive. Received: {name}={value}"
        )


class _FileBlocks:
    """A block source over files read one after the other by ``read(path, pos)``.

    State: ``{"file": i, "pos": position inside file i}`` (positions are the
    reader's own, e.g. byte offsets).
    """

    element_spec = TensorSpec((), string)
    cardinality = UNKNOWN
    failures_alone = True

    def __init__(self, label: str, files: tuple[str, ...], read: Callable) -> None:
        self.label, self.files, self.read = label, files, read

    def __str__(self) -> str:
        return self.label

    def blocks(self, state: dict | None) -> Iterator[tuple[list, dict]]:
        """Yield ``(items, state after them)`` from ``state`` on."""
        state = state or {"file": 0, "pos": None}
        for i in range(state["file"], len(self.files)):
            pos = state["pos"] if i == state["file"] else None
            path = self.files[i]
            try:
                for items, after in self.read(path, pos):
                    yield items, {"file": i, "pos": after}
            except (NotFoundError, DataLossError, InvalidArgumentError) as e:
                failure = ElementFailure(e, where={"path": path})
                yield [failure], {"file": i + 1, "pos": None}


def _interleaved(files: tuple[str, ...], one_file: Callable, reads: int) -> Any:
    names = Dataset.from_tensor_slices(np.array(list(files), dtype=object))
    return _from_names(names, one_file, reads)


def _from_names(names: Dataset, one_file: Callable, reads: int | None) -> Any:
    """The files named by the string dataset ``names``, read one after the other
    or ``reads`` at a time (interleaved element by element)."""
    if reads in (None, 1):
        return names.flat_map(lambda name: one_file(file_names(name)))._node
    if reads != AUTOTUNE and reads < 1:
        raise InvalidArgumentError(
            "`num_parallel_reads` must be positive or AUTOTUNE. "
            f"Received: num_parallel_reads={reads}"
        )
    return names.interleave(
        lambda name: one_file(file_names(name)),
        cycle_length=reads,
        block_length=1,
        num_parallel_calls=reads,
        deterministic=True,
    )._node


class TextLineDataset(Dataset):
    """The lines of one or more text files, as ``tf.data.TextLineDataset``.

    Lines end with ``\\n`` (a ``\\r`` before it is dropped); a final newline
    does not make an empty last line.

    Args:
        filenames: a path or fsspec URL, or a list of them (read in order).
        compression_type: None or ``""`` (none, the default), ``"GZIP"``,
            ``"ZLIB"`` or ``"AUTO"`` (from each file's suffix).
        buffer_size: bytes read at a time (default and minimum 1 MiB).
        num_parallel_reads: read this many files at once, interleaving their
            lines one by one (default None: one file after the other).
        name: ignored (TF's op name).

    Raises:
        InvalidArgumentError: no file names, a bad compression type or size.

    Example:
        >>> from pipeline.io import fs
        >>> with fs.open_output("memory://textds-doc/b.txt.gz", "GZIP") as f:
        ...     _ = f.write(b"x\\r\\ny")
        >>> list(TextLineDataset(["memory://textds-doc/b.txt.gz"], "GZIP"))
        [b'x', b'y']
    """

    def __init__(
        self,
        filenames: Any,
        compression_type: str | None = None,
        buffer_size: int | None = None,
        num_parallel_reads: int | None = None,
        name: str | None = None,
    ) -> None:
        kind = _compression(compression_type)
        _check_positive("buffer_size", buffer_size)
        one = lambda f: TextLineDataset(f, kind, buffer_size)  # noqa: E731
        if isinstance(filenames, Dataset):
            super().__init__(_from_names(filenames, one, num_parallel_reads))
            return
        files = file_names(filenames)
        if num_parallel_reads not in (None, 1) and len(files) > 1:
            super().__init__(_interleaved(files, one, num_parallel_reads))
            return

        def read(path: str, pos: Any) -> Iterator:
            position = tuple(pos or (0, 0))
            return text.read_line_blocks(path, kind, buffer_size, position)

        label = f"TextLineDataset({list(files)}{_kind_arg(kind)})"
        super().__init__(BlockSourceNode((), _FileBlocks(label, files, read)))


class FixedLengthRecordDataset(Dataset):
    """Fixed-length records of one or more files (``tf.data.FixedLengthRecordDataset``).

    Each file is ``header_bytes``, then records of ``record_bytes``, then
    ``footer_bytes``. A body that is not a whole number of records fails as
    in TensorFlow: InvalidArgumentError before any record of an uncompressed
    file, DataLossError after the whole records of a compressed one.

    Args:
        filenames: a path or fsspec URL, or a list of them.
        record_bytes: the size of each record.
        header_bytes: bytes to skip at the start of each file (default 0).
        footer_bytes: bytes to ignore at the end of each file (default 0).
        buffer_size: bytes read at a time (default 1 MiB).
        compression_type: None, ``"GZIP"``, ``"ZLIB"`` or ``"AUTO"``.
        num_parallel_reads: files read at once, interleaved record by record.
        name: ignored (TF's op name).

    Example:
        >>> from pipeline.io import fs
        >>> with fs.open_output("memory://textds-doc/c.bin") as f:
        ...     _ = f.write(b"H" + b"aabbcc" + b"FF")
        >>> list(FixedLengthRecordDataset("memory://textds-doc/c.bin", 2, 1, 2))
        [b'aa', b'bb', b'cc']
    """

    def __init__(
        self,
        filenames: Any,
        record_bytes: int,
        header_bytes: int | None = None,
        footer_bytes: int | None = None,
        buffer_size: int | None = None,
        compression_type: str | None = None,
        num_parallel_reads: int | None = None,
        name: str | None = None,
    ) -> None:
        kind = _compression(compression_type)
        _check_positive("record_bytes", record_bytes)
        _check_positive("buffer_size", buffer_size)
        head, foot = int(header_bytes or 0), int(footer_bytes or 0)
        if head < 0 or foot < 0:
            raise InvalidArgumentError(
                "`header_bytes` and `footer_bytes` must be >= 0. "
                f"Received: header_bytes={head}, footer_bytes={foot}"
            )
        one = lambda f: FixedLengthRecordDataset(  # noqa: E731
            f, record_bytes, head, foot, buffer_size, kind
        )
        if isinstance(filenames, Dataset):
            super().__init__(_from_names(filenames, one, num_parallel_reads))
            return
        files = file_names(filenames)
        if num_parallel_reads not in (None, 1) and len(files) > 1:
            super().__init__(_interleaved(files, one, num_parallel_reads))
            return

        def read(path: str, pos: Any) -> Iterator:
            return text.read_fixed_length(
                path, record_bytes, head, foot, kind, buffer_size, pos or 0
            )

        label = f"FixedLengthRecordDataset({list(files)}, record_bytes={record_bytes})"
        super().__init__(BlockSourceNode((), _FileBlocks(label, files, read)))


def _compression(compression_type: str | None) -> str:
    if (compression_type or "").upper() == "AUTO":
        return "AUTO"
    return fs.compression_of("", compression_type)


def _kind_arg(kind: str) -> str:
    return f", compression_type={kind!r}" if kind else ""
