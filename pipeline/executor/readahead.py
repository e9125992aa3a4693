"""`ordered_map`: a function over an iterator's items in worker threads,
results in input order.

For a source whose items are big blocks (megabytes of CSV text) and whose
work releases the GIL (the decoding kernels), so that a few threads keep the
cores busy while the consumer cuts batches. Workers take items from the input
one at a time under a lock (reading stays sequential), at most ``ahead``
results wait for the consumer (backpressure), and an exception, from the
input or from ``fn``, reaches the consumer in its place in the sequence.
Closing the generator (or dropping it) stops and joins the threads.

Example:
    >>> list(ordered_map(lambda x: x * x, iter(range(6)), workers=2))
    [0, 1, 4, 9, 16, 25]
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pipeline.graph.base import fn_label
from pipeline.graph.failures import with_note

T = TypeVar("T")
R = TypeVar("R")

_names = itertools.count()


class _Ahead:
    """The shared state of one `ordered_map`: input, results, flags."""

    def __init__(
        self, fn: Callable[[Any], Any], items: Iterator, ahead: int, label: str
    ) -> None:
        self.fn, self.items, self.ahead = fn, items, max(1, ahead)
        self.label = label
        self.cond = threading.Condition(threading.Lock())
        self.read_lock = threading.Lock()
        self.results: dict[int, tuple[bool, Any]] = {}
        self.next_seq = self.consumed = 0
        self.end: int | None = None
        self.closed = False

    def _claim(self) -> int | None:
        with self.cond:
            while not self.closed and self.next_seq - self.consumed >= self.ahead:
                self.cond.wait()
            if self.closed or self.end is not None:
                return None
            self.next_seq += 1
            return self.next_seq - 1

    def work(self) -> None:
        """A worker's loop: claim a sequence number, read an item, apply ``fn``."""
        while True:
            with self.read_lock:  # items are read in sequence order
                seq = self._claim()
                if seq is None:
                    return
                try:
                    item = next(self.items)
                except StopIteration:
                    self._finish(seq, None, end=seq)
                    return
                except BaseException as e:  # noqa: BLE001 - handed to the consumer
                    self._finish(seq, self._failed(e, seq), end=seq + 1)
                    return
            try:
                result = (True, self.fn(item))
            except BaseException as e:  # noqa: BLE001 - handed to the consumer
                result = self._failed(e, seq)
            self._finish(seq, result)

    def _failed(self, exc: BaseException, seq: int) -> tuple[bool, BaseException]:
        note = f"raised in pipeline stage {self.label} at element index {seq}"
        return False, with_note(exc, note)

    def _finish(self, seq: int, result: Any, end: int | None = None) -> None:
        """Record ``seq``'s result; ``end``: the input ended (set once, while
        the read lock is held, so no later item is claimed)."""
        with self.cond:
            if result is not None:
                self.results[seq] = result
            if end is not None:
                self.end = end
            self.cond.notify_all()

    def take(self) -> tuple[bool, Any] | None:
        """The next result in order, or None at the end."""
        with self.cond:
            seq = self.consumed
            while seq not in self.results and (self.end is None or seq < self.end):
                self.cond.wait()
            if seq not in self.results:
                return None
            self.consumed += 1
            self.cond.notify_all()
            return self.results.pop(seq)

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()


def ordered_map(
    fn: Callable[[T], R],
    items: Iterator[T],
    workers: int = 2,
    ahead: int | None = None,
    label: str | None = None,
) -> Iterator[R]:
    """``fn`` over ``items`` in ``workers`` threads, results in input order.

    An exception of any kind, from ``items`` or ``fn``, is raised here in
    its place in the sequence, with its traceback and a note naming the stage
    and the item's index; the threads then stop.

    Args:
        fn: applied to each item in a worker thread.
        items: the input, read by one worker at a time.
        workers: threads to start (1 runs ``fn`` inline, starting none).
        ahead: results that may wait for the consumer; defaults to ``workers``.
        label: the stage's name in notes; defaults to ``readahead(<fn>)``.

    Example:
        >>> it = ordered_map(str, iter([1, 2, 3]), workers=3, ahead=1)
        >>> next(it), list(it)
        ('1', ['2', '3'])
    """
    if workers <= 1:
        yield from map(fn, items)
        return
    state = _Ahead(fn, items, ahead or workers, label or f"readahead({fn_label(fn)})")
    threads = [
        threading.Thread(
            target=state.work, name=f"pipeline-readahead-{next(_names)}", daemon=True
        )
        for _ in range(workers)
    ]
    for t in threads:
        t.start()
    try:
        while True:
            result = state.take()
            if result is None:
                return
            ok, value = result
            if not ok:
                raise value
            yield value
    finally:
        state.close()
        for t in threads:
            t.join()
