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
#: Runs shorter than this draw one slot at a time (no numpy call per run).
_SHORT_RUN = 16


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

    def _fill(self) -> ElementFailure | None:
        """Fill the buffer from the input; an input failure stops it."""
        buffer = self.buffer
        while not self.exhausted and len(buffer) < self.size:
            try:
                run = self.parent.next_many(self.size - len(buffer))
            except StopIteration:
                self.exhausted = True
                break
            if isinstance(run[0], ElementFailure):
                return run[0]
            buffer += run
        return None

    def __next__(self) -> Any:
        buffer = self.buffer
        failure = self._fill()
        if failure is not None:
            return failure
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

    def next_many(self, limit: int) -> list[Any]:
        """A run of up to ``limit`` outputs, the same as ``next`` gives.

        With the buffer full, each input of a run from the parent takes the
        slot of the output drawn before it (no Python call per element);
        elsewhere (filling, failures, draining) it is ``next``'s own step.
        """
        failure = self._fill()
        if failure is not None:
            return [failure]
        if self.exhausted:
            return self._drain(limit)
        try:
            run = self.parent.next_many(limit)
        except StopIteration:
            self.exhausted = True
            return self._drain(limit)
        buffer = self.buffer
        if isinstance(run[0], ElementFailure):  # next's step with a failure
            i = self._draw(len(buffer))
            out = buffer[i]
            buffer[i] = buffer[-1]
            buffer.pop()
            buffer.append(out)
            return run
        if len(run) < _SHORT_RUN:  # numpy's per-call cost would dominate
            slots = [self._draw(len(buffer)) for _ in run]
        else:
            slots = self._draw_many(len(run), len(buffer))
        out = []
        for i, elem in zip(slots, run):
            out.append(buffer[i])
            buffer[i] = elem
        return out

    def _drain(self, limit: int) -> list[Any]:
        """Up to ``limit`` outputs once the input has ended."""
        buffer = self.buffer
        if not buffer:
            raise StopIteration
        out = []
        for u in self._draw_many(min(limit, len(buffer)), None):
            i = int(u * len(buffer))
            out.append(buffer[i])
            buffer[i] = buffer[-1]
            buffer.pop()
        return out

    def _draw(self, n: int) -> int:
        if self.pos >= len(self.draws):
            self.draws = self.rng.random(_DRAWS_PER_REFILL)
            self.pos = 0
        self.pos += 1
        return int(self.draws[self.pos - 1] * n)

    def _draw_many(self, count: int, n: int | None) -> list[Any]:
        """The next ``count`` draws, as `_draw` makes them: slots of a buffer
        of ``n``, or (``n`` None) the uniform numbers themselves."""
        parts, need = [], count
        while need:
            if self.pos >= len(self.draws):
                self.draws = self.rng.random(_DRAWS_PER_REFILL)
                self.pos = 0
            take = min(need, len(self.draws) - self.pos)
            parts.append(self.draws[self.pos : self.pos + take])
            self.pos += take
            need -= take
        draws = parts[0] if len(parts) == 1 else np.concatenate(parts)
        if n is None:
            return draws.tolist()
        return (draws * n).astype(np.int64).tolist()

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
