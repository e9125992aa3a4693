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
from pipeline.graph.elementwise import MapNode
from pipeline.graph.failures import ElementFailure
from pipeline.graph.stacking import (
    pad_leaves,
    stack_elements,
    unstack_element,
)
from pipeline.graph.structure import flatten, flatten_up_to, pack
from pipeline.types import TensorSpec


def _batched_cardinality(n: int, size: int, drop: bool) -> int:
    if n < 0:
        return n
    return n // size if drop else -(-n // size)


def _batch_spec(spec: Any, size: int | None) -> Any:
    leaves = flatten(spec)
    out = [
        TensorSpec(None if s.shape is None else (size, *s.shape), s.dtype)
        for s in leaves
    ]
    return pack(spec, out)


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

    After a map (which tf.data fuses with the batch) a failure still uses up
    the whole batch's inputs, as TF's map-and-batch does.
    """

    fill_on_failure = False

    def __init__(self, parent: NodeIterator, node: Any, combine: Any) -> None:
        super().__init__(parent)
        self.parent, self.size = parent, node.batch_size
        self.drop, self.combine, self.stage = node.drop_remainder, combine, str(node)

    def __next__(self) -> Any:
        items = self._gather()
        if items and isinstance(items[-1], ElementFailure):
            return items[-1]
        if not items or (self.drop and len(items) < self.size):
            raise StopIteration
        try:
            return self.combine(items)
        except Exception as e:
            return ElementFailure(e, where={"stage": self.stage})

    def _gather(self) -> list[Any]:
        items: list[Any] = []
        failure = None
        while len(items) < self.size:
            try:
                run = self.parent.next_many(self.size - len(items))
            except StopIteration:
                break
            if isinstance(run[0], ElementFailure):
                failure = failure or run[0]
                if not self.fill_on_failure:
                    break
            items += run
        if failure is not None:
            items.append(failure)
        return items

    def get_state(self) -> dict[str, Any]:
        return {"parent": self.parent.get_state()}

    def set_state(self, state: dict[str, Any]) -> None:
        self.parent.set_state(state["parent"])


@dataclasses.dataclass(frozen=True, eq=False)
class PaddedBatchNode(BatchNode):
    """``padded_batch(batch_size, padded_shapes, padding_values, drop_remainder)``."""

    padded_shapes: Any = None
    padding_values: Any = None
    op = "padded_batch"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return BatchIterator(ctx.build(self.parents[0]), self, self._pad)

    def _pad(self, items: list[Any]) -> Any:
        template = items[0]
        columns = list(zip(*[flatten(e) for e in items]))
        shapes = self._per_leaf(self.padded_shapes, template, len(columns))
        values = self._per_leaf(self.padding_values, template, len(columns))
        return pack(
            template,
            [pad_leaves(list(c), s, v) for c, s, v in zip(columns, shapes, values)],
        )

    @staticmethod
    def _per_leaf(arg: Any, template: Any, n: int) -> list[Any]:
        if arg is None:
            return [None] * n
        if isinstance(template, (tuple, dict)):
            return flatten_up_to(template, arg)
        return [arg]

    def compute_spec(self) -> Any:
        size = self.batch_size if self.drop_remainder else None
        spec = self.parents[0].element_spec()
        leaves = flatten(spec)
        shapes = self._per_leaf(self.padded_shapes, spec, len(leaves))
        out = []
        for s, shape in zip(leaves, shapes):
            dims = s.shape if shape is None else tuple(shape)
            dims = tuple(None if d in (None, -1) or shape is None else d for d in dims)
            out.append(TensorSpec((size, *dims), s.dtype))
        return pack(spec, out)


@dataclasses.dataclass(frozen=True, eq=False)
class UnbatchNode(Node):
    """``unbatch()``: splits each element along its first axis."""

    op = "unbatch"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return UnbatchIterator(ctx.build(self.parents[0]), str(self))

    def cardinality(self) -> int:
        n = self.parents[0].cardinality()
        return INFINITE if n == INFINITE else UNKNOWN

    def compute_spec(self) -> Any:
        spec = self.parents[0].element_spec()
        return pack(
            spec,
            [
                TensorSpec(None if s.shape is None else s.shape[1:], s.dtype)
                for s in flatten(spec)
            ],
        )


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
    """``rebatch(batch_size, drop_remainder)``: unbatch then batch, as one stage."""

    batch_size: int = 1
    drop_remainder: bool = False
    op = "rebatch"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        rows = UnbatchIterator(ctx.build(self.parents[0]), str(self))
        return BatchIterator(rows, self, stack_elements)

    def cardinality(self) -> int:
        n = self.parents[0].cardinality()
        return INFINITE if n == INFINITE else UNKNOWN

    def compute_spec(self) -> Any:
        size = self.batch_size if self.drop_remainder else None
        spec = self.parents[0].element_spec()
        return pack(
            spec,
            [
                TensorSpec(None if s.shape is None else (size, *s.shape[1:]), s.dtype)
                for s in flatten(spec)
            ],
        )
