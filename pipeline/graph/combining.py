"""Combining nodes: zip, concatenate, flat_map, interleave.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> a, b = RangeNode((), 0, 2, 1), RangeNode((), 5, 9, 1)
    >>> [tuple(map(int, e)) for e in IterContext().build(ZipNode((a, b), (0, 0)))]
    [(0, 5), (1, 6)]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from pipeline.graph.base import (
    INFINITE,
    UNKNOWN,
    IterContext,
    Node,
    NodeIterator,
    call_fn,
    failure_of,
    node_of,
    sample_output,
)
from pipeline.graph.failures import ElementFailure
from pipeline.graph.memo import node_memo, probing
from pipeline.graph.structure import flatten, merge_specs, pack, same_structure
from pipeline.types import TensorSpec


@dataclasses.dataclass(frozen=True, eq=False)
class ZipNode(Node):
    """``zip(datasets)``: ``template`` is the structure the parents fill."""

    template: Any = dataclasses.field(repr=False, default=None)
    op = "zip"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return ZipIterator([ctx.build(p) for p in self.parents], self.template)

    def cardinality(self) -> int:
        cards = [p.cardinality() for p in self.parents]
        if UNKNOWN in cards:
            return UNKNOWN  # as TF: one unknown input makes the zip unknown
        finite = [c for c in cards if c >= 0]
        return min(finite) if finite else INFINITE

    def compute_spec(self) -> Any:
        return pack(self.template, [p.element_spec() for p in self.parents])

    def args(self) -> dict[str, Any]:
        return {"inputs": len(self.parents)}


class ZipIterator(NodeIterator):
    def __init__(self, parents: list[NodeIterator], template: Any) -> None:
        super().__init__(*parents)
        self.template = template

    def __next__(self) -> Any:
        items = [next(p) for p in self.parents]
        for item in items:
            if isinstance(item, ElementFailure):
                return item
        return pack(self.template, items)


def check_compatible(a: Any, b: Any) -> None:
    """`TypeError` unless element specs ``a`` and ``b`` have the same structure
    and dtypes (shapes may differ), as TF's ``concatenate`` requires.

    Example:
        >>> check_compatible(TensorSpec((2,), "int64"), TensorSpec((3,), "int64"))
        >>> check_compatible((TensorSpec((), "int64"),), TensorSpec((), "int64"))
        Traceback (most recent call last):
        ...
        TypeError: Incompatible dataset elements: ...
    """
    a, b = _sorted_keys(a), _sorted_keys(b)
    if not (same_structure(a, b) and _same_kinds(a, b)):
        raise TypeError(
            f"Incompatible dataset elements: {a!r} vs. {b!r}: they have different "
            "structures or types (keys and dtypes must match)."
        )


def _sorted_keys(spec: Any) -> Any:
    """``spec`` with dict keys sorted (TF's order: key order does not matter)."""
    if isinstance(spec, dict):
        return {k: _sorted_keys(spec[k]) for k in sorted(spec, key=repr)}
    if isinstance(spec, tuple):
        items = [_sorted_keys(s) for s in spec]
        return type(spec)(*items) if hasattr(spec, "_fields") else tuple(items)
    return spec


def _aligned(b: Any, a: Any) -> Any:
    """``b`` with its dicts' keys in ``a``'s order."""
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: _aligned(b[k], a[k]) for k in a}
    if isinstance(a, tuple) and isinstance(b, tuple):
        items = [_aligned(x, y) for x, y in zip(b, a)]
        return type(b)(*items) if hasattr(b, "_fields") else tuple(items)
    return b


def _same_kinds(a: Any, b: Any) -> bool:
    for x, y in zip(flatten(a), flatten(b)):
        if type(x) is not type(y):
            return False
        if isinstance(x, TensorSpec) and np.dtype(x.dtype) != np.dtype(y.dtype):
            return False
    return True


@dataclasses.dataclass(frozen=True, eq=False)
class ConcatenateNode(Node):
    """``a.concatenate(b).concatenate(c)...``: the parents' elements in turn.

    A chain of concatenations is one node with many parents (see
    ``concatenated``), so a thousand of them do not nest a thousand deep.
    """

    op = "concatenate"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return ConcatIterator(ctx, self.parents)

    def cardinality(self) -> int:
        cards = [p.cardinality() for p in self.parents]
        if INFINITE in cards:
            return INFINITE
        return UNKNOWN if UNKNOWN in cards else sum(cards)

    def compute_spec(self) -> Any:
        specs = [p.element_spec() for p in self.parents]
        merged = specs[0]
        for spec in specs[1:]:
            merged = _merge_element_specs(merged, _aligned(spec, merged))
        return merged


def _merge_element_specs(a: Any, b: Any) -> Any:
    if not isinstance(a, TensorSpec):
        from pipeline.graph.structure import map_structure

        return map_structure(merge_specs, a, b)
    return merge_specs(a, b)


def concatenated(first: Node, second: Node) -> ConcatenateNode:
    """The node of ``first.concatenate(second)``, flattening a chain.

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> a = RangeNode((), 0, 1, 1)
        >>> len(concatenated(concatenated(a, a), a).parents)
        3
    """
    if type(first) is ConcatenateNode:
        return ConcatenateNode((*first.parents, second))
    return ConcatenateNode((first, second))


class ConcatIterator(NodeIterator):
    def __init__(self, ctx: IterContext, nodes: tuple[Node, ...]) -> None:
        super().__init__()
        self.ctx, self.nodes, self.which = ctx, nodes, 0
        self.current = ctx.build(nodes[0])
        self.parents = (self.current,)

    def __next__(self) -> Any:
        while True:
            try:
                return next(self.current)
            except StopIteration:
                if self.which + 1 >= len(self.nodes):
                    raise
                self.current.close()
                self.which += 1
                self.current = self.ctx.build(self.nodes[self.which])
                self.parents = (self.current,)

    def get_state(self) -> dict[str, Any]:
        return {"which": self.which, "current": self.current.get_state()}

    def set_state(self, state: dict[str, Any]) -> None:
        self.current.close()
        self.which = state["which"]
        self.current = self.ctx.build(self.nodes[self.which])
        self.parents = (self.current,)
        self.current.set_state(state["current"])


@dataclasses.dataclass(frozen=True, eq=False)
class InterleaveNode(Node):
    """``interleave(fn, cycle_length, block_length, ...)``; flat_map is (1, 1)."""

    fn: Callable[..., Any] | None = None
    cycle_length: int = 1
    block_length: int = 1
    num_parallel_calls: int | None = None
    deterministic: bool | None = None
    op = "interleave"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return InterleaveIterator(ctx, self)

    def cardinality(self) -> int:
        return INFINITE if self.parents[0].cardinality() == INFINITE else UNKNOWN

    def compute_spec(self) -> Any:
        memo = node_memo(self)  # the dataset made here is used by the run

        def probe(elem: Any) -> Node:
            node = node_of(call_fn(self.fn, elem), "fn")
            memo.put(elem, node)
            return node

        with probing():
            node = sample_output(self, probe)
        return None if node is None else node.element_spec()

    def open(self, ctx: IterContext, elem: Any, index: int) -> NodeIterator:
        """Build the iterator of the dataset ``fn`` makes from ``elem``, the
        input element number ``index`` (its random stages' seeds derive from it)."""
        inner = ctx.nested(self, index)
        memo = node_memo(self)
        hit, node = memo.take(elem) if memo.entries else (False, None)
        if not hit:  # ``fn`` runs once per element: a spec's dataset is reused
            node = node_of(call_fn(self.fn, elem), self.op + " fn")
        return inner.build(node)

    def args(self) -> dict[str, Any]:
        if self.op == "flat_map":
            return {"fn": self.fn}
        out = super().args()
        return {k: v for k, v in out.items() if v is not None}


@dataclasses.dataclass(frozen=True, eq=False)
class FlatMapNode(InterleaveNode):
    """``flat_map(fn)``: interleave with one input open at a time."""

    op = "flat_map"


class InterleaveIterator(NodeIterator):
    """TF's order: fill an empty slot from the input and continue at that slot;
    take ``block_length`` elements from a slot, then move to the next slot.
    An input's error is raised where it comes and, as in TF's sequential
    interleave, does not count in the block (``failure_is_turn``: it does in
    TF's parallel one)."""

    failure_is_turn = False

    def __init__(self, ctx: IterContext, node: InterleaveNode) -> None:
        self.input = ctx.build(node.parents[0])
        super().__init__(self.input)
        self.ctx, self.node, self.stage = ctx, node, str(node)
        self.cycle = max(1, node.cycle_length)
        # (input element, iterator, input index)
        self.slots: list[Any] = [None] * self.cycle
        self.slot, self.taken, self.opened = 0, 0, 0
        self.end_of_input = False

    def _open_slot(self, elem: Any, index: int) -> NodeIterator:
        return self.node.open(self.ctx, elem, index)

    def __next__(self) -> Any:
        while not self.end_of_input or any(self.slots):
            entry = self.slots[self.slot]
            if entry is not None:
                try:
                    item = next(entry[1])
                except StopIteration:
                    entry[1].close()
                    self.slots[self.slot] = None
                    self._advance_slot()
                    continue
                if isinstance(item, ElementFailure) and not self.failure_is_turn:
                    return item  # as TF: an input's error does not use its turn
                self.taken += 1
                if self.taken >= self.node.block_length:
                    self._advance_slot()
                return item
            if self.end_of_input:
                self._advance_slot()
                continue
            failure = self._fill_slot()
            if failure is not None:
                return failure
        raise StopIteration

    def next_many(self, limit: int) -> list[Any]:
        if self.cycle != 1:  # elements alternate between inputs
            return [next(self)]
        while True:
            entry = self.slots[0]
            if entry is not None:
                try:
                    return entry[1].next_many(limit)
                except StopIteration:
                    entry[1].close()
                    self.slots[0] = None
                    self._advance_slot()
                    continue
            if self.end_of_input:
                raise StopIteration
            failure = self._fill_slot()
            if failure is not None:
                return [failure]

    def _fill_slot(self) -> ElementFailure | None:
        try:
            elem = next(self.input)
        except StopIteration:
            self.end_of_input = True
            return None
        index, self.opened = self.opened, self.opened + 1
        if isinstance(elem, ElementFailure):
            return elem
        try:
            self.slots[self.slot] = (elem, self._open_slot(elem, index), index)
        except Exception as e:
            return failure_of(e, self.stage, index)
        return None

    def _advance_slot(self) -> None:
        self.taken = 0
        self.slot = (self.slot + 1) % self.cycle

    def get_state(self) -> dict[str, Any]:
        return {
            "input": self.input.get_state(),
            "slots": [
                None if s is None else (s[0], s[1].get_state(), s[2])
                for s in self.slots
            ],
            "pos": (self.slot, self.taken, self.opened, self.end_of_input),
        }

    def set_state(self, state: dict[str, Any]) -> None:
        self.close_slots()
        self.input.set_state(state["input"])
        self.slot, self.taken, self.opened, self.end_of_input = state["pos"]
        for i, saved in enumerate(state["slots"]):
            if saved is not None:
                it = self._open_slot(saved[0], saved[2])
                it.set_state(saved[1])
                self.slots[i] = (saved[0], it, saved[2])

    def close_slots(self) -> None:
        """Close the iterators of the open slots."""
        for i, entry in enumerate(self.slots):
            if entry is not None:
                entry[1].close()
                self.slots[i] = None

    def close(self) -> None:
        self.close_slots()
        self.input.close()
