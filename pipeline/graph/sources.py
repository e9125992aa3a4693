"""Source nodes: tensors, slices, range, generators, lists and block sources.

SOURCE CONTRACT (for file formats). A file-backed dataset hands the graph an
object ``source`` with:

- ``element_spec``: the `TensorSpec` structure of its elements;
- ``cardinality``: an int (``UNKNOWN`` = -2 when not known before reading);
- ``__str__``: what ``explain()`` shows, e.g. ``TFRecordDataset(['a.tfrecord'])``;
- ``blocks(state: dict | None) -> Iterator[tuple[list, dict]]``: reading from
  ``state`` (None: from the start), yields ``(items, state_after_block)``
  where ``items`` are elements or `ElementFailure` values (a bad record
  reported in place of an element; reading goes on) and ``state_after_block``
  is a small picklable dict from which ``blocks`` resumes right after the block;
- optionally ``failures_alone = True``: a failure always comes in a block of
  its own, so runs of elements are cut from blocks without looking at them.

``Dataset._from_block_source(source)`` wraps it in a `BlockSourceNode`. The
engine moves whole blocks; a block of a few hundred records is a good size.

Example:
    >>> class Three:
    ...     element_spec = None
    ...     cardinality = 3
    ...     def blocks(self, state):
    ...         start = 0 if state is None else state["next"]
    ...         for i in range(start, 3, 2):
    ...             yield list(range(i, min(i + 2, 3))), {"next": i + 2}
    >>> list(IterContext().build(BlockSourceNode((), Three())))
    [0, 1, 2]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.graph.base import IterContext, Node, NodeIterator
from pipeline.graph.failures import ElementFailure
from pipeline.graph.generator_source import GeneratorIterator as GeneratorIterator
from pipeline.graph.generator_source import GeneratorNode as GeneratorNode
from pipeline.graph.structure import (
    flatten,
    pack,
    packer,
    spec_of,
)
from pipeline.types import TensorSpec


@dataclasses.dataclass(frozen=True, eq=False)
class TensorsNode(Node):
    """``from_tensors(value)``: one element."""

    value: Any = dataclasses.field(repr=False, default=None)
    op = "from_tensors"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return ListIterator([self.value])

    def cardinality(self) -> int:
        return 1

    def compute_spec(self) -> Any:
        return spec_of(self.value)

    def args(self) -> dict[str, Any]:
        return {"spec": self.element_spec()}


@dataclasses.dataclass(frozen=True, eq=False)
class ListNode(Node):
    """Elements held in a tuple (window contents, cached data)."""

    elements: tuple = dataclasses.field(repr=False, default=())
    op = "from_list"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return ListIterator(self.elements)

    def cardinality(self) -> int:
        return len(self.elements)

    def compute_spec(self) -> Any:
        return spec_of(self.elements[0]) if self.elements else None

    def args(self) -> dict[str, Any]:
        return {"size": len(self.elements)}


class ListIterator(NodeIterator):
    def __init__(self, elements: Any) -> None:
        super().__init__()
        self.elements = elements
        self.index = 0

    def __next__(self) -> Any:
        if self.index >= len(self.elements):
            raise StopIteration
        self.index += 1
        return self.elements[self.index - 1]

    def get_state(self) -> dict[str, Any]:
        return {"index": self.index}

    def set_state(self, state: dict[str, Any]) -> None:
        self.index = state["index"]


@dataclasses.dataclass(frozen=True, eq=False)
class TensorSlicesNode(Node):
    """``from_tensor_slices(value)``: slices along the first axis of every leaf."""

    value: Any = dataclasses.field(repr=False, default=None)
    op = "from_tensor_slices"

    def __post_init__(self) -> None:
        leaves = flatten(self.value)
        if not leaves or any(np.ndim(leaf) == 0 for leaf in leaves):
            raise InvalidArgumentError(
                "from_tensor_slices needs every component to have rank >= 1."
            )
        sizes = {len(leaf) for leaf in leaves}
        if len(sizes) != 1:
            raise InvalidArgumentError(
                "Dimensions of the components do not match: all must have the "
                f"same size along axis 0; got sizes {sorted(sizes)}."
            )

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return SlicesIterator(self.value)

    def cardinality(self) -> int:
        return len(flatten(self.value)[0])

    def compute_spec(self) -> Any:
        return pack(
            self.value,
            [TensorSpec(leaf.shape[1:], leaf.dtype) for leaf in flatten(self.value)],
        )

    def args(self) -> dict[str, Any]:
        return {"size": self.cardinality()}


class SlicesIterator(NodeIterator):
    def __init__(self, value: Any) -> None:
        super().__init__()
        self.pack = packer(value)
        self.leaves = flatten(value)
        self.single = not isinstance(value, (tuple, dict))
        self.n = len(self.leaves[0])
        self.index = 0

    def __next__(self) -> Any:
        i = self.index
        if i >= self.n:
            raise StopIteration
        self.index = i + 1
        if self.single:
            return self.leaves[0][i]
        return self.pack([leaf[i] for leaf in self.leaves])

    def get_state(self) -> dict[str, Any]:
        return {"index": self.index}

    def set_state(self, state: dict[str, Any]) -> None:
        self.index = state["index"]


@dataclasses.dataclass(frozen=True, eq=False)
class RangeNode(Node):
    """``range(start, stop, step)``: scalars of ``dtype`` (int64 by default)."""

    start: int = 0
    stop: int = 0
    step: int = 1
    dtype: Any = dataclasses.field(default=np.int64, repr=False)
    op = "range"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return RangeIterator(self.start, self.stop, self.step, self.dtype)

    def cardinality(self) -> int:
        return len(range(self.start, self.stop, self.step))

    def compute_spec(self) -> Any:
        return TensorSpec((), self.dtype)


class RangeIterator(NodeIterator):
    def __init__(self, start: int, stop: int, step: int, dtype: Any = np.int64) -> None:
        super().__init__()
        self.next, self.stop, self.step = start, stop, step
        self.cast = np.dtype(dtype).type

    def __next__(self) -> Any:
        v = self.next
        if (self.step > 0 and v >= self.stop) or (self.step < 0 and v <= self.stop):
            raise StopIteration
        self.next = v + self.step
        return self.cast(v)

    def next_many(self, limit: int) -> list[Any]:
        """Up to ``limit`` next values at once, the scalars ``next`` gives."""
        left = range(self.next, self.stop, self.step)[:limit]
        if not left:
            raise StopIteration
        self.next = left.start + len(left) * self.step
        return list(np.arange(left.start, left.stop, left.step, dtype=self.cast))

    def get_state(self) -> dict[str, Any]:
        return {"next": self.next}

    def set_state(self, state: dict[str, Any]) -> None:
        self.next = state["next"]


@dataclasses.dataclass(frozen=True, eq=False)
class BlockSourceNode(Node):
    """A file-backed source following the SOURCE CONTRACT (module docstring)."""

    source: Any = None
    op = "source"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return BlockSourceIterator(self.source)

    def cardinality(self) -> int:
        return int(self.source.cardinality)

    def compute_spec(self) -> Any:
        return self.source.element_spec

    def __str__(self) -> str:
        return str(self.source)


def failure_free_end(items: Sequence[Any], start: int, end: int) -> int:
    """Where a run of elements from ``start`` (before ``end``) stops: just
    after a failure at ``start``, else at the first failure.

    Example:
        >>> failure_free_end([1, 2, ElementFailure(ValueError()), 4], 0, 4)
        2
    """
    if isinstance(items[start], ElementFailure):
        return start + 1
    for i in range(start + 1, end):
        if isinstance(items[i], ElementFailure):
            return i
    return end


class BlockSourceIterator(NodeIterator):
    """State: the state before the current block and the offset inside it."""

    def __init__(self, source: Any) -> None:
        super().__init__()
        self.source = source
        #: The source puts each failure in a block of its own (no scan needed).
        self.failures_alone = bool(getattr(source, "failures_alone", False))
        self.blocks: Iterator[Any] | None = None
        self.before: dict | None = None
        self.after: dict | None = None
        self.block: list = []
        self.offset = 0

    def __next__(self) -> Any:
        while self.offset >= len(self.block):
            self._advance()
        self.offset += 1
        return self.block[self.offset - 1]

    def next_many(self, limit: int) -> list[Any]:
        while self.offset >= len(self.block):
            self._advance()
        start, block = self.offset, self.block
        end = min(len(block), start + max(1, limit))
        if not self.failures_alone:
            end = failure_free_end(block, start, end)
        self.offset = end
        return block[start:end]

    def _close_blocks(self) -> None:
        """Stop the source's reading (a generator's threads and files)."""
        blocks, self.blocks = self.blocks, None
        close = getattr(blocks, "close", None)
        if close is not None:
            close()

    def close(self) -> None:
        self._close_blocks()

    def _advance(self) -> None:
        if self.blocks is None:
            self.blocks = iter(self.source.blocks(self.before))
            self.after = self.before
        block, state = next(self.blocks)
        self.before, self.after = self.after, state
        self.block, self.offset = block, 0

    def get_state(self) -> dict[str, Any]:
        if self.offset >= len(self.block):
            return {"before": self.after, "offset": 0}
        return {"before": self.before, "offset": self.offset}

    def set_state(self, state: dict[str, Any]) -> None:
        self._close_blocks()
        self.block, self.offset = [], 0
        self.before = state["before"]
        if state["offset"]:
            self._advance()
            self.offset = state["offset"]
