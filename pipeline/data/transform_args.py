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
    "interleave_args",
    "shard_args",
    "shuffle_buffer",
]


def integer(name: str, value: Any) -> int:
    """``value`` as an int; `TypeError` when it is not an integer."""
    if not isinstance(value, numbers.Integral):  # bools count, as in TF
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
    cpus = _schedulable_cpus()
    if num_parallel_calls is None or num_parallel_calls == AUTOTUNE:
        return cpus
    return max(1, min(int(num_parallel_calls), cpus))


def callable_arg(name: str, fn: Any) -> Callable[..., Any]:
    """``fn`` when callable; `TypeError` naming the argument otherwise."""
    if not callable(fn):
        raise TypeError(f"`{name}` must be callable. Received: {name}={fn!r}")
    return fn


def interleave_args(
    cycle_length: Any, block_length: Any, num_parallel_calls: Any
) -> tuple[int, int, int | None]:
    """``interleave``'s ``(cycle_length, block_length, num_parallel_calls)``.

    None or AUTOTUNE ``cycle_length`` becomes `default_cycle_length`; a None
    ``block_length`` is 1. `InvalidArgumentError` for non-positive values and
    for more parallel calls than a fixed cycle length, as TF.

    Example:
        >>> interleave_args(4, None, 2)
        (4, 1, 2)
    """
    calls = num_parallel_calls
    if calls is not None and integer("num_parallel_calls", calls) != AUTOTUNE:
        _greater_than_zero("num_parallel_calls", calls)
    if cycle_length is None or cycle_length == AUTOTUNE:
        cycle = default_cycle_length(calls)
    else:
        cycle = _greater_than_zero(
            "cycle_length", integer("cycle_length", cycle_length)
        )
        if calls is not None and calls != AUTOTUNE and calls > cycle:
            raise InvalidArgumentError(
                "If `cycle_length` is set to a fixed value, `num_parallel_calls` "
                f"must be at most it. Received: cycle_length={cycle}, "
                f"num_parallel_calls={calls}"
            )
    block = 1 if block_length is None else integer("block_length", block_length)
    _greater_than_zero("block_length", block)
    return cycle, block, None if calls is None else int(calls)


def _greater_than_zero(name: str, value: int) -> int:
    if value <= 0:
        raise InvalidArgumentError(
            f"`{name}` must be greater than zero. Received: {name}={value}"
        )
    return int(value)


def _schedulable_cpus() -> int:
    """The CPUs this process may run on (TF's ``MaxParallelism``)."""
    getaffinity = getattr(os, "sched_getaffinity", None)
    return len(getaffinity(0)) if getaffinity else os.cpu_count() or 1
