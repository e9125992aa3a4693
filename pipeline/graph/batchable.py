"""`batchable`: whether a map function may run once over a whole batch.

The optimizer moves ``map(f) -> batch(n)`` to ``batch(n) -> map(f)`` under
``batch_mode()`` only when reading ``f``'s code (never calling it: a user
function runs once per element) shows that the batch-mode result is the
per-element results stacked:

- ``f`` is a parser that handles batches itself (its own code calls
  ``note_vectorizable_call``), or a ``functools.partial`` of one;
- ``f`` chains such functions (``parts``, as fused maps have);
- ``f``'s code calls at least one such parser and otherwise only picks and
  arranges values: names, constants, subscripts, tuples, lists, dicts, the
  builtins ``dict``/``zip``/``list``/``tuple`` and the dict methods ``pop``,
  ``get``, ``items``, ``keys``, ``values``, ``copy``, ``update``. Arithmetic,
  comparisons, loops, nested functions and any other call keep the map
  element-wise.

Example:
    >>> from pipeline.io.vectorized import note_vectorizable_call
    >>> def parse(x):
    ...     note_vectorizable_call("parse")
    ...     return x
    >>> batchable(parse), batchable(lambda r: {"x": parse(r)}["x"])
    (True, True)
    >>> batchable(lambda r: parse(r) * 2), batchable(abs)
    (False, False)
"""

from __future__ import annotations

import builtins
import dis
import functools
import inspect
import types
from typing import Any

_MARK = "note_vectorizable_call"
_SAFE_BUILTINS = (dict, zip, list, tuple)
_SAFE_METHODS = {"pop", "get", "items", "keys", "values", "copy", "update"}
_LOADS = {"LOAD_GLOBAL", "LOAD_DEREF", "LOAD_ATTR", "LOAD_METHOD"}
_CALLS = {"CALL", "CALL_KW", "CALL_FUNCTION", "CALL_METHOD", "CALL_FUNCTION_KW"}
_PLAIN_OPS = {
    "RESUME", "NOP", "CACHE", "EXTENDED_ARG", "PUSH_NULL", "PRECALL", "KW_NAMES",
    "COPY_FREE_VARS", "MAKE_CELL", "LOAD_FAST", "LOAD_FAST_CHECK",
    "LOAD_FAST_LOAD_FAST", "LOAD_FAST_BORROW", "LOAD_FAST_BORROW_LOAD_FAST_BORROW",
    "LOAD_CONST", "LOAD_SMALL_INT", "STORE_FAST", "STORE_FAST_STORE_FAST",
    "STORE_FAST_LOAD_FAST", "POP_TOP", "COPY", "SWAP", "RETURN_VALUE",
    "RETURN_CONST", "BUILD_TUPLE", "BUILD_LIST", "BUILD_MAP",
    "BUILD_CONST_KEY_MAP", "UNPACK_SEQUENCE", "BINARY_SUBSCR", "STORE_SUBSCR",
    "DELETE_SUBSCR", "MAP_ADD", "DICT_UPDATE", "LIST_APPEND",
}  # fmt: skip


def is_parser(fn: Any) -> bool:
    """Whether ``fn`` (or the function a partial wraps) marks itself as a
    parser that takes whole batches under ``batch_mode()``.

    Example:
        >>> is_parser(len)
        False
    """
    while isinstance(fn, (functools.partial, staticmethod)):
        fn = fn.func if isinstance(fn, functools.partial) else fn.__func__
    code = getattr(fn, "__code__", None)
    return code is not None and _MARK in code.co_names


def batchable(fn: Any) -> bool:
    """Whether ``fn`` may run once over a batch (see the module docstring).

    Example:
        >>> batchable(lambda x: x)
        False
    """
    if is_parser(fn):
        return True
    parts = getattr(fn, "parts", None)
    if parts is not None:
        return all(batchable(p) or _arranges(p) for p in parts) and any(
            batchable(p) for p in parts
        )
    return _calls_only_parsers(fn)


def _arranges(fn: Any) -> bool:
    """Whether ``fn`` only picks and arranges values (no parser needed)."""
    return _scan(fn) is not None


def _calls_only_parsers(fn: Any) -> bool:
    found = _scan(fn)
    return found is not None and found > 0


def _scan(fn: Any) -> int | None:
    """The number of parsers ``fn``'s code loads, or None when it does
    anything but call parsers and arrange values."""
    code = getattr(fn, "__code__", None)
    if not isinstance(code, types.CodeType) or code.co_flags & 0x20:  # generator
        return None
    cells = _cells(fn)
    parsers = allowed = calls = 0
    obj: Any = None
    for ins in dis.get_instructions(code):
        op = ins.opname
        if op in _LOADS:
            obj = _resolve(op, ins.argval, obj, fn, cells)
            if obj is _REJECT:
                return None
            parsers += is_parser(obj)
            allowed += is_parser(obj) or _safe_callable(op, ins.argval, obj)
            continue
        obj = None
        if op in _CALLS:
            calls += 1
        elif op not in _PLAIN_OPS:
            return None
    return parsers if calls <= allowed else None


_REJECT = object()


def _resolve(op: str, name: str, obj: Any, fn: Any, cells: dict[str, Any]) -> Any:
    if op == "LOAD_GLOBAL":
        scope = getattr(fn, "__globals__", {})
        return scope[name] if name in scope else getattr(builtins, name, None)
    if op == "LOAD_DEREF":
        return cells.get(name)
    if obj is not None:  # pl.io.decode_csv, lib.decode_csv: read, run nothing
        return inspect.getattr_static(obj, name, None)
    return None if name in _SAFE_METHODS else _REJECT  # x.T, x.sum(): not safe


def _safe_callable(op: str, name: str, obj: Any) -> bool:
    if op in ("LOAD_ATTR", "LOAD_METHOD") and obj is None:
        return name in _SAFE_METHODS
    return any(obj is b for b in _SAFE_BUILTINS)


def _cells(fn: Any) -> dict[str, Any]:
    code, closure = fn.__code__, getattr(fn, "__closure__", None) or ()
    out = {}
    for name, cell in zip(code.co_freevars, closure):
        try:
            out[name] = cell.cell_contents
        except ValueError:  # an empty cell
            out[name] = None
    return out


__all__ = ["batchable", "is_parser"]
