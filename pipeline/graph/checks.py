"""``assert_cardinality``: a declared element count, checked while reading.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> node = AssertCardinalityNode((RangeNode((), 0, 3, 1),), 2)
    >>> it = IterContext().build(node)
    >>> int(next(it)), int(next(it))
    (0, 1)
    >>> str(next(it).exception).endswith("but contained at least 3 elements.")
    True
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pipeline.errors import FailedPreconditionError
from pipeline.graph.base import INFINITE, IterContext, Node, NodeIterator
from pipeline.graph.failures import ElementFailure


def _elements(n: int) -> str:
    return f"{n} element" if n == 1 else f"{n} elements"


@dataclasses.dataclass(frozen=True, eq=False)
class AssertCardinalityNode(Node):
    """``assert_cardinality(expected)``: -1 (`INFINITE`) asserts no end."""

    expected: int = 0
    op = "assert_cardinality"
    passes_elements = True

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return AssertCardinalityIterator(ctx.build(self.parents[0]), self.expected)

    def cardinality(self) -> int:
        return self.expected


class AssertCardinalityIterator(NodeIterator):
    def __init__(self, parent: NodeIterator, expected: int) -> None:
        super().__init__(parent)
        self.parent, self.expected, self.count = parent, expected, 0

    def _wanted(self) -> str:
        if self.expected == INFINITE:
            return "an infinite number of elements"
        return _elements(self.expected)

    def __next__(self) -> Any:
        try:
            elem = next(self.parent)
        except StopIteration:
            if self.expected == INFINITE or self.count < self.expected:
                raise FailedPreconditionError(
                    f"Input dataset was expected to contain {self._wanted()} but "
                    f"contained only {_elements(self.count)}."
                ) from None
            raise
        if isinstance(elem, ElementFailure):
            return elem
        self.count += 1
        if self.expected != INFINITE and self.count > self.expected:
            error = FailedPreconditionError(
                f"Input dataset was expected to contain {self._wanted()} but "
                f"contained at least {_elements(self.count)}."
            )
            return ElementFailure(error, where={"stage": "assert_cardinality"})
        return elem

    def get_state(self) -> dict[str, Any]:
        return {**super().get_state(), "count": self.count}

    def set_state(self, state: dict[str, Any]) -> None:
        super().set_state(state)
        self.count = state["count"]
