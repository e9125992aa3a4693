"""AUTOTUNE of a parallel map's thread count, from measured throughput.

A `Gate` caps how many workers run at once. For ``num_parallel_calls=
AUTOTUNE`` a `ParallelismTuner` measures the stage's throughput with every
worker allowed, then with one, and keeps the faster (more threads only help
when the function releases the GIL). The output order never depends on it.

Example:
    >>> gate = Gate(2)
    >>> gate.enter(), gate.enter(), gate.active
    (True, True, 2)
    >>> gate.leave(); gate.close(); gate.enter()
    False
"""

from __future__ import annotations

import threading
import time
from typing import Any

_SETTLE_BLOCKS_PER_WORKER = 2
_WINDOW_BLOCKS = 6
_MORE_THREADS_MARGIN = 1.1


class Gate:
    """At most ``limit`` holders at a time; ``close()`` turns everyone away.

    Example:
        >>> Gate(3).limit
        3
    """

    def __init__(self, limit: int) -> None:
        self.cond = threading.Condition(threading.Lock())
        self.limit, self.active, self.closed = limit, 0, False

    def enter(self) -> bool:
        """Wait for a free slot; False when closed."""
        with self.cond:
            while self.active >= self.limit and not self.closed:
                self.cond.wait()
            if self.closed:
                return False
            self.active += 1
            return True

    def leave(self) -> None:
        """Free a slot."""
        with self.cond:
            self.active -= 1
            self.cond.notify_all()

    def set_limit(self, limit: int) -> None:
        """Change the cap."""
        with self.cond:
            self.limit = max(1, limit)
            self.cond.notify_all()

    def close(self) -> None:
        """Wake and turn away every waiter."""
        with self.cond:
            self.closed = True
            self.cond.notify_all()


class ParallelismTuner:
    """Measures throughput at each candidate thread count; keeps the best.

    Args:
        gate: the gate of the stage's workers.
        workers: the number of worker threads (the first candidate).
        stats: the stage's `StageStats` (``parallelism`` and ``autotune``
            record the choice).

    Example:
        >>> from pipeline.executor.stages import StageStats
        >>> tuner = ParallelismTuner(Gate(2), 2, StageStats("map", 2))
        >>> tuner.candidates
        [2, 1]
    """

    def __init__(self, gate: Gate, workers: int, stats: Any) -> None:
        self.gate, self.stats = gate, stats
        self.candidates = [workers, 1]
        self.settle = _SETTLE_BLOCKS_PER_WORKER * workers
        self.rates: dict[int, float] = {}
        self.seen = self.count = 0
        self.start = 0.0

    def on_block(self, elements: int) -> None:
        """Called by the consumer for every block it takes."""
        if len(self.rates) == len(self.candidates):
            return
        self.seen += 1
        if self.seen == self.settle:
            self.start, self.count = time.perf_counter(), 0
        elif self.seen > self.settle:
            self.count += elements
            if self.seen == self.settle + _WINDOW_BLOCKS:
                self._next_candidate()

    def _next_candidate(self) -> None:
        current = self.candidates[len(self.rates)]
        elapsed = max(time.perf_counter() - self.start, 1e-9)
        self.rates[current] = self.count / elapsed
        self.seen = 0
        if len(self.rates) < len(self.candidates):
            self.gate.set_limit(self.candidates[len(self.rates)])
            return
        most, one = self.candidates
        best = most if self.rates[most] > _MORE_THREADS_MARGIN * self.rates[one] else 1
        self.gate.set_limit(best)
        self.stats.parallelism = best
        self.stats.autotune = {str(k): round(v) for k, v in self.rates.items()}
