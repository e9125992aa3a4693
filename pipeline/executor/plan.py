"""`RunContext`: builds node iterators, threaded where the graph asks for it.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> ctx = RunContext(Options(), seed=0)
    >>> [int(x) for x in ctx.build(RangeNode((), 0, 2, 1))]
    [0, 1]
"""

from __future__ import annotations

from typing import Any

from pipeline.executor.options import Options
from pipeline.graph.base import IterContext, Node, NodeIterator


class RunContext(IterContext):
    """An `IterContext` that knows the run's options and threaded stages."""

    def __init__(self, options: Options, seed: int = 0) -> None:
        super().__init__(seed=seed)
        self.options = options
        self.stages: list[Any] = []

    def build(self, node: Node) -> NodeIterator:
        return node.make_iterator(self)

    def stats(self) -> list[dict[str, Any]]:
        """The stats of every threaded stage started so far."""
        return [s.stats() for s in self.stages]

    def close(self) -> None:
        """Stop every threaded stage of the run."""
        for stage in list(self.stages):
            stage.close()
