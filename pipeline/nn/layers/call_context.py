"""The state one outermost layer call shares with the layers it calls.

Keras 3 resolves a layer's ``training`` argument, in order: the value passed
to that call; else the value an outer layer call resolved; else a non-None
default in the layer's ``call`` signature; else none (inference). The
outermost ``Layer.__call__`` opens a :class:`CallContext`; nested calls on the
same thread share it, so ``model(x, training=True)`` reaches a ``Dropout``
inside a subclassed model that calls it without ``training``.

Masks travel on the tensors themselves (``tensor._keras_mask``); the helpers
here read them from a nested input structure.

Example:
    >>> outer, opened = open_context()
    >>> outer.resolve_training(True, None)
    True
    >>> inner, nested_opened = open_context()
    >>> inner is outer, nested_opened, inner.resolve_training(None, None)
    (True, False, True)
    >>> close_context()
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_local = threading.local()


class CallContext:
    """The ``training`` value resolved so far in one outermost layer call.

    Example:
        >>> CallContext().resolve_training(None, False)
        False
    """

    __slots__ = ("entry", "training")

    def __init__(self) -> None:
        self.training: Any = None
        #: The outermost layer, which clears the losses of the previous call.
        self.entry: Any = None

    def resolve_training(self, passed: Any, signature_default: Any) -> Any:
        """The ``training`` value of one call, stashed for the calls nested in it.

        ``passed`` is the value given to this call (None when not given);
        ``signature_default`` the non-None default of the layer's ``call``.
        """
        if passed is None:
            passed = self.training if self.training is not None else signature_default
        self.training = passed
        return passed


def open_context() -> tuple[CallContext, bool]:
    """The current thread's call context, and whether this call opened it
    (then it must :func:`close_context`).

    Example:
        >>> ctx, opened = open_context()
        >>> opened, open_context() == (ctx, False)
        (True, True)
        >>> close_context()
    """
    current = getattr(_local, "context", None)
    if current is not None:
        return current, False
    current = _local.context = CallContext()
    return current, True


def close_context() -> None:
    """Ends the call context :func:`open_context` opened."""
    _local.context = None


def push_scope(name: str) -> bool:
    """Enters ``name``'s scope unless it is the innermost; True when pushed
    (then :func:`pop_scope` must follow).

    Example:
        >>> push_scope("a"), push_scope("a"), scope_path()
        (True, False, 'a')
        >>> pop_scope()
    """
    stack = _scopes()
    if stack and stack[-1] == name:
        return False
    stack.append(name)
    return True


def pop_scope() -> None:
    """Leaves the innermost scope :func:`push_scope` entered."""
    _scopes().pop()


@contextmanager
def name_scope(name: str) -> Iterator[None]:
    """Opens a layer's name scope (a repeated innermost name is not doubled);
    :func:`push_scope` and :func:`pop_scope` as a ``with`` block.

    Example:
        >>> with name_scope("outer"), name_scope("inner"), name_scope("inner"):
        ...     scope_path()
        'outer/inner'
    """
    pushed = push_scope(name)
    try:
        yield
    finally:
        if pushed:
            pop_scope()


def scope_path() -> str:
    """The open name scopes, joined by ``/`` (``""`` outside any).

    Example:
        >>> scope_path()
        ''
    """
    return "/".join(_scopes())


def _scopes() -> list[str]:
    stack = getattr(_local, "scopes", None)
    if stack is None:
        stack = _local.scopes = []
    return stack


def mask_of(value: Any) -> Any:
    """The mask carried by ``value`` (a tensor or a list/tuple/dict of them).

    Example:
        >>> mask_of(3.0) is None
        True
    """
    if isinstance(value, dict):
        return {k: mask_of(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(mask_of(v) for v in value)
    return getattr(value, "_keras_mask", None)


def flat_masks(masks: Any) -> list[Any]:
    """The leaves of a mask structure from :func:`mask_of`, in order.

    Example:
        >>> flat_masks([None, {"a": None}])
        [None, None]
    """
    if isinstance(masks, dict):
        return [m for v in masks.values() for m in flat_masks(v)]
    if isinstance(masks, list | tuple):
        return [m for v in masks for m in flat_masks(v)]
    return [masks]


def tensor_arguments(named: dict[str, Any]) -> dict[str, Any]:
    """The arguments of a call that hold tensors or arrays (masks excluded).

    Example:
        >>> import numpy as np
        >>> sorted(tensor_arguments({"x": np.ones(2), "axis": 1, "x_mask": None}))
        ['x']
    """
    return {
        name: value
        for name, value in named.items()
        if name != "mask" and not name.endswith("_mask") and _holds_array(value)
    }


def _holds_array(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_holds_array(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_array(v) for v in value)
    return hasattr(value, "shape") and hasattr(value, "dtype")
