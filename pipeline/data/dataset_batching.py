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

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.graph.base import Node
from pipeline.graph.batch_specs import leading_dim
from pipeline.graph.batching import (
    BatchNode,
    PaddedBatchNode,
    UnbatchNode,
)
from pipeline.graph.padding import declared_spec, padding_args
from pipeline.graph.ragged_rows import (
    RaggedRebatchNode,
    RaggedRowsBatchNode,
    batches_ragged_rows,
)
from pipeline.graph.windowing import WindowNode
from pipeline.types import TensorSpec


def _integer(name: str, value: Any) -> int:
    if hasattr(value, "numpy"):
        value = value.numpy()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be an integer. Received: {name}={value!r}")
    return int(value)


def _positive(name: str, value: Any) -> int:
    """A positive int; TF's InvalidArgumentError for zero or less."""
    value = _integer(name, value)
    if value <= 0:
        raise InvalidArgumentError(
            f"`{name}` must be a positive integer. Received: {name}={value!r}"
        )
    return value


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


def _batch_sizes(value: Any) -> tuple[int, ...]:
    """``rebatch``'s sizes: one positive int, or a list of ints >= 0."""
    if hasattr(value, "numpy"):
        value = value.numpy()
    if np.ndim(value) == 0:
        return (_positive("batch_size", value),)
    sizes = tuple(_integer("batch_size", v) for v in np.asarray(value).ravel())
    if not sizes or min(sizes) < 0 or max(sizes) == 0:
        raise InvalidArgumentError(
            "`batch_size` must be a non-empty list of sizes >= 0, at least one "
            f"positive. Received: batch_size={list(sizes)}"
        )
    return sizes


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
        kind = RaggedRowsBatchNode if batches_ragged_rows(self._node) else BatchNode
        return self._chain(kind((self._node,), size, bool(drop_remainder)))

    def padded_batch(
        self,
        batch_size: int,
        padded_shapes: Any = None,
        padding_values: Any = None,
        drop_remainder: bool = False,
        name: str | None = None,
    ) -> Any:
        """Batch elements padded to ``padded_shapes`` (default: the longest in batch).

        Padding values default to 0 for numbers and ``b""`` for strings; one
        scalar pads every component, and ``None`` inside a structure keeps
        the default. Bad shapes raise TF's errors at build time; an element
        larger than its padded shape raises `DataLossError` when read.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> import numpy as np
            >>> ds = Dataset.range(1, 4).map(lambda x: np.repeat(x, x)).padded_batch(2)
            >>> [b.tolist() for b in ds]
            [[[1, 0], [2, 2]], [[3, 3, 3]]]
        """
        size = _positive("batch_size", batch_size)
        shapes, values = padding_args(
            self._node.element_spec(),
            padded_shapes,
            padding_values,
            static_dims=declared_spec(self._node),
        )
        return self._chain(
            PaddedBatchNode(
                (self._node,),
                size,
                bool(drop_remainder),
                padded_shapes=tuple(shapes),
                padding_values=tuple(values),
                to_longest=padded_shapes is None,
            )
        )

    def unbatch(self, name: str | None = None) -> Any:
        """Split each element along its first axis.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [int(x) for x in Dataset.from_tensors([1, 2]).unbatch()]
            [1, 2]
        """
        if declared_spec(self._node):  # TF's ValueError at build time
            leading_dim(self._node.element_spec())
        return self._chain(UnbatchNode((self._node,)))

    def rebatch(
        self, batch_size: int, drop_remainder: bool = False, name: str | None = None
    ) -> Any:
        """Re-cut batched elements into batches of ``batch_size``.

        ``batch_size`` may be a list: the output batches take its sizes in
        turn, and a size of 0 gives an empty batch.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [b.tolist() for b in Dataset.range(6).batch(4).rebatch(3)]
            [[0, 1, 2], [3, 4, 5]]
            >>> [b.tolist() for b in Dataset.range(5).batch(4).rebatch([2, 0, 1])]
            [[0, 1], [], [2], [3, 4], []]
        """
        sizes = _batch_sizes(batch_size)
        node = RaggedRebatchNode((self._node,), sizes, bool(drop_remainder))
        return self._chain(node)

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


_UNIQUE_DTYPES = (np.dtype(np.int32), np.dtype(np.int64), np.dtype(object))


def check_unique_spec(spec: Any) -> None:
    """TF's build-time check of ``unique``: one int32, int64 or string component.

    Example:
        >>> check_unique_spec(TensorSpec((), np.float32))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        TypeError: `Dataset.unique` does not support type float32: ...
    """
    if not isinstance(spec, TensorSpec):
        raise TypeError(
            "`Dataset.unique` supports only datasets with a single int32, "
            f"int64 or string component; got element spec {spec!r}."
        )
    if spec.dtype not in _UNIQUE_DTYPES:
        raise TypeError(
            f"`Dataset.unique` does not support type {spec.dtype.name}: only "
            "int32, int64 and string elements."
        )
