"""The batching and windowing methods of `Dataset`, and argument checks.

Example:
    >>> from pipeline.data.dataset import Dataset
    >>> [b.tolist() for b in Dataset.range(3).batch(2)]
    [[0, 1], [2]]
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

from pipeline.graph.base import Node
from pipeline.graph.batching import BatchNode, PaddedBatchNode, RebatchNode, UnbatchNode
from pipeline.graph.windowing import WindowNode


def _positive(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(
            f"`{name}` must be a positive integer. Received: {name}={value!r}"
        )
    return int(value)


def _count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < -1:
        raise ValueError(
            f"`{name}` must be an integer >= -1. Received: {name}={value!r}"
        )
    return int(value)


def _callable(name: str, fn: Any) -> Callable[..., Any]:
    if not callable(fn):
        raise TypeError(f"`{name}` must be callable. Received: {name}={fn!r}")
    return fn


class BatchingTransforms:
    """Mixin of `Dataset`'s batching methods; ``_chain(node)`` wraps a node."""

    _node: Node

    def _chain(self, node: Node) -> Any:
        raise NotImplementedError

    def batch(
        self,
        batch_size: int,
        drop_remainder: bool = False,
        num_parallel_calls: int | None = None,
        deterministic: bool | None = None,
        name: str | None = None,
    ) -> Any:
        """Stack ``batch_size`` consecutive elements (dicts and tuples leaf by leaf).

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> next(iter(Dataset.from_tensor_slices({"a": [1, 2, 3]}).batch(2)))
            {'a': array([1, 2], dtype=int32)}
        """
        size = _positive("batch_size", batch_size)
        return self._chain(BatchNode((self._node,), size, bool(drop_remainder)))

    def padded_batch(
        self,
        batch_size: int,
        padded_shapes: Any = None,
        padding_values: Any = None,
        drop_remainder: bool = False,
        name: str | None = None,
    ) -> Any:
        """Batch elements padded to ``padded_shapes`` (default: the longest in batch).

        Padding values default to 0 for numbers and ``b""`` for strings.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> import numpy as np
            >>> ds = Dataset.range(1, 4).map(lambda x: np.repeat(x, x)).padded_batch(2)
            >>> [b.tolist() for b in ds]
            [[[1, 0], [2, 2]], [[3, 3, 3]]]
        """
        size = _positive("batch_size", batch_size)
        return self._chain(
            PaddedBatchNode(
                (self._node,),
                size,
                bool(drop_remainder),
                padded_shapes=padded_shapes,
                padding_values=padding_values,
            )
        )

    def unbatch(self, name: str | None = None) -> Any:
        """Split each element along its first axis.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [int(x) for x in Dataset.from_tensors([1, 2]).unbatch()]
            [1, 2]
        """
        return self._chain(UnbatchNode((self._node,)))

    def rebatch(
        self, batch_size: int, drop_remainder: bool = False, name: str | None = None
    ) -> Any:
        """Re-cut batched elements into batches of ``batch_size``.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [b.tolist() for b in Dataset.range(6).batch(4).rebatch(3)]
            [[0, 1, 2], [3, 4, 5]]
        """
        size = _positive("batch_size", batch_size)
        return self._chain(RebatchNode((self._node,), size, bool(drop_remainder)))

    def window(
        self,
        size: int,
        shift: int | None = None,
        stride: int = 1,
        drop_remainder: bool = False,
        name: str | None = None,
    ) -> Any:
        """A dataset of windows, each a dataset (a structure of them for tuples).

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> ds = Dataset.range(5).window(2).flat_map(lambda w: w.batch(2))
            >>> [w.tolist() for w in ds]
            [[0, 1], [2, 3], [4]]
        """
        return self._chain(
            WindowNode(
                (self._node,),
                _positive("size", size),
                None if shift is None else _positive("shift", shift),
                _positive("stride", stride),
                bool(drop_remainder),
            )
        )
