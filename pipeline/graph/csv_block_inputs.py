"""The inputs of one `csv_blocks` call: several batches, and their rows joined.

Two ways to take ``k`` batches, with the batch stage's exact cuts, failures
and end (`graph.batch_cutting`):

* `pull_batches`: ``k`` calls of the batch stage's own iterator (any
  element);
* `pull_rows`: ``k * n`` scalar strings gathered from the batch stage's
  input in one go, cut into batches of ``n`` here: the batches are views of
  one object array of all the rows, so no batch is stacked and then joined
  again. As in the batch stage, a failure replaces the partial batch before
  it, and the rows left at the end make a last batch unless
  ``drop_remainder``.

Example:
    >>> from pipeline.graph.base import IterContext
    >>> from pipeline.graph.sources import TensorSlicesNode
    >>> rows = np.array([b"a", b"b", b"c"], dtype=object)
    >>> it = IterContext().build(TensorSlicesNode((), rows))
    >>> got = pull_rows(it, 2, 2, drop_remainder=False)
    >>> [b.tolist() for b in got.inputs], got.block.tolist(), got.ended
    ([[b'a', b'b'], [b'c']], [b'a', b'b', b'c'], True)
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from pipeline.graph.base import NodeIterator
from pipeline.graph.batch_cutting import keeps_batch
from pipeline.graph.failures import ElementFailure
from pipeline.graph.stacking import stack_elements
from pipeline.io.line_blocks import (
    LineText,
    is_line_block,
    line_text,
    wanting_text,
)

__all__ = ["Pulled", "pull_batches", "pull_rows"]


@dataclasses.dataclass
class Pulled:
    """What one pull took: batches (or failures of a batch), then maybe a
    failure that ended the pull, an exception to raise after the batches,
    and the end of the input.

    ``block`` holds every batch's rows in one array when the batches are
    views of it (`pull_rows`), else None. ``text``: the rows as one
    `LineText` when they came as `LineBlock` runs; their batches are then
    made only when asked for (``inputs``, ``block``).
    """

    taken: list[Any]
    tail: ElementFailure | None = None
    error: Exception | None = None
    ended: bool = False
    made: np.ndarray | None = None
    text: LineText | None = None
    runs: list[Any] | None = None
    size: int = 0

    @property
    def inputs(self) -> list[Any]:
        """The batches (made from ``runs`` on first use)."""
        if self.runs is not None:
            self._make()
        return self.taken

    @property
    def block(self) -> np.ndarray | None:
        """The rows of every batch in one array, when the batches view it."""
        if self.runs is not None:
            self._make()
        return self.made

    def count(self) -> int:
        """How many batches."""
        if self.runs is not None:
            return -(-sum(len(r) for r in self.runs) // self.size)
        return len(self.taken)

    def _make(self) -> None:
        rows: list[Any] = []
        for run in self.runs or ():
            rows += run
        self.runs = None
        self.made, self.taken = _stacked(rows, self.size)


def pull_batches(batches: NodeIterator, count: int) -> Pulled:
    """Up to ``count`` outputs of a batch stage's iterator.

    Example:
        >>> from pipeline.graph.base import IterContext
        >>> from pipeline.graph.batching import BatchNode
        >>> from pipeline.graph.sources import RangeNode
        >>> it = IterContext().build(BatchNode((RangeNode((), 0, 3, 1),), batch_size=2))
        >>> got = pull_batches(it, 5)
        >>> [b.tolist() for b in got.inputs], got.ended
        ([[0, 1], [2]], True)
    """
    out = Pulled([])
    while len(out.taken) < count:
        try:
            batch = next(batches)
        except StopIteration:
            out.ended = True
            break
        except Exception as e:
            if not out.taken:
                raise
            out.error = e  # raised after the batches before it
            break
        if isinstance(batch, ElementFailure):
            out.tail = batch
            break
        out.taken.append(batch)
    return out


def pull_rows(
    rows: NodeIterator, size: int, count: int, drop_remainder: bool, stage: str = ""
) -> Pulled:
    """Up to ``count`` batches of ``size`` scalar elements of ``rows``, cut
    as ``batch(size, drop_remainder)`` cuts them (``stage`` names it)."""
    want = size * count
    out = Pulled([], size=size)
    runs = _gather_runs(rows, want, size, out)
    got = keep = sum(len(r) for r in runs)
    if out.tail is not None or out.error is not None:
        keep = got - got % size  # the partial batch it replaces is dropped
    elif got < want:
        out.ended = True
        if not keeps_batch(got % size, size, drop_remainder):
            keep = got - got % size
    runs = _first_rows(runs, keep)
    if runs and all(is_line_block(r) for r in runs):
        out.text, out.runs = line_text(runs), runs
        return out
    items: list[Any] = []
    for run in runs:
        items += run
    starts = range(0, len(items), size)
    if all(isinstance(items[i], (bytes, str)) for i in starts):
        out.made, out.taken = _stacked(items, size)
        return out
    for i in starts:
        try:
            out.taken.append(stack_elements(items[i : i + size]))
        except Exception as e:
            out.taken.append(ElementFailure(e, where={"stage": stage}))
    return out


def _gather_runs(rows: NodeIterator, want: int, size: int, out: Pulled) -> list[Any]:
    """Runs of up to ``want`` rows (`gather`'s rule); a failure that ends them
    goes to ``out.tail``, an exception after a batch's rows to ``out.error``."""
    runs: list[Any] = []
    got = 0
    while got < want:
        try:
            with wanting_text():  # text readers hand out LineBlocks
                run = rows.next_many(want - got)
        except StopIteration:
            break
        except Exception as e:
            if got < size:
                raise
            out.error = e
            break
        if not is_line_block(run) and isinstance(run[0], ElementFailure):
            out.tail = run[0]  # (a block of lines holds no failure)
            break
        runs.append(run)
        got += len(run)
    return runs


def _first_rows(runs: list[Any], keep: int) -> list[Any]:
    """``runs`` cut to their first ``keep`` rows."""
    out = []
    for run in runs:
        if keep <= 0:
            break
        out.append(run if len(run) <= keep else run[:keep])
        keep -= len(run)
    return out


def _stacked(items: list[Any], size: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Scalar strings as one object array, and its batches of ``size``
    (views): what stacking each batch gives, in one step."""
    block = np.empty(len(items), dtype=object)
    block[:] = items
    return block, [block[i : i + size] for i in range(0, len(items), size)]
