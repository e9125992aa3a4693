"""``scan``: a running state threaded through the elements.

``scan_func(state, element)`` returns ``(new_state, output)``; the node yields
the outputs. As tf.data, the state's spec is found by a fixed point before
the run: the function is called on stand-in values (zeros of the state's and
the element's spec, never on real data) and every state dimension that
changes becomes unknown, until the spec stops changing. The function must
return a pair, and the new state keeps the initial state's structure and
dtypes (`TypeError` otherwise). When the function fails on stand-ins (it
needs real values), the spec comes from its output for the first real
element, which the run then uses instead of calling it again.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> node = ScanNode((RangeNode((), 1, 5, 1),), np.int64(0),
    ...                 lambda s, x: (s + x, s + x))
    >>> [int(v) for v in IterContext().build(node)]
    [1, 3, 6, 10]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.graph.base import (
    IterContext,
    Node,
    NodeIterator,
    failure_of,
    sample_output,
    zeros_like_spec,
)
from pipeline.graph.failures import ElementFailure
from pipeline.graph.memo import node_memo, probing
from pipeline.graph.structure import (
    LEAF_TYPES,
    flatten,
    map_structure,
    merge_specs,
    same_structure,
    spec_of,
    to_element,
    to_input_structure,
    to_leaf,
)
from pipeline.types import TensorSpec

_MAX_RELAXATIONS = 16


def scan_step(fn: Callable[..., Any], state: Any, elem: Any) -> tuple[Any, Any]:
    """One call of ``fn``: ``(new_state, output)`` normalized into elements.

    Example:
        >>> scan_step(lambda s, x: ((s[1], s[0] + s[1]), s[1]), (0, 1), 9)
        ((np.int32(1), np.int32(1)), np.int32(1))
    """
    return _pair(fn(state, elem))


def _pair(out: Any) -> tuple[Any, Any]:
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise TypeError(
            "`scan_func` should return a pair consisting of new state and the "
            f"output value; got {type(out).__name__}."
        )
    return as_value(out[0]), as_value(out[1])


def as_value(value: Any) -> Any:
    """A state or output as an element, as tf.data converts it: tuples and
    dicts are structures, a list is one tensor (numpy items keep their dtype).

    Example:
        >>> as_value(([np.int64(1), np.int64(2)], [0, 1]))
        (array([1, 2]), array([0, 1], dtype=int32))
    """
    kind = type(value)
    if kind in LEAF_TYPES or (kind is np.ndarray and value.dtype.kind not in "OUS"):
        return value
    if isinstance(value, tuple):
        items = [as_value(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        return type(value)((k, as_value(v)) for k, v in value.items())
    if isinstance(value, list) and value and all(_numpy(v) for v in value):
        return to_leaf(np.asarray(value))
    return to_element(to_input_structure(value))


def _numpy(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value) and all(_numpy(v) for v in value)
    return isinstance(value, (np.generic, np.ndarray)) and value.dtype.kind != "O"


def _relax(old: Any, new: Any) -> Any:
    if not same_structure(old, new) or len(flatten(old)) != len(flatten(new)):
        raise TypeError(
            "The element structure for the new state must match the initial "
            f"state; expected {old}, got {new}."
        )
    for a, b in zip(flatten(old), flatten(new)):
        if a.dtype != b.dtype:
            raise TypeError(
                "The element types for the new state must match the initial "
                f"state; expected {a.dtype}, got {b.dtype}."
            )
    return map_structure(merge_specs, old, new)


class StandInError(Exception):
    """``scan_func`` failed on stand-in values (the spec then comes from data)."""


def scan_specs(
    fn: Callable[..., Any], state_spec: Any, elem_spec: Any
) -> tuple[Any, Any]:
    """``(state spec, output spec)`` of a scan, by relaxing to a fixed point.

    Example:
        >>> s = TensorSpec((1,), np.int32)
        >>> grow = lambda st, x: (np.concatenate([st, st]), st)
        >>> scan_specs(grow, s, TensorSpec((), np.int64))[0].shape
        (None,)
    """
    outputs = None
    for _ in range(_MAX_RELAXATIONS):
        new_state, outputs = _trial(fn, state_spec, elem_spec, outputs)
        relaxed = _relax(state_spec, new_state)
        if relaxed == state_spec:
            break
        state_spec = relaxed
    return state_spec, outputs


def _trial(fn: Callable[..., Any], state_spec: Any, elem_spec: Any, prev: Any) -> Any:
    """Call ``fn`` on stand-ins where unknown dims are 1, then 2: a dim of
    the output that differs between the two is unknown."""
    specs = []
    for size in (1, 2):
        state = _stand_in(state_spec, size)
        try:
            result = fn(state, zeros_like_spec(elem_spec))
        except Exception as e:
            raise StandInError(e) from e
        new_state, out = _pair(result)
        specs.append((spec_of(new_state), spec_of(out)))
    (s1, o1), (s2, o2) = specs
    new_state = map_structure(merge_specs, s1, s2) if same_structure(s1, s2) else s1
    out = map_structure(merge_specs, o1, o2) if same_structure(o1, o2) else o1
    if prev is not None and same_structure(prev, out):
        out = map_structure(merge_specs, prev, out)
    return new_state, out


def _stand_in(spec: Any, size: int) -> Any:
    """Zeros of ``spec``: unknown dims of ``size``, unknown rank as rank size-1."""

    def leaf(s: TensorSpec) -> Any:
        shape = (size,) * (size - 1) if s.shape is None else s.shape
        return zeros_like_spec(
            TensorSpec(tuple(size if d is None else d for d in shape), s.dtype)
        )

    from pipeline.graph.structure import pack

    return pack(spec, [leaf(s) for s in flatten(spec)])


@dataclasses.dataclass(frozen=True, eq=False)
class ScanNode(Node):
    """``scan(initial_state, scan_func)``."""

    initial_state: Any = dataclasses.field(repr=False, default=None)
    fn: Callable[..., Any] | None = None
    op = "scan"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return ScanIterator(ctx.build(self.parents[0]), self)

    def replace(self, **changes: Any) -> Node:
        """A copy (the optimizer's rewrite) sharing the kept first output."""
        out = super().replace(**changes)
        out.__dict__["_memo"] = node_memo(self)
        return out

    def compute_spec(self) -> Any:
        elem_spec = self.parents[0].element_spec()
        try:
            return scan_specs(self.fn, spec_of(self.initial_state), elem_spec)[1]
        except StandInError:
            pass
        memo = node_memo(self)

        def first(elem: Any) -> Any:  # kept: the run does not call fn again
            result = scan_step(self.fn, self.initial_state, elem)
            memo.put(elem, result)
            return result[1]

        try:  # the function needs real values: the first output's spec
            with probing():
                out = sample_output(self, first)
        except Exception:
            return None
        return None if out is None else spec_of(out)


class ScanIterator(NodeIterator):
    def __init__(self, parent: NodeIterator, node: ScanNode) -> None:
        super().__init__(parent)
        self.parent, self.fn, self.stage = parent, node.fn, str(node)
        self.state, self.index = node.initial_state, 0
        self.memo = node_memo(node)

    def __next__(self) -> Any:
        elem = next(self.parent)
        index, self.index = self.index, self.index + 1
        if isinstance(elem, ElementFailure):
            return elem
        if index == 0 and self.memo.entries:
            hit, result = self.memo.take(elem)
            if hit:
                self.state, out = result
                return out
        try:
            self.state, out = scan_step(self.fn, self.state, elem)
        except StopIteration as e:
            error = InvalidArgumentError(f"`scan_func` raised StopIteration: {e!r}")
            return failure_of(error, self.stage, index)
        except Exception as e:
            return failure_of(e, self.stage, index)
        return out

    def get_state(self) -> dict[str, Any]:
        return {**super().get_state(), "state": self.state, "index": self.index}

    def set_state(self, state: dict[str, Any]) -> None:
        super().set_state(state)
        self.state, self.index = state["state"], state["index"]
