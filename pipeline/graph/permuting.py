"""A keyed bijection over ``[0, n)`` and the node of a global shuffle.

`feistel` permutes ``[0, n)`` with a balanced Feistel network over the
smallest even number of bits that covers ``n``, walking the cycle until the
value falls back inside ``[0, n)`` (cycle-walking keeps it a bijection of
``[0, n)``). No table is held: position ``p`` of the permutation is computed
from ``(key, p)`` alone, so the state of a shuffle is a few integers.

`GlobalShuffleNode` is a block source whose source is bound, per iteration,
to the stage seed and the epoch (the run number and repeat counters), so each
epoch has its own permutation.

Example:
    >>> sorted(feistel(7, 10, p) for p in range(10)) == list(range(10))
    True
    >>> [feistel(7, 10, p) for p in range(10)] != list(range(10))
    True
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pipeline.graph.base import IterContext, NodeIterator
from pipeline.graph.sources import BlockSourceIterator, BlockSourceNode

_MASK64 = (1 << 64) - 1
_ROUNDS = 4


def mix64(x: int) -> int:
    """SplitMix64's finalizer: a fast 64-bit mixing bijection.

    Example:
        >>> mix64(0) == mix64(0), mix64(1) != mix64(2)
        (True, True)
    """
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def derive_key(*parts: int) -> int:
    """One 64-bit key from integers (seed, epoch, ...).

    Example:
        >>> derive_key(1, 2) != derive_key(2, 1)
        True
    """
    key = 0x51_7C_C1_B7_27_22_0A_95
    for part in parts:
        key = mix64(key ^ (int(part) & _MASK64))
    return key


def feistel(key: int, n: int, p: int) -> int:
    """Position ``p`` of the permutation of ``[0, n)`` keyed by ``key``.

    Raises:
        ValueError: ``p`` outside ``[0, n)``.

    Example:
        >>> feistel(3, 1, 0)
        0
    """
    if not 0 <= p < n:
        raise ValueError(f"`p` must be in [0, n={n}). Received: p={p}")
    half = max(1, ((n - 1).bit_length() + 1) // 2)
    mask = (1 << half) - 1
    x = p
    while True:  # cycle-walk: at most a few steps, the domain is < 4n
        left, right = x >> half, x & mask
        for r in range(_ROUNDS):
            left, right = right, left ^ (mix64(key ^ (r << 56) ^ right) & mask)
        x = (left << half) | right
        if x < n:
            return x


@dataclasses.dataclass(frozen=True, eq=False)
class GlobalShuffleNode(BlockSourceNode):
    """A block source permuted anew each epoch (``pl.data.global_shuffle``).

    ``source.bind(seed, epoch)`` gives the source of one epoch; it follows the
    block SOURCE CONTRACT (``pipeline.graph.sources``).
    """

    op = "global_shuffle"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        seed = ctx.node_seed(self, self.source.seed)
        epoch = derive_key(ctx.run, *ctx.epoch)
        return BlockSourceIterator(self.source.bind(seed, epoch))

    def args(self) -> dict[str, Any]:
        return {"source": str(self.source)}
