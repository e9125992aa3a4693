"""Fixed-size sketches for streaming statistics: histogram, HyperLogLog, top-k.

Each keeps the same amount of state however many values it sees.

Example:
    >>> import numpy as np
    >>> h = HyperLogLog()
    >>> h.update(np.array([b"a", b"b", b"a"], dtype=object))
    >>> h.estimate()
    2
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from pipeline import _kernels

__all__ = ["Histogram", "HyperLogLog", "TopK"]

_HLL_PRECISION = 14


class Histogram:
    """Counts in ``bins`` bins of a power-of-two width that doubles as needed.

    Bin ``i`` covers ``[origin + i*width, origin + (i+1)*width)``, with
    ``origin`` a multiple of ``width`` (at least ``min_width``, a power of two:
    1 keeps integers in whole bins). When new values fall outside, the width
    doubles and neighbouring bins merge, so the counts stay exact per bin.

    Example:
        >>> h = Histogram(4)
        >>> h.update(np.array([0.0, 1.0, 2.0, 3.0]))
        >>> h.update(np.array([7.0]))
        >>> h.result(0.0, 7.0)
        {'edges': [0.0, 2.0, 4.0, 6.0, 8.0], 'counts': [2, 2, 0, 1]}
    """

    def __init__(self, bins: int, min_width: float = 0.0) -> None:
        self.bins = bins
        self.min_width = min_width
        self.width: float | None = None
        self.origin = 0.0
        self.counts = np.zeros(bins, dtype=np.int64)

    def _start(self, lo: float, hi: float) -> None:
        span = (hi - lo) / self.bins
        if span <= 0:
            span = max(abs(lo), 1.0) / (1 << 20)
        self.width = max(2.0 ** math.ceil(math.log2(span)), self.min_width)
        self.origin = math.floor(lo / self.width) * self.width

    def _regrid(self, lo: float, hi: float) -> None:
        """Double the width until ``[lo, hi]`` and every counted bin fit."""
        used = np.flatnonzero(self.counts)
        if len(used):
            lo = min(lo, self.origin + used[0] * self.width)
            hi = max(hi, self.origin + used[-1] * self.width)
        wide = self.width
        while True:
            wide *= 2
            origin = math.floor(lo / wide) * wide
            if hi < origin + self.bins * wide:
                break
        starts = self.origin + self.width * used
        index = np.floor((starts - origin) / wide).astype(np.int64)
        counts = np.zeros(self.bins, dtype=np.int64)
        np.add.at(counts, index, self.counts[used])
        self.counts, self.width, self.origin = counts, wide, origin

    def update(self, values: np.ndarray) -> None:
        """Count finite ``values`` (float64)."""
        if len(values) == 0:
            return
        lo, hi = float(values.min()), float(values.max())
        if self.width is None:
            self._start(lo, hi)
        if lo < self.origin or hi >= self.origin + self.bins * self.width:
            self._regrid(lo, hi)
        index = np.floor((values - self.origin) / self.width).astype(np.int64)
        np.clip(index, 0, self.bins - 1, out=index)
        self.counts += np.bincount(index, minlength=self.bins)

    def result(self, lo: float, hi: float, max_bins: int | None = None) -> dict:
        """Edges and counts of the bins from the one holding ``lo`` to ``hi``'s.

        With ``max_bins``, groups of neighbouring bins are summed so that at
        most ``max_bins`` remain (counts stay exact per reported bin).
        """
        if self.width is None:
            return {"edges": [], "counts": []}
        first = int((lo - self.origin) // self.width)
        last = int((hi - self.origin) // self.width)
        first, last = max(first, 0), min(last, self.bins - 1)
        counts = self.counts[first : last + 1]
        group = -(-len(counts) // max_bins) if max_bins else 1
        if group > 1:
            padded = np.zeros(-(-len(counts) // group) * group, dtype=np.int64)
            padded[: len(counts)] = counts
            counts = padded.reshape(-1, group).sum(axis=1)
        edges = self.origin + self.width * (first + group * np.arange(len(counts) + 1))
        # Rounding in origin + width * k can put an extreme value just outside
        # the outer edges (tiny or denormal widths): widen them to hold it.
        edges[0] = min(edges[0], lo)
        edges[-1] = max(edges[-1], np.nextafter(hi, np.inf))
        return {"edges": edges.tolist(), "counts": counts.tolist()}


class HyperLogLog:
    """Distinct-count estimate of byte strings (2^14 registers, ~0.8 % error).

    Values are hashed with FarmHash Fingerprint64 (the compiled kernel).

    Example:
        >>> h = HyperLogLog()
        >>> h.update(np.array([str(i).encode() for i in range(50_000)], dtype=object))
        >>> abs(h.estimate() - 50_000) < 2_500
        True
    """

    def __init__(self, precision: int = _HLL_PRECISION) -> None:
        self.p = precision
        self.registers = np.zeros(1 << precision, dtype=np.uint8)

    def update(self, values: np.ndarray) -> None:
        """Add byte strings (an object array)."""
        if len(values) == 0:
            return
        hashes = _kernels.load("farmhash").fingerprint64_objects(values)
        rest_bits = 64 - self.p
        index = (hashes >> np.uint64(rest_bits)).astype(np.int64)
        rest = (hashes & np.uint64((1 << rest_bits) - 1)).astype(np.float64)
        _, bit_length = np.frexp(rest)  # exact: rest < 2^53
        rank = (rest_bits - bit_length + 1).astype(np.uint8)
        np.maximum.at(self.registers, index, rank)

    def estimate(self) -> int:
        """The estimated number of distinct values added."""
        m = len(self.registers)
        alpha = 0.7213 / (1 + 1.079 / m)
        raw = alpha * m * m / float(np.sum(np.ldexp(1.0, -self.registers.astype(int))))
        zeros = int(np.count_nonzero(self.registers == 0))
        if raw <= 2.5 * m and zeros:
            return round(m * math.log(m / zeros))
        return round(raw)


class TopK:
    """The most frequent values: exact counts until ``capacity`` distinct values.

    Past ``capacity`` the rarest half is dropped (their later occurrences count
    from zero), so the frequencies of common values stay close and memory stays
    bounded; `result` then reports them as approximate.

    Example:
        >>> t = TopK(2, capacity=100)
        >>> t.update(np.array([b"x", b"y", b"x", b"z"], dtype=object))
        >>> t.result()
        ([(b'x', 2), (b'y', 1)], True)
    """

    def __init__(self, k: int, capacity: int) -> None:
        self.k = k
        self.capacity = max(capacity, k)
        self.counts: Counter[bytes] = Counter()
        self.exact = True

    def update(self, values: np.ndarray) -> None:
        """Count ``values``."""
        self.counts.update(values)
        if len(self.counts) > self.capacity:
            self.counts = Counter(dict(self.counts.most_common(self.capacity // 2)))
            self.exact = False

    def result(self) -> tuple[list[tuple[bytes, int]], bool]:
        """``([(value, count), ...], exact)``, most frequent first (ties by value)."""
        ranked = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(v, int(n)) for v, n in ranked[: self.k]], self.exact
