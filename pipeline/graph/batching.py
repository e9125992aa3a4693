"""Batching nodes: batch, padded_batch, unbatch, rebatch.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> node = BatchNode((RangeNode((), 0, 5, 1),), batch_size=2)
    >>> [b.tolist() for b in IterContext().build(node)]
    [[0, 1], [2, 3], [4]]
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pipeline.graph.base import INFINITE, UNKNOWN, IterContext, Node, NodeIterator
from pipeline.graph.batch_cutting import gather, keeps_batch
from pipeline.graph.batch_specs import (
    _batch_spec,
    _empty_batch,
    _rebatched_leaf,
    _unbatched_leaf,
    static_rows,
)
from pipeline.graph.elementwise import MapNode
from pipeline.graph.failures import ElementFailure
from pipeline.graph.stacking import (
    pad_leaves,
    stack_elements,
    unstack_element,
)
from pipeline.graph.structure import flatten, pack
from pipeline.types import TensorSpec


def _batched_cardinality(n: int, size: int, drop: bool) -> int:
    if n < 0:
        return n
    return n // size if drop else -(-n // size)


@dataclasses.dataclass(frozen=True, eq=False)
class BatchNode(Node):
    """``batch(batch_size, drop_remainder)``."""

    batch_size: int = 1
    drop_remainder: bool = False
    op = "batch"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        it = BatchIterator(ctx.build(self.parents[0]), self, stack_elements)
        it.fill_on_failure = isinstance(self.parents[0], MapNode)
        return it

    def cardinality(self) -> int:
        n = self.parents[0].cardinality()
        return _batched_cardinality(n, self.batch_size, self.drop_remainder)

    def compute_spec(self) -> Any:
        size = self.batch_size if self.drop_remainder else None
        return _batch_spec(self.parents[0].element_spec(), size)


class BatchIterator(NodeIterator):
    """Collects ``batch_size`` inputs; a failure replaces the partial batch.

    The rules are `graph.batch_cutting`'s (`gather`, `keeps_batch`); after a
    map (which tf.data fuses with the batch) a failure still uses up the
    whole batch's inputs, as TF's map-and-batch does.
    """

    fill_on_failure = False

    def __init__(self, parent: NodeIterator, node: Any, combine: Any) -> None:
        super().__init__(parent)
        self.parent, self.size = parent, node.batch_size
        self.drop, self.combine, self.stage = node.drop_remainder, combine, str(node)

    def __next__(self) -> Any:
        items = gather(self.parent.next_many, self.size, self.fill_on_failure)
        if items and isinstance(items[-1], ElementFailure):
            return items[-1]
        if not keeps_batch(len(items), self.size, self.drop):
            raise StopIteration
        try:
            return self.combine(items)
        except Exception as e:
            return ElementFailure(e, where={"stage": self.stage})

    def get_state(self) -> dict[str, Any]:
        return {"parent": self.parent.get_state()}

    def set_state(self, state: dict[str, Any]) -> None:
        self.parent.set_state(state["parent"])


@dataclasses.dataclass(frozen=True, eq=False)
class PaddedBatchNode(BatchNode):
    """``padded_batch``: one padded shape and padding value per leaf.

    ``padded_shapes`` and ``padding_values`` are flat tuples, one entry per
    leaf of the element (``graph.padding.padding_args`` builds them); a
    ``None`` dim pads to the longest in the batch, a ``None`` value is 0/b"".
    """

    padded_shapes: tuple = ()
    padding_values: tuple = ()
    #: No ``padded_shapes`` given: every dim pads to the longest in the batch
    #: and is unknown in the spec (static dims may come from a sample element,
    #: so they are not trusted).
    to_longest: bool = False
    op = "padded_batch"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return BatchIterator(ctx.build(self.parents[0]), self, self._pad)

    def _pad(self, items: list[Any]) -> Any:
        template = items[0]
        columns = list(zip(*[flatten(e) for e in items]))
        shapes = [None] * len(columns) if self.to_longest else self.padded_shapes
        return pack(
            template,
            [
                pad_leaves(list(c), s, v)
                for c, s, v in zip(columns, shapes, self.padding_values)
            ],
        )

    def compute_spec(self) -> Any:
        size = self.batch_size if self.drop_remainder else None
        spec = self.parents[0].element_spec()
        if spec is None:  # no element to learn it from
            return None
        out = [
            TensorSpec(
                (size, *[None if self.to_longest else d for d in shape]), s.dtype
            )
            for s, shape in zip(flatten(spec), self.padded_shapes)
        ]
        return pack(spec, out)


@dataclasses.dataclass(frozen=True, eq=False)
class UnbatchNode(Node):
    """``unbatch()``: splits each element along its first axis."""

    op = "unbatch"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return UnbatchIterator(ctx.build(self.parents[0]), str(self))

    def cardinality(self) -> int:
        n = self.parents[0].cardinality()
        if n in (0, INFINITE):
            return n
        rows = static_rows(self.parents[0])
        return UNKNOWN if n == UNKNOWN or rows is None else n * rows

    def compute_spec(self) -> Any:
        spec = self.parents[0].element_spec()
        return pack(spec, [_unbatched_leaf(s) for s in flatten(spec)])


class UnbatchIterator(NodeIterator):
    def __init__(self, parent: NodeIterator, stage: str) -> None:
        super().__init__(parent)
        self.parent, self.stage = parent, stage
        self.rows: list[Any] = []
        self.pos = 0
        self.state_before: Any = parent.get_state()

    def __next__(self) -> Any:
        while self.pos >= len(self.rows):
            self.state_before = self.parent.get_state()
            elem = next(self.parent)
            if isinstance(elem, ElementFailure):
                return elem
            try:
                self.rows, self.pos = unstack_element(elem), 0
            except Exception as e:
                return ElementFailure(e, where={"stage": self.stage})
        self.pos += 1
        return self.rows[self.pos - 1]

    def get_state(self) -> dict[str, Any]:
        if self.pos >= len(self.rows):
            return {"parent": self.parent.get_state(), "pos": 0}
        return {"parent": self.state_before, "pos": self.pos}

    def set_state(self, state: dict[str, Any]) -> None:
        self.parent.set_state(state["parent"])
        self.rows, self.pos = [], 0
        if state["pos"]:
            self.rows = unstack_element(next(self.parent))
            self.pos = state["pos"]
            self.state_before = state["parent"]


@dataclasses.dataclass(frozen=True, eq=False)
class RebatchNode(Node):
    """``rebatch(batch_size, drop_remainder)``: unbatch then batch, as one stage.

    ``batch_sizes`` cycles: output ``k`` holds ``batch_sizes[k % len]`` rows,
    read across input batches; a size of 0 gives an empty batch without
    reading input (tf.data's ``rebatch`` with a list of sizes).
    """

    batch_sizes: tuple[int, ...] = (1,)
    drop_remainder: bool = False
    op = "rebatch"

    @property
    def batch_size(self) -> int:
        """The first size of the cycle (what `BatchIterator` starts with)."""
        return self.batch_sizes[0]

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        rows = UnbatchIterator(ctx.build(self.parents[0]), str(self))
        return RebatchIterator(rows, self)

    def cardinality(self) -> int:
        n = self.parents[0].cardinality()
        return INFINITE if n == INFINITE else UNKNOWN

    def compute_spec(self) -> Any:
        spec = self.parents[0].element_spec()
        size = self._static_size(static_rows(self.parents[0]))
        return pack(spec, [_rebatched_leaf(s, size) for s in flatten(spec)])

    def _static_size(self, rows: int | None) -> int | None:
        sizes = set(self.batch_sizes)
        if len(sizes) != 1:
            return None
        size = sizes.pop()
        if self.drop_remainder or (rows is not None and size and rows % size == 0):
            return size
        return None


class RebatchIterator(BatchIterator):
    """A `BatchIterator` whose size follows the node's cycle of sizes."""

    def __init__(self, rows: NodeIterator, node: RebatchNode) -> None:
        super().__init__(rows, node, stack_elements)
        self.sizes, self.k, self.done = node.batch_sizes, 0, False
        self.node = node

    def __next__(self) -> Any:
        if self.done:
            raise StopIteration
        self.size = self.sizes[self.k % len(self.sizes)]
        self.k += 1
        if self.size == 0:
            return _empty_batch(self.node.element_spec())
        try:
            return super().__next__()
        except StopIteration:
            self.done = True
            raise

    def get_state(self) -> dict[str, Any]:
        return {**super().get_state(), "k": self.k, "done": self.done}

    def set_state(self, state: dict[str, Any]) -> None:
        super().set_state(state)
        self.k, self.done = state["k"], state["done"]
