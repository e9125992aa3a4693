"""Graph nodes, node iterators and the iteration context.

A `Node` is immutable: its parents sit in a tuple, its arguments in dataclass
fields. ``node.make_iterator(ctx)`` gives the sequential reference iterator;
it builds its parents' iterators through ``ctx.build(parent)``, so the
executor can substitute threaded iterators for some nodes. Iterators yield
elements or `ElementFailure` values and support ``get_state``/``set_state``.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> it = IterContext().build(RangeNode((), 0, 3, 1))
    >>> next(it), it.get_state()
    (np.int64(0), {'next': 1})
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from pipeline import seeding
from pipeline.graph.failures import ElementFailure, with_note
from pipeline.graph.structure import LEAF_TYPES, to_element

INFINITE = -1
UNKNOWN = -2
AUTOTUNE = -1


@dataclasses.dataclass(frozen=True, eq=False)
class Node:
    """Base class of graph nodes.

    Subclasses are frozen dataclasses with ``parents`` first; they set ``op``
    (the tf.data word), and override ``make_iterator``, ``cardinality`` and,
    when the element changes, ``compute_spec``.

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> str(RangeNode((), 0, 5, 1))
        'range(start=0, stop=5, step=1)'
    """

    parents: tuple[Node, ...]
    op: ClassVar[str] = "node"
    #: Whether the node only drops, reorders or repeats its input's elements.
    passes_elements: ClassVar[bool] = False
    #: Whether reading a sample would use up input (a generator): samples
    #: then come from the element spec instead.
    consumable: ClassVar[bool] = False

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        """The sequential iterator of this node."""
        raise NotImplementedError

    def cardinality(self) -> int:
        """Number of elements, or `INFINITE` / `UNKNOWN`."""
        return self.parents[0].cardinality()

    def element_spec(self) -> Any:
        """The `TensorSpec` structure of the elements (computed once)."""
        cached = self.__dict__.get("_spec_cache")
        if cached is None:
            cached = (self.compute_spec(),)
            object.__setattr__(self, "_spec_cache", cached)
        return cached[0]

    def compute_spec(self) -> Any:
        """Compute the element spec; default: the parent's."""
        return self.parents[0].element_spec()

    def args(self) -> dict[str, Any]:
        """The arguments shown by ``str(node)``."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name != "parents" and f.repr
        }

    def __str__(self) -> str:
        parts = ", ".join(f"{k}={_show(v)}" for k, v in self.args().items())
        return f"{self.op}({parts})"

    __repr__ = __str__

    def replace(self, **changes: Any) -> Node:
        """A copy with some fields changed (nodes are immutable).

        Example:
            >>> from pipeline.graph.sources import RangeNode
            >>> str(RangeNode((), 0, 5, 1).replace(stop=9))
            'range(start=0, stop=9, step=1)'
        """
        return dataclasses.replace(self, **changes)


def _show(value: Any) -> str:
    if callable(value) and not isinstance(value, type):
        return fn_label(value)
    return repr(value)


def fn_label(fn: Callable[..., Any]) -> str:
    """``name @ file:line`` of a user function.

    Example:
        >>> fn_label(fn_label).startswith("fn_label @ base.py:")
        True
    """
    while isinstance(fn, functools.partial):
        fn = fn.func
    label = getattr(fn, "_pipeline_label", None)
    if label:
        return label
    name = getattr(fn, "__qualname__", None) or type(fn).__name__
    code = getattr(fn, "__code__", None)
    if code is None:
        return name
    return f"{name} @ {os.path.basename(code.co_filename)}:{code.co_firstlineno}"


def call_fn(fn: Callable[..., Any], element: Any, *extra: Any) -> Any:
    """Call ``fn`` on an element as tf.data does: a tuple is unpacked.

    Example:
        >>> call_fn(lambda a, b: a + b, (1, 2)), call_fn(len, {"a": 1})
        (3, 1)
    """
    if type(element) is tuple:
        return fn(*element, *extra)
    return fn(element, *extra)


def guarded(stage: str, index: int, thunk: Callable[[], Any]) -> Any:
    """Run ``thunk``; an exception becomes an `ElementFailure` with a note.

    Example:
        >>> guarded("map(f)", 3, lambda: 1 / 0).where
        {'stage': 'map(f)', 'index': 3}
    """
    try:
        return thunk()
    except Exception as e:
        return failure_of(e, stage, index)


def failure_of(exc: Exception, stage: str, index: int) -> ElementFailure:
    """An `ElementFailure` for ``exc``, noted with the stage and element index.

    Example:
        >>> failure_of(ValueError("x"), "map(f)", 2).exception.__notes__
        ['raised in pipeline stage map(f) at element index 2']
    """
    with_note(exc, f"raised in pipeline stage {stage} at element index {index}")
    return ElementFailure(exc, where={"stage": stage, "index": index})


#: Turns a node into a user-facing Dataset; set by ``pipeline.data``.
_dataset_wrapper: list[Callable[[Node], Any]] = []


def wrap_dataset(node: Node) -> Any:
    """The public Dataset over ``node`` (the node itself before data is imported).

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> kind = type(wrap_dataset(RangeNode((), 0, 1, 1))).__name__
        >>> kind in ("Dataset", "RangeNode")
        True
    """
    return _dataset_wrapper[0](node) if _dataset_wrapper else node


def node_of(value: Any, what: str) -> Node:
    """The graph node of a Dataset returned by a user function.

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> node = RangeNode((), 0, 1, 1)
        >>> node_of(node, "fn") is node
        True
    """
    node = value if isinstance(value, Node) else getattr(value, "_node", None)
    if not isinstance(node, Node):
        raise TypeError(f"`{what}` must return a Dataset; got {type(value).__name__}.")
    return node


def apply_fn(fn: Callable[..., Any], element: Any, *extra: Any) -> Any:
    """Call ``fn`` on ``element`` and normalize its result into an element.

    Example:
        >>> apply_fn(lambda x: [x, 2.0], 1)
        (np.int32(1), np.float32(2.0))
    """
    out = fn(*element, *extra) if type(element) is tuple else fn(element, *extra)
    return out if type(out) in LEAF_TYPES else to_element(out)


class NodeIterator:
    """Base class of node iterators.

    Override ``__next__`` (return an element or an `ElementFailure`, raise
    StopIteration at the end), ``get_state`` and ``set_state``; ``close``
    closes the children passed as ``parents``.

    Example:
        >>> class Empty(NodeIterator):
        ...     def __next__(self):
        ...         raise StopIteration
        >>> list(Empty())
        []
    """

    def __init__(self, *parents: NodeIterator) -> None:
        self.parents = parents

    def __iter__(self) -> NodeIterator:
        return self

    def __next__(self) -> Any:
        raise NotImplementedError

    def next_many(self, limit: int) -> list[Any]:
        """The next elements, at most ``limit`` (>= 1): a run of elements, or
        one `ElementFailure` alone; StopIteration at the end.

        The same elements, in the same order, as calls of ``next``; iterators
        whose elements sit in blocks override it to hand out many at once.
        """
        return [next(self)]

    def get_state(self) -> dict[str, Any]:
        """The state needed to resume after the last element returned."""
        return {"parents": [p.get_state() for p in self.parents]}

    def set_state(self, state: dict[str, Any]) -> None:
        """Resume from a state returned by ``get_state``."""
        for p, s in zip(self.parents, state["parents"]):
            p.set_state(s)

    def close(self) -> None:
        """Stop any background work of this iterator and its parents."""
        for p in self.parents:
            p.close()


class IterContext:
    """What iterators need from the run: root seed, epoch path, builders.

    ``build(node)`` makes a node's iterator; the executor overrides it to use
    threaded iterators. ``epoch`` is the tuple of enclosing repeat counters.

    Args:
        seed: root seed of the run (random stages without a seed derive theirs).
        epoch: enclosing repeat counters.
        run: how many iterators over the dataset were made before this one.

    Example:
        >>> IterContext(seed=7).child(epoch=(1,)).epoch
        (1,)
    """

    def __init__(
        self, seed: int = 0, epoch: tuple[int, ...] = (), run: int = 0
    ) -> None:
        self.seed = seed
        self.epoch = epoch
        self.run = run
        self.ordinals: dict[int, int] = {}

    def build(self, node: Node) -> NodeIterator:
        """The iterator of ``node`` in this context."""
        return node.make_iterator(self)

    def child(self, epoch: tuple[int, ...]) -> IterContext:
        """The same context for another epoch path."""
        other = object.__new__(type(self))
        other.__dict__.update(self.__dict__)
        other.epoch = epoch
        return other

    def node_seed(self, node: Node, seed: int | None) -> int:
        """``seed`` when given, else one derived from the root seed and node.

        Nodes are numbered in the order the run builds them, which follows the
        graph's structure; ids only tell apart nodes alive together (a graph
        holds its nodes for the whole run). Datasets that a function makes
        (flat_map, interleave) get their own numbering through ``nested``.
        """
        if seed is not None:  # as TF, a global seed, when set, goes with it
            base = seeding.global_seed()
            return int(seed) if base is None else _mix(base, int(seed))
        key = id(node)
        if key not in self.ordinals:
            self.ordinals[key] = len(self.ordinals) + 1
        return _mix(self.seed, self.ordinals[key])

    def nested(self, owner: Node, index: int) -> IterContext:
        """The context of the dataset ``owner``'s function made from its input
        element number ``index``.

        Its unseeded random stages derive their seeds from ``owner``'s seed and
        ``index``, a stable path: two inner datasets never share one because
        Python reused an object id, and a restored iterator gets the same seeds.

        Example:
            >>> from pipeline.graph.sources import RangeNode
            >>> ctx, owner = IterContext(seed=3), RangeNode((), 0, 1, 1)
            >>> ctx.nested(owner, 0).seed == ctx.nested(owner, 0).seed
            True
            >>> ctx.nested(owner, 0).seed != ctx.nested(owner, 1).seed
            True
        """
        other = object.__new__(type(self))
        other.__dict__.update(self.__dict__)
        other.seed = _mix(self.node_seed(owner, None), index + 1)
        other.ordinals = {}
        return other


def _mix(seed: int, ordinal: int) -> int:
    """A seed for item ``ordinal`` under ``seed`` (splitmix64's finalizer)."""
    z = (seed * 1_000_003 + ordinal * 0x9E3779B97F4A7C15) % (2**64)
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % (2**64)
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % (2**64)
    return (z ^ (z >> 31)) % (2**63)


def sample_input(node: Node) -> Any:
    """A sample of ``node``'s input elements: the first element of its nearest
    ancestor past the nodes that only drop, reorder or repeat (cheap: no
    shuffle buffer to fill). None when empty.

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> from pipeline.graph.shuffling import ShuffleNode
        >>> sample_input(ShuffleNode((RangeNode((), 3, 9, 1),), buffer_size=100))
        np.int64(3)
    """
    sample = _sample_node(node)
    if sample.consumable:
        return zeros_like_spec(sample.element_spec())
    return first_element(sample)


def _sample_node(node: Node) -> Node:
    sample = node.parents[0]
    while sample.passes_elements:
        sample = sample.parents[0]
    return sample


def sample_output(node: Node, apply: Callable[[Any], Any]) -> Any:
    """``apply`` on a sample input of ``node`` (see `sample_input`); for a
    generator input, on a stand-in first and on the real first element only
    when the stand-in fails. None when the input is empty.

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> from pipeline.graph.slicing import TakeNode
        >>> node = TakeNode((RangeNode((), 2, 5, 1),), count=1)
        >>> sample_output(node, lambda x: x * 10)
        np.int64(20)
    """
    sample = _sample_node(node)
    if sample.consumable:
        try:
            return apply(zeros_like_spec(sample.element_spec()))
        except Exception:
            pass
    elem = first_element(sample)
    if elem is None and hasattr(sample, "stand_in"):
        elem = sample.stand_in()  # e.g. a window of empty datasets
    return None if elem is None else apply(elem)


def zeros_like_spec(spec: Any) -> Any:
    """A stand-in element for ``spec``: zeros, ``b""``, unknown dims of size 1.

    Example:
        >>> from pipeline.types import TensorSpec
        >>> zeros_like_spec((TensorSpec((), "int64"), TensorSpec((None, 2), object)))
        (np.int64(0), array([[b'', b'']], dtype=object))
    """
    from pipeline.graph.structure import flatten, pack

    def leaf(s: Any) -> Any:
        shape = tuple(1 if d is None else d for d in (s.shape or ()))
        fill = b"" if s.dtype.kind == "O" else 0
        arr = np.full(shape, fill, dtype=s.dtype)
        return arr[()] if not shape else arr

    return pack(spec, [leaf(s) for s in flatten(spec)])


def first_element(node: Node) -> Any:
    """The first element of ``node`` (sequentially), or None when it is empty.

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> first_element(RangeNode((), 4, 9, 1))
        np.int64(4)
    """
    it = IterContext().build(node)
    try:
        elem = next(it, None)
    finally:
        it.close()
    if isinstance(elem, ElementFailure):
        raise elem.exception
    return elem
