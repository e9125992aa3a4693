"""Batch semantics in one place: how a stream of rows is cut into batches.

Every batching path of the library follows these rules, whether it pulls
elements from a parent iterator (`graph.batching`, `graph.gather`) or is
handed whole blocks of rows by a reader (``TFRecordDataset(...).batch`` in
`data.tfrecord_dataset`, ``make_csv_dataset`` in `data.csv_batches`):

* Rows are cut into batches of ``size`` in order, across block, file and
  epoch boundaries; a block may fill several batches or a part of one.
* At the end of input the rows left over form one last, shorter batch,
  unless ``drop_remainder`` is set (`keeps_batch`).
* A failure (an `ElementFailure` in the stream) replaces the batch being
  built: the rows gathered so far are dropped and the failure is the output.
  After a ``map`` (which tf.data fuses with the batch) the failure still uses
  up the whole batch's inputs (``fill_on_failure`` of `gather`).
* The state of a batching stage is the position of the next batch's first
  row: after a cut, `BatchCutter.next_start` (or the end of the last piece
  cut, when nothing is pending) is where reading resumes.

`gather` is the rule for a pull source (``next_many``); `BatchCutter` the
same rule for pushed blocks: it only records ``(run, lo, hi)`` pieces, so
callers keep their own row containers (column arrays, record lists) and
join each batch's pieces in one step.

Example:
    >>> cutter = BatchCutter(3)
    >>> cutter.add("a", 2)
    >>> list(cutter.cuts())
    []
    >>> cutter.add("b", 5)
    >>> [pieces for pieces in cutter.cuts()]
    [[('a', 0, 2), ('b', 0, 1)], [('b', 1, 4)]]
    >>> cutter.next_start(), cutter.rest(drop_remainder=False)
    (('b', 4), [('b', 4, 5)])
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from pipeline.graph.failures import ElementFailure

__all__ = ["BatchCutter", "gather", "keeps_batch"]

#: One piece of a batch: rows ``lo:hi`` of a caller's ``run``.
Piece = tuple[Any, int, int]


def keeps_batch(count: int, size: int, drop_remainder: bool) -> bool:
    """Whether ``count`` gathered rows make a batch of a ``size`` stage.

    Example:
        >>> keeps_batch(2, 3, False), keeps_batch(2, 3, True), keeps_batch(0, 3, False)
        (True, False, False)
    """
    return count > 0 and (count >= size or not drop_remainder)


def gather(
    pull: Callable[[int], list[Any]], size: int, fill_on_failure: bool = False
) -> list[Any]:
    """Up to ``size`` elements from ``pull`` (a ``next_many``), failure last.

    A failure stops the gathering (or, with ``fill_on_failure``, still uses
    up the batch's inputs) and ends the list; the caller outputs it instead
    of the partial batch. Fewer than ``size`` elements means the input ended.

    Example:
        >>> rows = iter(range(5))
        >>> pull = lambda n: [next(rows)]
        >>> gather(pull, 3), gather(pull, 3), gather(pull, 3)
        ([0, 1, 2], [3, 4], [])
    """
    items: list[Any] = []
    failure = None
    while len(items) < size:
        try:
            run = pull(size - len(items))
        except StopIteration:
            break
        if isinstance(run[0], ElementFailure):
            failure = failure or run[0]
            if not fill_on_failure:
                break
        items += run
    if failure is not None:
        items.append(failure)
    return items


class BatchCutter:
    """Cuts pushed runs of rows into batches of ``size`` (module docstring).

    A run is any object of the caller's with ``n`` rows; the cutter hands
    back ``(run, lo, hi)`` pieces, in order, that make up each batch.

    Example:
        >>> cutter = BatchCutter(2)
        >>> cutter.add("x", 3)
        >>> list(cutter.cuts()), cutter.next_start()
        ([[('x', 0, 2)]], ('x', 2))
        >>> cutter.drop_pending()  # a failure replaces the batch being built
        >>> cutter.rest(drop_remainder=False) is None
        True
    """

    __slots__ = ("count", "pending", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self.pending: deque[list[Any]] = deque()
        self.count = 0

    def add(self, run: Any, n: int, lo: int = 0) -> None:
        """Append rows ``lo:n`` of ``run`` (nothing for an empty run)."""
        if n > lo:
            self.pending.append([run, lo, n])
            self.count += n - lo

    def cuts(self) -> Iterator[list[Piece]]:
        """The full batches that the pending rows make, one piece list each."""
        while self.count >= self.size:
            yield self._take(self.size)

    def rest(self, drop_remainder: bool) -> list[Piece] | None:
        """At the end of input: the last partial batch's pieces, or None."""
        if not keeps_batch(self.count, self.size, drop_remainder):
            return None
        return self._take(self.count)

    def drop_pending(self) -> None:
        """Forget the batch being built (a failure takes its place)."""
        self.pending.clear()
        self.count = 0

    def next_start(self) -> tuple[Any, int] | None:
        """``(run, row)`` of the next batch's first row, None when none is pending."""
        if not self.pending:
            return None
        run, lo, _ = self.pending[0]
        return run, lo

    def _take(self, n: int) -> list[Piece]:
        pieces: list[Piece] = []
        pending = self.pending
        self.count -= n
        while n:
            entry = pending[0]
            run, lo, hi = entry
            if hi - lo <= n:
                pending.popleft()
                pieces.append((run, lo, hi))
                n -= hi - lo
            else:
                pieces.append((run, lo, lo + n))
                entry[1] = lo + n
                n = 0
        return pieces
