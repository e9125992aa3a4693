"""`TFRecordDataset`: the records of TFRecord files, read in blocks.

Records are read by `pipeline.io.tfrecord` (framing and both CRCs checked in
the compiled kernel) and handed to the engine as blocks of many records. A bad
record becomes an `ElementFailure` in its place: the consumer raises its
`DataLossError` (after every good record before it), and ``ignore_errors()``
skips and counts it. A record with a bad data CRC is skipped alone; damage
that breaks the framing (bad length CRC, truncation) ends that file.

Example:
    >>> from pipeline.io.tfrecord_writer import TFRecordWriter
    >>> with TFRecordWriter("memory://tfrds-doc/a.tfrecord") as w:
    ...     for r in (b"a", b"b"):
    ...         w.write(r)
    >>> list(TFRecordDataset("memory://tfrds-doc/a.tfrecord"))
    [b'a', b'b']
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from pipeline import _kernels
from pipeline.data.dataset import Dataset
from pipeline.data.text_dataset import file_names
from pipeline.errors import InvalidArgumentError, NotFoundError
from pipeline.graph.base import AUTOTUNE, UNKNOWN
from pipeline.graph.batch_cutting import BatchCutter
from pipeline.graph.failures import ElementFailure
from pipeline.graph.sources import BlockSourceNode
from pipeline.io import fs
from pipeline.io.tfrecord import RecordBlock, iter_blocks
from pipeline.types import TensorSpec, string

__all__ = ["TFRecordDataset"]

_BLOCK_RECORDS = 1024
_FRAME_BYTES = 16


class TFRecordSource:
    """The block source of one `TFRecordDataset` (see ``pipeline.graph.sources``).

    State: ``{"file", "offset", "index"}``, the file, uncompressed byte offset
    and record index of the next record to read.

    Example:
        >>> src = TFRecordSource(("x.tfrecord",), "", None)
        >>> str(src), src.cardinality
        ("TFRecordDataset(['x.tfrecord'])", -2)
    """

    element_spec = TensorSpec((), string)
    cardinality = UNKNOWN
    failures_alone = True

    def __init__(
        self, files: tuple[str, ...], compression_type: str, buffer_size: int | None
    ) -> None:
        self.files = files
        self.compression_type = compression_type
        self.buffer_size = buffer_size

    def __str__(self) -> str:
        extra = ""
        if self.compression_type:
            extra = f", compression_type={self.compression_type!r}"
        return f"TFRecordDataset({list(self.files)}{extra})"

    def blocks(self, state: dict | None) -> Iterator[tuple[list, dict]]:
        """Yield ``(records or failures, state after them)`` from ``state`` on."""
        for items, after, _, _ in self.walk(state):
            yield items, after

    def walk(self, state: dict | None) -> Iterator[tuple[list, dict, Any, int]]:
        """As `blocks`, with the `RecordBlock` (None for a failure) and file index."""
        state = state or {"file": 0, "offset": 0, "index": 0}
        first = state["file"]
        for i in range(first, len(self.files)):
            start = (state["offset"], state["index"]) if i == first else (0, 0)
            yield from self._file_blocks(i, *start)

    def _file_blocks(self, i: int, offset: int, index: int):
        path = self.files[i]
        done = {"file": i + 1, "offset": 0, "index": 0}
        items = iter_blocks(
            path, self.compression_type, self.buffer_size, skip_corrupt=True,
            start_offset=offset, first_index=index, max_block_records=_BLOCK_RECORDS,
        )  # fmt: skip
        try:
            for item in items:
                if isinstance(item, RecordBlock):
                    end = int(item.offsets[-1]) + _FRAME_BYTES + len(item.records[-1])
                    after = {
                        "file": i,
                        "offset": end,
                        "index": item.first_index + len(item),
                    }
                    yield item.records, after, item, i
                    continue
                failed, after = _failure(i, path, item)
                yield failed, after, None, i
                if after == done:
                    return
        except NotFoundError as e:
            yield [ElementFailure(e, where={"path": path})], done, None, i


class TFRecordBatchSource:
    """Batches of records straight from the files: ``TFRecordDataset(...).batch(n)``.

    The same elements as the graph's ``batch`` over a `TFRecordSource` (1-D
    object arrays of ``bytes``; a bad record replaces the partial batch it
    falls in), sliced from the reader's blocks without handling records one
    by one. State: the position after the last record of the last batch.

    Example:
        >>> src = TFRecordBatchSource(TFRecordSource(("x",), "", None), 4, True)
        >>> str(src), src.element_spec.shape
        ("TFRecordDataset(['x']).batch(4, drop_remainder=True)", (4,))
    """

    cardinality = UNKNOWN
    failures_alone = True

    def __init__(self, source: TFRecordSource, batch_size: int, drop: bool) -> None:
        self.source, self.batch_size, self.drop_remainder = source, batch_size, drop
        self.element_spec = TensorSpec((batch_size if drop else None,), string)

    def __str__(self) -> str:
        drop = ", drop_remainder=True" if self.drop_remainder else ""
        return f"{self.source}.batch({self.batch_size}{drop})"

    def blocks(self, state: dict | None) -> Iterator[tuple[list, dict]]:
        """Yield ``([batch or failure], state after it)`` from ``state`` on.

        Cut by `graph.batch_cutting.BatchCutter`; a run is ``(block, file)``.
        """
        cutter = BatchCutter(self.batch_size)
        for items, after, block, i in self.source.walk(state):
            if block is None:  # a failure replaces the partial batch
                cutter.drop_pending()
                yield items, after
                continue
            cutter.add((block, i), len(block.records))
            for pieces in cutter.cuts():
                (block, i), _, k = pieces[-1]
                end = (
                    int(block.offsets[k - 1]) + _FRAME_BYTES + len(block.records[k - 1])
                )
                after = {"file": i, "offset": end, "index": block.first_index + k}
                yield [_joined(pieces)], after
        pieces = cutter.rest(self.drop_remainder)
        if pieces:
            end_state = {"file": len(self.source.files), "offset": 0, "index": 0}
            yield [_joined(pieces)], end_state


def _joined(pieces: list) -> np.ndarray:
    """One batch of records (a 1-D object array) from its cut pieces."""
    k = _kernels.load("tfrecord")
    return k.gather([(block.records, lo, hi) for (block, _), lo, hi in pieces])


def _failure(i: int, path: str, err: Any) -> tuple[list, dict]:
    """The failure item of a bad record and the state after it."""
    where = {"path": path, "offset": err.offset, "record_index": err.record_index}
    raw = getattr(err, "raw", None)
    failure = ElementFailure(err, raw=raw, where=where)
    if raw is None:  # the framing is lost: the file ends here
        return [failure], {"file": i + 1, "offset": 0, "index": 0}
    end = err.offset - 12 + _FRAME_BYTES + len(raw)
    return [failure], {"file": i, "offset": end, "index": err.record_index + 1}


class TFRecordDataset(Dataset):
    """The records of one or more TFRecord files, as ``tf.data.TFRecordDataset``.

    Args:
        filenames: a path or fsspec URL, a list of them (read in order), or a
            `Dataset` of them.
        compression_type: None or ``""`` (none, the default), ``"GZIP"``,
            ``"ZLIB"`` or ``"AUTO"`` (from each file's suffix).
        buffer_size: bytes read from a file at a time (default 256 KiB).
        num_parallel_reads: read this many files at once, interleaving their
            records one by one in TF's deterministic order (default None: one
            file after the other). ``AUTOTUNE`` picks the thread count.

    Raises:
        InvalidArgumentError: no file names, or a bad compression type.

    Example:
        >>> from pipeline.io.tfrecord_writer import TFRecordWriter
        >>> for name in ("b1", "b2"):
        ...     with TFRecordWriter(f"memory://tfrds-doc/{name}") as w:
        ...         for r in (b"1", b"2"):
        ...             w.write(name.encode() + b":" + r)
        >>> files = ["memory://tfrds-doc/b1", "memory://tfrds-doc/b2"]
        >>> list(TFRecordDataset(files, num_parallel_reads=2))
        [b'b1:1', b'b2:1', b'b1:2', b'b2:2']
    """

    def __init__(
        self,
        filenames: Any,
        compression_type: str | None = None,
        buffer_size: int | None = None,
        num_parallel_reads: int | None = None,
        name: str | None = None,
    ) -> None:
        fs.compression_of("", "" if compression_type == "AUTO" else compression_type)
        if isinstance(filenames, Dataset):
            super().__init__(
                _from_dataset(
                    filenames, compression_type, buffer_size, num_parallel_reads
                )
            )
            return
        files = file_names(filenames)
        if buffer_size is not None and buffer_size < 0:  # 0: TF's "no buffering"
            raise InvalidArgumentError(
                f"`buffer_size` must be >= 0. Received: buffer_size={buffer_size}"
            )
        kind = (compression_type or "").upper()
        if num_parallel_reads not in (None, 1) and len(files) > 1:
            node = _interleaved(files, kind, buffer_size, num_parallel_reads)
        else:
            node = BlockSourceNode((), TFRecordSource(files, kind, buffer_size))
        super().__init__(node)

    def batch(
        self,
        batch_size: int,
        drop_remainder: bool = False,
        num_parallel_calls: int | None = None,
        deterministic: bool | None = None,
        name: str | None = None,
    ) -> Dataset:
        """``Dataset.batch``; read as whole batches when nothing comes between.

        Example:
            >>> from pipeline.io.tfrecord_writer import TFRecordWriter
            >>> with TFRecordWriter("memory://tfrds-doc/c") as w:
            ...     for r in (b"1", b"2", b"3"):
            ...         w.write(r)
            >>> [b.tolist() for b in TFRecordDataset("memory://tfrds-doc/c").batch(2)]
            [[b'1', b'2'], [b'3']]
        """
        batched = super().batch(
            batch_size, drop_remainder, num_parallel_calls, deterministic, name
        )
        source = getattr(self._node, "source", None)
        if not isinstance(source, TFRecordSource):
            return batched
        fast = TFRecordBatchSource(source, int(batch_size), bool(drop_remainder))
        return self._chain(BlockSourceNode((), fast))


def _from_dataset(names: Dataset, kind: Any, buffer_size: Any, reads: Any):
    """TF's form for a dataset of file names: flat_map, or interleave."""

    def read_file(name: Any) -> Dataset:
        return TFRecordDataset(file_names(name), kind, buffer_size)

    if reads in (None, 1):
        return names.flat_map(read_file)._node
    return names.interleave(
        read_file, cycle_length=reads, block_length=1, num_parallel_calls=reads,
        deterministic=True,
    )._node  # fmt: skip


def _interleaved(files: tuple[str, ...], kind: str, buffer_size: Any, reads: int):
    if reads != AUTOTUNE and reads < 1:
        raise InvalidArgumentError(
            "`num_parallel_reads` must be positive or AUTOTUNE. "
            f"Received: num_parallel_reads={reads}"
        )
    names = Dataset.from_tensor_slices(np.array(list(files), dtype=object))
    return _from_dataset(names, kind, buffer_size, reads)
