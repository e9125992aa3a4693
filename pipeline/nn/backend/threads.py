"""How many BLAS threads a training or inference loop uses: measured, not guessed.

OpenBLAS's threads spin-wait for each other. On an idle machine two threads make
the matrix products of a step up to ~1.5x faster; on a machine busier than its
cores, one descheduled thread stalls every product and a step can get 10-50x
slower. Neither count is safe everywhere, so :class:`ThreadTuner` times the
loop's own steps:

1. **probe**: run a few steps at each candidate count (the current choice first)
   and keep the median time per example; a candidate whose first step is much
   slower than the best so far is dropped at once, so a collapse costs one step;
2. **hold** the fastest for a while, watching the mean of the last few steps; if
   it gets worse than another candidate's last measurement (the load changed),
   probe again at once;
3. after the hold, probe again. The hold is long enough that re-checking the
   losers costs at most ~5% of the time (a loser twice as slow on one step buys
   20 steps of hold), and doubles while the same count keeps winning (capped).

A probe skips every count above 1 while the machine is busy: when the other
threads runnable right now (``/proc/loadavg``) plus the BLAS threads to try
would outnumber this process's CPUs (:func:`machine_busy`). Even one probe step
at 2 threads can then cost as much as 10-50 steps at 1.

``PIPELINE_BLAS_THREADS`` (read by :mod:`pipeline._config`) sets the policy:
``auto`` (default) tunes between 1 and the BLAS's own count, a number fixes the
count during loops, ``off`` leaves the BLAS alone.

Example:
    >>> tuner = ThreadTuner([1, 2], set_threads=lambda n: None)
    >>> for seconds in [1.0, 1.0, 1.0, 0.5, 0.5, 0.5]:  # 2 threads twice as fast
    ...     tuner.before_step()
    ...     tuner.after_step(seconds, 256)
    >>> tuner.chosen
    2
"""

from __future__ import annotations

import os
import statistics
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from pipeline import _config
from pipeline.nn.backend import blas

_PROBE_STEPS = 3
_HOLD_STEPS = 32
_MAX_HOLD_STEPS = 4096
_WINDOW_STEPS = 8
# A probe step this much slower than the best median drops its candidate.
_DROP_RATIO = 1.5
# Holding: re-probe once the recent mean is this much worse than an alternative.
_WORSE_RATIO = 1.25
# The share of the time that probing the losers may cost.
_PROBE_BUDGET = 0.05


def _runnable_now() -> int | None:
    """The number of threads runnable right now, machine-wide (the 4th field
    of ``/proc/loadavg``, ``running/total``), or None where there is none."""
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return int(f.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return None


def _cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def machine_busy(threads: int, current: int = 1) -> bool:
    """Whether ``threads`` BLAS threads would outnumber the CPUs this process may
    run on, given what is runnable right now (the median of three reads of
    ``/proc/loadavg``), of which ``current`` threads are this loop's own (the
    reading thread and the BLAS workers now set; idle workers may spin). False
    where the count is not available.

    Example:
        >>> machine_busy(10**6)  # more threads than any machine's CPUs
        True
    """
    reads = [_runnable_now() for _ in range(3)]
    if any(r is None for r in reads):
        return False
    others = max(sorted(reads)[1] - current, 0)  # type: ignore[operator]
    return others + threads > _cpus()


class ThreadTuner:
    """Picks, and keeps re-picking, the fastest thread count for a loop's steps.

    Args:
        candidates: the thread counts to choose from, e.g. ``[1, 2]``.
        set_threads: called with a count whenever the choice changes.
        probe_steps: steps timed per candidate in a probe. Default 3.
        hold_steps: steps to hold a choice after a probe (doubling while the
            same count keeps winning, up to ``max_hold_steps``). Default 32.
        max_hold_steps: the longest hold. Default 4096.
        busy: ``busy(threads, current)`` says whether ``threads`` threads
            (instead of the ``current`` count) would oversubscribe the machine;
            a probe then skips the counts above 1. Default None: never busy.

    Call :meth:`before_step` before each step and :meth:`after_step` with its
    duration and number of examples after it.

    Example:
        >>> tuner = ThreadTuner([1, 2], set_threads=lambda n: None)
        >>> tuner.before_step(); tuner.after_step(0.01, 256)
        >>> tuner.chosen
        1
    """

    def __init__(
        self,
        candidates: Sequence[int],
        set_threads: Callable[[int], Any],
        probe_steps: int = _PROBE_STEPS,
        hold_steps: int = _HOLD_STEPS,
        max_hold_steps: int = _MAX_HOLD_STEPS,
        busy: Callable[[int], bool] | None = None,
    ) -> None:
        self.candidates = sorted(set(int(c) for c in candidates))
        self._busy = busy
        self._set_threads = set_threads
        self._probe_steps = probe_steps
        self._base_hold = hold_steps
        self._max_hold = max_hold_steps
        self._hold = hold_steps
        self.chosen = self.candidates[0]
        self.reference: dict[int, float] = {}
        self._applied: int | None = None
        self._plan: list[int] = []
        self._samples: dict[int, list[float]] = {}
        self._hold_left = 0
        self._recent: deque[float] = deque(maxlen=_WINDOW_STEPS)
        self.probes = 0
        self._start_probe()

    @property
    def probing(self) -> bool:
        """Whether the coming step is a probe step.

        Example:
            >>> ThreadTuner([1, 2], lambda n: None).probing
            True
        """
        return bool(self._plan)

    def before_step(self) -> None:
        """Sets the thread count for the coming step (only when it changes)."""
        threads = self._plan[0] if self._plan else self.chosen
        if threads != self._applied:
            self._set_threads(threads)
            self._applied = threads

    def after_step(self, seconds: float, examples: int) -> None:
        """Records the step that just ran: ``seconds`` for ``examples`` examples."""
        cost = seconds / max(int(examples), 1)
        if self._plan:
            self._record_probe(self._plan.pop(0), cost)
            if not self._plan:
                self._finish_probe()
            return
        self._recent.append(cost)
        self._hold_left -= 1
        if self._hold_left <= 0 or self._got_worse():
            if self._hold_left > 0:
                self._hold = self._base_hold
            self._start_probe()

    def _start_probe(self) -> None:
        order = [self.chosen] + [c for c in self.candidates if c != self.chosen]
        most = max(order)
        if most > 1 and self._busy is not None and self._busy(most, self._applied or 1):
            order = [min(self.candidates)]  # no room for more threads now
        self._plan = [c for c in order for _ in range(self._probe_steps)]
        self._samples = {}
        self.probes += 1

    def _record_probe(self, threads: int, cost: float) -> None:
        self._samples.setdefault(threads, []).append(cost)
        done = [min(v) for c, v in self._samples.items() if c != threads]
        if done and cost > _DROP_RATIO * min(done):
            self._plan = [c for c in self._plan if c != threads]

    def _finish_probe(self) -> None:
        for threads, samples in self._samples.items():
            self.reference[threads] = statistics.median(samples)
        previous = self.chosen
        self.chosen = min(self._samples, key=lambda c: self.reference[c])
        if self.chosen == previous and self.probes > 1:
            self._hold = min(self._hold * 2, self._max_hold)
        elif self.chosen != previous:
            self._hold = self._base_hold
        self._hold_left = min(max(self._hold, self._budget_hold()), self._max_hold)
        self._recent.clear()

    def _budget_hold(self) -> int:
        """Steps to hold so the losers' probe steps cost ``_PROBE_BUDGET``."""
        best = self.reference[self.chosen]
        lost = sum(
            cost - best
            for threads, samples in self._samples.items()
            if threads != self.chosen
            for cost in samples
        )
        return int(lost / (_PROBE_BUDGET * best)) if best > 0 else 0

    def _got_worse(self) -> bool:
        if len(self._recent) < self._recent.maxlen:
            return False
        others = [r for c, r in self.reference.items() if c != self.chosen]
        mean = sum(self._recent) / len(self._recent)
        return bool(others) and mean > _WORSE_RATIO * min(others)


_nesting = {"depth": 0, "outer": None}


class LoopThreads:
    """The thread policy of one kind of loop (train, test, predict) of a model.

    A context manager: entering applies the policy's count (or starts tuning),
    leaving restores the BLAS's previous count. Between, ``before_step`` and
    ``after_step`` drive the tuner (no-ops unless the policy is ``auto``). The
    tuner survives from one ``fit`` call to the next; it chooses between 1 and
    the count the BLAS had outside every loop (a validation loop inside ``fit``
    sees the same choices).

    Example:
        >>> with LoopThreads() as threads:
        ...     threads.before_step(); threads.after_step(0.01, 32)
    """

    def __init__(self) -> None:
        self._tuner: ThreadTuner | None = None
        self._previous: int | None = None
        self._active = False

    def __enter__(self) -> LoopThreads:
        self._previous = blas.get_num_threads()
        if _nesting["depth"] == 0:
            _nesting["outer"] = self._previous
        _nesting["depth"] += 1
        policy = _config.blas_threads()
        outer = _nesting["outer"]
        self._active = False
        if outer is None or policy == "off":
            return self
        if policy != "auto":
            blas.set_num_threads(int(policy))
            return self
        if self._tuner is None or max(self._tuner.candidates) != outer:
            self._tuner = ThreadTuner(
                [1, outer], blas.set_num_threads, busy=machine_busy
            )
        self._tuner._applied = None
        self._active = len(self._tuner.candidates) > 1
        return self

    def __exit__(self, *exc: Any) -> None:
        _nesting["depth"] -= 1
        if self._previous is not None:
            blas.set_num_threads(self._previous)

    def before_step(self) -> None:
        """Applies the tuner's count for the coming step."""
        if self._active:
            self._tuner.before_step()

    def after_step(self, seconds: float, examples: int) -> None:
        """Reports the step's duration and size to the tuner."""
        if self._active:
            self._tuner.after_step(seconds, examples)
