"""The ``from_generator`` source: a Python generator typed by a signature.

Each yielded value is converted to the signature's dtypes and checked against
its structure and shapes. A value that does not fit becomes an
`InvalidArgumentError` at its position and the generator goes on (as
tf.data's); an exception raised by the generator itself ends it (a Python
generator cannot resume after raising) and reaches the consumer as an
`InvalidArgumentError` naming it, the original as its cause. The generator
object is released when the iterator ends, fails for good or is closed.

Example:
    >>> from pipeline.types import TensorSpec
    >>> def gen():
    ...     yield from ([1, 2], [3])
    >>> node = GeneratorNode((), gen, TensorSpec((None,), "int64"))
    >>> [v.tolist() for v in IterContext().build(node)]
    [[1, 2], [3]]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.graph.base import UNKNOWN, IterContext, Node, NodeIterator, fn_label
from pipeline.graph.failures import ElementFailure, with_note
from pipeline.graph.structure import (
    flatten,
    flatten_up_to,
    leaf_spec,
    pack,
    to_element,
    to_leaf,
)
from pipeline.types import TensorSpec


@dataclasses.dataclass(frozen=True, eq=False)
class GeneratorNode(Node):
    """``from_generator(generator, output_signature, args)``."""

    generator: Callable[..., Any] | None = None
    output_signature: Any = None
    gen_args: tuple = ()
    op = "from_generator"
    consumable = True

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return GeneratorIterator(self)

    def cardinality(self) -> int:
        return UNKNOWN

    def compute_spec(self) -> Any:
        return self.output_signature

    def args(self) -> dict[str, Any]:
        return {"generator": self.generator, "output_signature": self.output_signature}


class GeneratorIterator(NodeIterator):
    """Restores by re-running the generator and skipping what was consumed."""

    def __init__(self, node: GeneratorNode) -> None:
        super().__init__()
        self.node = node
        self.specs = flatten(node.output_signature)
        self.stage = f"from_generator({fn_label(node.generator)})"
        self.gen: Iterator[Any] | None = None
        self.count = 0
        self.done = False

    def __next__(self) -> Any:
        if self.done:
            raise StopIteration
        if self.gen is None:
            self.gen = iter(self.node.generator(*self.node.gen_args))
        index = self.count
        try:
            value = next(self.gen)
        except StopIteration:
            self._finish()
            raise
        except Exception as e:
            self._finish()  # a generator that raised cannot go on
            return self._failure(_raised_error(e), index)
        self.count += 1
        try:
            return self._convert(value)
        except InvalidArgumentError as e:
            return self._failure(e, index)

    def _failure(self, exc: BaseException, index: int) -> ElementFailure:
        with_note(exc, f"raised in pipeline stage {self.stage} at element {index}")
        return ElementFailure(exc, where={"stage": self.stage, "index": index})

    def _convert(self, value: Any) -> Any:
        sig = self.node.output_signature
        if isinstance(sig, (tuple, dict)):
            if isinstance(value, list) and isinstance(sig, tuple):
                value = tuple(value)
            leaves = _leaves_like(sig, value)
        else:
            leaves = [value]  # one tensor: a yielded tuple or list is its value
        return pack(sig, [_conform(v, s) for v, s in zip(leaves, self.specs)])

    def _finish(self) -> None:
        self.done = True
        self._release()

    def _release(self) -> None:
        gen, self.gen = self.gen, None
        close = getattr(gen, "close", None)
        if close is not None:
            close()

    def close(self) -> None:
        """Release the generator (its ``finally`` blocks run now)."""
        self._release()

    def get_state(self) -> dict[str, Any]:
        return {"count": self.count, "done": self.done}

    def set_state(self, state: dict[str, Any]) -> None:
        self._release()
        self.count, self.done = 0, state["done"]
        if self.done:
            return
        self.gen = iter(self.node.generator(*self.node.gen_args))
        for _ in range(state["count"]):
            next(self.gen)
            self.count += 1


def _raised_error(exc: Exception) -> Exception:
    """What the consumer gets for an exception raised by the generator: as
    tf.data, an `InvalidArgumentError` naming it, caused by it (its traceback
    kept); our own errors as they are."""
    if isinstance(exc, InvalidArgumentError):
        return exc
    err = InvalidArgumentError(f"{type(exc).__name__}: {exc}")
    err.__cause__ = exc
    return err


def _leaves_like(sig: Any, value: Any) -> list[Any]:
    """``value``'s leaves in ``sig``'s order; `InvalidArgumentError` when its
    structure differs from ``sig``'s."""
    try:  # down to the signature's leaves only: a tuple there is a value
        same = _same_shape_of(sig, value)
        leaves = flatten_up_to(sig, value) if same else []
    except (TypeError, ValueError, KeyError):
        same = False
    if not same:
        raise InvalidArgumentError(
            f"`generator` yielded an element that did not match the expected "
            f"structure. The expected structure was {_spec_text(sig)}, but the "
            f"yielded element was {value!r}."
        )
    return leaves


def _same_shape_of(sig: Any, value: Any) -> bool:
    if isinstance(sig, dict):
        return isinstance(value, dict) and sorted(sig) == sorted(value)
    if isinstance(sig, tuple):
        return (
            isinstance(value, tuple)
            and len(value) == len(sig)
            and all(_same_shape_of(s, v) for s, v in zip(sig, value))
        )
    return True


def _spec_text(sig: Any) -> str:
    if isinstance(sig, dict):
        return "{" + ", ".join(f"{k!r}: {_spec_text(v)}" for k, v in sig.items()) + "}"
    if isinstance(sig, tuple):
        return "(" + ", ".join(_spec_text(s) for s in sig) + ")"
    return repr(sig)


def _conform(value: Any, spec: TensorSpec) -> Any:
    """``value`` as a leaf of ``spec``'s dtype. As TF's, the conversion keeps
    the kind: ints widen or narrow to ints (300 in int8 wraps), ints and
    floats to floats, strings to bytes; a float is never an int, an int never
    a bool or a string."""
    try:
        arr = np.asarray(value)
        if arr.size == 0:  # an empty list has no kind of its own
            arr = arr.astype(spec.dtype)
        if spec.dtype == object:
            ok = arr.dtype.kind in "SU" or (
                arr.dtype.kind == "O"
                and all(isinstance(v, (bytes, str)) for v in arr.ravel())
            )
            leaf = to_leaf(arr if arr.size == 0 else value) if ok else None
        elif arr.dtype.kind in "biufc" and np.can_cast(
            arr.dtype, spec.dtype, casting="same_kind"
        ):
            leaf = to_leaf(arr.astype(spec.dtype))
        else:
            leaf = None
    except (TypeError, ValueError, OverflowError):
        leaf = None
    if leaf is None:
        raise InvalidArgumentError(
            f"TypeError: `generator` yielded an element that could not be "
            f"converted to the expected type. The expected type was "
            f"{np.dtype(spec.dtype).name}, but the yielded element was {value!r}."
        )
    shape = leaf_spec(leaf).shape
    want = spec.shape
    if want is not None and (
        len(shape) != len(want) or any(w not in (None, g) for w, g in zip(want, shape))
    ):
        raise InvalidArgumentError(
            f"`generator` yielded an element of shape {shape} where an element "
            f"of shape {tuple(want)} was expected."
        )
    return leaf


def generator_node(
    generator: Any,
    output_types: Any = None,
    output_shapes: Any = None,
    args: Any = None,
    output_signature: Any = None,
) -> GeneratorNode:
    """The `GeneratorNode` of ``Dataset.from_generator``, with TF's checks.

    Raises:
        TypeError: ``generator`` is not callable, both or neither of
            ``output_signature`` and ``output_types`` are given, the signature
            holds something that is not a spec, or ``args`` is not a sequence.
        ValueError: ``output_shapes`` does not have ``output_types``' structure.

    Example:
        >>> generator_node(lambda: iter([1]), output_types=np.int64).output_signature
        TensorSpec(shape=None, dtype=int64, name=None)
    """
    if not callable(generator):
        raise TypeError("`generator` must be a Python callable.")
    if output_signature is not None:
        if output_types is not None:
            raise TypeError(
                "The `output_types` argument can not be used together with the "
                "`output_signature` argument."
            )
        _check_specs(output_signature)
    elif output_types is None:
        raise TypeError(
            "To specify the output signature you need to provide either the "
            "`output_signature` argument or the `output_types` argument."
        )
    else:
        output_signature = _legacy_signature(output_types, output_shapes)
    if args is not None and not isinstance(args, (tuple, list)):
        raise TypeError("`args` must be a sequence: values must be a sequence.")
    gen_args = tuple(to_element(a) for a in (args or ()))
    return GeneratorNode((), generator, output_signature, gen_args)


def _check_specs(signature: Any) -> None:
    for spec in flatten(signature):
        if (
            not hasattr(spec, "shape")
            or not hasattr(spec, "dtype")
            or (isinstance(spec, type) or isinstance(spec, np.dtype))
        ):
            raise TypeError(
                "`output_signature` must contain objects that are subclass of "
                f"`tf.TypeSpec` but found {type(spec)} which is not."
            )


def _legacy_signature(types: Any, shapes: Any) -> Any:
    flat_types = flatten(types)
    if shapes is None:
        flat_shapes: list[Any] = [None] * len(flat_types)
    else:
        if not _shapes_fit(types, shapes):
            raise ValueError(
                "The two structures don't have the same sequence length: "
                f"`output_shapes` {shapes!r} does not match `output_types` {types!r}."
            )
        flat_shapes = flatten_up_to(types, shapes)
    return pack(types, [TensorSpec(s, t) for t, s in zip(flat_types, flat_shapes)])


def _shapes_fit(types: Any, shapes: Any) -> bool:
    if isinstance(types, dict):
        return (
            isinstance(shapes, dict)
            and sorted(types) == sorted(shapes)
            and all(_shapes_fit(types[k], shapes[k]) for k in types)
        )
    if isinstance(types, tuple):
        return (
            isinstance(shapes, (tuple, list))
            and len(shapes) == len(types)
            and all(_shapes_fit(t, s) for t, s in zip(types, shapes))
        )
    return True
