"""Sampling nodes: counter, random, weighted choice and directed interleave.

``choose_from_datasets`` is a `DirectedInterleaveNode`: its first parent (the
selector) yields int64 indices into the other parents, one element taken from
the named input per index. ``sample_from_datasets`` puts a `CategoricalNode`
(seeded draws by weight) in the selector's place. Random draws come from a
PCG64 Generator seeded by the stage seed and, when re-randomizing, the run
number and the epoch path, so two runs with the same seeds yield the same
elements. The stage seed is the given ``seed``; else, when the run sets
`Options.seed`, one derived from it; else the node's ``salt``, drawn when the
dataset was built (as tf.data: an unseeded random dataset repeats its draws
in each iteration, and another dataset built the same way draws others).

Example:
    >>> from pipeline.graph.sources import ListNode, RangeNode
    >>> picks = ListNode((), (np.int64(1), np.int64(0), np.int64(1)))
    >>> node = DirectedInterleaveNode(
    ...     (picks, RangeNode((), 0, 9, 1), RangeNode((), 100, 109, 1)))
    >>> [int(x) for x in IterContext().build(node)]
    [100, 0, 101]
"""

from __future__ import annotations

import bisect
import dataclasses
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.graph.base import (
    INFINITE,
    UNKNOWN,
    IterContext,
    Node,
    NodeIterator,
)
from pipeline.graph.failures import ElementFailure
from pipeline.graph.structure import map_structure, merge_specs
from pipeline.types import TensorSpec

_DRAWS_PER_REFILL = 256


def seeded_rng(seed: list[int]) -> np.random.Generator:
    """A PCG64 Generator from a list of seed words.

    Example:
        >>> int(seeded_rng([1, 2]).integers(10)) == int(seeded_rng([1, 2]).integers(10))
        True
    """
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))


def stage_seed(
    ctx: IterContext, node: Node, seed: int | None, rerandomize: bool
) -> list[int]:
    """The seed words of a random stage in a run (see the module docstring).

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> node = RangeNode((), 0, 1, 1)
        >>> stage_seed(IterContext(run=3), node, 5, False)
        [5]
        >>> stage_seed(IterContext(run=3, epoch=(1,)), node, 5, True)
        [5, 3, 1]
    """
    salt = getattr(node, "salt", None)
    options = getattr(ctx, "options", None)
    if seed is None and salt is not None and getattr(options, "seed", None) is None:
        seed = salt
    words = [ctx.node_seed(node, seed) % 2**63]
    return words + [ctx.run, *ctx.epoch] if rerandomize else words


def _salt() -> Any:
    """A field for the seed drawn at build time (not part of the fingerprint)."""
    return dataclasses.field(default=None, repr=False, metadata={"fingerprint": False})


@dataclasses.dataclass(frozen=True, eq=False)
class CounterNode(Node):
    """``counter(start, step, dtype)``: start, start + step, ... without end."""

    start: int = 0
    step: int = 1
    dtype: Any = np.int64
    op = "counter"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return CounterIterator(self.start, self.step, np.dtype(self.dtype).type)

    def cardinality(self) -> int:
        return INFINITE

    def compute_spec(self) -> Any:
        return TensorSpec((), self.dtype)

    def args(self) -> dict[str, Any]:
        return {"start": self.start, "step": self.step, "dtype": self.dtype.__name__}


class CounterIterator(NodeIterator):
    def __init__(self, start: int, step: int, kind: Any) -> None:
        super().__init__()
        self.next, self.step, self.kind = start, step, kind

    def __next__(self) -> Any:
        value = self.next
        self.next = value + self.step
        return self.kind(value)

    def get_state(self) -> dict[str, Any]:
        return {"next": self.next}

    def set_state(self, state: dict[str, Any]) -> None:
        self.next = state["next"]


class DrawIterator(NodeIterator):
    """Base of iterators drawing from a seeded Generator, ``_DRAWS_PER_REFILL``
    uniform values at a time (``draw()``); the state keeps the Generator's
    state and the draws not used yet."""

    def __init__(self, seed: list[int], *parents: NodeIterator) -> None:
        super().__init__(*parents)
        self.rng = seeded_rng(seed)
        self.draws: list[float] = []
        self.pos = 0

    def draw(self) -> float:
        """The next uniform value in [0, 1)."""
        if self.pos >= len(self.draws):
            self.draws = self.rng.random(_DRAWS_PER_REFILL).tolist()
            self.pos = 0
        self.pos += 1
        return self.draws[self.pos - 1]

    def get_state(self) -> dict[str, Any]:
        return {
            **super().get_state(),
            "rng": self.rng.bit_generator.state,
            "draws": self.draws[self.pos :],
        }

    def set_state(self, state: dict[str, Any]) -> None:
        super().set_state(state)
        self.rng.bit_generator.state = state["rng"]
        self.draws, self.pos = list(state["draws"]), 0


@dataclasses.dataclass(frozen=True, eq=False)
class RandomNode(Node):
    """``random(seed, rerandomize_each_iteration)``: int64 draws in [0, 2**32)."""

    seed: int | None = None
    rerandomize: bool = False
    salt: int | None = _salt()
    op = "random"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return RandomIterator(stage_seed(ctx, self, self.seed, self.rerandomize))

    def cardinality(self) -> int:
        return INFINITE

    def compute_spec(self) -> Any:
        return TensorSpec((), np.int64)


class RandomIterator(DrawIterator):
    def __next__(self) -> Any:
        return np.int64(int(self.draw() * 2**32))


@dataclasses.dataclass(frozen=True, eq=False)
class CategoricalNode(Node):
    """Seeded int64 indices drawn by weight: ``weights`` fixed, or one weight
    vector per element of the parent when there is one."""

    weights: tuple[float, ...] | None = None
    seed: int | None = None
    rerandomize: bool = False
    salt: int | None = _salt()
    op = "categorical"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        seed = stage_seed(ctx, self, self.seed, self.rerandomize)
        parents = [ctx.build(p) for p in self.parents]
        return CategoricalIterator(seed, self.weights, *parents)

    def cardinality(self) -> int:
        return self.parents[0].cardinality() if self.parents else INFINITE

    def compute_spec(self) -> Any:
        return TensorSpec((), np.int64)


class CategoricalIterator(DrawIterator):
    def __init__(self, seed: list[int], weights: Any, *parents: NodeIterator) -> None:
        super().__init__(seed, *parents)
        self.weights, self.cdf = weights, None

    def __next__(self) -> Any:
        if self.cdf is None and self.weights is not None:
            self.cdf = _cdf(self.weights)
        cdf = self.cdf
        if self.parents:
            weights = next(self.parents[0])
            if isinstance(weights, ElementFailure):
                return weights
            cdf = _cdf(weights)
        index = bisect.bisect_right(cdf, self.draw())
        return np.int64(min(index, len(cdf) - 1))


def _cdf(weights: Any) -> list[float]:
    w = np.asarray(weights, dtype=np.float64).reshape(-1)
    total = w.sum()
    if not np.isfinite(total) or total <= 0 or (w < 0).any():
        raise InvalidArgumentError(
            "sampling weights must be non-negative with a positive sum; "
            f"got {w.tolist()}"
        )
    return np.cumsum(w / total).tolist()


@dataclasses.dataclass(frozen=True, eq=False)
class DirectedInterleaveNode(Node):
    """``choose_from_datasets``: parents are (selector, *inputs)."""

    stop_on_empty_dataset: bool = True
    #: Inputs never chosen (weight 0): they count as exhausted from the start.
    skip: tuple[int, ...] = ()
    op = "choose_from_datasets"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        its = [ctx.build(p) for p in self.parents]
        return DirectedInterleaveIterator(its, self.stop_on_empty_dataset, self.skip)

    def cardinality(self) -> int:
        cards = [p.cardinality() for p in self.parents[1:]]
        return INFINITE if INFINITE in cards else UNKNOWN

    def compute_spec(self) -> Any:
        specs = [p.element_spec() for p in self.parents[1:]]
        out = specs[0]
        for spec in specs[1:]:
            if isinstance(out, TensorSpec):
                out = merge_specs(out, spec)
            elif out is not None and spec is not None:
                out = map_structure(merge_specs, out, spec)
        return out

    def args(self) -> dict[str, Any]:
        return {
            "inputs": len(self.parents) - 1,
            "stop_on_empty_dataset": self.stop_on_empty_dataset,
        }


class DirectedInterleaveIterator(NodeIterator):
    """Takes the next element of the input each selector index names; an
    exhausted input ends the run or is skipped (``stop_on_empty``)."""

    def __init__(
        self, parents: list[NodeIterator], stop_on_empty: bool, skip: tuple = ()
    ) -> None:
        super().__init__(*parents)
        self.selector, self.inputs = parents[0], parents[1:]
        self.stop_on_empty = stop_on_empty
        self.active = [i not in skip for i in range(len(self.inputs))]
        self.done = not any(self.active)

    def __next__(self) -> Any:
        while not self.done:
            index = next(self.selector)
            if isinstance(index, ElementFailure):
                return index
            i = int(index)
            if not 0 <= i < len(self.inputs):
                error = InvalidArgumentError(
                    f"selector index out of range: got {i}, expected an index "
                    f"in [0, {len(self.inputs)})"
                )
                return ElementFailure(error, where={"stage": "choose_from_datasets"})
            if not self.active[i]:
                continue
            try:
                return next(self.inputs[i])
            except StopIteration:
                self.active[i] = False
                self.done = self.stop_on_empty or not any(self.active)
        raise StopIteration

    def get_state(self) -> dict[str, Any]:
        return {
            **super().get_state(),
            "active": list(self.active),
            "done": self.done,
        }

    def set_state(self, state: dict[str, Any]) -> None:
        super().set_state(state)
        self.active, self.done = list(state["active"]), state["done"]
