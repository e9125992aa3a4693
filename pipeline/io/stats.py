"""Streaming per-feature statistics in bounded memory.

`StatsBuilder` folds batches of `~pipeline.io.schema.Column` values and keeps,
per feature, a fixed amount of state whatever the number of records:

* every feature: records, present and missing counts, invalid values, and the
  number of values per record (min/max/mean);
* numbers: count, min, max, mean and standard deviation (merged batch by batch
  with Chan's formulas), zeros %, NaN and infinity counts, and a histogram
  whose power-of-two bin width doubles as the range grows (256 bins kept,
  at most `HISTOGRAM_BINS` reported);
* strings: the distinct count (exact up to ``distinct_limit`` values, then a
  HyperLogLog estimate with about 0.8 % error), the top-k values with their
  frequencies (exact while fewer than ``top_k_capacity`` distinct values were
  seen, else approximate counts of the frequent ones), and byte lengths.

Example:
    >>> import numpy as np
    >>> from pipeline.io.schema import Column
    >>> b = StatsBuilder()
    >>> col = Column("float", np.array([0.0, 2.0, 4.0]), np.array([1, 1, 1, -1]))
    >>> b.update({"x": col})
    >>> s = b.finish()["x"]
    >>> s.present, s.missing_pct, s.numbers.mean, round(s.numbers.zeros_pct, 2)
    (3, 25.0, 2.0, 33.33)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from pipeline.io.schema import Column, merge_kinds
from pipeline.io.stats_sketches import Histogram, HyperLogLog, TopK

__all__ = [
    "HISTOGRAM_BINS",
    "FeatureStats",
    "NumberStats",
    "StatsBuilder",
    "StringStats",
]

HISTOGRAM_BINS = 32
#: Bins kept while streaming; `HISTOGRAM_BINS` are reported (neighbours summed).
_TRACKED_BINS = 256
_DISTINCT_LIMIT = 100_000
_TOP_K_CAPACITY = 10_000


@dataclass
class NumberStats:
    """Statistics of the values of a numeric feature.

    Attributes:
        count: values seen (NaN and infinities included).
        min, max, mean, std: over the finite values (None when there are none).
        zeros_pct: percentage of values equal to 0.
        nan: NaN values. inf: infinite values.
        histogram: ``{"edges": [...], "counts": [...]}`` over finite values
            (``len(edges) == len(counts) + 1``).
    """

    count: int = 0
    min: float | None = None
    max: float | None = None
    mean: float | None = None
    std: float | None = None
    zeros_pct: float = 0.0
    nan: int = 0
    inf: int = 0
    histogram: dict[str, list] = field(default_factory=dict)


@dataclass
class StringStats:
    """Statistics of the values of a string feature.

    Attributes:
        count: values seen.
        distinct: number of distinct values.
        distinct_exact: whether ``distinct`` is exact (else a HyperLogLog
            estimate).
        top: ``[(value, frequency), ...]``, most frequent first.
        top_exact: whether the frequencies are exact.
        min_bytes, max_bytes, mean_bytes: byte lengths of the values.
    """

    count: int = 0
    distinct: int = 0
    distinct_exact: bool = True
    top: list[tuple[bytes, int]] = field(default_factory=list)
    top_exact: bool = True
    min_bytes: int = 0
    max_bytes: int = 0
    mean_bytes: float = 0.0


@dataclass
class FeatureStats:
    """Statistics of one feature.

    Attributes:
        name: the feature. kind: ``int64``, ``float`` or ``string``.
        records: records seen. present: records that have the feature.
        invalid: values that did not convert to the kind (counted missing).
        min_length, max_length, mean_length: values per present record (for
            a feature list: per time step).
        numbers: `NumberStats` for numeric features, else None.
        strings: `StringStats` for string features, else None.
        sequence: a SequenceExample feature list: the figures cover the
            values of every time step.
        untyped: no record held a value list (each entry an empty
            ``Feature{}``, TFX's missing value): ``kind`` is a stand-in.
        min_steps, max_steps, mean_steps: for a feature list, time steps per
            record that has it.
    """

    name: str
    kind: str
    records: int = 0
    present: int = 0
    invalid: int = 0
    min_length: int = 0
    max_length: int = 0
    mean_length: float = 0.0
    numbers: NumberStats | None = None
    strings: StringStats | None = None
    sequence: bool = False
    min_steps: int = 0
    max_steps: int = 0
    mean_steps: float = 0.0
    untyped: bool = False

    @property
    def missing(self) -> int:
        """Records without the feature."""
        return self.records - self.present

    @property
    def missing_pct(self) -> float:
        """Percentage of records without the feature."""
        return 100.0 * self.missing / self.records if self.records else 0.0

    def to_dict(self) -> dict:
        """A JSON-able dict (byte strings decoded as UTF-8 with escapes)."""
        doc = asdict(self)
        doc["missing"], doc["missing_pct"] = self.missing, self.missing_pct
        if not self.sequence:
            for key in ("min_steps", "max_steps", "mean_steps"):
                del doc[key]
        if not self.untyped:
            del doc["untyped"]
        if self.strings is not None:
            doc["strings"]["top"] = [
                [v.decode("utf-8", "backslashreplace"), n] for v, n in self.strings.top
            ]
        return doc


class _NumberAccumulator:
    def __init__(self, kind: str) -> None:
        self.count = self.finite = self.zeros = self.nan = self.inf = 0
        self.mean = self.m2 = 0.0
        self.min = np.inf
        self.max = -np.inf
        self.histogram = Histogram(_TRACKED_BINS, 1.0 if kind == "int64" else 0.0)

    def update(self, values: np.ndarray) -> None:
        values = np.asarray(values, dtype=np.float64)
        self.count += len(values)
        self.zeros += int(np.count_nonzero(values == 0))
        nan = np.isnan(values)
        self.nan += int(nan.sum())
        finite = values[np.isfinite(values)]
        self.inf += len(values) - int(nan.sum()) - len(finite)
        if len(finite) == 0:
            return
        n, mean = len(finite), float(finite.mean())
        m2 = float(((finite - mean) ** 2).sum())
        total = self.finite + n
        delta = mean - self.mean
        self.mean += delta * n / total
        self.m2 += m2 + delta * delta * self.finite * n / total
        self.finite = total
        self.min = min(self.min, float(finite.min()))
        self.max = max(self.max, float(finite.max()))
        self.histogram.update(finite)

    def result(self) -> NumberStats:
        out = NumberStats(self.count, nan=self.nan, inf=self.inf)
        out.zeros_pct = 100.0 * self.zeros / self.count if self.count else 0.0
        if self.finite:
            out.min, out.max, out.mean = self.min, self.max, self.mean
            out.std = float(np.sqrt(self.m2 / self.finite))
            out.histogram = self.histogram.result(self.min, self.max, HISTOGRAM_BINS)
        return out


class _StringAccumulator:
    def __init__(self, distinct_limit: int, top_k: int, capacity: int) -> None:
        self.count = 0
        self.bytes_total = 0
        self.min_bytes, self.max_bytes = 1 << 62, 0
        self.exact: set[bytes] | None = set()
        self.limit = distinct_limit
        self.hll: HyperLogLog | None = None
        self.top = TopK(top_k, capacity)

    def update(self, values: np.ndarray) -> None:
        if len(values) == 0:
            return
        self.count += len(values)
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        self.bytes_total += int(lengths.sum())
        self.min_bytes = min(self.min_bytes, int(lengths.min()))
        self.max_bytes = max(self.max_bytes, int(lengths.max()))
        self.top.update(values)
        if self.exact is not None:
            self.exact.update(values)
            if len(self.exact) > self.limit:
                self.hll = HyperLogLog()
                self.hll.update(np.array(list(self.exact), dtype=object))
                self.exact = None
        else:
            self.hll.update(values)

    def result(self) -> StringStats:
        out = StringStats(self.count)
        if self.count:
            out.min_bytes, out.max_bytes = self.min_bytes, self.max_bytes
            out.mean_bytes = self.bytes_total / self.count
        exact = self.exact is not None
        out.distinct = len(self.exact) if exact else self.hll.estimate()
        out.distinct_exact = exact
        out.top, out.top_exact = self.top.result()
        return out


class _FeatureAccumulator:
    def __init__(self, name: str, kind: str, options: tuple[int, int, int]) -> None:
        self.stats = FeatureStats(name, kind, min_length=1 << 62, min_steps=1 << 62)
        self.options = options
        self.values_total = 0
        self.steps_total = 0
        self.lengths_seen = 0
        self.numbers: _NumberAccumulator | None = None
        self.strings: _StringAccumulator | None = None
        self.kinded = False  # the kind came from values

    def _steps(self, col: Column) -> np.ndarray:
        """Fold in a feature list's steps; its per-step lengths."""
        s = self.stats
        s.sequence = True
        steps = col.steps[col.steps >= 0]  # type: ignore[index]
        s.present += len(steps)
        if len(steps):
            s.min_steps = min(s.min_steps, int(steps.min()))
            s.max_steps = max(s.max_steps, int(steps.max()))
            self.steps_total += int(steps.sum())
        return col.lengths

    def update(self, col: Column) -> None:
        s = self.stats
        s.invalid += col.invalid
        s.untyped |= col.untyped
        if col.sequence:
            lengths = self._steps(col)
        else:
            lengths = col.lengths[col.lengths >= 0]
            s.present += len(lengths)
        if len(lengths) == 0:
            return
        self.lengths_seen += len(lengths)
        s.min_length = min(s.min_length, int(lengths.min()))
        s.max_length = max(s.max_length, int(lengths.max()))
        self.values_total += int(lengths.sum())
        if col.untyped:  # no lists: nothing says what kind the values are
            return
        s.kind = merge_kinds(s.kind if self.kinded else None, col.kind)
        self.kinded = True
        if col.kind == "string":
            if self.strings is None:
                self.strings = _StringAccumulator(*self.options)
            self.strings.update(col.values)
        else:
            if self.numbers is None:
                self.numbers = _NumberAccumulator(col.kind)
            self.numbers.update(col.values)

    def result(self, records: int) -> FeatureStats:
        s = self.stats
        s.records = records
        s.untyped = s.untyped and not self.kinded
        if not self.kinded:
            s.kind = "string"
        if not self.lengths_seen:
            s.min_length = 0
        if not s.present or not s.sequence:
            s.min_steps = 0
        seen = self.lengths_seen
        s.mean_length = self.values_total / seen if seen else 0.0
        s.mean_steps = self.steps_total / s.present if s.present and s.sequence else 0.0
        s.numbers = self.numbers.result() if self.numbers is not None else None
        s.strings = self.strings.result() if self.strings is not None else None
        return s


class StatsBuilder:
    """Folds batches of columns into per-feature `FeatureStats`.

    Args:
        distinct_limit: count distinct strings exactly up to this many, then
            estimate (default 100,000).
        top_k: how many of the most frequent strings to report (default 10).
        top_k_capacity: distinct strings tracked for the top-k; past it the
            rarest are dropped and frequencies become approximate (default
            10,000).

    Example:
        >>> from pipeline.io.schema import Column
        >>> b = StatsBuilder(top_k=1)
        >>> vals = np.array([b"a", b"b", b"a"], dtype=object)
        >>> b.update({"s": Column("string", vals, np.array([1, 1, 1]))})
        >>> b.finish()["s"].strings.top
        [(b'a', 2)]
    """

    def __init__(
        self,
        distinct_limit: int = _DISTINCT_LIMIT,
        top_k: int = 10,
        top_k_capacity: int = _TOP_K_CAPACITY,
    ) -> None:
        self._options = (distinct_limit, top_k, top_k_capacity)
        self._features: dict[str, _FeatureAccumulator] = {}
        self.records = 0

    def update(self, batch: dict[str, Column]) -> None:
        """Fold in one batch (every column has the same number of records)."""
        for name, col in batch.items():
            acc = self._features.get(name)
            if acc is None:
                acc = self._features[name] = _FeatureAccumulator(
                    name, col.kind, self._options
                )
            acc.update(col)
        self.records += max((c.num_records for c in batch.values()), default=0)

    def finish(self) -> dict[str, FeatureStats]:
        """Statistics of every feature seen, in first-seen order."""
        return {n: a.result(self.records) for n, a in self._features.items()}
