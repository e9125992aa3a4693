"""Sources of values the user gave: their sparse components keep their shapes.

``from_tensors`` and ``from_tensor_slices`` hold values, not results of a
function on data, so a `SparseTensor`'s ``dense_shape`` is part of the spec,
as in TF (a map's sparse output has unknown dims instead).

Example:
    >>> from pipeline.types import SparseTensor
    >>> st = SparseTensor([[0, 1]], np.array([5]), [2, 3])
    >>> GivenTensorsNode((), (st,)).element_spec()[0].shape
    (2, 3)
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np  # noqa: F401 (the doctest's namespace)

from pipeline.graph.sources import ListNode, TensorsNode
from pipeline.graph.structure import flatten, flatten_up_to, pack, spec_of
from pipeline.ragged import RaggedTensor, RaggedTensorSpec

__all__ = ["GivenListNode", "GivenTensorsNode", "sliced_spec"]


@dataclasses.dataclass(frozen=True, eq=False)
class GivenTensorsNode(TensorsNode):
    """``from_tensors(value)`` with the static spec of ``value``."""

    def compute_spec(self) -> Any:
        return spec_of(self.value, static_sparse=True)


@dataclasses.dataclass(frozen=True, eq=False)
class GivenListNode(ListNode):
    """Listed slices of given values (datasets, sparse or ragged rows).

    ``given_spec``, when set, is the element spec known from the sliced
    value itself (`sliced_spec`): a ragged leaf's rows keep a
    `RaggedTensorSpec` (ragged rank one less) even when they are dense.
    """

    given_spec: Any = None
    op = "from_tensor_slices"

    def compute_spec(self) -> Any:
        if self.given_spec is not None:
            return self.given_spec
        if not self.elements:
            return None
        return spec_of(self.elements[0], static_sparse=True)


def sliced_spec(value: Any, elements: tuple) -> Any:
    """The spec of ``from_tensor_slices(value)``'s elements, as TF types them.

    A `RaggedTensor` leaf's rows have ``RaggedTensorSpec(shape[1:], dtype,
    ragged_rank - 1)``: the rows of a 2-D ragged are dense vectors, typed
    ``RaggedTensorSpec((None,), ragged_rank=0)``, so that batching them
    builds a ragged batch again. None when no leaf is ragged or there are
    no elements.

    Example:
        >>> from pipeline.ragged import RaggedTensor
        >>> rt = RaggedTensor.from_row_lengths(np.arange(3), [2, 1])
        >>> spec = sliced_spec(rt, (rt[0], rt[1]))
        >>> spec.shape, spec.ragged_rank
        ((None,), 0)
    """
    leaves = flatten(value)
    if not elements or not any(isinstance(v, RaggedTensor) for v in leaves):
        return None
    first = flatten_up_to(value, elements[0])
    specs = [
        _row_spec(leaf) if isinstance(leaf, RaggedTensor) else spec_of(row, True)
        for leaf, row in zip(leaves, first)
    ]
    return pack(value, specs)


def _row_spec(leaf: RaggedTensor) -> RaggedTensorSpec:
    shape = tuple(leaf.shape)[1:]
    return RaggedTensorSpec(
        shape, leaf.dtype, leaf.ragged_rank - 1, leaf.row_splits_dtype
    )
