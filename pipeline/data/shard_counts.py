"""Record counts of shards, for ``distribute(..., equal=...)``.

Equalizing shards needs how many records each one gets: from the
cardinality when known, else from the record index sidecars of TFRecord
files, else from one sequential counting pass over the input. ``counts`` is
the caller's cache: ``"total"`` (records at the shard point) and ``"files"``
(per file, when shares add up file by file).

Example:
    >>> from pipeline.graph.sharding import cut_point
    >>> from pipeline.graph.sources import RangeNode
    >>> counts = {}
    >>> shard_sizes(cut_point(RangeNode((), 0, 7, 1)), "DATA", 3, counts)
    [3, 2, 2]
    >>> counts
    {'total': 7}
"""

from __future__ import annotations

from pipeline.data.index_shard import indexed_files
from pipeline.errors import InvalidArgumentError
from pipeline.graph.base import INFINITE, IterContext, Node
from pipeline.graph.failures import ElementFailure
from pipeline.graph.sharding import (
    Cut,
    record_point,
    shard_point,
    with_files,
)
from pipeline.graph.sources import BlockSourceNode

__all__ = ["count_elements", "file_counts", "shard_sizes", "total_records"]


def shard_sizes(cut: Cut, policy: str, shards: int, counts: dict) -> list[int]:
    """The number of records (elements at the shard point) of every shard.

    Example:
        >>> from pipeline.graph.sharding import cut_point
        >>> from pipeline.graph.sources import RangeNode
        >>> shard_sizes(cut_point(RangeNode((), 0, 7, 1)), "DATA", 3, {})
        [3, 2, 2]
    """
    if policy == "SLICE":
        return cut.source.shard_sizes(shards)
    if policy == "DATA":
        total = total_records(cut, counts)
        return [total // shards + (i < total % shards) for i in range(shards)]
    per_file = file_counts(cut, counts)
    if per_file is not None:
        return [sum(per_file[i::shards]) for i in range(shards)]
    return [count_elements(shard_point(cut, policy, shards, i)) for i in range(shards)]


def total_records(cut: Cut, counts: dict) -> int:
    """The records at the shard point: cardinality, index sidecars, or a count.

    Example:
        >>> from pipeline.graph.sharding import cut_point
        >>> from pipeline.graph.sources import RangeNode
        >>> total_records(cut_point(RangeNode((), 0, 4, 1)), {})
        4
    """
    if "total" not in counts:
        n = record_point(cut).cardinality()
        if n == INFINITE:
            raise InvalidArgumentError(
                "`equal` cannot balance an infinite input; pass equal=False."
            )
        if n < 0:
            per_file = file_counts(cut, counts)
            n = (
                sum(per_file)
                if per_file is not None
                else count_elements(record_point(cut))
            )
        counts["total"] = n
    return counts["total"]


def file_counts(cut: Cut, counts: dict) -> list[int] | None:
    """Records per file, when a shard's share is the sum over its files.

    Example:
        >>> from pipeline.graph.sharding import cut_point
        >>> from pipeline.graph.sources import RangeNode
        >>> file_counts(cut_point(RangeNode((), 0, 4, 1)), {}) is None
        True
    """
    if "files" in counts:
        return counts["files"]
    per_file = None
    if cut.names is not None and cut.files is not None:
        n = len(cut.files)
        per_file = [count_elements(shard_point(cut, "FILE", n, i)) for i in range(n)]
    elif cut.files is not None and (
        cut.batched or not hasattr(cut.source, "batch_size")
    ):
        found = indexed_files(cut.records)
        per_file = (
            found[0]
            if found is not None
            else [
                count_elements(BlockSourceNode((), with_files(cut.records, (f,))))
                for f in cut.files
            ]
        )
    counts["files"] = per_file
    return per_file


def count_elements(node: Node) -> int:
    """Elements of ``node`` (failures not counted), read once sequentially.

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> count_elements(RangeNode((), 0, 5, 2))
        3
    """
    it = IterContext().build(node)
    n = 0
    try:
        for elem in it:
            n += not isinstance(elem, ElementFailure)
    finally:
        it.close()
    return n
