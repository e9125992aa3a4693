"""Parallel ``map``: worker threads take turns cutting a block from the input
(under a lock, with the input's checkpoint and a sequence number), map the
whole block, and the consumer takes blocks in sequence order (or as they
finish with ``deterministic=False``).

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> from pipeline.graph.base import IterContext, apply_fn
    >>> ctx = IterContext()
    >>> src = ctx.build(RangeNode((), 0, 6, 1))
    >>> it = ParallelMapIterator(ctx, src, lambda e, i: e * 2, "map", 3, True)
    >>> [int(x) for x in it]
    [0, 2, 4, 6, 8, 10]
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from pipeline.executor import autotune
from pipeline.executor.guard import STALE, ParentGuard
from pipeline.executor.stages import StageStats, ThreadedStage, read_block
from pipeline.executor.tuning import Gate, ParallelismTuner
from pipeline.graph.base import IterContext, NodeIterator, failure_of
from pipeline.graph.failures import ElementFailure, is_fatal, user_error


class Results:
    """Finished blocks by sequence number, with a cap on blocks in flight.

    Example:
        >>> r = Results(max_inflight=2, ordered=True)
        >>> s = r.reserve(); r.finish(s, "block"); r.take()
        'block'
    """

    def __init__(self, max_inflight: int, ordered: bool) -> None:
        self.cond = threading.Condition(threading.Lock())
        self.done: dict[int, Any] = {}
        self.max_inflight, self.ordered = max_inflight, ordered
        self.dispatched = self.consumed = 0
        self.end: int | None = None
        self.closed = False

    def reserve(self) -> int | None:
        """A sequence number for the next block (waits while too many are out)."""
        with self.cond:
            while self.dispatched - self.consumed >= self.max_inflight:
                if self.closed:
                    return None
                self.cond.wait()
            if self.closed:
                return None
            self.dispatched += 1
            return self.dispatched - 1

    def finish(self, seq: int, item: Any) -> None:
        """Record block ``seq`` as done."""
        with self.cond:
            self.done[seq] = item
            self.cond.notify_all()

    def finish_input(self, count: int) -> None:
        """The input ended: there are ``count`` blocks in all."""
        with self.cond:
            self.end = count
            self.cond.notify_all()

    def take(self) -> Any:
        """The next block (in order unless unordered); None at the end."""
        with self.cond:
            while not self.closed:
                if self.end is not None and self.consumed >= self.end:
                    return None
                key = self.consumed if self.ordered else next(iter(self.done), None)
                if key in self.done:
                    self.consumed += 1
                    self.cond.notify_all()
                    return self.done.pop(key)
                self.cond.wait()
            return None

    def close(self) -> None:
        """Wake everyone; later calls return at once."""
        with self.cond:
            self.closed = True
            self.done.clear()
            self.cond.notify_all()


class _Input:
    """The parent iterator shared by the workers, read through the stage's
    guard (one worker at a time, this run's generation only)."""

    def __init__(self, guard: ParentGuard, gen: int, index: int) -> None:
        self.guard, self.gen, self.index = guard, gen, index
        self.lock = threading.Lock()
        self.ended = False

    def next_block(self, results: Results, stats: StageStats) -> Any:
        """``(seq, block, checkpoint, index)`` of the next block, or None."""
        with self.lock:
            if self.ended:
                return None
            seq = results.reserve()
            if seq is None:
                return None
            index = self.index
            got = self.guard.read(self.gen, read_block, stats.block_size, stats, index)
            if got is STALE:
                self.ended = True
                return None
            ckpt, block, ended = got
            self.index += len(block)
            if ended:
                self.ended = True
                results.finish_input(seq + 1 if block else seq)
            return (seq, block, ckpt, index) if block else None


def _work(
    source: _Input,
    mapper: Callable[[Any, int], Any],
    results: Results,
    stats: StageStats,
    gate: Gate,
) -> None:
    while gate.enter():
        try:
            task = source.next_block(results, stats)
            if task is None:
                return
            seq, block, ckpt, index = task
            start = time.perf_counter()
            out = _map_block(mapper, block, index, stats.label)
            busy = time.perf_counter() - start
            stats.add(len(out), busy)
            autotune.retune_map(stats, out, busy)
            results.finish(seq, (out, ckpt, index))
        finally:
            gate.leave()


def _map_block(
    mapper: Callable[[Any, int], Any], block: list, index: int, stage: str
) -> list:
    """The mapped block; it ends at a fatal failure (an interrupt or an exit:
    the run is stopping, the rest is not mapped)."""
    out = []
    for j, elem in enumerate(block):
        res = _apply(mapper, elem, index + j, stage)
        out.append(res)
        if isinstance(res, ElementFailure) and is_fatal(res.exception):
            break
    return out


def _apply(mapper: Callable[[Any, int], Any], elem: Any, index: int, stage: str) -> Any:
    if isinstance(elem, ElementFailure):
        return elem
    try:
        return mapper(elem, index)
    except BaseException as e:  # noqa: BLE001 - every kind reaches the consumer
        return failure_of(user_error(e, stage), stage, index)  # type: ignore[arg-type]


class ParallelMapIterator(ThreadedStage):
    """``map(fn, num_parallel_calls=n)`` on ``n`` worker threads, block by block.

    Args:
        ctx: the run context (the stage registers there for stats/close).
        parent: the input iterator.
        mapper: ``(element, index) -> output``.
        label: the stage text.
        workers: number of worker threads.
        tune: measure whether fewer threads are faster (AUTOTUNE).
        ordered: keep input order (``deterministic`` not False). Unordered,
            the state is only approximate: elements finished out of order
            around the saved position may repeat or be skipped on restore.
    """

    kind = "map"

    def __init__(
        self,
        ctx: IterContext,
        parent: NodeIterator,
        mapper: Callable[[Any, int], Any],
        label: str,
        workers: int,
        ordered: bool,
        tune: bool = False,
    ) -> None:
        super().__init__(ctx, parent, label)
        self.mapper, self.workers, self.ordered = mapper, workers, ordered
        self.tune = tune
        self.gate: Gate | None = None
        self.tuner: ParallelismTuner | None = None
        self.counters = StageStats(label, workers)
        self.counters.block_size = 4
        self.results: Results | None = None

    def _launch(self) -> None:
        self.results = Results(2 * self.workers, self.ordered)
        index = (self.restored or {}).get("index", 0)
        source = _Input(self.guard, self.guard.gen, index)
        limit = self.counters.parallelism if self.tuner is not None else self.workers
        self.gate = Gate(limit)
        if self.tune and self.tuner is None:
            self.tuner = ParallelismTuner(self.gate, self.workers, self.counters)
        args = (source, self.mapper, self.results, self.counters, self.gate)
        self._spawn(_work, args, self.workers)

    def _take(self) -> Any:
        item = None if self.results is None else self.results.take()
        if item is not None and self.tuner is not None:
            self.tuner.gate = self.gate
            self.tuner.on_block(len(item[0]))
        return item

    def _halt(self) -> None:
        if self.gate is not None:
            self.gate.close()
        if self.results is not None:
            self.results.close()
        self._join()
