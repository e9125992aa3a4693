"""Argument checks of `Dataset`'s transformations, with TF's errors.

Example:
    >>> shard_args(3, 1), integer("count", -2)
    ((3, 1), -2)
"""

from __future__ import annotations

import numbers
import os
import sys
from collections.abc import Callable
from typing import Any

from pipeline.errors import InvalidArgumentError
from pipeline.graph.base import AUTOTUNE, UNKNOWN

__all__ = [
    "callable_arg",
    "default_cycle_length",
    "integer",
    "shard_args",
    "shuffle_buffer",
]


def integer(name: str, value: Any) -> int:
    """``value`` as an int; `TypeError` when it is not an integer."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be an integer. Received: {name}={value!r}")
    return int(value)


def shuffle_buffer(buffer_size: Any) -> int:
    """``shuffle``'s buffer size; -2 (unknown cardinality) buffers everything."""
    size = integer("buffer_size", buffer_size)
    if size == UNKNOWN:
        return sys.maxsize  # TF: buffer the whole input
    if size <= 0:
        raise InvalidArgumentError(
            "`buffer_size` must be greater than zero (or -2, the unknown "
            f"cardinality, to buffer everything). Received: buffer_size={size}"
        )
    return size


def shard_args(num_shards: Any, index: Any) -> tuple[int, int]:
    """``shard``'s ``(num_shards, index)``, checked as TF checks them."""
    num, index = integer("num_shards", num_shards), integer("index", index)
    if num <= 0:
        raise InvalidArgumentError(
            f"`num_shards` must be greater than zero. Received: num_shards={num}"
        )
    if not 0 <= index < num:
        raise InvalidArgumentError(
            f"`index` must be between 0 and {num - 1}. Received: index={index}"
        )
    return num, index


def default_cycle_length(num_parallel_calls: Any) -> int:
    """TF's ``cycle_length=None``: the CPU count, capped by a set parallelism."""
    cpus = os.cpu_count() or 1
    if num_parallel_calls is None or num_parallel_calls == AUTOTUNE:
        return cpus
    return max(1, min(int(num_parallel_calls), cpus))


def callable_arg(name: str, fn: Any) -> Callable[..., Any]:
    """``fn`` when callable; `TypeError` naming the argument otherwise."""
    if not callable(fn):
        raise TypeError(f"`{name}` must be callable. Received: {name}={fn!r}")
    return fn
