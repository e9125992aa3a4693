"""The rewritten ``batch(n) -> map(f under batch_mode())`` stage.

``VectorizedMapNode`` maps batches. On the first batch of a run it computes
both the batch-mode result and the per-element results stacked; it keeps
batch mode only when they are equal (and batch mode did not raise), else it
runs ``f`` element by element for the rest of the run.

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
from pipeline.graph.elementwise import MapNode
from pipeline.graph.stacking import stack_elements, unstack_element
from pipeline.graph.structure import flatten, same_structure
from pipeline.io.vectorized import batch_mode
from pipeline.types import SparseTensor


@dataclasses.dataclass(frozen=True, eq=False)
class VectorizedMapNode(MapNode):
    """``map(fn)`` over whole batches, ``fn`` running under ``batch_mode()``."""

    op = "vectorized_map"

    def mapper(self) -> Callable[[Any, int], Any]:
        return BatchMapper(self.fn)


class BatchMapper:
    """Applies ``fn`` to a batch; decides batch vs per-element on first use.

    Example:
        >>> m = BatchMapper(lambda x: x.sum())  # not element-wise: falls back
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
        expected = self._per_element(batch)
        try:
            got = self._batched(batch)
        except Exception:
            got = None
        self.vectorized = got is not None and results_equal(got, expected)
        return expected


def results_equal(a: Any, b: Any) -> bool:
    """Whether two element structures hold equal leaves (dtype, shape, NaN-aware).

    Example:
        >>> nan = np.array([1.0, np.nan])
        >>> results_equal({"x": nan}, {"x": nan.copy()})
        True
        >>> results_equal(np.array([1], np.int32), np.array([1], np.int64))
        False
    """
    if not same_structure(a, b):
        return False
    return all(_leaf_equal(x, y) for x, y in zip(flatten(a), flatten(b)))


def _leaf_equal(x: Any, y: Any) -> bool:
    if isinstance(x, SparseTensor) or isinstance(y, SparseTensor):
        return (
            isinstance(x, SparseTensor)
            and isinstance(y, SparseTensor)
            and x.values.dtype == y.values.dtype
            and x == y
        )
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype != y.dtype or x.shape != y.shape:
        return False
    if x.dtype.kind in "fc":
        return bool(np.array_equal(x, y, equal_nan=True))
    return bool(np.array_equal(x, y))
