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

__all__ = ["Pulled", "pull_batches", "pull_rows"]


@dataclasses.dataclass
class Pulled:
    """What one pull took: batches (or failures of a batch), then maybe a
    failure that ended the pull, an exception to raise after the batches,
    and the end of the input.

    ``block`` holds every batch's rows in one array when the batches are
    views of it (`pull_rows`), else None.
    """

    inputs: list[Any]
    tail: ElementFailure | None = None
    error: Exception | None = None
    ended: bool = False
    block: np.ndarray | None = None


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
    while len(out.inputs) < count:
        try:
            batch = next(batches)
        except StopIteration:
            out.ended = True
            break
        except Exception as e:
            if not out.inputs:
                raise
            out.error = e  # raised after the batches before it
            break
        if isinstance(batch, ElementFailure):
            out.tail = batch
            break
        out.inputs.append(batch)
    return out


def pull_rows(
    rows: NodeIterator, size: int, count: int, drop_remainder: bool, stage: str = ""
) -> Pulled:
    """Up to ``count`` batches of ``size`` scalar elements of ``rows``, cut
    as ``batch(size, drop_remainder)`` cuts them (``stage`` names it)."""
    want = size * count
    items: list[Any] = []
    out = Pulled([])
    while len(items) < want:  # `gather`, keeping the rows before an exception
        try:
            run = rows.next_many(want - len(items))
        except StopIteration:
            break
        except Exception as e:
            if len(items) < size:
                raise
            out.error = e
            break
        if isinstance(run[0], ElementFailure):
            out.tail = run[0]
            break
        items += run
    if out.tail is not None or out.error is not None:
        del items[len(items) - len(items) % size :]  # the batch it replaces
    elif len(items) < want:
        out.ended = True
        if not keeps_batch(len(items) % size, size, drop_remainder):
            del items[len(items) - len(items) % size :]
    starts = range(0, len(items), size)
    if all(isinstance(items[i], (bytes, str)) for i in starts):
        block = np.empty(len(items), dtype=object)
        block[:] = items  # what stacking each batch gives, in one step
        out.block = block
        out.inputs = [block[i : i + size] for i in starts]
        return out
    for i in starts:
        try:
            out.inputs.append(stack_elements(items[i : i + size]))
        except Exception as e:
            out.inputs.append(ElementFailure(e, where={"stage": stage}))
    return out
