"""Grouping nodes: ``group_by_window`` and the window datasets it hands out.

``group_by_window`` puts each input element in the group of its key; when a
group holds ``window_size_func(key)`` elements, ``reduce_func(key, window)``
turns that window (a dataset of the group's elements) into a dataset whose
elements are the output. At the end of the input the groups left over are
reduced in key order, as tf.data does.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> node = GroupByWindowNode(
    ...     (RangeNode((), 0, 5, 1),),
    ...     key_func=lambda x: x % 2,
    ...     reduce_func=lambda k, w: w,
    ...     window_size_func=lambda k: 2,
    ... )
    >>> [int(x) for x in IterContext().build(node)]
    [0, 2, 1, 3, 4]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.graph.base import (
    INFINITE,
    UNKNOWN,
    IterContext,
    Node,
    NodeIterator,
    call_fn,
    failure_of,
    node_of,
    wrap_dataset,
)
from pipeline.graph.failures import ElementFailure
from pipeline.graph.sources import ListIterator


@dataclasses.dataclass(frozen=True, eq=False)
class GroupNode(Node):
    """The elements of one window, with the input's element spec."""

    elements: tuple = dataclasses.field(repr=False, default=())
    spec: Any = dataclasses.field(repr=False, default=None)
    op = "window_group"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return ListIterator(self.elements)

    def cardinality(self) -> int:
        return len(self.elements)

    def compute_spec(self) -> Any:
        return self.spec

    def args(self) -> dict[str, Any]:
        return {"size": len(self.elements)}


def int64_scalar(value: Any, what: str) -> np.int64:
    """``value`` as an int64 scalar, or `InvalidArgumentError` naming ``what``.

    Example:
        >>> int64_scalar(np.int32(3), "key_func")
        np.int64(3)
    """
    arr = np.asarray(value)
    if arr.shape != () or arr.dtype.kind not in "iu":
        raise InvalidArgumentError(
            f"`{what}` must return a single int64 scalar; got {value!r}."
        )
    return np.int64(arr)


@dataclasses.dataclass(frozen=True, eq=False)
class GroupByWindowNode(Node):
    """``group_by_window(key_func, reduce_func, window_size_func)``."""

    key_func: Callable[..., Any] | None = None
    reduce_func: Callable[..., Any] | None = None
    window_size_func: Callable[..., Any] | None = None
    op = "group_by_window"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return GroupByWindowIterator(ctx, self)

    def cardinality(self) -> int:
        return INFINITE if self.parents[0].cardinality() == INFINITE else UNKNOWN

    def compute_spec(self) -> Any:
        window = GroupNode((), (), self.parents[0].element_spec())
        return self.reduced(np.int64(0), window).element_spec()

    def reduced(self, key: np.int64, window: Node) -> Node:
        """The node of ``reduce_func(key, window)``."""
        out = self.reduce_func(key, wrap_dataset(window))
        return node_of(out, "reduce_func")

    def window_size(self, key: np.int64) -> int:
        """``window_size_func(key)``, checked to be positive."""
        size = int(int64_scalar(self.window_size_func(key), "window_size_func"))
        if size <= 0:
            raise InvalidArgumentError(
                f"Window size must be greater than zero, but got {size}."
            )
        return size


class GroupByWindowIterator(NodeIterator):
    """Groups by key; yields the reduced datasets' elements one by one."""

    def __init__(self, ctx: IterContext, node: GroupByWindowNode) -> None:
        self.input = ctx.build(node.parents[0])
        super().__init__(self.input)
        self.ctx, self.node, self.stage = ctx, node, str(node)
        self.groups: dict[int, list[Any]] = {}
        self.current: Any = None  # (key, elements, iterator)
        self.end, self.index = False, 0
        self.sizes: dict[int, int] = {}

    def __next__(self) -> Any:
        while True:
            if self.current is not None:
                try:
                    return next(self.current[2])
                except StopIteration:
                    self._drop_current()
            if self.end:
                if not self.groups:
                    raise StopIteration
                key = min(self.groups)
                failure = self._reduce(key, self.groups.pop(key))
            else:
                failure = self._pull()
            if failure is not None:
                return failure

    def _pull(self) -> ElementFailure | None:
        try:
            elem = next(self.input)
        except StopIteration:
            self.end = True
            return None
        index, self.index = self.index, self.index + 1
        if isinstance(elem, ElementFailure):
            return elem
        try:
            key = int(int64_scalar(call_fn(self.node.key_func, elem), "key_func"))
            group = self.groups.setdefault(key, [])
            group.append(elem)
            if key not in self.sizes:  # asked once per key, as tf.data does
                self.sizes[key] = self.node.window_size(np.int64(key))
            if len(group) < self.sizes[key]:
                return None
        except Exception as e:
            return failure_of(e, self.stage, index)
        return self._reduce(key, self.groups.pop(key))

    def _reduce(self, key: int, elements: list[Any]) -> ElementFailure | None:
        try:
            self._open(key, elements)
        except Exception as e:
            return failure_of(e, self.stage, self.index)
        return None

    def _open(self, key: int, elements: list[Any]) -> NodeIterator:
        spec = self.node.parents[0].element_spec()
        window = GroupNode((), tuple(elements), spec)
        it = self.ctx.build(self.node.reduced(np.int64(key), window))
        self.current = (key, elements, it)
        return it

    def _drop_current(self) -> None:
        self.current[2].close()
        self.current = None

    def get_state(self) -> dict[str, Any]:
        current = None
        if self.current is not None:
            key, elements, it = self.current
            current = (key, list(elements), it.get_state())
        return {
            "input": self.input.get_state(),
            "groups": {k: list(v) for k, v in self.groups.items()},
            "current": current,
            "pos": (self.end, self.index),
            "sizes": dict(self.sizes),
        }

    def set_state(self, state: dict[str, Any]) -> None:
        if self.current is not None:
            self._drop_current()
        self.input.set_state(state["input"])
        self.groups = {k: list(v) for k, v in state["groups"].items()}
        self.end, self.index = state["pos"]
        self.sizes = dict(state["sizes"])
        if state["current"] is not None:
            key, elements, it_state = state["current"]
            self._open(key, elements).set_state(it_state)

    def close(self) -> None:
        if self.current is not None:
            self._drop_current()
        self.input.close()
