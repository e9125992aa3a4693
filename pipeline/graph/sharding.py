"""Sharding a graph among replicas: where to cut it, and how (tf.data's AutoShard).

A dataset is split into ``num_shards`` disjoint parts by rewriting its graph
at the **shard point**: from the output down, through the stages that work
per element or per batch (prefetch, map, filter, batch, shuffle, repeat), to
the first stage that produces the input's records: a file source, an
interleave or flat_map over file names, or any other source.

- ``FILE``: the files feeding that reader are dealt out (file ``i`` goes to
  shard ``i % num_shards``): a shard reads only its own files.
- ``DATA``: every shard reads the whole input and keeps every
  ``num_shards``-th record, from its index (``shard``) — the record stream,
  not the batches, so a record lands in exactly one shard. The caller may
  pass a node reading only the shard's own records instead (``own``:
  ``pipeline.data.distribute`` does for indexed TFRecord files).
- ``AUTO``: ``FILE`` when there are at least as many files as shards, else
  ``DATA``. ``OFF``: no sharding (every shard sees everything).
- A global shuffle (``pl.data.global_shuffle``) is cut its own way, whatever
  the policy but ``OFF``: each shard takes every ``num_shards``-th window of
  the permutation (``SLICE``).

`EqualizeNode` then cuts (``drop``) or pads by repeating (``pad``) each
shard's records to one common count, so every shard yields the same number
of batches. Nothing here counts records: ``pipeline.data.distribute`` does.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> from pipeline.graph.batching import BatchNode
    >>> node = BatchNode((RangeNode((), 0, 7, 1),), batch_size=2)
    >>> cut = cut_point(node)
    >>> cut.files, str(cut.point)
    (None, 'range(start=0, stop=7, step=1)')
    >>> sharded = shard_at(cut, "DATA", 3, 1)
    >>> [b.tolist() for b in IterContext().build(sharded)]
    [[1, 4]]
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from pipeline.errors import InvalidArgumentError
from pipeline.graph.base import IterContext, Node, NodeIterator
from pipeline.graph.batching import BatchNode
from pipeline.graph.caching import PrefetchNode
from pipeline.graph.combining import InterleaveNode
from pipeline.graph.elementwise import FilterNode, MapNode
from pipeline.graph.recovery import IgnoreErrorsNode
from pipeline.graph.shuffling import ShuffleNode
from pipeline.graph.slicing import RepeatIterator, RepeatNode, ShardNode
from pipeline.graph.sources import BlockSourceNode

POLICIES = ("AUTO", "FILE", "DATA", "OFF")

# Stages the shard point search passes through: they work per element or per
# batch of what lies below them, so cutting below them keeps their meaning.
_PASS_THROUGH = (PrefetchNode, MapNode, FilterNode, BatchNode, ShuffleNode,
                 RepeatNode, IgnoreErrorsNode)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Cut:
    """Where a graph is cut: the path from the output down to the shard point.

    ``files`` is the tuple of files feeding the point's reader, or None when
    it reads no file list (``from_tensor_slices``, ``range``, a generator).
    ``names`` is set when the files come as a stream of names (an interleave
    or flat_map over them); ``source`` when the point is a block source.
    ``batched`` is ``(batch_size, drop_remainder)`` when that source reads
    whole batches of an inner record source (``TFRecordDataset(...).batch``),
    which sharding by record splits back into reader + batch.
    """

    path: tuple[Node, ...]
    point: Node
    files: tuple[str, ...] | None
    names: Node | None = None
    source: Any = None
    batched: tuple[int, bool] | None = None
    sliced: bool = False

    @property
    def records(self) -> Any:
        """The block source of the records: ``source``, or its inner record
        source when ``batched``."""
        return self.source.source if self.batched else self.source


def cut_point(root: Node) -> Cut:
    """The shard point of ``root`` and what feeds it (see the module docstring).

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> cut_point(RangeNode((), 0, 3, 1)).path
        ()
    """
    path: list[Node] = []
    node = root
    while isinstance(node, _PASS_THROUGH) and len(node.parents) == 1:
        path.append(node)
        node = node.parents[0]
    if isinstance(node, BlockSourceNode) and hasattr(node.source, "with_shard"):
        return Cut(tuple(path), node, None, source=node.source, sliced=True)
    if isinstance(node, BlockSourceNode):
        source = node.source
        files = _source_files(source)
        inner = getattr(source, "source", None)
        batched = None
        if inner is not None and hasattr(source, "batch_size"):
            batched = (int(source.batch_size), bool(source.drop_remainder))
        return Cut(tuple(path), node, files, source=source, batched=batched)
    if isinstance(node, InterleaveNode) and _is_names(node.parents[0]):
        names = node.parents[0]
        count = names.cardinality()
        files = tuple(f"<file {i}>" for i in range(count)) if count >= 0 else None
        return Cut(tuple(path), node, files, names=names)
    return Cut(tuple(path), node, None)


def _is_names(node: Node) -> bool:
    spec = node.element_spec()
    dtype = getattr(spec, "dtype", None)
    return dtype is not None and dtype.kind == "O" and tuple(spec.shape or ()) == ()


def _source_files(source: Any) -> tuple[str, ...] | None:
    inner = getattr(source, "source", None)  # a batch source over a record source
    files = getattr(inner if inner is not None else source, "files", None)
    return tuple(files) if files is not None else None


def choose_policy(policy: str, cut: Cut, num_shards: int) -> tuple[str, str]:
    """The policy a cut gets for ``num_shards`` shards, and why (one line).

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> choose_policy("AUTO", cut_point(RangeNode((), 0, 3, 1)), 2)
        ('DATA', 'AUTO -> DATA (not read from files)')
    """
    policy = policy.upper()
    nfiles = None if cut.files is None else len(cut.files)
    if policy == "OFF":
        return "OFF", "OFF (every shard reads everything)"
    if cut.sliced:
        return (
            "SLICE",
            f"{policy} -> SLICE (shuffle window i to shard i % {num_shards})",
        )
    if policy == "DATA":
        return "DATA", "DATA (every shard reads all, keeps its records)"
    if policy == "FILE":
        if nfiles is None or nfiles < num_shards:
            have = "no list of files" if nfiles is None else f"{nfiles} files"
            raise InvalidArgumentError(
                f"policy='FILE' needs at least as many files as shards: the input "
                f"has {have} for {num_shards} shards; use policy='DATA' or 'AUTO'."
            )
        return "FILE", f"FILE ({nfiles} files to {num_shards} shards)"
    if nfiles is None:
        return "DATA", "AUTO -> DATA (not read from files)"
    if nfiles >= num_shards:
        return "FILE", f"AUTO -> FILE ({nfiles} files >= {num_shards} shards)"
    return "DATA", f"AUTO -> DATA ({nfiles} files < {num_shards} shards)"


def shard_at(
    cut: Cut,
    policy: str,
    num_shards: int,
    index: int,
    keep: tuple[int, bool] | None = None,
    own: Node | None = None,
) -> Node:
    """The graph of shard ``index`` of ``num_shards`` under a resolved policy;
    ``keep=(count, pad)`` equalizes its records to ``count`` (`EqualizeNode`).
    With ``DATA``, ``own`` (when given) is a node reading only this shard's
    records (through a record index), used instead of keeping every
    ``num_shards``-th record of everything.

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> node = shard_at(cut_point(RangeNode((), 0, 5, 1)), "DATA", 2, 0)
        >>> [int(x) for x in IterContext().build(node)]
        [0, 2, 4]
    """
    return rebuild(cut, shard_point(cut, policy, num_shards, index, keep, own))


def shard_point(
    cut: Cut,
    policy: str,
    num_shards: int,
    index: int,
    keep: tuple[int, bool] | None = None,
    own: Node | None = None,
) -> Node:
    """The shard point's replacement: the records of shard ``index`` only
    (``own``: see `shard_at`)."""
    if policy == "OFF":
        return cut.point
    unfold = cut.batched is not None and (policy == "DATA" or keep is not None)
    if policy == "SLICE":
        source = cut.source.with_shard(num_shards, index)
        records: Node = cut.point.replace(source=source)
    elif policy == "FILE" and cut.names is not None:
        names = ShardNode((cut.names,), num_shards, index)
        records = cut.point.replace(parents=(names,))
    elif policy == "FILE":
        assert cut.files is not None
        source = with_files(cut.source, cut.files[index::num_shards])
        records = BlockSourceNode((), source.source if unfold else source)
    elif own is not None:
        records = own
    else:
        base = BlockSourceNode((), cut.records) if unfold else cut.point
        records = ShardNode((base,), num_shards, index)
    if keep is not None:
        records = EqualizeNode((records,), count=keep[0], pad=keep[1])
    if unfold:
        assert cut.batched is not None
        size, drop = cut.batched
        records = BatchNode((records,), batch_size=size, drop_remainder=drop)
    return records


def record_point(cut: Cut) -> Node:
    """The shard point as a stream of records (a batch reader's inner source)."""
    if cut.batched is not None:
        return BlockSourceNode((), cut.records)
    return cut.point


def with_files(source: Any, files: tuple[str, ...]) -> Any:
    """A copy of a block source reading ``files`` (its inner record source too).

    Example:
        >>> class Src:
        ...     files = ("a", "b")
        >>> with_files(Src(), ("b",)).files
        ('b',)
    """
    inner = getattr(source, "source", None)
    out = copy.copy(source)
    if inner is not None and hasattr(inner, "files"):
        out.source = with_files(inner, files)
    else:
        out.files = tuple(files)
    return out


def rebuild(cut: Cut, point: Node) -> Node:
    """The cut's path put back on top of a new shard point."""
    node = point
    for stage in reversed(cut.path):
        node = stage.replace(parents=(node,))
    return node


@dataclasses.dataclass(frozen=True, eq=False)
class EqualizeNode(Node):
    """Exactly ``count`` elements: the first ``count`` (``pad=False``), or the
    input then its repetition from the start until ``count`` (``pad=True``)."""

    count: int = 0
    pad: bool = False
    op = "equalize"
    passes_elements = True

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        if self.pad:
            parent: NodeIterator = RepeatIterator(ctx, self.parents[0], -1)
        else:
            parent = ctx.build(self.parents[0])
        return _CountIterator(parent, self.count)

    def cardinality(self) -> int:
        return self.count


class _CountIterator(NodeIterator):
    def __init__(self, parent: NodeIterator, count: int) -> None:
        super().__init__(parent)
        self.parent, self.left = parent, count

    def __next__(self) -> Any:
        if self.left <= 0:
            raise StopIteration
        elem = next(self.parent)
        self.left -= 1
        return elem

    def get_state(self) -> dict[str, Any]:
        return {"parent": self.parent.get_state(), "left": self.left}

    def set_state(self, state: dict[str, Any]) -> None:
        self.parent.set_state(state["parent"])
        self.left = state["left"]


@dataclasses.dataclass(frozen=True, eq=False)
class DistributeNode(Node):
    """Marks a graph that ``pipeline.data.distribute`` sharded (passes elements).

    ``plan`` holds how to redo the cut for another shard count (the torch
    adapter composes ranks with DataLoader workers); ``explain()`` shows the
    replica, the policy chosen and why.
    """

    plan: Any = dataclasses.field(repr=False, default=None)
    op = "distribute"
    passes_elements = True

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return ctx.build(self.parents[0])

    def args(self) -> dict[str, Any]:
        return self.plan.describe()

    def __str__(self) -> str:
        parts = ", ".join(f"{k}={v}" for k, v in self.args().items())
        return f"{self.op}({parts})"
