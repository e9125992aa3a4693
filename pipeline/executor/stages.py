"""Threaded stages: the block-moving consumer side, and ``prefetch``.

A threaded stage hands its consumer BLOCKS of elements; each block carries the
parent's state from before the block (a checkpoint). The stage's state after
element ``j`` of a block is ``(checkpoint, j + 1)``: restoring sets the parent
to the checkpoint and skips ``j + 1`` elements. Threads are daemon threads
named ``pipeline-<stage>-<i>``; they see only the stage's shared parts, never
the iterator, so an abandoned iterator is collected and its finalizer stops
them.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> from pipeline.graph.base import IterContext
    >>> ctx = IterContext()
    >>> it = PrefetchIterator(ctx, ctx.build(RangeNode((), 0, 5, 1)), "prefetch", 2)
    >>> [int(x) for x in it]
    [0, 1, 2, 3, 4]
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from typing import Any

from pipeline.errors import FailedPreconditionError
from pipeline.executor import autotune
from pipeline.executor.buffers import CLOSED, BoundedBuffer
from pipeline.executor.guard import STALE, ParentGuard
from pipeline.graph.base import AUTOTUNE, IterContext, NodeIterator, failure_of

#: How long ``close()``/``set_state()`` wait for a stage's threads (read at
#: each call, so tests may patch it).
_JOIN_TIMEOUT_S = 5.0
END = object()
_log = logging.getLogger("pipeline")


class StageStats:
    """Counters a stage's threads update (read by ``iterator.stats()``).

    Example:
        >>> StageStats("map", 2).as_dict()["parallelism"]
        2
    """

    def __init__(self, label: str, parallelism: int) -> None:
        self.label, self.parallelism = label, parallelism
        self.produced = 0
        self.busy_s = 0.0
        self.wait_input_s = 0.0
        self.block_size = 0
        self.tuned = False  # AUTOTUNE has settled (see autotune.retune_*)
        self.buffer: BoundedBuffer | None = None
        self.lock = threading.Lock()
        self.autotune: dict[str, int] | None = None

    def add(self, produced: int, busy_s: float) -> None:
        """Count a finished block (workers of one stage call this concurrently)."""
        with self.lock:
            self.produced += produced
            self.busy_s += busy_s

    def as_dict(self) -> dict[str, Any]:
        """The counters as a dict."""
        buf = self.buffer
        return {
            "stage": self.label,
            "produced": self.produced,
            "busy_s": round(self.busy_s, 6),
            "wait_input_s": round(self.wait_input_s, 6),
            "buffer_fill": 0.0 if buf is None else round(buf.fill(), 3),
            "buffer_capacity": 0 if buf is None else buf.capacity,
            "block_size": self.block_size,
            "parallelism": self.parallelism,
            "autotune": self.autotune,
        }


def pull_block(
    parent: NodeIterator, size: int, stats: StageStats, index: int
) -> tuple[list, bool]:
    """Up to ``size`` elements of ``parent`` and whether it ended.

    An exception raised by ``parent`` (any kind: a bug upstream, or an
    interrupt) ends the input: it comes last in the block as a failure noted
    with the stage and the index of the element it replaces (``index`` is the
    index of the block's first element).
    """
    out: list[Any] = []
    start = time.perf_counter()
    try:
        for _ in range(size):
            out.append(next(parent))
    except StopIteration:
        return out, True
    except BaseException as e:  # noqa: BLE001 - handed to the consumer
        out.append(failure_of(e, stats.label, index + len(out)))  # type: ignore[arg-type]
        return out, True
    finally:
        stats.wait_input_s += time.perf_counter() - start
    return out, False


class ThreadedStage(NodeIterator):
    """Consumer side of a stage fed with ``(elements, checkpoint, index)`` blocks.

    Subclasses implement ``_launch()`` (start threads that read the parent
    only through ``self.guard.read(self.guard.gen, ...)``, the generation
    passed at launch), ``_take()`` (the next block or None at the end) and
    ``_halt()`` (signal the threads, then ``self._join()``).
    """

    kind = "stage"

    def __init__(
        self, ctx: IterContext | None, parent: NodeIterator, label: str
    ) -> None:
        super().__init__(parent)
        self.parent, self.label = parent, label
        self.guard = ParentGuard(parent)
        self.threads: list[threading.Thread] = []
        self.stop = threading.Event()
        self.running = self.ended = self.closed = False
        self.block: list[Any] = []
        self.offset, self.index0 = 0, 0
        self.ckpt: Any = None
        self.restored: dict[str, Any] | None = None
        self.deadline = 0.0
        self.registry = getattr(ctx, "register", None) and ctx
        if self.registry is not None:
            self.registry.register(self)

    def _spawn(self, target: Any, args: tuple, count: int) -> None:
        for i in range(count):
            name = f"pipeline-{self.kind}-{i}"
            t = threading.Thread(target=target, args=args, name=name, daemon=True)
            self.threads.append(t)
            t.start()

    def __next__(self) -> Any:
        if self.offset < len(self.block):
            self.offset += 1
            return self.block[self.offset - 1]
        while not self.ended:
            self.prime()
            item = self._take()
            if item is None:
                self.ended = True
                self._halt()
                break
            self.block, self.ckpt, self.index0 = item
            self.offset = 0
            if self.block:
                self.offset = 1
                return self.block[0]
        raise StopIteration

    def _parent_state(self) -> dict[str, Any]:
        state = self.guard.read(self.guard.gen, lambda p: p.get_state())
        return {"parent": state, "skip": 0, "index": 0}

    def get_state(self) -> dict[str, Any]:
        if self.ended:
            return {"end": True}
        if self.ckpt is None:
            return self.restored or self._parent_state()
        return {
            "parent": self.ckpt,
            "skip": self.offset,
            "index": self.index0 + self.offset,
        }

    def set_state(self, state: dict[str, Any]) -> None:
        """Stop the threads, then restore the parent (never while an old
        thread may still be inside it).

        Raises:
            FailedPreconditionError: a thread is still inside the parent
                after the join timeout (the stage is then closed).
        """
        self._halt()
        if not self.guard.take(self.deadline - time.monotonic()):
            self._close_parent()  # left to the stuck thread
            raise FailedPreconditionError(
                f"cannot restore the state of stage {self.label}: its thread "
                f"{self._stuck_names()} is still reading the stage's input after "
                f"{_JOIN_TIMEOUT_S:g} s; close this iterator and make a new one"
            )
        try:
            # a thread still busy outside the parent is joined again on close
            self.threads = [t for t in self.threads if t.is_alive()]
            self.stop = threading.Event()
            self.running, self.block, self.offset, self.ckpt = False, [], 0, None
            self.ended = bool(state.get("end"))
            if self.ended:
                return
            self.parent.set_state(state["parent"])
            for _ in range(state["skip"]):
                next(self.parent)
            self.restored = dict(state, parent=self.parent.get_state(), skip=0)
        finally:
            self.guard.give_back()

    def _join(self) -> None:
        """Join the threads within one `_JOIN_TIMEOUT_S`; warn about any left."""
        self.deadline = time.monotonic() + _JOIN_TIMEOUT_S
        if sys.is_finalizing():
            return
        me = threading.current_thread()
        for t in self.threads:
            if t is not me:
                t.join(max(0.0, self.deadline - time.monotonic()))
        for t in self.threads:
            if t is not me and t.is_alive():
                _log.warning(
                    "pipeline: thread %s of stage %s did not stop within %g s; "
                    "its stage's input is left alone until it does",
                    t.name,
                    self.label,
                    _JOIN_TIMEOUT_S,
                )

    def _stuck_names(self) -> str:
        alive = [t.name for t in self.threads if t.is_alive()]
        return ", ".join(alive) or "(ended meanwhile)"

    def prime(self) -> None:
        """Start the threads now (not at the first ``next``)."""
        if not self.running and not self.ended:
            self.restored = self.restored or self._parent_state()
            self.running = True
            self._launch()

    def close(self) -> None:
        """Stop the threads and close the parent (idempotent). A thread stuck
        inside the parent past the timeout closes the parent when it leaves."""
        if self.closed:
            return
        self.ended = True
        self._halt()
        self._close_parent()

    def _close_parent(self) -> None:
        self.closed = self.ended = True
        wait_s = 0.0 if sys.is_finalizing() else self.deadline - time.monotonic()
        self.guard.close_parent(wait_s)
        if self.registry is not None:
            self.registry.retire(self)
            self.registry = None

    def _launch(self) -> None:
        raise NotImplementedError

    def _take(self) -> Any:
        raise NotImplementedError

    def _halt(self) -> None:
        raise NotImplementedError

    def stats(self) -> dict[str, Any]:
        """This stage's counters."""
        return self.counters.as_dict()


def read_block(
    parent: NodeIterator, size: int, stats: StageStats, index: int
) -> tuple[Any, list, bool]:
    """``(checkpoint, block, ended)``: `pull_block` after the parent's state."""
    try:
        ckpt = parent.get_state()
    except BaseException as e:  # noqa: BLE001 - handed to the consumer
        return None, [failure_of(e, stats.label, index)], True  # type: ignore[arg-type]
    return (ckpt, *pull_block(parent, size, stats, index))


def prefetch_loop(
    guard: ParentGuard,
    gen: int,
    buf: BoundedBuffer,
    stop: threading.Event,
    stats: StageStats,
    index: int,
    read: Any = None,
    retune: Any = None,
) -> None:
    """A prefetch thread: blocks read by ``read`` (default `read_block`) into
    ``buf``; ``retune(stats, block, read_s)``, if given, after each block."""
    read = read or read_block
    while not stop.is_set():
        start = time.perf_counter()
        wait0 = stats.wait_input_s
        got = guard.read(gen, read, stats.block_size, stats, index)
        if got is STALE:
            return
        ckpt, block, ended = got
        read_s = stats.wait_input_s - wait0
        stats.busy_s += time.perf_counter() - start - read_s
        if block:
            if not buf.put((block, ckpt, index)):
                return
            stats.produced += len(block)
            index += len(block)
            if retune is not None:
                retune(stats, block, read_s)
        if ended:
            buf.put(END)
            return


class PrefetchIterator(ThreadedStage):
    """``prefetch(buffer_size)``: one thread fills a bounded buffer of blocks."""

    kind = "prefetch"

    def __init__(
        self,
        ctx: IterContext | None,
        parent: NodeIterator,
        label: str,
        buffer_size: int,
    ) -> None:
        super().__init__(ctx, parent, label)
        self.buffer_size = buffer_size
        block, blocks = autotune.prefetch_shape(buffer_size)
        self.counters = StageStats(label, 1)
        self.counters.block_size = block
        self.blocks = blocks
        self.buf: BoundedBuffer | None = None
        self.budget_bytes: int | None = None

    def _launch(self) -> None:
        self.buf = BoundedBuffer(self.blocks)
        self.counters.buffer = self.buf
        index = (self.restored or {}).get("index", 0)
        args = (self.guard, self.guard.gen, self.buf, self.stop, self.counters, index)
        self._spawn(prefetch_loop, args, 1)

    def _take(self) -> Any:
        item = self.buf.get() if self.buf is not None else CLOSED
        if item is CLOSED or item is END:
            return None
        if self.buffer_size == AUTOTUNE:
            autotune.retune_prefetch(
                self.counters, item[0], self.buf, self.budget_bytes
            )
        return item

    def _halt(self) -> None:
        self.stop.set()
        if self.buf is not None:
            self.buf.close()
        self._join()
