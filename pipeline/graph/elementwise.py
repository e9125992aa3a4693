"""Element-wise nodes: map, random_map, filter, take_while, unique, enumerate.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> node = MapNode((RangeNode((), 0, 3, 1),), fn=lambda x: x * 2)
    >>> list(IterContext().build(node))
    [np.int64(0), np.int64(2), np.int64(4)]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from pipeline.graph.base import (
    UNKNOWN,
    IterContext,
    Node,
    NodeIterator,
    apply_fn,
    call_fn,
    failure_of,
    guarded,
    sample_output,
)
from pipeline.graph.batch_specs import static_rows
from pipeline.graph.failures import ElementFailure, user_error
from pipeline.graph.memo import SampleMemo, memo_apply, node_memo, probing
from pipeline.graph.structure import flatten, pack, spec_of
from pipeline.io import output_shapes
from pipeline.ragged import RaggedTensorSpec
from pipeline.types import TensorSpec


@dataclasses.dataclass(frozen=True, eq=False)
class MapNode(Node):
    """``map(fn, num_parallel_calls, deterministic)``."""

    fn: Callable[..., Any] | None = None
    num_parallel_calls: int | None = None
    deterministic: bool | None = None
    op = "map"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return MapIterator(ctx.build(self.parents[0]), self.mapper_for(ctx), str(self))

    def mapper_for(self, ctx: IterContext) -> Callable[[Any, int], Any]:
        """The ``(element, index) -> output`` function of a run."""
        return self.mapper()

    def mapper(self) -> Callable[[Any, int], Any]:
        """``(element, index) -> output`` as one worker applies it."""
        fn, memo = self.fn, self.memo()
        return lambda elem, index: memo_apply(memo, fn, elem)

    def memo(self) -> SampleMemo | None:
        """Outputs computed for the element spec, used by the first run that
        meets their elements (None for maps whose output depends on the run)."""
        if type(self).mapper_for is not MapNode.mapper_for:
            return None
        return node_memo(self)

    def compute_spec(self) -> Any:
        mapper = self.mapper_for(IterContext())
        seen: list[Any] = []

        def apply(elem: Any) -> Any:
            seen.append(elem)
            return mapper(elem, 0)

        with probing(), output_shapes.collecting() as shapes:
            # outputs made here (and by upstream specs) are kept, not
            # computed again
            out = sample_output(self, apply)
            if out is None:
                return None
            inputs = {}
            if shapes.refers_to_inputs():
                inputs = _input_shapes(seen[-1], self.parents[0])
        return _declared_spec(out, shapes, inputs)

    def args(self) -> dict[str, Any]:
        out: dict[str, Any] = {"fn": self.fn}
        if self.num_parallel_calls is not None:
            out["num_parallel_calls"] = self.num_parallel_calls
        if self.deterministic is not None:
            out["deterministic"] = self.deterministic
        return out


def _input_shapes(elem: Any, parent: Node) -> dict[int, tuple[Any, tuple]]:
    """The static shape of each 1-D leaf of a sample input, by identity: the
    batch size its input declares (`static_rows`, None when unknown or only
    sampled; no user function is called for it)."""
    rows = static_rows(parent)
    return {
        id(leaf): (leaf, (rows,))
        for leaf in flatten(elem)
        if isinstance(leaf, np.ndarray) and leaf.ndim == 1
    }


def _declared_spec(out: Any, shapes: Any, inputs: dict[int, tuple]) -> Any:
    """``spec_of(out)``, with the static shape a parsing function declared
    for a leaf it returned (see `pipeline.io.output_shapes`)."""
    spec = spec_of(out)
    leaves, specs = flatten(out), flatten(spec)
    if len(leaves) != len(specs):
        return spec
    fixed = []
    for leaf, s in zip(leaves, specs):
        shape = _resolve(shapes.declared(leaf), inputs)
        if shape is not None and s is not None and len(shape) == len(s.shape or ()):
            if type(s) is TensorSpec:
                s = TensorSpec(shape, s.dtype)
            elif isinstance(s, RaggedTensorSpec):
                s = RaggedTensorSpec(shape, s.dtype, s.ragged_rank, s.row_splits_dtype)
        fixed.append(s)
    return pack(spec, fixed)


def _resolve(declared: Any, inputs: dict[int, tuple]) -> tuple | None:
    if declared is None:
        return None
    shape, like = declared
    if like is None:
        return shape
    held = inputs.get(id(like))
    return None if held is None or held[0] is not like else (*held[1], *shape)


@dataclasses.dataclass(frozen=True, eq=False)
class RandomMapNode(MapNode):
    """``random_map(fn, seed)``: ``fn(*element, rng)`` with a per-element Generator.

    The Generator comes from (seed, epoch path, element index), so results do
    not depend on thread timing.
    """

    seed: int | None = None
    op = "random_map"

    def mapper_for(self, ctx: IterContext) -> Callable[[Any, int], Any]:
        """The mapper for a run: seeds from the node seed and the epoch path."""
        fn, base = self.fn, [ctx.node_seed(self, self.seed), *ctx.epoch]

        def mapper(elem: Any, index: int) -> Any:
            seq = np.random.SeedSequence([*base, index])
            return apply_fn(fn, elem, np.random.default_rng(seq))

        return mapper

    def args(self) -> dict[str, Any]:
        return {"fn": self.fn, "seed": self.seed}


class MapIterator(NodeIterator):
    def __init__(self, parent: NodeIterator, mapper: Callable, stage: str) -> None:
        super().__init__(parent)
        self.parent, self.mapper, self.stage = parent, mapper, stage
        self.index = 0

    def __next__(self) -> Any:
        elem = next(self.parent)
        i = self.index
        self.index = i + 1
        if isinstance(elem, ElementFailure):
            return elem
        try:
            return self.mapper(elem, i)
        except Exception as e:
            return failure_of(user_error(e, self.stage), self.stage, i)  # type: ignore[arg-type]

    def get_state(self) -> dict[str, Any]:
        return {"parent": self.parent.get_state(), "index": self.index}

    def set_state(self, state: dict[str, Any]) -> None:
        self.parent.set_state(state["parent"])
        self.index = state["index"]


def _truth(value: Any, what: str) -> bool:
    arr = np.asarray(value)
    if arr.shape != () or arr.dtype != np.bool_:
        raise ValueError(
            f"Invalid `{what}`. `{what}` must return a scalar boolean; got "
            f"dtype={arr.dtype}, shape={arr.shape}."
        )
    return bool(arr)


@dataclasses.dataclass(frozen=True, eq=False)
class FilterNode(Node):
    """``filter(predicate)``."""

    predicate: Callable[..., Any] | None = None
    op = "filter"
    passes_elements = True

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return FilterIterator(ctx.build(self.parents[0]), self, False)

    def cardinality(self) -> int:
        return UNKNOWN


@dataclasses.dataclass(frozen=True, eq=False)
class TakeWhileNode(FilterNode):
    """``take_while(predicate)``: stops at the first element failing it."""

    op = "take_while"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return FilterIterator(ctx.build(self.parents[0]), self, True)


class FilterIterator(NodeIterator):
    def __init__(self, parent: NodeIterator, node: FilterNode, stop: bool) -> None:
        super().__init__(parent)
        self.parent, self.pred, self.stop = parent, node.predicate, stop
        self.stage, self.index, self.done = str(node), 0, False

    def __next__(self) -> Any:
        while not self.done:
            elem = next(self.parent)
            i = self.index
            self.index += 1
            if isinstance(elem, ElementFailure):
                return elem
            keep = guarded(self.stage, i, lambda e=elem: self._keep(e))
            if isinstance(keep, ElementFailure) or keep:
                return elem if keep is True else keep
            self.done = self.stop
        raise StopIteration

    def _keep(self, elem: Any) -> bool:
        try:
            return _truth(call_fn(self.pred, elem), "predicate")
        except StopIteration as e:
            raise user_error(e, self.stage) from e

    def get_state(self) -> dict[str, Any]:
        state = self.parent.get_state()
        return {"parent": state, "index": self.index, "done": self.done}

    def set_state(self, state: dict[str, Any]) -> None:
        self.parent.set_state(state["parent"])
        self.index, self.done = state["index"], state["done"]


@dataclasses.dataclass(frozen=True, eq=False)
class UniqueNode(Node):
    """``unique()``: drops elements seen before (scalar ints or strings)."""

    op = "unique"
    passes_elements = True

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return UniqueIterator(ctx.build(self.parents[0]))

    def cardinality(self) -> int:
        return UNKNOWN


class UniqueIterator(NodeIterator):
    def __init__(self, parent: NodeIterator) -> None:
        super().__init__(parent)
        self.parent = parent
        self.seen: set[Any] = set()

    def __next__(self) -> Any:
        while True:
            elem = next(self.parent)
            if isinstance(elem, ElementFailure):
                return elem
            key = elem if isinstance(elem, bytes) else _scalar_key(elem)
            if key not in self.seen:
                self.seen.add(key)
                return elem

    def get_state(self) -> dict[str, Any]:
        return {"parent": self.parent.get_state(), "seen": list(self.seen)}

    def set_state(self, state: dict[str, Any]) -> None:
        self.parent.set_state(state["parent"])
        self.seen = set(state["seen"])


def _scalar_key(elem: Any) -> Any:
    """A hashable key of an int or string tensor (a vector compares whole)."""
    if isinstance(elem, np.generic) and elem.dtype.kind in "iu":
        return int(elem)
    if isinstance(elem, np.ndarray) and elem.dtype.kind in "iuO":
        return (elem.shape, tuple(elem.ravel().tolist()))
    raise TypeError(
        f"`unique` supports only elements of type int32, int64 or string; got {elem!r}."
    )


@dataclasses.dataclass(frozen=True, eq=False)
class EnumerateNode(Node):
    """``enumerate(start)``: ``(np.int64(i), element)``."""

    start: int = 0
    op = "enumerate"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return EnumerateIterator(ctx.build(self.parents[0]), self.start)

    def compute_spec(self) -> Any:
        return (TensorSpec((), np.int64), self.parents[0].element_spec())


class EnumerateIterator(NodeIterator):
    def __init__(self, parent: NodeIterator, start: int) -> None:
        super().__init__(parent)
        self.parent, self.next = parent, start

    def __next__(self) -> Any:
        elem = next(self.parent)
        self.next += 1  # as TF's (a zip with a counter): an error uses its index
        if isinstance(elem, ElementFailure):
            return elem
        return (np.int64(self.next - 1), elem)

    def get_state(self) -> dict[str, Any]:
        return {"parent": self.parent.get_state(), "next": self.next}

    def set_state(self, state: dict[str, Any]) -> None:
        self.parent.set_state(state["parent"])
        self.next = state["next"]
