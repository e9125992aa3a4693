"""``tf.data.experimental.parallel_interleave``: interleave's order, where an
error takes its slot's turn.

TF's legacy parallel interleave yields the same order as ``interleave``
without errors. When opening an input fails (the input element or the
function raised), the failed input counts as an input holding just the
error: the error is raised in that slot's turn, the cycle moves on, and the
slot's next turn passes (the input is exhausted) before the slot is filled
again (``interleave`` retries the same slot at once). The node runs the
sequential interleave iterator with that rule; its order never depends on
thread timing, so ``sloppy`` changes nothing.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> node = ParallelInterleaveNode(
    ...     (RangeNode((), 1, 3, 1),), fn=lambda x: RangeNode((), 0, x, 1),
    ...     cycle_length=2)
    >>> [int(v) for v in IterContext().build(node)]
    [0, 0, 1]
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pipeline.graph.base import IterContext, NodeIterator
from pipeline.graph.combining import InterleaveIterator, InterleaveNode
from pipeline.graph.failures import ElementFailure


@dataclasses.dataclass(frozen=True, eq=False)
class ParallelInterleaveNode(InterleaveNode):
    """``parallel_interleave(fn, cycle_length, block_length, sloppy)``."""

    op = "parallel_interleave"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return TurnTakingInterleaveIterator(ctx, self)


class TurnTakingInterleaveIterator(InterleaveIterator):
    """Interleave where a failure to open an input uses the slot's turn."""

    failure_is_turn = True

    def __init__(self, ctx: IterContext, node: InterleaveNode) -> None:
        super().__init__(ctx, node)
        #: Slots whose input failed to open: their next turn passes.
        self.spent: set[int] = set()

    def _fill_slot(self) -> ElementFailure | None:
        if self.slot in self.spent:
            self.spent.discard(self.slot)
            self._advance_slot()
            return None
        failure = super()._fill_slot()
        if failure is not None:
            self.spent.add(self.slot)
            self._advance_slot()
        return failure

    def get_state(self) -> dict[str, Any]:
        return {**super().get_state(), "spent": sorted(self.spent)}

    def set_state(self, state: dict[str, Any]) -> None:
        super().set_state(state)
        self.spent = set(state["spent"])
