"""`RunContext`: builds node iterators, threaded where the graph asks for it.

``prefetch`` nodes get a `PrefetchIterator`; ``map`` nodes with
``num_parallel_calls`` above 1 (or AUTOTUNE) a `ParallelMapIterator`;
``interleave`` nodes with ``num_parallel_calls`` a
`ParallelInterleaveIterator`. Everything else runs the graph's sequential
iterators.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> ctx = RunContext(Options(), seed=0)
    >>> [int(x) for x in ctx.build(RangeNode((), 0, 2, 1))]
    [0, 1]
"""

from __future__ import annotations

import threading
from typing import Any

from pipeline.executor import autotune
from pipeline.executor.interleave import ParallelInterleaveIterator
from pipeline.executor.options import Options
from pipeline.executor.stages import PrefetchIterator
from pipeline.executor.workers import ParallelMapIterator
from pipeline.graph.base import AUTOTUNE, IterContext, Node, NodeIterator
from pipeline.graph.caching import PrefetchNode
from pipeline.graph.combining import InterleaveNode
from pipeline.graph.elementwise import MapNode

_INTERLEAVE_READ_AHEAD = 8


class RunContext(IterContext):
    """An `IterContext` that knows the run's options and threaded stages."""

    def __init__(self, options: Options, seed: int = 0, run: int = 0) -> None:
        super().__init__(seed=seed, run=run)
        self.options = options
        self.stages: list[Any] = []
        self.watched: list[Any] = []
        self.retired: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()

    def build(self, node: Node) -> NodeIterator:
        if isinstance(node, PrefetchNode) and node.buffer_size != 0:
            parent = self.build(node.parents[0])
            stage = PrefetchIterator(self, parent, str(node), node.buffer_size)
            stage.budget_bytes = self.options.memory_budget_bytes
            return stage
        if isinstance(node, MapNode) and node.num_parallel_calls is not None:
            workers = autotune.parallelism(
                node.num_parallel_calls, self.options.num_threads
            )
            if workers > 1:
                parent = self.build(node.parents[0])
                mapper = node.mapper_for(self)
                ordered = self._deterministic(node.deterministic)
                tune = node.num_parallel_calls == AUTOTUNE
                return ParallelMapIterator(
                    self, parent, mapper, str(node), workers, ordered, tune
                )
        if isinstance(node, InterleaveNode) and node.num_parallel_calls is not None:
            return ParallelInterleaveIterator(self, node, _INTERLEAVE_READ_AHEAD)
        return node.make_iterator(self)

    def _deterministic(self, value: bool | None) -> bool:
        if value is not None:
            return bool(value)
        opt = self.options.deterministic
        return True if opt is None else bool(opt)

    def register(self, stage: Any) -> None:
        """Track a threaded stage (for stats and close)."""
        with self.lock:
            self.stages.append(stage)

    def watch(self, counted: Any) -> None:
        """Show a sequential iterator's ``stats()`` (ignore_errors' counts)
        with the stages'; it retires itself when closed, and is not closed
        by the context."""
        with self.lock:
            self.watched.append(counted)

    def retire(self, stage: Any) -> None:
        """Forget a closed stage, keeping its counters in the totals."""
        with self.lock:
            for live in (self.stages, self.watched):
                if stage in live:
                    live.remove(stage)
            _add(self.retired, _stats_of(stage))

    def stats(self) -> list[dict[str, Any]]:
        """The stats of every threaded stage (and every ``ignore_errors``),
        live or finished, summed by stage."""
        with self.lock:
            live = [_stats_of(s) for s in (*self.stages, *self.watched)]
            out = {k: dict(v) for k, v in self.retired.items()}
        for stats in live:
            _add(out, stats)
        return list(out.values())

    def close(self) -> None:
        """Stop every threaded stage of the run."""
        with self.lock:
            stages = list(self.stages)
        for stage in stages:
            stage.close()


#: The keys every stats entry has (a sequential stage has no threads).
_BLANK = {
    "produced": 0,
    "busy_s": 0.0,
    "wait_input_s": 0.0,
    "buffer_fill": 0.0,
    "buffer_capacity": 0,
    "block_size": 0,
    "parallelism": 1,
    "autotune": None,
}
#: Counters summed over the runs of one stage (e.g. one per interleave input).
_SUMMED = (
    "produced",
    "busy_s",
    "wait_input_s",
    "dropped",
    "records_lost",
    "bytes_lost",
)


def _stats_of(stage: Any) -> dict[str, Any]:
    return {**_BLANK, **stage.stats()}


def _add(totals: dict[str, dict[str, Any]], stats: dict[str, Any]) -> None:
    """Add one run's ``stats`` to the totals of its stage."""
    total = totals.get(stats["stage"])
    if total is None:
        totals[stats["stage"]] = dict(stats, runs=1)
        return
    total["runs"] += 1
    for key in _SUMMED:
        if key in stats:
            total[key] = total.get(key, 0) + stats[key]
