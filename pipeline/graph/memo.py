"""`SampleMemo`: outputs of a map function computed for an element spec.

Working out a map's ``element_spec`` calls its function on a sample input
element. So that the function still runs once per element, each such output
is kept with its input; the run that meets an equal element first uses the
kept output instead of calling the function again. While a spec is worked
out (`probing`), upstream maps keep their outputs too.

Example:
    >>> memo = SampleMemo()
    >>> with probing():
    ...     int(memo_apply(memo, lambda x: x + 1, 1))
    2
    >>> memo.take(1)[0], memo.take(1)
    (True, (False, None))
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
import types
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from pipeline.graph.structure import LEAF_TYPES, flatten, same_structure, to_element
from pipeline.types import SparseTensor

#: Kept outputs per map, and elements compared before the rest is dropped.
_MAX_ENTRIES = 32
_MAX_MISSES = 256

_PROBING: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "pipeline_spec_probing", default=False
)
_probing_get = _PROBING.get


@contextlib.contextmanager
def probing() -> Iterator[None]:
    """Map outputs computed in the body are kept for the real run.

    Example:
        >>> with probing():
        ...     is_probing()
        True
    """
    token = _PROBING.set(True)
    try:
        yield
    finally:
        _PROBING.reset(token)


def is_probing() -> bool:
    """Whether an element spec is being worked out in this thread.

    Example:
        >>> is_probing()
        False
    """
    return _PROBING.get()


class SampleMemo:
    """``(input, output)`` pairs of a map function, each used once.

    Example:
        >>> memo = SampleMemo()
        >>> memo.put(3, 30); memo.take(4), memo.take(3)
        ((False, None), (True, 30))
    """

    def __init__(self) -> None:
        self.entries: list[tuple[Any, Any]] = []
        self.misses = 0
        self.lock = threading.Lock()

    def put(self, elem: Any, out: Any) -> None:
        """Keep ``out``, the function's output for ``elem``."""
        with self.lock:
            if len(self.entries) < _MAX_ENTRIES:
                self.entries.append((elem, out))

    def take(self, elem: Any) -> tuple[bool, Any]:
        """``(True, output)`` kept for an element equal to ``elem`` (then
        forgotten), else ``(False, None)``."""
        with self.lock:
            for i, (kept, out) in enumerate(self.entries):
                if results_equal(kept, elem):
                    del self.entries[i]
                    return True, out
            self.misses += 1
            if self.misses > _MAX_MISSES:  # the sampled elements never came
                self.entries.clear()
            return False, None


def node_memo(node: Any) -> SampleMemo:
    """The `SampleMemo` of a graph node (made on first use; a node is
    immutable, its memo is a cache of its function's outputs).

    Example:
        >>> class N: pass
        >>> n = N(); node_memo(n) is node_memo(n)
        True
    """
    memo = node.__dict__.get("_memo")
    if memo is None:
        memo = node.__dict__.setdefault("_memo", SampleMemo())
    return memo


def memo_apply(memo: SampleMemo | None, fn: Callable[..., Any], elem: Any) -> Any:
    """``apply_fn(fn, elem)``, or the output kept in ``memo`` for ``elem``;
    while `probing`, the output is kept.

    Example:
        >>> int(memo_apply(None, abs, -2))
        2
    """
    if memo is not None and memo.entries:
        hit, out = memo.take(elem)
        if hit:
            return out
    out = fn(*elem) if type(elem) is tuple else fn(elem)  # tf.data's convention
    if type(out) not in LEAF_TYPES:
        out = map_output(out)
    if memo is not None and _probing_get():
        memo.put(elem, out)
    return out


def map_output(out: Any) -> Any:
    """A map function's return value as an element.

    Raises:
        TypeError: a leaf is a class, a function or a module (TF's message).

    Example:
        >>> map_output([1, 2.0])
        (np.int32(1), np.float32(2.0))
        >>> try:
        ...     map_output(int)
        ... except TypeError as e:
        ...     print(str(e).split(":")[0])
        Unsupported return value from function passed to Dataset.map()
    """
    if type(out) in LEAF_TYPES:
        return out
    try:
        return to_element(out)
    except (TypeError, ValueError) as e:
        leaves = flatten(out) if isinstance(out, (tuple, list, dict)) else [out]
        for leaf in leaves:
            if isinstance(leaf, (type, types.FunctionType, types.ModuleType)):
                raise TypeError(
                    "Unsupported return value from function passed to "
                    f"Dataset.map(): {leaf!r}."
                ) from e
        raise


def results_equal(a: Any, b: Any) -> bool:
    """Whether two element structures hold equal leaves (dtype, shape, NaN-aware).

    Example:
        >>> nan = np.array([1.0, np.nan])
        >>> results_equal({"x": nan}, {"x": nan.copy()})
        True
        >>> results_equal(np.array([1], np.int32), np.array([1], np.int64))
        False
    """
    if a is b:
        return True
    if not same_structure(a, b):
        return False
    return all(_leaf_equal(x, y) for x, y in zip(flatten(a), flatten(b)))


_ARRAY_LIKE = (np.ndarray, np.generic, bytes, str, int, float, complex)


def _leaf_equal(x: Any, y: Any) -> bool:
    if isinstance(x, SparseTensor) or isinstance(y, SparseTensor):
        return (
            isinstance(x, SparseTensor)
            and isinstance(y, SparseTensor)
            and x.values.dtype == y.values.dtype
            and x == y
        )
    if not (isinstance(x, _ARRAY_LIKE) and isinstance(y, _ARRAY_LIKE)):
        return x is y  # a dataset, None, a ragged value: the same object only
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype != y.dtype or x.shape != y.shape:
        return False
    if x.dtype.kind in "fc":
        return bool(np.array_equal(x, y, equal_nan=True))
    return bool(np.array_equal(x, y))
