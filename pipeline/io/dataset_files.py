"""The on-disk format of ``Dataset.save`` / ``load`` and ``snapshot``.

A saved dataset is a folder of shard files ``00000000.shard``, ... and one
metadata file. Shards are TFRecord files (optionally GZIP-compressed) whose
records are elements encoded by `pipeline.io.element_codec`; the metadata is
one TFRecord record of JSON: the format name and version, the compression,
the element spec, the cardinality and each shard's name and record count.
Both are CRC-checked as TFRecords are. Nothing read names code: a damaged or
edited file raises `DataLossError` naming the file (and record).

Example:
    >>> import tempfile, numpy as np
    >>> from pipeline.types import TensorSpec
    >>> d = tempfile.mkdtemp()
    >>> w = ShardWriter(d, "GZIP")
    >>> w.write(0, np.int64(7))
    >>> shards = w.close()
    >>> write_metadata(d + "/m", new_metadata(shards, "GZIP", TensorSpec((), np.int64)))
    >>> meta = read_metadata(d + "/m")
    >>> [int(x) for x in read_shard(d + "/" + shards[0][0], meta)]
    [7]
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from typing import Any

from pipeline.errors import DataLossError, NotFoundError, UnimplementedError
from pipeline.io import fs
from pipeline.io.element_codec import (
    decode_element,
    encode_element,
    spec_from_json,
    spec_to_json,
)
from pipeline.io.tfrecord import iter_records
from pipeline.io.tfrecord_writer import TFRecordWriter

__all__ = [
    "ShardWriter",
    "compression_name",
    "discard",
    "join",
    "make_folder",
    "new_metadata",
    "read_metadata",
    "read_shard",
    "write_metadata",
]

FORMAT = "pipeline.dataset"
VERSION = 1
_SHARD_NAME = re.compile(r"^[0-9]{8}\.shard$")
_MAX_METADATA_BYTES = 64 * 2**20


def join(folder: str, name: str) -> str:
    """``folder/name`` for local paths and fsspec URLs alike."""
    return os.fspath(folder).rstrip("/") + "/" + name


def make_folder(folder: str) -> None:
    """Create a local ``folder`` and its parents (fsspec stores need none)."""
    local = fs._local_path(os.fspath(folder))
    if local is not None:
        os.makedirs(local, exist_ok=True)


def discard(path: str) -> None:
    """Remove the file ``path`` if it exists (a metadata file a new save replaces)."""
    fs.discard(os.fspath(path))


def compression_name(compression: str | None, *, what: str = "compression") -> str:
    """``""`` or ``"GZIP"`` for None/``""``/``"NONE"``/``"GZIP"`` (any case).

    Example:
        >>> compression_name("gzip"), compression_name(None)
        ('GZIP', '')
    """
    kind = (compression or "").upper()
    if kind in ("", "NONE", "UNCOMPRESSED"):
        return ""
    if kind == "GZIP":
        return "GZIP"
    if kind in ("SNAPPY", "ZLIB"):
        raise UnimplementedError(
            f"{kind} compression is not supported for saved datasets; use "
            f"'GZIP' or None. Received: {what}={compression!r}"
        )
    raise ValueError(
        f"`{what}` must be None, 'NONE' or 'GZIP'. Received: {what}={compression!r}"
    )


def new_metadata(
    shards: list[list[Any]], compression: str, spec: Any, **extra: Any
) -> dict[str, Any]:
    """The metadata of a finished save: shards are ``[name, count]`` pairs."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "compression": compression,
        "element_spec": spec_to_json(spec),
        "cardinality": sum(int(n) for _, n in shards),
        "shards": [[name, int(n)] for name, n in shards],
        **extra,
    }


def write_metadata(path: str, metadata: dict[str, Any]) -> None:
    """Write ``metadata`` (JSON in one TFRecord record), atomically."""
    with TFRecordWriter(path) as w:
        w.write(json.dumps(metadata, sort_keys=True).encode())


def read_metadata(path: str) -> dict[str, Any]:
    """The checked metadata at ``path``; ``element_spec`` comes back as a spec.

    Raises:
        NotFoundError: there is no such file.
        DataLossError: it is damaged, or not metadata this version wrote.
    """
    if not fs.exists(path):
        raise NotFoundError(f"no saved dataset metadata at {path!r}", path=path)
    records = list(iter_records(path))
    if len(records) != 1 or len(records[0]) > _MAX_METADATA_BYTES:
        raise _bad(path, f"expected one JSON record, found {len(records)} records")
    try:
        meta = json.loads(records[0].decode())
    except (UnicodeDecodeError, ValueError) as e:
        raise _bad(path, f"the record is not JSON ({e})") from None
    _check(path, meta)
    try:
        meta["element_spec"] = spec_from_json(meta["element_spec"])
    except DataLossError as e:
        raise _bad(path, e.message) from None
    return meta


def _check(path: str, meta: Any) -> None:
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise _bad(path, f"expected format {FORMAT!r}")
    if meta.get("version") != VERSION:
        raise _bad(path, f"expected version {VERSION}, got {meta.get('version')!r}")
    if meta.get("compression") not in ("", "GZIP"):
        raise _bad(path, f"unknown compression {meta.get('compression')!r}")
    shards = meta.get("shards")
    if not isinstance(shards, list) or not all(_shard_entry(s) for s in shards):
        raise _bad(path, "expected shards as a list of ['NNNNNNNN.shard', count]")
    if meta.get("cardinality") != sum(n for _, n in shards):
        raise _bad(path, "the cardinality is not the sum of the shard counts")


def _shard_entry(entry: Any) -> bool:
    return (
        isinstance(entry, list)
        and len(entry) == 2
        and isinstance(entry[0], str)
        and bool(_SHARD_NAME.match(entry[0]))
        and type(entry[1]) is int
        and entry[1] >= 0
    )


def _bad(path: str, what: str) -> DataLossError:
    return DataLossError(f"bad saved-dataset metadata in {path!r}: {what}", path=path)


def read_shard(path: str, metadata: dict[str, Any], count: int = -1) -> Iterator[Any]:
    """The elements of one shard file; ``count``: the records it must hold."""
    spec, n = metadata["element_spec"], 0
    for n, record in enumerate(iter_records(path, metadata["compression"]), 1):
        try:
            yield decode_element(record, spec)
        except DataLossError as e:
            raise DataLossError(
                f"{e.message} (file {path!r}, record {n - 1})",
                path=path,
                record_index=n - 1,
            ) from None
    if count >= 0 and n != count:
        raise DataLossError(
            f"saved shard {path!r} holds {n} records; its metadata says {count}",
            path=path,
            record_index=n,
        )


class ShardWriter:
    """Writes elements into shard files of ``folder``, each file atomically.

    Example:
        >>> import tempfile, numpy as np
        >>> w = ShardWriter(tempfile.mkdtemp(), "")
        >>> w.write(3, np.int32(1)); w.write(3, np.int32(2))
        >>> w.close()
        [['00000003.shard', 2]]
    """

    def __init__(self, folder: str, compression: str) -> None:
        self.folder, self.compression = os.fspath(folder), compression
        self.writers: dict[int, TFRecordWriter] = {}
        self.counts: dict[int, int] = {}

    def write(self, shard: int, element: Any) -> None:
        """Append ``element`` to shard number ``shard``."""
        writer = self.writers.get(shard)
        if writer is None:
            name = join(self.folder, f"{shard:08d}.shard")
            writer = self.writers[shard] = TFRecordWriter(name, self.compression)
            self.counts[shard] = 0
        writer.write(encode_element(element))
        self.counts[shard] += 1

    def close(self) -> list[list[Any]]:
        """Finish every shard; ``[name, count]`` for each, by shard number."""
        for writer in self.writers.values():
            writer.close()
        return [[f"{k:08d}.shard", self.counts[k]] for k in sorted(self.writers)]

    def abort(self) -> None:
        """Drop every shard written so far (none reaches its final name)."""
        for writer in self.writers.values():
            writer.abort()
        self.writers.clear()
