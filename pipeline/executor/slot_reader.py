"""`SlotReader`: one open input of a parallel interleave, read ahead in blocks.

A reader thread pulls the input with ``next_many`` (a source's runs come out
as list slices, not one element at a time) into blocks of up to a few
thousand elements, and a bounded buffer hands whole blocks to the consumer.
A failure ends its block, so the elements of a block before its last one are
never failures: the interleave consumer can take many of them with one slice
(`clean_left`, `take_clean`).

A block holds what the reader pulls in about ``_TARGET_BLOCK_S`` (so a
first element of a slow input comes soon), at most `MAX_SLOT_BLOCK` elements;
after each block the next one's size is set from that block's cost and
element size (at most ``_MAX_BLOCK_BYTES``).

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> from pipeline.graph.base import IterContext
    >>> ctx = IterContext()
    >>> reader = SlotReader(ctx.build(RangeNode((), 0, 5, 1)), "in", 4)
    >>> run = reader.next_many(3)  # a run of at most 3, from the block in hand
    >>> 1 <= len(run) <= 3, [int(x) for x in run + list(reader)]
    (True, [0, 1, 2, 3, 4])
"""

from __future__ import annotations

import itertools
import time
from typing import Any

from pipeline.executor import autotune
from pipeline.executor.buffers import CLOSED, BoundedBuffer
from pipeline.executor.stages import PrefetchIterator, StageStats, prefetch_loop
from pipeline.graph.base import NodeIterator, failure_of
from pipeline.graph.failures import ElementFailure

#: The most elements in one block handed from a reader thread.
MAX_SLOT_BLOCK = 4096
_TARGET_BLOCK_S = 0.002
_MAX_BLOCK_BYTES = 512 * 2**10
#: Blocks a reader holds ready; it refills when one is left.
_BUFFER_BLOCKS = 4


class BurstBuffer(BoundedBuffer):
    """A `BoundedBuffer` whose producer, once it found the buffer full, waits
    until at most ``low`` items are left, then refills it in one burst.

    Each wake-up of a reader thread costs a hand-off of the GIL (and, on a
    busy machine, a trip through the OS scheduler); refilling in bursts
    makes them a few times rarer than one per block.

    Example:
        >>> buf = BurstBuffer(3, low=1)
        >>> buf.put("a"), buf.get(), len(buf)
        (True, 'a', 0)
    """

    def __init__(self, capacity: int, low: int) -> None:
        super().__init__(capacity)
        self.low = max(0, min(low, self.capacity - 1))

    def put(self, item: Any) -> bool:
        """Append ``item``; when full, first wait for the buffer to drain to
        ``low`` items. False (dropped) when the buffer is closed."""
        cond, items = self._cond, self._items
        with cond:
            if len(items) >= self.capacity and not self.closed:
                start = time.perf_counter()
                while len(items) > self.low and not self.closed:
                    cond.wait()
                self.put_wait_s += time.perf_counter() - start
            if self.closed:
                return False
            items.append(item)
            cond.notify_all()
            return True

    def get(self) -> Any:
        """The oldest item, waiting for one; `CLOSED` when closed. Wakes the
        producer only once the buffer has drained to ``low`` items."""
        cond, items = self._cond, self._items
        with cond:
            self._fill_sum += len(items)
            self._fill_count += 1
            if not items and not self.closed:
                start = time.perf_counter()
                while not items and not self.closed:
                    cond.wait()
                self.get_wait_s += time.perf_counter() - start
            if self.closed:
                return CLOSED
            item = items.popleft()
            if len(items) <= self.low:
                cond.notify_all()
            return item


def read_runs(
    parent: NodeIterator, size: int, stats: StageStats, index: int
) -> tuple[Any, list, bool]:
    """``(checkpoint, block, ended)``: up to ``size`` elements of ``parent``
    pulled with ``next_many``, after the parent's state (the checkpoint); the
    pulling stops early once it took ``_TARGET_BLOCK_S``.

    A failure ends the block (it comes last); an exception raised by
    ``parent`` ends the input too, as a failure noted with the stage and the
    index of the element it replaces.
    """
    try:
        ckpt = parent.get_state()
    except BaseException as e:  # noqa: BLE001 - handed to the consumer
        return None, [failure_of(e, stats.label, index)], True  # type: ignore[arg-type]
    runs: list[list] = []
    count, ended = 0, False
    start = time.perf_counter()
    deadline = start + _TARGET_BLOCK_S
    try:
        while count < size:
            run = parent.next_many(size - count)
            runs.append(run)
            count += len(run)
            if run and isinstance(run[0], ElementFailure):
                break
            if time.perf_counter() > deadline:  # a slow input: hand on what is read
                break
    except StopIteration:
        ended = True
    except BaseException as e:  # noqa: BLE001 - handed to the consumer
        runs.append([failure_of(e, stats.label, index + count)])  # type: ignore[arg-type]
        ended = True
    finally:
        stats.wait_input_s += time.perf_counter() - start
    # one run is the block as it is (no copy)
    block = runs[0] if len(runs) == 1 else list(itertools.chain.from_iterable(runs))
    return ckpt, block, ended


def slot_block(per_element_s: float, element_bytes: int) -> int:
    """Elements per block for an input with this per-element cost and size.

    Example:
        >>> slot_block(1e-7, 100), slot_block(1e-3, 100), slot_block(1e-7, 2**20)
        (4096, 2, 1)
    """
    by_time = _TARGET_BLOCK_S / max(per_element_s, 1e-9)
    by_bytes = _MAX_BLOCK_BYTES / max(element_bytes, 1)
    return int(max(1, min(MAX_SLOT_BLOCK, by_time, by_bytes)))


def _retune(stats: StageStats, block: list, read_s: float) -> None:
    """Size the next block from what the last one cost to read."""
    per_element = read_s / len(block)
    stats.block_size = slot_block(per_element, autotune.element_bytes(block[0]))


class SlotReader(PrefetchIterator):
    """A prefetch of one interleave input that moves blocks of elements.

    Args:
        parent: the input's iterator.
        label: the stage's name (in stats and error notes).
        buffer_size: the prefetch buffer size its stats report (blocks are
            sized by time and bytes, see the module docstring).

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> from pipeline.graph.base import IterContext
        >>> reader = SlotReader(IterContext().build(RangeNode((), 0, 3, 1)), "in", 2)
        >>> reader.prime()  # its thread starts reading
        >>> reader.clean_left()  # no block in hand before the first take
        0
        >>> [int(x) for x in reader.next_many(8)] + [int(x) for x in reader]
        [0, 1, 2]
        >>> reader.close()
    """

    kind = "interleave"

    def __init__(self, parent: NodeIterator, label: str, buffer_size: int) -> None:
        super().__init__(None, parent, label, buffer_size)
        # a fast input fills a big first block at once; a slow one is cut
        # short by the time limit of `read_runs`
        self.counters.block_size = MAX_SLOT_BLOCK

    def _launch(self) -> None:
        self.buf = BurstBuffer(_BUFFER_BLOCKS, low=1)
        self.counters.buffer = self.buf
        index = (self.restored or {}).get("index", 0)
        args = (self.guard, self.guard.gen, self.buf, self.stop, self.counters, index)
        self._spawn(prefetch_loop, (*args, read_runs, _retune), 1)

    def clean_left(self) -> int:
        """How many elements of the block in hand are left before a failure
        (or its end); never waits."""
        block = self.block
        left = len(block) - self.offset
        if left and isinstance(block[-1], ElementFailure):
            left -= 1
        return left

    def has_at_hand(self) -> bool:
        """Whether the next element (or the end) can be had without waiting."""
        buf = self.buf
        return self.offset < len(self.block) or (buf is not None and len(buf) > 0)

    def take_clean(self, count: int) -> list[Any]:
        """The next ``count`` elements of the block in hand (at most
        `clean_left`), as one slice."""
        start = self.offset
        self.offset = start + count
        return self.block[start : start + count]

    def next_many(self, limit: int) -> list[Any]:
        if self.offset >= len(self.block):
            first = next(self)  # waits for the next block
            if isinstance(first, ElementFailure):
                return [first]
            self.offset -= 1
        start, block = self.offset, self.block
        if isinstance(block[start], ElementFailure):
            self.offset += 1
            return [block[start]]
        count = min(max(1, limit), self.clean_left())
        self.offset = start + count
        return block[start : start + count]
