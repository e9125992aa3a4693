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
from pipeline.graph.structure import spec_of

__all__ = ["GivenListNode", "GivenTensorsNode"]


@dataclasses.dataclass(frozen=True, eq=False)
class GivenTensorsNode(TensorsNode):
    """``from_tensors(value)`` with the static spec of ``value``."""

    def compute_spec(self) -> Any:
        return spec_of(self.value, static_sparse=True)


@dataclasses.dataclass(frozen=True, eq=False)
class GivenListNode(ListNode):
    """Listed slices of given values (datasets, sparse or ragged rows)."""

    op = "from_tensor_slices"

    def compute_spec(self) -> Any:
        if not self.elements:
            return None
        return spec_of(self.elements[0], static_sparse=True)
