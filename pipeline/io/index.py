"""Record index sidecars: the byte offset of every record of a TFRecord file.

With an index, counting records is instant and reading can start at record
``k`` without scanning the records before it (for compressed files the stream
is still inflated from the start, but nothing is framed or checked).

Where sidecars live: ``<folder>/.pipeline-index/<file name>.index``, in a
hidden folder beside the indexed file (`index_path_of`). A shard pattern such
as ``train-*`` or ``*.tfrecord*`` never reaches it, in this library or in
TensorFlow (``tf.data.Dataset.list_files``, ``tf.io.gfile.glob``), so the
sidecars are never read as data. A pattern that matches every name of the
folder (TensorFlow's ``dir/*``, whose ``*`` also matches a leading dot and
folders) lists the folder itself, as it lists any other subfolder: name the
shards in the pattern. Sidecars of older versions sat next to the file as
``<file>.index`` (`old_index_path_of`); they are no longer read, and
``pipeline index`` removes them as it writes the new ones (`remove_old_index`).

Sidecar format, little-endian::

    8 bytes  magic b"PLTFIDX1"
    uint64   number of records n
    uint64   size in bytes of the indexed file as stored (staleness check)
    uint64   n offsets: the header offset of each record (uncompressed stream)

Example:
    >>> from pipeline.io.tfrecord_writer import TFRecordWriter
    >>> with TFRecordWriter("memory://index-doc/a.tfrecord") as w:
    ...     for r in (b"a", b"bb", b"ccc"):
    ...         w.write(r)
    >>> write_index("memory://index-doc/a.tfrecord")
    'memory://index-doc/.pipeline-index/a.tfrecord.index'
    >>> read_index("memory://index-doc/a.tfrecord").tolist()
    [0, 17, 35]
    >>> list(read_from("memory://index-doc/a.tfrecord", 1))
    [b'bb', b'ccc']
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator

import numpy as np

from pipeline.errors import (
    DataLossError,
    FailedPreconditionError,
    NotFoundError,
    OutOfRangeError,
)
from pipeline.io import fs
from pipeline.io.tfrecord import iter_blocks

__all__ = [
    "INDEX_FOLDER",
    "build_index",
    "count_indexed",
    "index_path_of",
    "is_sidecar",
    "make_index_folder",
    "old_index_path_of",
    "read_from",
    "read_index",
    "remove_old_index",
    "write_index",
]

_MAGIC = b"PLTFIDX1"
_HEAD = struct.Struct("<8sQQ")
_FRAME_BYTES = 16  # header and footer: the smallest record
#: Deflate expands at most about 1032:1, so no record of a compressed file
#: starts past this many times its stored size.
_MAX_INFLATE_RATIO = 1032
#: ``compression_type`` of `read_index` when the caller does not know it.
UNKNOWN = "UNKNOWN"
#: The hidden folder, beside the indexed files, that holds their sidecars.
INDEX_FOLDER = ".pipeline-index"
#: The magics of every sidecar kind: TFRecord records, text lines, CSV rows.
_MAGICS = (_MAGIC, b"PLTXIDX1", b"PLCVIDX1")


def _split(path: str) -> tuple[str, str]:
    """``(folder with its trailing separator, name)`` of a path or URL."""
    cut = path.rfind("/")
    if os.sep != "/":
        cut = max(cut, path.rfind(os.sep))
    return path[: cut + 1], path[cut + 1 :]


def index_path_of(path: str) -> str:
    """The default sidecar path of ``path``: in the hidden `INDEX_FOLDER`.

    Example:
        >>> index_path_of("data/train-00000.tfrecord.gz")
        'data/.pipeline-index/train-00000.tfrecord.gz.index'
        >>> index_path_of("memory://bucket/a.csv")
        'memory://bucket/.pipeline-index/a.csv.index'
    """
    folder, name = _split(os.fspath(path))
    return f"{folder}{INDEX_FOLDER}/{name}.index"


def old_index_path_of(path: str) -> str:
    """Where older versions wrote the sidecar of ``path``: ``<path>.index``.

    Example:
        >>> old_index_path_of("data/a.tfrecord")
        'data/a.tfrecord.index'
    """
    return f"{os.fspath(path)}.index"


def is_sidecar(path: str) -> bool:
    """Whether ``path`` is a sidecar in the hidden `INDEX_FOLDER`.

    Example:
        >>> is_sidecar("d/.pipeline-index/a.tfrecord.index"), is_sidecar("d/a.index")
        (True, False)
    """
    folder, name = _split(os.fspath(path))
    return name.endswith(".index") and _split(folder[:-1])[1] == INDEX_FOLDER


def make_index_folder(target: str) -> None:
    """Create the folder of the local sidecar path ``target`` if it is missing.

    fsspec URLs need nothing: their writers make the folders they write into.

    Example:
        >>> make_index_folder("memory://index-doc/.pipeline-index/a.index")
    """
    if "://" in target and not target.startswith("file://"):
        return
    folder = _split(target.removeprefix("file://"))[0]
    if folder:
        os.makedirs(folder, exist_ok=True)


def remove_old_index(path: str) -> str | None:
    """Remove the old-style sidecar ``<path>.index`` of ``path`` if there is one.

    Only a file that starts with a sidecar magic is removed: a ``.index`` file
    of anyone else is left alone.

    Returns:
        The path removed, or None.

    Example:
        >>> from pipeline.io import fs
        >>> with fs.open_output("memory://index-doc/g.tfrecord.index") as f:
        ...     _ = f.write(_HEAD.pack(_MAGIC, 0, 0))
        >>> remove_old_index("memory://index-doc/g.tfrecord")
        'memory://index-doc/g.tfrecord.index'
        >>> fs.exists("memory://index-doc/g.tfrecord.index")
        False
    """
    old = old_index_path_of(path)
    if not fs.exists(old):
        return None
    with fs.open_input(old) as f:
        if f.read(len(_MAGIC)) not in _MAGICS:
            return None
    fs.discard(old)
    return old


def build_index(path: str, compression_type: str | None = None) -> np.ndarray:
    """The header offset of every record of ``path`` (reads and checks it all).

    Raises:
        DataLossError: the file is corrupt or truncated.

    Example:
        >>> from pipeline.io.tfrecord_writer import TFRecordWriter
        >>> with TFRecordWriter("memory://index-doc/b") as w:
        ...     w.write(b"")
        >>> build_index("memory://index-doc/b").tolist()
        [0]
    """
    parts = [b.offsets for b in iter_blocks(path, compression_type)]
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)


def write_index(
    path: str, compression_type: str | None = None, index_path: str | None = None
) -> str:
    """Build the index of ``path`` and write it (atomically) next to it.

    Args:
        path: the TFRecord file.
        compression_type: as for reading the file (``"AUTO"`` allowed).
        index_path: where to write (default `index_path_of`: the hidden
            ``.pipeline-index`` folder beside ``path``, made if missing).

    Returns:
        The path of the sidecar written.

    Example:
        >>> from pipeline.io.tfrecord_writer import TFRecordWriter
        >>> with TFRecordWriter("memory://index-doc/c") as w:
        ...     w.write(b"x")
        >>> write_index("memory://index-doc/c", index_path="memory://index-doc/c.i")
        'memory://index-doc/c.i'
    """
    offsets = build_index(path, compression_type).astype("<u8")
    target = index_path or index_path_of(path)
    if index_path is None:
        make_index_folder(target)
    with fs.open_output(target) as out:
        out.write(_HEAD.pack(_MAGIC, len(offsets), fs.file_size(path)))
        out.write(offsets.tobytes())
    return target


def read_index(
    path: str, index_path: str | None = None, compression_type: str | None = UNKNOWN
) -> np.ndarray:
    """The record offsets stored in the sidecar of ``path`` (int64 array).

    The offsets are checked: below 2**63, increasing by at least 16 bytes
    (the smallest record), the first at 0, and every record inside the file
    (exactly for an uncompressed file, within deflate's largest expansion for
    a compressed one or when ``compression_type`` is `UNKNOWN`, the default).

    Raises:
        NotFoundError: no sidecar.
        DataLossError: the sidecar is damaged (the message names it).
        FailedPreconditionError: the file changed size since it was indexed.

    Example:
        >>> from pipeline.io.tfrecord_writer import TFRecordWriter
        >>> with TFRecordWriter("memory://index-doc/d") as w:
        ...     w.write(b"x")
        >>> _ = write_index("memory://index-doc/d")
        >>> read_index("memory://index-doc/d").tolist()
        [0]
    """
    target = index_path or index_path_of(path)
    try:
        with fs.open_input(target) as f:
            data = f.read()
    except NotFoundError as e:
        raise _missing(path, target) from e
    if len(data) < _HEAD.size or data[:8] != _MAGIC:
        raise DataLossError(f"not a record index: {target!r}", path=target)
    _, count, size = _HEAD.unpack_from(data)
    if len(data) != _HEAD.size + 8 * count:
        raise DataLossError(
            f"record index {target!r} is truncated: expected {count} offsets",
            path=target,
        )
    if fs.file_size(path) != size:
        raise FailedPreconditionError(
            f"record index {target!r} is stale: {path!r} was {size} bytes when "
            f"indexed, now {fs.file_size(path)}; rebuild it with write_index()",
            path=path,
        )
    offsets = np.frombuffer(data, dtype="<u8", offset=_HEAD.size)
    _check_offsets(offsets, target, size, compression_type, path)
    return offsets.astype(np.int64)


def _missing(path: str, target: str) -> NotFoundError:
    """The error for a missing sidecar; it names an old-style one if present."""
    message = f"no record index {target!r} for {path!r}"
    old = old_index_path_of(path)
    if fs.exists(old):
        message += (
            f" ({old!r} is a sidecar of the earlier layout, no longer read: "
            "rebuild with `pipeline index`, which removes it)"
        )
    else:
        message += ": build it with `pipeline index` or write_index()"
    return NotFoundError(message, path=target)


def _check_offsets(
    offsets: np.ndarray, target: str, size: int, kind: str | None, path: str
) -> None:
    """Raise `DataLossError` naming the sidecar where its offsets cannot be right."""
    plain = kind != UNKNOWN and not fs.compression_of(path, kind)
    limit = size if plain else size * _MAX_INFLATE_RATIO
    problem = None
    if len(offsets) == 0:
        if plain and size:
            problem = f"it lists no record, but the file has {size} bytes"
    elif int(offsets.max()) >= 2**63:
        at = int(np.argmax(offsets >= 2**63))
        problem = f"offset {int(offsets[at])} of record {at} is not below 2**63"
    elif int(offsets[0]) != 0:
        problem = f"the first record is at {int(offsets[0])}, expected 0"
    elif np.any(offsets[1:] < offsets[:-1] + _FRAME_BYTES):
        at = int(np.argmax(offsets[1:] < offsets[:-1] + _FRAME_BYTES)) + 1
        problem = (
            f"record {at} at {int(offsets[at])} does not follow record {at - 1} "
            f"at {int(offsets[at - 1])} by at least {_FRAME_BYTES} bytes"
        )
    elif int(offsets[-1]) + _FRAME_BYTES > limit:
        problem = (
            f"record {len(offsets) - 1} at {int(offsets[-1])} is past the end of "
            f"the file ({size} bytes{'' if plain else ' compressed'})"
        )
    if problem:
        raise DataLossError(
            f"record index {target!r} is corrupt: {problem}; rebuild it with "
            "write_index()",
            path=target,
        )


def count_indexed(
    path: str, index_path: str | None = None, compression_type: str | None = UNKNOWN
) -> int:
    """The number of records of ``path``, from its sidecar.

    Example:
        >>> from pipeline.io.tfrecord_writer import TFRecordWriter
        >>> with TFRecordWriter("memory://index-doc/e") as w:
        ...     w.write(b"x")
        >>> _ = write_index("memory://index-doc/e")
        >>> count_indexed("memory://index-doc/e")
        1
    """
    return len(read_index(path, index_path, compression_type))


def read_from(
    path: str,
    k: int,
    compression_type: str | None = None,
    index_path: str | None = None,
) -> Iterator[bytes]:
    """Yield the records of ``path`` from record ``k`` on, using its sidecar.

    Raises:
        OutOfRangeError: ``k`` is past the last record.

    Example:
        >>> from pipeline.io.tfrecord_writer import TFRecordWriter
        >>> with TFRecordWriter("memory://index-doc/f") as w:
        ...     w.write(b"x")
        >>> _ = write_index("memory://index-doc/f")
        >>> list(read_from("memory://index-doc/f", 0))
        [b'x']
    """
    offsets = read_index(path, index_path, compression_type)
    if k < 0 or k > len(offsets):
        raise OutOfRangeError(
            f"record {k} is out of range: {path!r} has {len(offsets)} records",
            path=path,
            record_index=k,
        )
    if k == len(offsets):
        return
    start = int(offsets[k])
    blocks = iter_blocks(path, compression_type, start_offset=start, first_index=k)
    try:
        first = next(blocks, None)
    except DataLossError as e:
        if e.offset is None or e.offset >= start:
            raise
        target = index_path or index_path_of(path)
        raise DataLossError(
            f"record index {target!r} is corrupt: record {k} at {start} is past "
            f"the end of the data of {path!r} ({e.offset} bytes)",
            path=target,
        ) from e
    if first is not None:
        yield from first.records
    for block in blocks:
        yield from block.records
