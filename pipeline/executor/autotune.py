"""AUTOTUNE: parallelism, block sizes and buffer sizes from cores and timings.

- parallelism: ``AUTOTUNE`` means one worker per core (``Options.num_threads``
  or ``PIPELINE_NUM_THREADS`` caps it);
- block size: after the first block, enough elements for about
  ``_TARGET_BLOCK_S`` of work per block (a per-element hand-off between
  threads costs more than small elements' work), at most ``_MAX_BLOCK``;
- buffer size: as many blocks as fit the stage's share of the memory budget,
  between 2 and ``_MAX_BUFFER_BLOCKS``.

The choices show in ``iterator.stats()``.

Example:
    >>> block_for(per_element_s=1e-6), block_for(per_element_s=1.0)
    (256, 1)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline import _config
from pipeline.graph.base import AUTOTUNE
from pipeline.graph.structure import flatten
from pipeline.types import SparseTensor

_TARGET_BLOCK_S = 0.002
_MAX_BLOCK = 256
_MAX_BUFFER_BLOCKS = 8
_MAX_BLOCK_BYTES = 512 * 2**10
_DEFAULT_BUDGET_BYTES = 512 * 2**20
_STAGE_SHARE = 4
_TUNE_ELEMENTS = 64


def decode_workers() -> int:
    """Threads that decode a source's big blocks ahead of its consumer (one
    per core, at most 4: the kernels release the GIL, the consumer does not).

    Example:
        >>> 1 <= decode_workers() <= 4
        True
    """
    return max(1, min(4, _config.num_threads()))


def parallelism(requested: int | None, cap: int | None = None) -> int:
    """Worker count for ``num_parallel_calls=requested``.

    Example:
        >>> parallelism(None), parallelism(3), parallelism(AUTOTUNE, cap=2)
        (1, 3, 2)
    """
    if requested is None:
        return 1
    if requested == AUTOTUNE:
        return max(1, cap or _config.num_threads())
    return int(requested)


def block_for(per_element_s: float, element_bytes: int = 0) -> int:
    """Elements per block for this per-element cost and size.

    Example:
        >>> block_for(1e-4, element_bytes=64 * 2**10)
        8
    """
    by_time = _TARGET_BLOCK_S / max(per_element_s, 1e-9)
    by_bytes = _MAX_BLOCK_BYTES / max(element_bytes, 1)
    return int(max(1, min(_MAX_BLOCK, by_time, by_bytes)))


def prefetch_shape(buffer_size: int) -> tuple[int, int]:
    """Initial (block size, buffer capacity in blocks) of a prefetch.

    Example:
        >>> prefetch_shape(AUTOTUNE), prefetch_shape(1), prefetch_shape(100)
        ((8, 4), (1, 2), (50, 2))
    """
    if buffer_size == AUTOTUNE:
        return 8, 4
    n = max(1, int(buffer_size))
    block = max(1, min(_MAX_BLOCK, n // 2 or 1))
    return block, max(2, -(-n // block))


def element_bytes(element: Any) -> int:
    """Approximate memory of one element.

    An object array counts its ``bytes``/``str`` values too (estimated from
    its first 16), not only its pointers: a batch of 256 records is ~100 KB,
    not 2 KB.

    Example:
        >>> element_bytes((np.zeros(4, np.float32), b"abc"))
        19
        >>> element_bytes(np.array([b"ab", b"cdef"], dtype=object))
        22
    """
    total = 0
    for leaf in flatten(element):
        if isinstance(leaf, SparseTensor):
            total += leaf.values.nbytes + leaf.indices.nbytes
        elif isinstance(leaf, (bytes, str)):
            total += len(leaf)
        elif isinstance(leaf, (np.ndarray, np.generic)):
            total += leaf.nbytes + _object_values_bytes(leaf)
        else:
            total += 8
    return total


def _object_values_bytes(leaf: np.ndarray | np.generic) -> int:
    """The ``bytes``/``str`` values' size of an object array, from its first 16."""
    if leaf.dtype != object or not leaf.size:
        return 0
    flat = np.ravel(leaf)
    sample = flat[:16]
    seen = sum(len(v) for v in sample if isinstance(v, (bytes, str)))
    return seen * flat.size // len(sample)


def retune_prefetch(stats: Any, block: list, buf: Any, budget: int | None) -> None:
    """Set an AUTOTUNE prefetch's block size and capacity from what it saw.

    ``stats`` is the stage's ``StageStats``; its lock guards the decision.
    """
    if stats.produced < 16 or stats.tuned or not block:
        return
    with stats.lock:
        if stats.tuned:
            return
        stats.tuned = True
        per_elem = stats.busy_s / max(stats.produced, 1)
        size = element_bytes(block[0])
        stats.block_size = block_for(per_elem, size)
    share = (budget or _DEFAULT_BUDGET_BYTES) // _STAGE_SHARE
    blocks = share // max(1, size * stats.block_size)
    buf.capacity = int(max(2, min(_MAX_BUFFER_BLOCKS, blocks)))


def retune_map(stats: Any, produced: list, busy_s: float) -> None:
    """Set a parallel map's block size from its workers' timings (averaged
    over the first ``_TUNE_ELEMENTS`` elements).

    The map's workers call this concurrently: the stage's ``StageStats`` lock
    makes each update whole.
    """
    if stats.tuned or not produced:
        return
    size = element_bytes(produced[0])
    with stats.lock:
        if stats.tuned:
            return
        stats.tuned = stats.produced >= _TUNE_ELEMENTS
        per_element = stats.busy_s / max(stats.produced, 1)
        stats.block_size = block_for(per_element, size)
