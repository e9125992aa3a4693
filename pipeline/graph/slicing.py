"""Slicing nodes: take, skip, shard, repeat.

Failures pass through and are not counted as elements (an error in TF's
``take`` input does not advance its counter either).

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> node = TakeNode((RepeatNode((RangeNode((), 0, 2, 1),), count=None),), count=5)
    >>> [int(x) for x in IterContext().build(node)]
    [0, 1, 0, 1, 0]
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pipeline.graph.base import INFINITE, UNKNOWN, IterContext, Node, NodeIterator
from pipeline.graph.failures import ElementFailure


@dataclasses.dataclass(frozen=True, eq=False)
class TakeNode(Node):
    """``take(count)``; ``count=-1`` takes everything."""

    count: int = -1
    op = "take"
    passes_elements = True

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return TakeIterator(ctx.build(self.parents[0]), self.count)

    def cardinality(self) -> int:
        n = self.parents[0].cardinality()
        if self.count < 0:
            return n
        if n == INFINITE:
            return self.count
        return n if n == UNKNOWN else min(n, self.count)


class _CountdownIterator(NodeIterator):
    """Shared state of take and skip: the parent and how many elements are left."""

    def __init__(self, parent: NodeIterator, count: int) -> None:
        super().__init__(parent)
        self.parent, self.left = parent, count

    def get_state(self) -> dict[str, Any]:
        return {"parent": self.parent.get_state(), "left": self.left}

    def set_state(self, state: dict[str, Any]) -> None:
        self.parent.set_state(state["parent"])
        self.left = state["left"]


class TakeIterator(_CountdownIterator):
    def __next__(self) -> Any:
        if self.left == 0:
            raise StopIteration
        elem = next(self.parent)
        if self.left > 0 and not isinstance(elem, ElementFailure):
            self.left -= 1
        return elem

    def next_many(self, limit: int) -> list[Any]:
        if self.left == 0:
            raise StopIteration
        if self.left < 0:
            return self.parent.next_many(limit)
        items = self.parent.next_many(min(limit, self.left))
        if not isinstance(items[0], ElementFailure):
            self.left -= len(items)
        return items


@dataclasses.dataclass(frozen=True, eq=False)
class SkipNode(Node):
    """``skip(count)``; ``count=-1`` skips everything."""

    count: int = 0
    op = "skip"
    passes_elements = True

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return SkipIterator(ctx.build(self.parents[0]), self.count)

    def cardinality(self) -> int:
        n = self.parents[0].cardinality()
        if n < 0:
            return n
        return 0 if self.count < 0 else max(0, n - self.count)


class SkipIterator(_CountdownIterator):
    """Skips ``count`` elements, then passes the rest through.

    As TF: ``count < 0`` yields nothing without reading the input, and an
    error met while skipping is raised and forgets what this call skipped
    (the next call skips ``count`` elements again).
    """

    def __next__(self) -> Any:
        if self.left < 0:
            raise StopIteration
        start = self.left
        while self.left > 0:
            elem = next(self.parent)
            if isinstance(elem, ElementFailure):
                self.left = start
                return elem
            self.left -= 1
        return next(self.parent)

    def next_many(self, limit: int) -> list[Any]:
        if self.left < 0:
            raise StopIteration
        start = self.left
        while self.left > 0:
            items = self.parent.next_many(self.left)
            if isinstance(items[0], ElementFailure):
                self.left = start
                return items
            self.left -= len(items)
        return self.parent.next_many(limit)


@dataclasses.dataclass(frozen=True, eq=False)
class ShardNode(Node):
    """``shard(num_shards, index)``: every ``num_shards``-th element from ``index``."""

    num_shards: int = 1
    index: int = 0
    op = "shard"
    passes_elements = True

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return ShardIterator(ctx.build(self.parents[0]), self.num_shards, self.index)

    def cardinality(self) -> int:
        n = self.parents[0].cardinality()
        if n < 0:
            return n
        return n // self.num_shards + (1 if n % self.num_shards > self.index else 0)


class ShardIterator(NodeIterator):
    def __init__(self, parent: NodeIterator, num: int, index: int) -> None:
        super().__init__(parent)
        self.parent, self.num, self.index = parent, num, index
        self.pos = 0

    def __next__(self) -> Any:
        # As TF: skip to the next position of this shard, then read one
        # element; an error met while skipping forgets this call's skips.
        skip = (self.index - self.pos) % self.num
        for _ in range(skip):
            elem = next(self.parent)
            if isinstance(elem, ElementFailure):
                return elem
        self.pos += skip
        elem = next(self.parent)
        if not isinstance(elem, ElementFailure):
            self.pos += 1
        return elem

    def get_state(self) -> dict[str, Any]:
        return {"parent": self.parent.get_state(), "pos": self.pos}

    def set_state(self, state: dict[str, Any]) -> None:
        self.parent.set_state(state["parent"])
        self.pos = state["pos"]


@dataclasses.dataclass(frozen=True, eq=False)
class RepeatNode(Node):
    """``repeat(count)``; None or -1 repeats forever. Each epoch is a new pass."""

    count: int | None = None
    op = "repeat"
    passes_elements = True

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        count = -1 if self.count is None else self.count
        return RepeatIterator(ctx, self.parents[0], count)

    def cardinality(self) -> int:
        n = self.parents[0].cardinality()
        count = -1 if self.count is None else self.count
        if count == 0 or n == 0:
            return 0
        if count < 0:
            return INFINITE  # as TF: even an input of unknown size
        return n if n < 0 else n * count


class RepeatIterator(NodeIterator):
    """Builds the parent's iterator anew for each epoch (epoch path extended)."""

    def __init__(self, ctx: IterContext, node: Node, count: int) -> None:
        super().__init__()
        self.ctx, self.node, self.count = ctx, node, count
        self.epoch, self.seen, self.failed = 0, 0, False
        self.child: NodeIterator | None = None

    def _empty_epoch(self) -> bool:
        """True when the epoch just ended yielded nothing to repeat.

        ``seen`` counts elements, not errors: a forever repeat also ends
        when the epoch yielded only errors (TF stops there too, where it
        would otherwise raise them forever); a finite repeat raises them
        ``count`` times.
        """
        return self.seen == 0 and (self.count < 0 or not self.failed)

    def _open(self) -> NodeIterator:
        ctx = self.ctx.child(epoch=(*self.ctx.epoch, self.epoch))
        self.child = ctx.build(self.node)
        self.parents = (self.child,)
        return self.child

    def __next__(self) -> Any:
        while self.count < 0 or self.epoch < self.count:
            child = self.child or self._open()
            try:
                elem = next(child)
            except StopIteration:
                child.close()
                empty = self._empty_epoch()
                self.child, self.epoch, self.seen = None, self.epoch + 1, 0
                self.failed = False
                if empty:
                    break
                continue
            if isinstance(elem, ElementFailure):
                self.failed = True
            else:
                self.seen += 1
            return elem
        raise StopIteration

    def get_state(self) -> dict[str, Any]:
        child = None if self.child is None else self.child.get_state()
        return {
            "epoch": self.epoch,
            "seen": self.seen,
            "failed": self.failed,
            "child": child,
        }

    def set_state(self, state: dict[str, Any]) -> None:
        if self.child is not None:
            self.child.close()
            self.child = None
        self.epoch, self.seen = state["epoch"], state["seen"]
        self.failed = state.get("failed", False)
        if state["child"] is not None:
            self._open().set_state(state["child"])
