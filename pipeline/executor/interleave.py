"""Parallel ``interleave``: each open input is read ahead by its own thread.

The output order is tf.data's deterministic interleave order (the sequential
reference's), whatever the thread timing; the inputs of the cycle are read
concurrently by ``pipeline-interleave-<i>`` threads.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> from pipeline.graph.combining import InterleaveNode
    >>> from pipeline.graph.base import IterContext
    >>> node = InterleaveNode((RangeNode((), 1, 3, 1),),
    ...     fn=lambda x: RangeNode((), 0, int(x), 1), cycle_length=2)
    >>> [int(v) for v in ParallelInterleaveIterator(IterContext(), node, 4)]
    [0, 0, 1]
"""

from __future__ import annotations

from typing import Any

from pipeline.executor.stages import PrefetchIterator
from pipeline.graph.base import IterContext, NodeIterator
from pipeline.graph.combining import InterleaveIterator, InterleaveNode


class ParallelInterleaveIterator(InterleaveIterator):
    """`InterleaveIterator` whose open inputs are prefetched by threads.

    Args:
        ctx: the run context.
        node: the interleave node.
        buffer_size: elements read ahead per open input.
    """

    failure_is_turn = True  # TF's parallel interleave counts an error as an element

    def __init__(
        self, ctx: IterContext, node: InterleaveNode, buffer_size: int
    ) -> None:
        super().__init__(ctx, node)
        self.buffer_size = buffer_size

    def _open_slot(self, elem: Any, index: int) -> NodeIterator:
        inner = self.node.open(self.ctx, elem, index)
        stage = PrefetchIterator(None, inner, f"{self.stage} input", self.buffer_size)
        stage.kind = f"interleave-{self.slot}"
        stage.prime()
        return stage
