"""``shuffle``: a buffer of ``buffer_size`` elements, drawn from uniformly.

As tf.data does: the buffer fills from the input; each output is a uniform
draw from the buffer, and its slot takes the next input element. The draws
come from a PCG64 Generator seeded by the stage seed (the given ``seed`` or
one derived from the run's root seed) and, when ``reshuffle_each_iteration``
is set, the run number and the epoch path: each ``repeat`` epoch, and each new
iterator over the same Dataset, has its own order (as in tf.data), and the
sequence of orders is the same in every program run. Without a seed and
without reshuffling, one order is drawn when the dataset is built and kept.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> node = ShuffleNode((RangeNode((), 0, 10, 1),), buffer_size=4, seed=1)
    >>> out = [int(x) for x in IterContext().build(node)]
    >>> sorted(out) == list(range(10)), out == list(range(10))
    (True, False)
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from pipeline import seeding
from pipeline.graph.base import IterContext, Node, NodeIterator
from pipeline.graph.failures import ElementFailure

_DRAWS_PER_REFILL = 512


@dataclasses.dataclass(frozen=True, eq=False)
class ShuffleNode(Node):
    """``shuffle(buffer_size, seed, reshuffle_each_iteration)``."""

    buffer_size: int = 1
    seed: int | None = None
    reshuffle_each_iteration: bool = True
    #: The seed of the one order an unseeded, non-reshuffling shuffle keeps
    #: (drawn when the dataset is built; see `fixed_order_seed`).
    order_seed: int | None = dataclasses.field(default=None, repr=False)
    op = "shuffle"
    passes_elements = True

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        seed = [self._stage_seed(ctx)]
        if self.reshuffle_each_iteration:
            seed += [ctx.run, *ctx.epoch]
        return ShuffleIterator(ctx.build(self.parents[0]), self.buffer_size, seed)

    def _stage_seed(self, ctx: IterContext) -> int:
        run_seeded = getattr(getattr(ctx, "options", None), "seed", None) is not None
        if self.seed is None and self.order_seed is not None and not run_seeded:
            return self.order_seed
        return ctx.node_seed(self, self.seed)


def fixed_order_seed(seed: int | None, reshuffle_each_iteration: bool) -> int | None:
    """A fresh seed for a shuffle without ``seed`` that must not reshuffle.

    tf.data keeps one order for such a shuffle across epochs and iterators
    but draws a new one for each ``shuffle`` call; a run seed
    (``Options(seed=...)``), when set, still decides it instead.

    Example:
        >>> fixed_order_seed(3, False) is None, fixed_order_seed(None, True) is None
        (True, True)
        >>> isinstance(fixed_order_seed(None, False), int)
        True
    """
    if seed is not None or reshuffle_each_iteration:
        return None
    return seeding.fresh_seed()


class ShuffleIterator(NodeIterator):
    def __init__(self, parent: NodeIterator, size: int, seed: list[int]) -> None:
        super().__init__(parent)
        self.parent, self.size = parent, size
        self.rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))
        self.buffer: list[Any] = []
        self.draws = np.empty(0)
        self.pos = 0
        self.exhausted = False

    def __next__(self) -> Any:
        buffer = self.buffer
        while not self.exhausted and len(buffer) < self.size:
            try:
                elem = next(self.parent)
            except StopIteration:
                self.exhausted = True
                break
            if isinstance(elem, ElementFailure):
                return elem
            buffer.append(elem)
        if not buffer:
            raise StopIteration
        i = self._draw(len(buffer))
        out = buffer[i]
        if not self.exhausted:
            try:
                elem = next(self.parent)
            except StopIteration:
                self.exhausted = True
            else:
                if not isinstance(elem, ElementFailure):
                    buffer[i] = elem
                    return out
                buffer[i] = buffer[-1]
                buffer.pop()
                buffer.append(out)
                return elem
        buffer[i] = buffer[-1]
        buffer.pop()
        return out

    def _draw(self, n: int) -> int:
        if self.pos >= len(self.draws):
            self.draws = self.rng.random(_DRAWS_PER_REFILL)
            self.pos = 0
        self.pos += 1
        return int(self.draws[self.pos - 1] * n)

    def get_state(self) -> dict[str, Any]:
        return {
            "parent": self.parent.get_state(),
            "buffer": list(self.buffer),
            "rng": self.rng.bit_generator.state,
            "draws": self.draws[self.pos :].copy(),
            "exhausted": self.exhausted,
        }

    def set_state(self, state: dict[str, Any]) -> None:
        self.parent.set_state(state["parent"])
        self.buffer = list(state["buffer"])
        self.rng.bit_generator.state = state["rng"]
        self.draws, self.pos = state["draws"].copy(), 0
        self.exhausted = state["exhausted"]
