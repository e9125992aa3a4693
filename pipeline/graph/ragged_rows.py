"""Batches of dense rows typed ragged: ``RaggedTensorSpec(ragged_rank=0)``.

``from_tensor_slices`` of a 2-D `RaggedTensor` yields its rows as dense
vectors, typed ``RaggedTensorSpec((None,), ragged_rank=0)`` as in TF, so
that ``batch`` builds a `RaggedTensor` of them again (rows of different
lengths, which plain stacking refuses). `RaggedRowsBatchNode` is ``batch``
for an input whose spec has such components.

Example:
    >>> from pipeline.ragged import RaggedTensorSpec
    >>> spec = RaggedTensorSpec((None,), np.int64, ragged_rank=0)
    >>> stack_rows([np.array([1, 2]), np.array([3])], spec).to_list()
    [[1, 2], [3]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pipeline.graph.base import IterContext, Node, NodeIterator
from pipeline.graph.batching import BatchNode, RebatchNode
from pipeline.graph.padding import declared_spec
from pipeline.graph.stacking import stack_leaves
from pipeline.graph.structure import flatten, flatten_up_to, pack
from pipeline.ragged import RaggedTensor, RaggedTensorSpec

__all__ = [
    "RaggedRebatchNode",
    "RaggedRowsBatchNode",
    "batches_ragged_rows",
    "has_dense_ragged_rows",
    "stack_rows",
]


def _is_dense_row(spec: Any) -> bool:
    return isinstance(spec, RaggedTensorSpec) and spec.ragged_rank == 0


def has_dense_ragged_rows(spec: Any) -> bool:
    """Whether some component of ``spec`` is a ragged-rank-0 `RaggedTensorSpec`.

    Example:
        >>> has_dense_ragged_rows((RaggedTensorSpec((None,), ragged_rank=0),))
        True
    """
    return spec is not None and any(_is_dense_row(s) for s in flatten(spec))


def batches_ragged_rows(node: Node) -> bool:
    """Whether ``batch`` of ``node`` needs `RaggedRowsBatchNode`.

    Reads the spec only where it is declared (`padding.declared_spec`:
    sources such as ``from_tensor_slices`` of ragged values, ``zip``,
    ``concatenate``, ...), so no user function is called; otherwise looks
    through stages that pass elements on for an ``unbatch`` (whose spec is
    read when the batch is iterated; the node then batches as `BatchNode`
    unless it has ragged rows).
    """
    if declared_spec(node):  # no user function gives this spec
        return has_dense_ragged_rows(node.element_spec())
    while getattr(node, "passes_elements", False) and node.parents:
        node = node.parents[0]
    return node.op == "unbatch"  # its rows' spec is known when iterated


def stack_rows(rows: Sequence[Any], spec: RaggedTensorSpec) -> RaggedTensor:
    """Dense rows as one `RaggedTensor` whose second dimension is ragged.

    Raises:
        InvalidArgumentError: the rows differ beyond their first dimension
            (from `stack_leaves`, naming the component).
    """
    arrays = [np.asarray(r, dtype=spec.dtype) for r in rows]
    lengths = np.array([len(a) for a in arrays], spec.row_splits_dtype)
    if len({a.shape[1:] for a in arrays}) > 1:
        stack_leaves(arrays)  # raises the shape error
    values = np.concatenate(arrays) if arrays else np.zeros(0, spec.dtype)
    return RaggedTensor.from_row_lengths(values, lengths, validate=False)


def _combiner(spec: Any) -> Any:
    """``stack_elements`` for elements of ``spec``, ragged-rank-0 parts ragged."""
    specs = flatten(spec)

    def combine(items: list[Any]) -> Any:
        columns = zip(*[flatten_up_to(spec, e) for e in items])
        out = [
            stack_rows(list(c), s) if _is_dense_row(s) else stack_leaves(list(c), i)
            for i, (c, s) in enumerate(zip(columns, specs))
        ]
        return pack(spec, out)

    return combine


class RaggedRowsBatchNode(BatchNode):
    """``batch`` of an input with ragged-rank-0 components (see module doc)."""

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        it = super().make_iterator(ctx)
        spec = self.parents[0].element_spec()
        if has_dense_ragged_rows(spec):
            it.combine = _combiner(spec)
        return it


class RaggedRebatchNode(RebatchNode):
    """``rebatch``: a ragged-rank-1 component's rows are batched ragged again.

    Unbatching such a component yields dense rows of different lengths;
    they are stacked into a `RaggedTensor` (TF keeps the component ragged).
    """

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        it = super().make_iterator(ctx)
        spec = self.parents[0].element_spec()
        if spec is not None and any(
            isinstance(s, RaggedTensorSpec) and s.ragged_rank == 1
            for s in flatten(spec)
        ):
            rows = [_row_spec(s) for s in flatten(spec)]
            it.combine = _combiner(pack(spec, rows))
        return it


def _row_spec(spec: Any) -> Any:
    if isinstance(spec, RaggedTensorSpec) and spec.ragged_rank == 1:
        shape = None if spec.shape is None else spec.shape[1:]
        return RaggedTensorSpec(shape, spec.dtype, 0, spec.row_splits_dtype)
    return None
