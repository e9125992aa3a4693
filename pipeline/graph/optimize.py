"""Graph rewrites applied before a run, and the plan text ``explain()`` shows.

- **noop elimination**: ``take(-1)``, ``skip(0)``, ``repeat(1)``,
  ``shard(1, 0)``, ``prefetch(0)`` and identity maps go away;
- **map fusion**: ``map(f).map(g)`` becomes one ``map(f -> g)``;
- **map vectorization**: ``map(f) -> batch(n)`` becomes
  ``batch(n) -> vectorized_map(f)`` when ``f``'s code shows it only calls
  parsers that take batches and arranges their results (``graph.batchable``;
  ``f`` is never called to find out);
- **slice gathering**: ``from_tensor_slices [-> shuffle] -> batch`` shuffles
  row indices and gathers each batch column by column (``graph.gather``);
- **CSV blocks**: ``batch(n) -> map(decode_csv)`` calls ``decode_csv`` once
  per block of batches and cuts the result back into batches
  (``graph.csv_blocks``, shown as ``csv_block_map``);
- **final prefetch**: a ``prefetch(AUTOTUNE)`` is added at the end.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> from pipeline.graph.slicing import TakeNode
    >>> node = TakeNode((RangeNode((), 0, 3, 1),), count=-1)
    >>> print(plan_text(optimize(node)))
    prefetch(buffer_size=-1)
      range(start=0, stop=3, step=1)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.graph.base import AUTOTUNE, Node, fn_label
from pipeline.graph.batching import BatchNode
from pipeline.graph.caching import PrefetchNode
from pipeline.graph.csv_blocks import block_map
from pipeline.graph.elementwise import MapNode, SampleMemo, memo_apply
from pipeline.graph.gather import gather_rewrite
from pipeline.graph.slicing import RepeatNode, ShardNode, SkipNode, TakeNode
from pipeline.graph.vectorize import VectorizedMapNode, batchable

_IDENTITY_CODE = (lambda x: x).__code__.co_code


def optimize(
    node: Node,
    *,
    map_fusion: bool = True,
    noop_elimination: bool = True,
    map_vectorization: bool = True,
    final_prefetch: bool = True,
    gather_batches: bool = True,
    csv_blocks: bool = True,
) -> Node:
    """The rewritten graph (``node`` itself is unchanged: nodes are immutable).

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> m = MapNode((MapNode((RangeNode((), 0, 2, 1),), fn=abs),), fn=abs)
        >>> str(optimize(m, final_prefetch=False)).startswith("map(fn=abs -> abs")
        True
    """
    passes: list[Callable[[Node], Node]] = []
    if noop_elimination:
        passes.append(_drop_noop)
    if map_fusion:
        passes.append(_fuse_maps)
    if map_vectorization:
        passes.append(_vectorize)
    if gather_batches:
        passes.append(gather_rewrite)
    if csv_blocks:
        passes.append(_block_map)
    out = _rewrite(node, passes, {})
    if final_prefetch and not _buffered(out):
        out = PrefetchNode((out,), buffer_size=AUTOTUNE)
    return out


def _buffered(node: Node) -> bool:
    """Whether the output stage already runs ahead in threads."""
    return isinstance(node, PrefetchNode) or (
        isinstance(node, MapNode) and node.num_parallel_calls not in (None, 1)
    )


def _rewrite(node: Node, passes: list[Callable[[Node], Node]], memo: dict) -> Node:
    key = id(node)
    if key in memo:
        return memo[key]
    parents = tuple(_rewrite(p, passes, memo) for p in node.parents)
    out = node
    if any(a is not b for a, b in zip(parents, node.parents)):
        out = node.replace(parents=parents)
    for rewrite in passes:
        out = rewrite(out)
    memo[key] = out
    return out


def _drop_noop(node: Node) -> Node:
    noop = (
        (isinstance(node, TakeNode) and node.count < 0)
        or (isinstance(node, SkipNode) and node.count == 0)
        or (isinstance(node, RepeatNode) and node.count == 1)
        or (isinstance(node, ShardNode) and node.num_shards == 1)
        or (isinstance(node, PrefetchNode) and node.buffer_size == 0)
        or (type(node) is MapNode and _is_identity(node.fn))
    )
    return node.parents[0] if noop else node


def _is_identity(fn: Any) -> bool:
    code = getattr(fn, "__code__", None)
    return (
        code is not None
        and code.co_argcount == 1
        and not getattr(fn, "__defaults__", None)
        and code.co_code == _IDENTITY_CODE
    )


class Fused:
    """``g`` after ``f`` with tf.data's calling convention for each.

    ``memos`` are the fused maps' `SampleMemo`s: an output computed for an
    element spec is used, not computed again.
    """

    def __init__(
        self,
        f: Callable[..., Any],
        g: Callable[..., Any],
        memos: tuple[SampleMemo | None, SampleMemo | None] = (None, None),
    ) -> None:
        self.f, self.g, self.memos = f, g, memos
        self.parts = (f, g)
        self._pipeline_label = f"{fn_label(f)} -> {fn_label(g)}"

    def __call__(self, *args: Any) -> Any:
        mid = memo_apply(self.memos[0], self.f, args if len(args) != 1 else args[0])
        return memo_apply(self.memos[1], self.g, mid)


def _fuse_maps(node: Node) -> Node:
    if type(node) is not MapNode or type(node.parents[0]) is not MapNode:
        return node
    inner: MapNode = node.parents[0]  # type: ignore[assignment]
    return MapNode(
        inner.parents,
        fn=Fused(inner.fn, node.fn, (inner.memo(), node.memo())),
        num_parallel_calls=_first(node.num_parallel_calls, inner.num_parallel_calls),
        deterministic=_first(node.deterministic, inner.deterministic),
    )


def _first(a: Any, b: Any) -> Any:
    return a if a is not None else b


def _vectorize(node: Node) -> Node:
    if type(node) is not BatchNode:
        return node
    inner = node.parents[0]
    if type(inner) is not MapNode or not uses_vectorizable_parser(inner):
        return node
    batch = node.replace(parents=inner.parents)
    return VectorizedMapNode(
        (batch,),
        fn=inner.fn,
        num_parallel_calls=inner.num_parallel_calls,
        deterministic=inner.deterministic,
    )


def _block_map(node: Node) -> Node:
    return block_map(node) if type(node) is MapNode else node  # type: ignore[arg-type]


def uses_vectorizable_parser(node: MapNode) -> bool:
    """Whether ``node.fn`` may run over whole batches (`batchable`: read from
    its code, never by calling it, so it still runs once per element).

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> uses_vectorizable_parser(MapNode((RangeNode((), 0, 2, 1),), fn=abs))
        False
    """
    return batchable(node.fn)


def plan_text(node: Node, indent: int = 0) -> str:
    """The graph as indented text, output stage first.

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> plan_text(RangeNode((), 0, 1, 1))
        'range(start=0, stop=1, step=1)'
    """
    lines = ["  " * indent + str(node)]
    lines += [plan_text(p, indent + 1) for p in node.parents]
    return "\n".join(lines)
