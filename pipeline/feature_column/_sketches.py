"""Bounded-memory streaming statistics behind ``adapt``, each vectorized per batch.

* `Moments`: count, mean and variance (Chan et al.'s parallel merge), exact.
* `QuantileSample`: a uniform sample of at most ``capacity`` values (bottom-k
  by random key). Quantiles read from it have rank error at most
  ``eps = sqrt(ln(2/delta) / (2 * capacity))`` with probability ``1 - delta``
  (Dvoretzky-Kiefer-Wolfowitz); with the default capacity 2**17 and
  ``delta = 1e-6``, eps < 0.0075. Exact while fewer values than ``capacity``
  were seen.
* `FrequentValues`: Misra-Gries counts of at most ``capacity`` distinct
  values; each kept count is low by at most ``N / (capacity + 1)`` (N = values
  seen), exact while the distinct values fit.
* `DistinctCount`: HyperLogLog over Fingerprint64 (2**14 registers, standard
  error about 0.8%).

Example:
    >>> m = Moments(1)
    >>> m.update(np.array([[1.0], [3.0]])); m.update(np.array([[5.0]]))
    >>> m.count, m.mean.tolist(), m.variance.tolist()
    (3, [3.0], [2.6666666666666665])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from pipeline import _kernels

__all__ = ["DistinctCount", "FrequentValues", "Moments", "QuantileSample"]


class Moments:
    """Streaming count / mean / population variance per output column."""

    def __init__(self, width: int) -> None:
        self.count = 0
        self.mean = np.zeros(width)
        self.m2 = np.zeros(width)
        self.min = np.full(width, np.inf)
        self.max = np.full(width, -np.inf)

    def update(self, x: np.ndarray) -> None:
        """Adds a ``[rows, width]`` batch."""
        x = np.asarray(x, dtype=np.float64)
        n = x.shape[0]
        if n == 0:
            return
        mean_b = x.mean(axis=0)
        m2_b = ((x - mean_b) ** 2).sum(axis=0)
        total = self.count + n
        delta = mean_b - self.mean
        self.mean = self.mean + delta * (n / total)
        self.m2 = self.m2 + m2_b + delta**2 * (self.count * n / total)
        self.count = total
        self.min = np.minimum(self.min, x.min(axis=0))
        self.max = np.maximum(self.max, x.max(axis=0))

    @property
    def variance(self) -> np.ndarray:
        """The population variance (0 before any value)."""
        return self.m2 / self.count if self.count else np.zeros_like(self.m2)


class QuantileSample:
    """A uniform sample of at most ``capacity`` values (see the module docstring)."""

    def __init__(self, capacity: int = 1 << 17, seed: int | None = 0) -> None:
        self.capacity = int(capacity)
        self.seen = 0
        self._rng = np.random.default_rng(seed)
        self._values = np.zeros(0)
        self._keys = np.zeros(0)
        self._pending: list[tuple[np.ndarray, np.ndarray]] = []
        self._pending_n = 0
        self._threshold = np.inf

    def update(self, values: np.ndarray) -> None:
        """Adds a batch of values (NaNs are skipped)."""
        v = np.asarray(values, dtype=np.float64).reshape(-1)
        v = v[~np.isnan(v)]
        self.seen += v.size
        keys = self._rng.random(v.size)
        keep = keys < self._threshold
        if keep.any():
            self._pending.append((v[keep], keys[keep]))
            self._pending_n += int(keep.sum())
        if self._pending_n >= self.capacity:
            self._compact()

    def _compact(self) -> None:
        if not self._pending:
            return
        values = np.concatenate([self._values] + [p[0] for p in self._pending])
        keys = np.concatenate([self._keys] + [p[1] for p in self._pending])
        self._pending, self._pending_n = [], 0
        if values.size > self.capacity:
            part = np.argpartition(keys, self.capacity - 1)[: self.capacity]
            values, keys = values[part], keys[part]
            self._threshold = float(keys.max())
        self._values, self._keys = values, keys

    @property
    def error_bound(self) -> float:
        """The rank error ``eps`` that holds with probability 1 - 1e-6 (0: exact)."""
        if self.seen <= self.capacity:
            return 0.0
        return math.sqrt(math.log(2 / 1e-6) / (2 * self.capacity))

    def boundaries(self, num_buckets: int) -> list[float]:
        """Strictly increasing cut points for ``num_buckets`` equal-mass buckets."""
        self._compact()
        if self._values.size == 0:
            return []
        qs = np.arange(1, num_buckets) / num_buckets
        cuts = np.quantile(self._values, qs, method="higher") if qs.size else []
        return sorted({float(np.float32(c)) for c in cuts})


class FrequentValues:
    """Misra-Gries frequent values with at most ``capacity`` counters."""

    def __init__(self, capacity: int = 1 << 20) -> None:
        self.capacity = int(capacity)
        self.counts: dict[Any, int] = {}
        self.seen = 0
        self.pruned = False

    def update(self, values: np.ndarray) -> None:
        """Adds a batch (bytes in an object array, or integers)."""
        if values.size == 0:
            return
        self.seen += int(values.size)
        if values.dtype == object and not isinstance(values[0], bytes):
            values = np.array(
                [v.encode() if isinstance(v, str) else v for v in values], dtype=object
            )
        uniq, counts = np.unique(values, return_counts=True)
        table = self.counts
        for value, c in zip(uniq.tolist(), counts.tolist()):
            table[value] = table.get(value, 0) + c
        if len(table) > 2 * self.capacity:
            self._prune()

    def _prune(self) -> None:
        ordered = sorted(self.counts.values(), reverse=True)
        cut = ordered[self.capacity]
        self.counts = {k: c - cut for k, c in self.counts.items() if c > cut}
        self.pruned = True

    def top(self, top_k: int | None, min_count: int) -> list[tuple[Any, int]]:
        """(value, count) by count descending, then value; at most ``top_k``."""
        if len(self.counts) > self.capacity:
            self._prune()
        items = [(k, c) for k, c in self.counts.items() if c >= min_count]
        items.sort(key=lambda kc: (-kc[1], kc[0]))
        return items if top_k is None else items[:top_k]

    @property
    def error_bound(self) -> int:
        """How much any reported count may be low by (0: exact)."""
        return self.seen // (self.capacity + 1) if self.pruned else 0


class DistinctCount:
    """HyperLogLog distinct-value estimate over Fingerprint64 (p = 14)."""

    _P = 14

    def __init__(self) -> None:
        self.registers = np.zeros(1 << self._P, dtype=np.uint8)

    def update(self, values: np.ndarray) -> None:
        """Adds a batch of strings (object array) or integers."""
        if values.size == 0:
            return
        farm = _kernels.load("farmhash")
        if values.dtype == object:
            h = farm.fingerprint64_objects(values)
        else:
            h = farm.fingerprint64_int64(values.astype(np.int64))
        idx = (h >> np.uint64(64 - self._P)).astype(np.int64)
        rest = (h << np.uint64(self._P)) | np.uint64(1 << (self._P - 1))
        rank = 64 - np.floor(np.log2(rest.astype(np.float64))).astype(np.int64)
        np.maximum.at(self.registers, idx, rank.astype(np.uint8))

    def estimate(self) -> int:
        """The estimated number of distinct values."""
        m = float(self.registers.size)
        alpha = 0.7213 / (1 + 1.079 / m)
        raw = alpha * m * m / np.sum(2.0 ** -self.registers.astype(np.float64))
        zeros = int(np.sum(self.registers == 0))
        if raw <= 2.5 * m and zeros:
            return int(round(m * math.log(m / zeros)))
        return int(round(raw))
