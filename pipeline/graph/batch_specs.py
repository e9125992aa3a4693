"""Element specs of the batching stages: batched, unbatched and rebatched leaves.

A batch adds a first dimension (known only with ``drop_remainder``); sparse
specs stay sparse, a ragged spec gains a ragged dimension, ``None`` parts stay
``None`` and an array of datasets gains a dimension. `static_rows` is the
batch size a node's elements declare, trusted by ``unbatch``'s cardinality,
``rebatch``'s static shape and ``at``.

Example:
    >>> _batch_spec(TensorSpec((3,), "int64"), 2)
    TensorSpec(shape=(2, 3), dtype=int64, name=None)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.graph.base import Node
from pipeline.graph.element_specs import DatasetSpec, NoneTensorSpec
from pipeline.graph.padding import declared_spec
from pipeline.graph.structure import flatten, pack
from pipeline.ragged import RaggedTensorSpec
from pipeline.types import TensorSpec


def leading_dim(spec: Any) -> int | None:
    """The static first dimension all leaves share (None when unknown).

    Raises ValueError, as TF's ``unbatch`` does, when a leaf is a scalar or
    two leaves have different known first dimensions.

    Example:
        >>> leading_dim((TensorSpec((3, 2), "int64"), TensorSpec((None,), "int64")))
        3
    """
    dims = set()
    for s in flatten(spec):
        if not isinstance(s, (TensorSpec, RaggedTensorSpec)) or s.shape is None:
            continue
        if not s.shape:
            raise ValueError("Cannot unbatch an input with scalar components.")
        if s.shape[0] is not None:
            dims.add(s.shape[0])
    if len(dims) > 1:
        raise ValueError(
            "Cannot unbatch an input whose components have different batch "
            f"sizes: {sorted(dims)}."
        )
    return dims.pop() if dims else None


def static_rows(node: Node) -> int | None:
    """The batch size ``node``'s elements declare (None: unknown or sampled).

    Only a declared spec counts (`padding.declared_spec`): a map's spec read
    off one sample may give a first dimension the other elements do not have.

    Example:
        >>> from pipeline.graph.batching import BatchNode
        >>> from pipeline.graph.sources import RangeNode
        >>> static_rows(BatchNode((RangeNode((), 0, 8, 1),), 4, True))
        4
    """
    if node.op in _BATCH_OPS:
        return node.batch_size if node.drop_remainder else None
    if node.op in _SAME_ELEMENTS:
        return static_rows(node.parents[0])
    if not declared_spec(node):
        return None
    try:
        return leading_dim(node.element_spec())
    except ValueError:
        return None


#: Stages that stack ``batch_size`` inputs (drop_remainder: that many rows).
_BATCH_OPS = frozenset({"batch", "padded_batch", "gather_batch"})
#: Stages whose elements are their input's (same shapes).
_SAME_ELEMENTS = frozenset(
    {
        "take",
        "skip",
        "repeat",
        "shuffle",
        "global_shuffle",
        "prefetch",
        "cache",
        "shard",
        "filter",
        "unique",
        "ignore_errors",
        "assert_cardinality",
    }
)


def _unbatched_leaf(s: Any) -> Any:
    if isinstance(s, TensorSpec):  # type(s): a SparseTensorSpec stays sparse
        return type(s)(None if s.shape is None else s.shape[1:], s.dtype)
    if isinstance(s, RaggedTensorSpec):  # rows of a rank-1 ragged are dense,
        shape = None if s.shape is None else s.shape[1:]  # typed ragged rank 0
        if s.ragged_rank < 1:
            return TensorSpec(shape, s.dtype)
        return RaggedTensorSpec(shape, s.dtype, s.ragged_rank - 1, s.row_splits_dtype)
    if isinstance(s, DatasetSpec) and s.shape:  # an array of datasets
        return DatasetSpec(s.element_spec, s.shape[1:])
    return s


def _kind(s: Any) -> type:
    """The spec class a batch of ``s`` keeps (sparse stays sparse)."""
    return type(s) if isinstance(s, TensorSpec) else TensorSpec


def _batch_spec(spec: Any, size: int | None) -> Any:
    leaves = flatten(spec)
    out = [_batched_leaf(s, size) for s in leaves]
    return pack(spec, out)


def _batched_leaf(s: Any, size: int | None) -> Any:
    if s is None or isinstance(s, NoneTensorSpec):  # unknown, or None parts
        return s
    if isinstance(s, DatasetSpec):  # an array of datasets
        return DatasetSpec(s.element_spec, (size, *s.shape))
    if isinstance(s, RaggedTensorSpec):  # one more ragged dimension in front
        shape = None if s.shape is None else (size, *s.shape)
        return RaggedTensorSpec(shape, s.dtype, s.ragged_rank + 1, s.row_splits_dtype)
    return _kind(s)(None if s.shape is None else (size, *s.shape), s.dtype)


def _rebatched_leaf(s: Any, size: int | None) -> Any:
    if s is None or isinstance(s, NoneTensorSpec):
        return s
    if isinstance(s, DatasetSpec):
        return DatasetSpec(s.element_spec, (size, *s.shape[1:]))
    shape = None if s.shape is None else (size, *s.shape[1:])
    if isinstance(s, RaggedTensorSpec):
        return RaggedTensorSpec(shape, s.dtype, s.ragged_rank, s.row_splits_dtype)
    return _kind(s)(shape, s.dtype)


def _empty_batch(spec: Any) -> Any:
    """A batch of no rows: each leaf of shape ``(0, *dims)`` (unknown dims 0)."""
    leaves = [
        np.zeros((0, *[d or 0 for d in (s.shape or (None,))[1:]]), dtype=s.dtype)
        for s in flatten(spec)
    ]
    return pack(spec, leaves)
