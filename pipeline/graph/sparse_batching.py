"""Batching into sparse and ragged values: ``sparse_batch`` and ``ragged_batch``.

``sparse_batch(n, row_shape)`` turns ``n`` dense elements into one
`SparseTensor` of dense shape ``[n, *row_shape]`` (unknown dimensions take
the batch's largest size). ``ragged_batch(n)`` batches elements whose shapes
differ into `RaggedTensor` values, ragged up to the last dimension of unknown
size in the input's element spec.

Example:
    >>> from pipeline.graph.sources import ListNode
    >>> rows = ListNode((), (np.array([1, 2]), np.array([3])))
    >>> st = next(IterContext().build(SparseBatchNode((rows,), 2, (3,))))
    >>> st.indices.tolist(), st.values.tolist(), st.dense_shape.tolist()
    ([[0, 0], [0, 1], [1, 0]], [1, 2, 3], [2, 3])
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from pipeline.errors import DataLossError, InvalidArgumentError
from pipeline.graph.base import IterContext, Node, NodeIterator
from pipeline.graph.batching import BatchIterator, _batched_cardinality
from pipeline.graph.stacking import stack_leaves
from pipeline.graph.structure import flatten, pack
from pipeline.ragged import RaggedTensor, RaggedTensorSpec
from pipeline.types import SparseTensor, SparseTensorSpec, TensorSpec


@dataclasses.dataclass(frozen=True, eq=False)
class SparseBatchNode(Node):
    """``sparse_batch(batch_size, row_shape)``; ``-1`` in ``row_shape``: unknown."""

    batch_size: int = 1
    row_shape: tuple = ()
    op = "sparse_batch"
    drop_remainder = False

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return BatchIterator(ctx.build(self.parents[0]), self, self._combine)

    def cardinality(self) -> int:
        n = self.parents[0].cardinality()
        return _batched_cardinality(n, self.batch_size, False)

    def compute_spec(self) -> Any:
        spec = self.parents[0].element_spec()
        dims = tuple(None if d < 0 else d for d in self.row_shape)
        return SparseTensorSpec((None, *dims), spec.dtype)

    def _combine(self, items: list[Any]) -> SparseTensor:
        arrays = [self._check(np.asarray(x)) for x in items]
        dense = [
            d if d >= 0 else max([a.shape[i] for a in arrays], default=0)
            for i, d in enumerate(self.row_shape)
        ]
        indices, values = [], []
        for row, a in enumerate(arrays):
            where = np.argwhere(np.ones(a.shape, dtype=bool))
            lead = np.full((where.shape[0], 1), row, dtype=np.int64)
            indices.append(np.concatenate([lead, where.astype(np.int64)], axis=1))
            values.append(a.reshape(-1))
        return SparseTensor(
            np.concatenate(indices).reshape(-1, len(self.row_shape) + 1),
            np.concatenate(values),
            [len(arrays), *dense],
        )

    def _check(self, a: np.ndarray) -> np.ndarray:
        if a.ndim != len(self.row_shape):
            raise InvalidArgumentError(
                f"Input element had shape ({', '.join(map(str, a.shape))}) that "
                f"is incompatible with the row shape "
                f"({', '.join(map(str, self.row_shape))})."
            )
        for got, limit in zip(a.shape, self.row_shape):
            if 0 <= limit < got:
                raise DataLossError(
                    f"Input element had shape {list(a.shape)} that is larger than "
                    f"the row shape {list(self.row_shape)}."
                )
        return a


@dataclasses.dataclass(frozen=True, eq=False)
class RaggedBatchNode(Node):
    """``ragged_batch(batch_size, drop_remainder, row_splits_dtype)``."""

    batch_size: int = 1
    drop_remainder: bool = False
    row_splits_dtype: Any = np.int64
    op = "ragged_batch"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return BatchIterator(ctx.build(self.parents[0]), self, self._combine)

    def cardinality(self) -> int:
        n = self.parents[0].cardinality()
        return _batched_cardinality(n, self.batch_size, self.drop_remainder)

    def compute_spec(self) -> Any:
        size = self.batch_size if self.drop_remainder else None
        spec = self.parents[0].element_spec()
        return pack(spec, [self._leaf_spec(s, size) for s in flatten(spec)])

    def _leaf_spec(self, s: Any, size: int | None) -> Any:
        splits = np.dtype(self.row_splits_dtype)
        if isinstance(s, SparseTensorSpec):
            return SparseTensorSpec(
                None if s.shape is None else (size, *s.shape), s.dtype
            )
        if isinstance(s, RaggedTensorSpec):
            shape = None if s.shape is None else (size, *s.shape)
            return RaggedTensorSpec(shape, s.dtype, s.ragged_rank + 1, splits)
        rank = _ragged_rank(s)
        if rank == 0:
            return TensorSpec(None if s.shape is None else (size, *s.shape), s.dtype)
        return RaggedTensorSpec((size, *s.shape), s.dtype, rank, splits)

    def _combine(self, items: list[Any]) -> Any:
        spec = self.parents[0].element_spec()
        specs = flatten(spec)
        columns = list(zip(*[flatten(e) for e in items]))
        out = [
            self._batch_leaf(list(c), s, i)
            for i, (c, s) in enumerate(zip(columns, specs))
        ]
        return pack(items[0], out)

    def _batch_leaf(self, values: list[Any], s: Any, component: int) -> Any:
        splits = np.dtype(self.row_splits_dtype)
        if isinstance(values[0], RaggedTensor):
            return _stack_ragged(values, splits)
        if isinstance(values[0], SparseTensor):
            return stack_leaves(values, component)
        arrays = [np.asarray(v) for v in values]
        rank = max(_ragged_rank(s), _differing_rank(arrays))
        if rank == 0:
            return stack_leaves(values, component)
        return _ragged_from_dense(arrays, rank, splits)


def _ragged_rank(s: Any) -> int:
    """How many leading dimensions of a batch of ``s`` are ragged (0: dense)."""
    if not isinstance(s, TensorSpec) or s.shape is None:
        return 0 if not isinstance(s, TensorSpec) else 1
    unknown = [i for i, d in enumerate(s.shape) if d is None]
    return unknown[-1] + 1 if unknown else 0


def _differing_rank(arrays: list[np.ndarray]) -> int:
    """One past the last dimension whose size differs between ``arrays``."""
    first = arrays[0].shape
    if any(a.ndim != len(first) for a in arrays):
        raise InvalidArgumentError(
            "Cannot batch tensors of different ranks: "
            f"{sorted({a.ndim for a in arrays})}."
        )
    differ = [
        d for d in range(len(first)) if any(a.shape[d] != first[d] for a in arrays)
    ]
    return differ[-1] + 1 if differ else 0


def _ragged_from_dense(
    arrays: list[np.ndarray], rank: int, splits: np.dtype
) -> RaggedTensor:
    """A ragged batch of dense arrays, ragged in its first ``rank`` inner dims."""
    levels = []
    for level in range(rank):
        lengths = [
            np.full(int(np.prod(a.shape[:level])), a.shape[level], dtype=np.int64)
            for a in arrays
        ]
        levels.append(np.concatenate(lengths) if lengths else np.zeros(0, np.int64))
    flat = [a.reshape(-1, *a.shape[rank:]) for a in arrays]
    values = np.concatenate(flat) if flat else np.zeros(0)
    batch = np.array([a.shape[0] for a in arrays], dtype=np.int64)
    return _from_lengths(values, [batch, *levels[1:]], splits)


def _stack_ragged(values: list[RaggedTensor], splits: np.dtype) -> RaggedTensor:
    """A batch of ragged values: one more ragged dimension in front."""
    depth = len(values[0].nested_row_splits)
    levels = [
        np.concatenate([np.diff(v.nested_row_splits[d]) for v in values])
        for d in range(depth)
    ]
    flat = np.concatenate([v.flat_values for v in values])
    batch = np.array([v.nrows() for v in values], dtype=np.int64)
    return _from_lengths(flat, [batch, *levels], splits)


def _from_lengths(values: Any, lengths: list[np.ndarray], splits: np.dtype) -> Any:
    nested = [np.concatenate([[0], np.cumsum(n)]).astype(splits) for n in lengths]
    return RaggedTensor.from_nested_row_splits(values, nested)
