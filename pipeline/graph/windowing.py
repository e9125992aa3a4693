"""``window(size, shift, stride, drop_remainder)``: elements become datasets.

Window ``k`` holds the input elements at ``k * shift + j * stride`` for
``j < size``. A structured element gives the same structure of datasets, one
per component (as tf.data does).

Example:
    >>> import pipeline.data  # windows are Datasets once the data layer is loaded
    >>> from pipeline.graph.sources import RangeNode
    >>> node = WindowNode((RangeNode((), 0, 7, 1),), size=3, shift=2)
    >>> [[int(x) for x in w] for w in IterContext().build(node)]
    [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6]]
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pipeline.graph.base import (
    INFINITE,
    UNKNOWN,
    IterContext,
    Node,
    NodeIterator,
    wrap_dataset,
)
from pipeline.graph.element_specs import DatasetSpec
from pipeline.graph.failures import ElementFailure
from pipeline.graph.sources import ListNode
from pipeline.graph.structure import flatten, pack


@dataclasses.dataclass(frozen=True, eq=False)
class WindowNode(Node):
    """``window(size, shift=None, stride=1, drop_remainder=False)``."""

    size: int = 1
    shift: int | None = None
    stride: int = 1
    drop_remainder: bool = False
    op = "window"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return WindowIterator(ctx.build(self.parents[0]), self)

    def cardinality(self) -> int:
        n = self.parents[0].cardinality()
        if n < 0:
            return n if n == INFINITE else UNKNOWN
        shift = self.shift or self.size
        span = (self.size - 1) * self.stride + 1
        if self.drop_remainder:
            return 0 if n < span else (n - span) // shift + 1
        return -(-n // shift)

    def compute_spec(self) -> Any:
        spec = self.parents[0].element_spec()
        return pack(spec, [DatasetSpec(s) for s in flatten(spec)])

    def stand_in(self) -> Any:
        """A window of empty datasets: what a function over windows is traced
        with when the input has no window (the element spec still follows)."""
        spec = self.parents[0].element_spec()
        return _as_datasets([], spec)


@dataclasses.dataclass(frozen=True, eq=False)
class WindowContentNode(ListNode):
    """One window's elements; its spec is the input's element spec."""

    spec: Any = dataclasses.field(default=None, repr=False)
    op = "window_content"

    def compute_spec(self) -> Any:
        return self.spec if self.spec is not None else super().compute_spec()


class WindowIterator(NodeIterator):
    """Keeps the input elements from the current window's start onwards."""

    def __init__(self, parent: NodeIterator, node: WindowNode) -> None:
        super().__init__(parent)
        self.parent, self.size = parent, node.size
        self.spec = node.parents[0].element_spec()
        self.shift, self.stride = node.shift or node.size, node.stride
        self.drop = node.drop_remainder
        self.buffer: list[Any] = []
        self.end = False

    def __next__(self) -> Any:
        span = (self.size - 1) * self.stride + 1
        self._fill(span)
        if not self.buffer or (self.drop and len(self.buffer) < span):
            raise StopIteration
        window = self.buffer[: span : self.stride]
        self._fill(self.shift)
        self.buffer = self.buffer[self.shift :]
        for elem in window:
            if isinstance(elem, ElementFailure):
                return elem  # a failure the stride skips is dropped, as in TF
        return _as_datasets(window, self.spec)

    def _fill(self, n: int) -> None:
        """Read until the buffer holds ``n`` inputs (failures included)."""
        while not self.end and len(self.buffer) < n:
            try:
                self.buffer.append(next(self.parent))
            except StopIteration:
                self.end = True

    def get_state(self) -> dict[str, Any]:
        state = self.parent.get_state()
        return {"parent": state, "buffer": list(self.buffer), "end": self.end}

    def set_state(self, state: dict[str, Any]) -> None:
        self.parent.set_state(state["parent"])
        self.buffer, self.end = list(state["buffer"]), state["end"]


def _as_datasets(window: list[Any], spec: Any) -> Any:
    """The window as a dataset, or a structure of datasets (one per leaf)."""
    if not isinstance(spec, (tuple, dict)):
        return wrap_dataset(WindowContentNode((), tuple(window), spec=spec))
    columns = list(zip(*[flatten(e) for e in window])) or [()] * len(flatten(spec))
    return pack(
        spec,
        [
            wrap_dataset(WindowContentNode((), tuple(c), spec=s))
            for c, s in zip(columns, flatten(spec))
        ],
    )
