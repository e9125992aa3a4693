"""The ``batch(n) -> map(decode_csv)`` rewrite: one call decodes many batches.

TF's fastest CSV idiom is ``lines.batch(n).map(lambda b: decode_csv(b,
defaults))``. ``decode_csv`` works row by row, so its result over the lines
of several batches, cut at the batch boundaries, is its result over each
batch; one call over ``k`` batches pays the per-call cost (argument checks,
the kernel's set-up, the map stage) once instead of ``k`` times.
`BlockMapNode` takes ``k`` batches from its ``batch`` parent, joins them,
calls the function once and hands out the result cut back into the ``k``
batches. explain() shows it as ``csv_block_map``; ``Options(csv_blocks=False)``
turns it off.

What keeps the outputs and errors those of the plain ``map``:

* only a function of one argument whose code calls ``decode_csv`` and
  otherwise only picks and arranges values (`graph.batchable`): no side
  effects, so extra calls change nothing;
* every leaf of the joined result must be an array with the block's rows
  first; the first block of several batches is also decoded batch by batch
  and compared (`results_equal`): any difference and the run maps batch by
  batch from then on;
* a block whose call raises is mapped again batch by batch, so the batches
  before the bad one come out and the error is the plain map's, at the same
  element index; an upstream failure ends a block and then passes on;
* the state is the batch stage's state after the block and the block's
  outputs not yet handed out.

Example:
    >>> import numpy as np
    >>> from pipeline.graph.base import IterContext
    >>> from pipeline.graph.batching import BatchNode
    >>> from pipeline.graph.elementwise import MapNode
    >>> from pipeline.graph.sources import TensorSlicesNode
    >>> from pipeline.io.csv import decode_csv
    >>> lines = np.array([b"%d,x" % i for i in range(5)], dtype=object)
    >>> batches = BatchNode((TensorSlicesNode((), lines),), batch_size=2)
    >>> plain = MapNode((batches,), fn=lambda b: decode_csv(b, [[0], [""]]))
    >>> node = block_map(plain, block_rows=4)
    >>> str(node).startswith("csv_block_map(")
    True
    >>> [b[0].tolist() for b in IterContext().build(node)]
    [[0, 1], [2, 3], [4]]
"""

from __future__ import annotations

import dataclasses
import functools
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from pipeline import _config
from pipeline.graph.base import IterContext, Node, NodeIterator, failure_of
from pipeline.graph.batchable import batchable
from pipeline.graph.batching import BatchNode
from pipeline.graph.csv_block_inputs import Pulled, pull_batches, pull_rows
from pipeline.graph.elementwise import MapNode
from pipeline.graph.failures import ElementFailure, user_error
from pipeline.graph.memo import memo_apply, results_equal
from pipeline.graph.structure import flatten, packer
from pipeline.types import TensorSpec, string

__all__ = ["BlockMapNode", "block_map", "decodes_csv_only"]

#: Rows decoded per call: past this the per-call cost is already small.
BLOCK_ROWS = 4096
#: Threads decoding blocks of text ahead (the kernel releases the GIL).
_MAX_WORKERS = 2
_VAR_ARGS = 0x04 | 0x08  # CO_VARARGS | CO_VARKEYWORDS
_CSV = "decode_csv"
_OTHER_PARSERS = ("parse_single_example",)


def decodes_csv_only(fn: Any) -> bool:
    """Whether ``fn`` is ``decode_csv`` (or a partial of it), or a function of
    one argument whose code calls it and only arranges values (`batchable`).

    Example:
        >>> from pipeline.io.csv import decode_csv
        >>> decodes_csv_only(lambda b: decode_csv(b, [[0]])), decodes_csv_only(len)
        (True, False)
        >>> decodes_csv_only(lambda b: decode_csv(b, [[0]])[0] * 2)
        False
    """
    inner = fn
    while isinstance(inner, functools.partial):
        inner = inner.func
    code = getattr(inner, "__code__", None)
    if code is None or not batchable(fn):
        return False
    if inner is not fn:  # a partial: the parser itself
        return inner.__name__ == _CSV
    if code.co_name == _CSV:
        return True
    return (
        code.co_argcount == 1
        and not code.co_flags & _VAR_ARGS
        and _CSV in code.co_names
        and not any(name in code.co_names for name in _OTHER_PARSERS)
    )


def block_map(node: MapNode, block_rows: int | None = None) -> Node:
    """``node`` (a ``map`` over a ``batch``) as a `BlockMapNode` when the
    rewrite applies (sequential map of a ``decode_csv`` function over a batch
    of at most ``block_rows // 2`` rows; default `BLOCK_ROWS`), else ``node``.

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> m = MapNode((BatchNode((RangeNode((), 0, 3, 1),), batch_size=2),), fn=abs)
        >>> block_map(m) is m
        True
    """
    if type(node) is not MapNode or node.num_parallel_calls not in (None, 1):
        return node
    batch = node.parents[0]
    if type(batch) is not BatchNode:
        return node
    per_call = (block_rows or BLOCK_ROWS) // max(1, batch.batch_size)
    if per_call < 2 or not decodes_csv_only(node.fn):
        return node
    return BlockMapNode((batch,), fn=node.fn, batches_per_call=per_call, plain=node)


@dataclasses.dataclass(frozen=True, eq=False)
class BlockMapNode(Node):
    """``map(fn)`` over ``batch(n)``, ``fn`` called once per ``batches_per_call``
    batches (see the module docstring); ``plain`` is the map it replaces."""

    fn: Callable[..., Any] | None = None
    batches_per_call: int = 1
    plain: Node | None = dataclasses.field(default=None, repr=False)
    op = "csv_block_map"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        stage = str(self.plain)  # errors name the map the user wrote
        batch: BatchNode = self.parents[0]  # type: ignore[assignment]
        if not _rows_of_strings(batch):
            parent = ctx.build(batch)
            return BlockMapIterator(
                parent, self.fn, stage,
                lambda: pull_batches(parent, self.batches_per_call),
            )  # fmt: skip
        rows = ctx.build(batch.parents[0])
        size, drop, cut = batch.batch_size, batch.drop_remainder, str(batch)
        return BlockMapIterator(
            rows, self.fn, stage,
            lambda: pull_rows(rows, size, self.batches_per_call, drop, cut),
            workers=min(_MAX_WORKERS, _config.num_threads()),
        )  # fmt: skip

    def compute_spec(self) -> Any:
        return self.plain.element_spec()  # type: ignore[union-attr]


def _rows_of_strings(batch: BatchNode) -> bool:
    """Whether the batch stage's input holds scalar strings (which it stacks
    into object arrays) and is not a map (whose failures use up a batch)."""
    rows = batch.parents[0]
    spec = rows.element_spec()
    return (
        not isinstance(rows, MapNode)
        and type(spec) is TensorSpec
        and tuple(spec.shape) == ()
        and spec.dtype == string
    )


class BlockMapIterator(NodeIterator):
    """Maps the batches ``pull()`` takes (`csv_block_inputs`) with one call
    of ``fn`` per pull. Once the first block checked out, blocks that came as
    text are decoded ahead in up to ``workers`` threads (the kernel releases
    the GIL) while the next ones are read; results are used in order.

    State: the parent's state after the blocks read, the outputs not handed
    out yet (blocks decoding ahead are waited for), the map's element index
    and whether blocks are used.
    """

    def __init__(
        self, parent: NodeIterator, fn: Callable, stage: str,
        pull: Callable[[], Pulled], workers: int = 1,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.parent, self.fn, self.stage, self.pull = parent, fn, stage, pull
        self.ready: deque[Any] = deque()
        self.index = 0  # the map's index of the next input
        self.blocks: bool | None = None  # None until the first block is checked
        self.ended = False
        self.error: BaseException | None = None  # raised after the block
        self.workers = workers
        self.ahead: deque[tuple] = deque()  # (pulled, count, index, future)
        self.pool: ThreadPoolExecutor | None = None

    def __next__(self) -> Any:
        while not self.ready:
            self._read_ahead()
            if self.ahead:
                self._finish(*self.ahead.popleft())
                continue
            self._stop_pool()  # nothing left to decode ahead
            if self.error is not None:
                error, self.error = self.error, None
                raise error
            if self.ended:
                raise StopIteration
        return self.ready.popleft()

    def _read_ahead(self) -> None:
        """Pull blocks until ``workers`` are taken or one is mapped here."""
        while not self.ended and self.error is None and len(self.ahead) < self.workers:
            if self.ahead and self.ahead[-1][3] is None:
                return  # a block mapped in this thread comes next
            got = self.pull()
            self.ended, self.error = got.ended, got.error
            count, first = got.count(), self.index
            self.index += count + (got.tail is not None)
            future = None
            if self.workers > 1 and self.blocks and got.text is not None and count > 1:
                if self.pool is None:
                    self.pool = ThreadPoolExecutor(
                        self.workers, thread_name_prefix="pipeline-csv-blocks"
                    )
                future = self.pool.submit(memo_apply, None, self.fn, got.text)
            self.ahead.append((got, count, first, future))
            if future is None:
                return

    def _finish(self, got: Pulled, count: int, first: int, future: Any) -> None:
        """Hand out one pulled block's outputs (in order), then its failure."""
        outs = None
        if future is not None:
            try:
                out = future.result()
            except Exception:
                out = None  # batch by batch: the plain map's error, in its place
            if out is not None:
                outs = cut_rows(out, _sizes(got, count))
                self.blocks = self.blocks and outs is not None
        elif count > 1 and self.blocks is not False:
            outs = self._joined(got, count)
        if outs is None:
            outs = [
                b if isinstance(b, ElementFailure) else self._one(b, first + i)
                for i, b in enumerate(got.inputs)
            ]
        self.ready.extend(outs)
        if got.tail is not None:
            self.ready.append(got.tail)

    def _one(self, batch: Any, index: int) -> Any:
        """The plain map's output (or failure) for one batch."""
        try:
            return memo_apply(None, self.fn, batch)
        except Exception as e:
            return failure_of(user_error(e, self.stage), self.stage, index)  # type: ignore[arg-type]

    def _joined(self, got: Pulled, count: int) -> list[Any] | None:
        """The outputs of the pulled batches from one call, or None to map
        them one by one. Once checked, rows that came as text go to ``fn``
        as that text (`LineText`), not as arrays."""
        if self.blocks and got.text is not None:
            block: Any = got.text
        else:
            inputs = got.inputs
            if any(isinstance(b, ElementFailure) for b in inputs):
                return None
            block = got.block if got.block is not None else join_batches(inputs)
        if block is None:
            return None
        try:
            out = memo_apply(None, self.fn, block)
        except Exception:
            return None  # batch by batch: the plain map's error, in its place
        parts = cut_rows(out, _sizes(got, count))
        if parts is None:
            self.blocks = False
            return None
        if self.blocks is None:
            self.blocks = all(
                results_equal(p, self._one(b, 0)) for p, b in zip(parts, got.inputs)
            )
            if not self.blocks:
                return None
        return parts

    def _drain(self) -> None:
        while self.ahead:
            self._finish(*self.ahead.popleft())

    def get_state(self) -> dict[str, Any]:
        self._drain()  # blocks read ahead become outputs, before the parent's state
        return {
            "parent": self.parent.get_state(),
            "ready": list(self.ready),
            "index": self.index,
            "blocks": self.blocks,
            "ended": self.ended,
            "error": self.error,
        }

    def set_state(self, state: dict[str, Any]) -> None:
        self._drop_ahead()
        self.parent.set_state(state["parent"])
        self.ready = deque(state["ready"])
        self.index, self.blocks = state["index"], state["blocks"]
        self.ended, self.error = state["ended"], state["error"]

    def _drop_ahead(self) -> None:
        for *_, future in self.ahead:
            if future is not None:
                future.cancel()
        self.ahead.clear()

    def _stop_pool(self) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        self._drop_ahead()
        self._stop_pool()
        super().close()


def _sizes(got: Pulled, count: int) -> list[int]:
    """Rows of each of the ``count`` batches pulled."""
    if got.runs is None and got.text is None:
        return [len(b) for b in got.inputs]
    rows = len(got.text) if got.text is not None else 0
    return [got.size] * (count - 1) + [rows - got.size * (count - 1)]


def join_batches(batches: list[Any]) -> np.ndarray | None:
    """The rows of several batches (1-D+ arrays of one dtype and row shape) in
    one array, or None for anything else (structures, sparse, ragged).

    Example:
        >>> join_batches([np.array([1, 2]), np.array([3])]).tolist()
        [1, 2, 3]
        >>> join_batches([np.array([1]), np.array([1.5])]) is None
        True
    """
    first = batches[0]
    if type(first) is not np.ndarray or first.ndim == 0:
        return None
    for b in batches:
        if type(b) is not np.ndarray or b.dtype != first.dtype:
            return None
        if b.shape[1:] != first.shape[1:]:
            return None
    return np.concatenate(batches)


def cut_rows(out: Any, sizes: list[int]) -> list[Any] | None:
    """``out`` (every leaf an array of ``sum(sizes)`` rows) cut into
    consecutive parts of ``sizes`` rows, each with ``out``'s structure; None
    when a leaf is not such an array.

    Example:
        >>> parts = cut_rows((np.arange(3), np.arange(3) * 2), [2, 1])
        >>> [(a.tolist(), b.tolist()) for a, b in parts]
        [([0, 1], [0, 2]), ([2], [4])]
        >>> cut_rows(np.arange(2), [2, 1]) is None
        True
    """
    leaves = flatten(out)
    total = sum(sizes)
    for leaf in leaves:
        if type(leaf) is not np.ndarray or leaf.ndim == 0 or leaf.shape[0] != total:
            return None
    make = packer(out)
    parts, start = [], 0
    for size in sizes:
        stop = start + size
        parts.append(make([leaf[start:stop] for leaf in leaves]))
        start = stop
    return parts
