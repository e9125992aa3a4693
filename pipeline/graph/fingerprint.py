"""A stable uint64 fingerprint of a graph's definition (``Dataset.fingerprint``).

The graph is written out as a canonical byte description: each node's class,
its arguments and its parents. Arrays contribute dtype, shape and bytes;
user functions their code (bytecode, constants, names, nested code), default
arguments and closure values, so the same definition gives the same value in
every process. Run-time state (fields with ``compare=False``) and fields
marked ``metadata={"fingerprint": False}`` (a seed drawn at build time) are
left out, as TF leaves out the seeds it draws itself.
BLAKE2b of that description, cut to 64 bits, is the result.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> fingerprint(RangeNode((), 0, 3, 1)) == fingerprint(RangeNode((), 0, 3, 1))
    np.True_
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import types
from typing import Any

import numpy as np

from pipeline.graph.base import Node

_MAX_DEPTH = 64


def fingerprint(node: Node) -> np.uint64:
    """The fingerprint of the graph ending at ``node``.

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> fingerprint(RangeNode((), 0, 3, 1)) != fingerprint(RangeNode((), 0, 4, 1))
        np.True_
    """
    digest = hashlib.blake2b(digest_size=8)
    _write(digest, node, {}, 0)
    return np.uint64(int.from_bytes(digest.digest(), "little"))


def _write(digest: Any, value: Any, seen: dict[int, int], depth: int) -> None:
    """Feed a canonical description of ``value`` to ``digest``."""
    put = digest.update
    if depth > _MAX_DEPTH:
        put(b"<deep>")
        return
    if isinstance(value, Node):
        _write_node(digest, value, seen, depth)
    elif isinstance(value, (bool, int, float, complex, str, bytes, type(None))):
        put(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
        put(f"array:{arr.dtype.str}:{arr.shape};".encode())
        put(repr(arr.tolist()).encode() if arr.dtype.kind == "O" else arr.tobytes())
    elif isinstance(value, (tuple, list)):
        put(f"{type(value).__name__}[{len(value)}](".encode())
        for item in value:
            _write(digest, item, seen, depth + 1)
        put(b")")
    elif isinstance(value, dict):
        put(f"dict[{len(value)}](".encode())
        for key, item in value.items():
            _write(digest, key, seen, depth + 1)
            _write(digest, item, seen, depth + 1)
        put(b")")
    elif callable(value):
        _write_function(digest, value, seen, depth)
    else:
        _write_object(digest, value, seen, depth)


def _write_node(digest: Any, node: Node, seen: dict[int, int], depth: int) -> None:
    if id(node) in seen:  # a node shared by two paths: refer to it by position
        digest.update(f"ref{seen[id(node)]};".encode())
        return
    seen[id(node)] = len(seen)
    digest.update(f"node:{type(node).__qualname__}(".encode())
    for field in dataclasses.fields(node):
        if _defines(field):
            digest.update(field.name.encode() + b"=")
            _write(digest, getattr(node, field.name), seen, depth + 1)
    source = getattr(node, "source", None)
    if source is not None:
        digest.update(str(source).encode())
    for parent in node.parents:
        _write(digest, parent, seen, depth + 1)
    digest.update(b")")


def _defines(field: dataclasses.Field) -> bool:
    """Whether a node field is part of the definition: not the parents, not
    run-time state (``compare=False``), not a seed drawn at build time."""
    return (
        field.name != "parents"
        and field.compare
        and field.metadata.get("fingerprint", True)
    )


def _write_object(digest: Any, value: Any, seen: dict[int, int], depth: int) -> None:
    text = str(value)
    if " at 0x" in text and hasattr(value, "__dict__"):  # default repr: an id
        digest.update(f"{type(value).__qualname__}(".encode())
        _write(digest, dict(sorted(vars(value).items())), seen, depth + 1)
        digest.update(b")")
    else:
        digest.update(f"{type(value).__qualname__}:{text};".encode())


def _write_function(digest: Any, fn: Any, seen: dict[int, int], depth: int) -> None:
    if isinstance(fn, functools.partial):
        _write(digest, (fn.func, fn.args, dict(fn.keywords)), seen, depth + 1)
        return
    code = getattr(fn, "__code__", None)
    if code is None:  # a builtin, a class or a callable object
        digest.update(
            f"fn:{getattr(fn, '__qualname__', type(fn).__qualname__)};".encode()
        )
        target = getattr(fn, "__self__", None)
        if isinstance(target, Node):
            _write(digest, target, seen, depth + 1)
        return
    _write_code(digest, code)
    _write(digest, getattr(fn, "__defaults__", None), seen, depth + 1)
    cells = getattr(fn, "__closure__", None) or ()
    for cell in cells:
        try:
            content = cell.cell_contents
        except ValueError:
            content = None
        _write(digest, getattr(content, "_node", content), seen, depth + 1)


def _write_code(digest: Any, code: types.CodeType) -> None:
    digest.update(b"code:" + code.co_code)
    digest.update(repr(code.co_names).encode())
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _write_code(digest, const)
        else:
            digest.update(repr(const).encode())
