"""DATA sharding through record index sidecars: each shard reads only its records.

Under the ``DATA`` policy (fewer files than shards) a shard would otherwise
read and frame every record of every file and keep every ``S``-th one. When
the records come from an uncompressed `TFRecordDataset` whose files all have
record index sidecars (``pipeline index``), shard ``k`` of ``S`` instead gets
a **contiguous range** of the global record numbering (records numbered in
file order across the files): ``T // S`` records, plus one for the first
``T % S`` shards, the ranges laid end to end. A shard then reads its range
as sequential runs (one seek per run of up to 1024 records, framed and CRC
checked by the compiled kernel), never touching another shard's bytes.
Every-``S``-th-record reading through the index would cost one seek per
record, so the ranges are contiguous; the counts per shard are the same as
with every-``S``-th, so ``equal=`` gives the same shares.

Example:
    >>> shard_range(10, 3, 0), shard_range(10, 3, 1), shard_range(10, 3, 2)
    ((0, 4), (4, 7), (7, 10))
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from pipeline.errors import DataLossError, FailedPreconditionError, NotFoundError
from pipeline.graph.base import Node
from pipeline.graph.failures import ElementFailure
from pipeline.graph.sharding import Cut
from pipeline.graph.sources import BlockSourceNode
from pipeline.types import TensorSpec, string

__all__ = ["IndexedRangeSource", "indexed_files", "indexed_share", "shard_range"]

_RUN = 1024  # records per read


def shard_range(total: int, shards: int, index: int) -> tuple[int, int]:
    """``[lo, hi)``: the global record numbers of shard ``index`` of ``shards``.

    Example:
        >>> shard_range(5, 2, 1)
        (3, 5)
    """
    base, extra = divmod(total, shards)
    lo = index * base + min(index, extra)
    return lo, lo + base + (index < extra)


def indexed_files(source: Any) -> tuple[list[int], list[int]] | None:
    """``(records, bytes)`` per file when ``source`` is an uncompressed
    TFRecord source whose files all have a usable index sidecar, else None.

    Example:
        >>> indexed_files(object()) is None
        True
    """
    from pipeline.data.shuffle_reader import indexed_count
    from pipeline.data.tfrecord_dataset import TFRecordSource

    if not isinstance(source, TFRecordSource) or source.compression_type:
        return None
    counts, sizes = [], []
    for path in source.files:
        try:
            count, size = indexed_count(path, "tfrecord")
        except (NotFoundError, DataLossError, FailedPreconditionError, OSError):
            return None
        counts.append(count)
        sizes.append(size)
    return counts, sizes


class IndexedRangeSource:
    """Records ``[lo, hi)`` of the global numbering of indexed TFRecord files.

    A block source (``pipeline.graph.sources``); state ``{"next": n}``, the
    global number of the next record. A run that fails to read (bad CRC,
    file not matching its index) is read again record by record, so each bad
    record becomes an `ElementFailure` alone and reading goes on.

    Example:
        >>> src = IndexedRangeSource(("a",), [10], [200], 2, 5)
        >>> str(src), src.cardinality
        ("TFRecordDataset(['a'], records [2, 5) via index)", 3)
    """

    element_spec = TensorSpec((), string)
    failures_alone = True

    def __init__(
        self,
        files: tuple[str, ...],
        counts: list[int],
        sizes: list[int],
        lo: int,
        hi: int,
    ) -> None:
        self.files, self.counts, self.sizes = files, counts, sizes
        self.lo, self.hi = lo, hi
        self.cardinality = hi - lo

    def __str__(self) -> str:
        return (
            f"TFRecordDataset({list(self.files)}, records "
            f"[{self.lo}, {self.hi}) via index)"
        )

    def blocks(self, state: dict | None) -> Iterator[tuple[list, dict]]:
        """Yield ``(records or failures, state after them)`` from ``state`` on."""
        from pipeline.data.shuffle_reader import IndexedReader, file_runs

        starts = np.concatenate([[0], np.cumsum(self.counts)]).astype(np.int64)
        n = self.lo if state is None else int(state["next"])
        reader = IndexedReader(self.files, self.counts, self.sizes, "tfrecord")
        try:
            for f, first, last in file_runs(starts, n, self.hi, _RUN):
                for items, after in _run(reader, f, first, last):
                    yield items, {"next": int(starts[f]) + after}
        finally:
            reader.close()


def _run(reader: Any, f: int, lo: int, hi: int) -> Iterator[tuple[list, int]]:
    """``(items, local record after them)`` for records ``[lo, hi)`` of ``f``."""
    try:
        yield reader.read(f, lo, hi), hi
        return
    except DataLossError:
        pass  # find the bad records one by one
    for k in range(lo, hi):
        try:
            items: list = reader.read(f, k, k + 1)
        except DataLossError as e:
            items = [
                ElementFailure(e, where={"path": reader.paths[f], "record_index": k})
            ]
        yield items, k + 1


def indexed_share(
    cut: Cut, policy: str, shards: int, index: int, why: str
) -> tuple[Node | None, str]:
    """Under ``DATA``, a node reading only shard ``index``'s contiguous range
    through the record index, and ``why`` saying so; else ``(None, why)``.

    Example:
        >>> from pipeline.graph.sharding import cut_point
        >>> from pipeline.graph.sources import RangeNode
        >>> indexed_share(cut_point(RangeNode((), 0, 3, 1)), "DATA", 2, 0, "DATA")
        (None, 'DATA')
    """
    if policy != "DATA" or shards < 2 or cut.names is not None or cut.source is None:
        return None, why
    source = cut.records
    found = indexed_files(source)
    if found is None:
        return None, why
    counts, sizes = found
    total = sum(counts)
    lo, hi = shard_range(total, shards, index)
    own = BlockSourceNode(
        (), IndexedRangeSource(tuple(source.files), counts, sizes, lo, hi)
    )
    head, _, detail = why.partition(" (")
    detail = "" if head == "DATA" else detail.rstrip(")") + "; "
    return own, (
        f"{head} via index ({detail}each shard reads its own contiguous range "
        f"of the {total} records)"
    )
