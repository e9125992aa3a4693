"""The rewritten ``batch(n) -> map(f under batch_mode())`` stage.

``VectorizedMapNode`` maps batches, calling ``f`` once per batch: each
element goes through ``f`` once. The optimizer rewrites only functions that
`batchable` accepts by reading their code (never by calling them): a parser
that handles batches itself, or a function that only calls such parsers and
picks or arranges their results (subscripts, tuples, dicts, ``zip``,
``dict.pop``...). Arithmetic, comparisons and other calls, which may not be
element-wise over a batch, keep the per-element map.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> from pipeline.graph.batching import BatchNode
    >>> from pipeline.graph.base import IterContext
    >>> batches = BatchNode((RangeNode((), 0, 4, 1),), batch_size=2)
    >>> node = VectorizedMapNode((batches,), fn=lambda x: x + 1)
    >>> [b.tolist() for b in IterContext().build(node)]
    [[1, 2], [3, 4]]
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from pipeline.graph.base import apply_fn
from pipeline.graph.batchable import batchable as batchable
from pipeline.graph.elementwise import MapNode
from pipeline.graph.memo import results_equal as results_equal
from pipeline.graph.stacking import stack_elements, unstack_element
from pipeline.graph.structure import flatten
from pipeline.io.vectorized import batch_mode
from pipeline.types import SparseTensor


@dataclasses.dataclass(frozen=True, eq=False)
class VectorizedMapNode(MapNode):
    """``map(fn)`` over whole batches, ``fn`` running under ``batch_mode()``."""

    op = "vectorized_map"

    def mapper(self) -> Callable[[Any, int], Any]:
        return BatchMapper(self.fn)


class BatchMapper:
    """Applies ``fn`` once to each batch, under ``batch_mode()``.

    ``fn`` passed `batchable`, so the batch-mode result is the per-element
    results stacked. As a guard, the first batch's result must look like a
    batch (every leaf with the batch's length first); if it does not, this
    batch and the rest run element by element (the only case where ``fn``
    sees elements twice).

    Example:
        >>> m = BatchMapper(lambda x: x.sum())  # not a batch: falls back
        >>> m(np.array([1, 2]), 0).tolist(), m.vectorized
        ([1, 2], False)
    """

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.vectorized: bool | None = None
        self.lock = threading.Lock()

    def __call__(self, batch: Any, index: int) -> Any:
        if self.vectorized is None:
            with self.lock:
                if self.vectorized is None:
                    return self._decide(batch)
        if self.vectorized:
            return self._batched(batch)
        return self._per_element(batch)

    def _batched(self, batch: Any) -> Any:
        with batch_mode():
            return apply_fn(self.fn, batch)

    def _per_element(self, batch: Any) -> Any:
        return stack_elements([apply_fn(self.fn, e) for e in unstack_element(batch)])

    def _decide(self, batch: Any) -> Any:
        got = self._batched(batch)
        self.vectorized = _looks_batched(got, _batch_length(batch))
        return got if self.vectorized else self._per_element(batch)


def _batch_length(batch: Any) -> int:
    return _leading(flatten(batch)[0])


def _leading(leaf: Any) -> int:
    if isinstance(leaf, SparseTensor):
        return int(leaf.dense_shape[0]) if len(leaf.dense_shape) else -1
    shape = np.shape(leaf)
    return shape[0] if shape else -1


def _looks_batched(result: Any, n: int) -> bool:
    return all(_leading(leaf) == n for leaf in flatten(result))
