"""``adapt``: fit what the columns need in one streaming pass over the data.

TensorFlow makes you compute normalization constants, bucket boundaries and
vocabularies by hand. Here you declare them as *pending* columns and let
`adapt` read the data once, in bounded memory (see ``_sketches`` for the error
bounds):

* `normalized_numeric_column(key)`: becomes a `numeric_column` whose
  ``normalizer_fn`` is a saved `Normalization` (mean, variance; exact);
* `quantile_bucketized_column(key, num_buckets)`: becomes a
  `bucketized_column` with approximate quantile boundaries (rank error below
  0.0075 with probability 1 - 1e-6 with the default sample; exact on smaller
  data);
* `vocabulary_column(key, top_k, min_count)`: becomes a vocabulary column of the
  most frequent values (ties by value), written to ``<vocabulary_dir>/<key>.txt``
  when a directory is given (a vocabulary-file column), else a vocabulary list.

Pending columns can sit inside indicator, embedding and crossed columns; the
fitted columns replace them everywhere. For every categorical feature key the
statistics also report a distinct-value estimate, to choose hash sizes.

Example:
    >>> import numpy as np
    >>> import pipeline as pl
    >>> fc = pl.feature_column
    >>> cols = [normalized_numeric_column("x"),
    ...         fc.indicator_column(vocabulary_column("c", top_k=2))]
    >>> data = [{"x": np.array([1.0, 3.0]), "c": np.array([b"a", b"b"], dtype=object)},
    ...         {"x": np.array([5.0]), "c": np.array([b"b"], dtype=object)}]
    >>> result = adapt(cols, data)
    >>> result.columns[0].normalizer_fn
    Normalization(mean=[3.0], variance=[2.6666666666666665])
    >>> result.columns[1].categorical_column.vocabulary_list
    (b'b', b'a')
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from pipeline.errors import FailedPreconditionError
from pipeline.feature_column import _sketches
from pipeline.feature_column._base import (
    CategoricalColumn,
    FeatureColumn,
    TransformCache,
)
from pipeline.feature_column._inputs import to_ragged
from pipeline.feature_column.columns_numeric import (
    Normalization,
    bucketized_column,
    numeric_column,
)
from pipeline.feature_column.columns_vocabulary import (
    categorical_column_with_vocabulary_file,
    categorical_column_with_vocabulary_list,
)
from pipeline.feature_column.pending import (
    PendingNormalizedNumeric,
    PendingQuantileBucketized,
    PendingVocabulary,
    _Pending,
    _replace,
    _walk,
    normalized_numeric_column,
    quantile_bucketized_column,
    vocabulary_column,
)
from pipeline.feature_column.vocabulary import write_vocabulary

__all__ = [
    "AdaptResult",
    "adapt",
    "normalized_numeric_column",
    "quantile_bucketized_column",
    "vocabulary_column",
]  # the pending-column constructors are re-exported from .pending


class AdaptResult:
    """What `adapt` returns.

    Attributes:
        columns: the fitted columns, in the order given.
        statistics: per feature key, a dict of what was measured (count, mean,
            variance, min, max, boundaries and their rank error bound, top
            values and their count error bound, distinct-value estimate).

    Example:
        >>> import numpy as np
        >>> r = adapt([normalized_numeric_column("x")], [{"x": np.array([1.0, 3.0])}])
        >>> r.statistics["x"]["mean"], r
        ([2.0], AdaptResult(columns=['x']))
    """

    def __init__(self, columns: list[FeatureColumn], statistics: dict[str, dict]):
        self.columns = columns
        self.statistics = statistics

    def __repr__(self) -> str:
        return f"AdaptResult(columns={[c.name for c in self.columns]})"


class _KeyStats:
    """The sketches one feature key needs."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.moments: _sketches.Moments | None = None
        self.sample: _sketches.QuantileSample | None = None
        self.freq: _sketches.FrequentValues | None = None
        self.distinct: _sketches.DistinctCount | None = None

    def update(self, cache: TransformCache) -> None:
        raw = cache.raw(self.key)
        if self.moments is not None or self.sample is not None:
            x = np.asarray(raw, dtype=np.float64).reshape(raw.shape[0], -1)
            if self.moments is not None:
                self.moments.update(x)
            if self.sample is not None:
                self.sample.update(x)
        if self.freq is not None or self.distinct is not None:
            values = to_ragged(raw, missing=True).values
            if self.freq is not None:
                self.freq.update(values)
            if self.distinct is not None:
                self.distinct.update(values)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.moments is not None:
            m = self.moments
            out.update(
                count=m.count,
                mean=m.mean.tolist(),
                variance=m.variance.tolist(),
                min=m.min.tolist(),
                max=m.max.tolist(),
            )
        if self.sample is not None:
            out.update(quantile_rank_error=self.sample.error_bound)
        if self.freq is not None:
            out.update(
                top_values=[(_text(v), c) for v, c in self.freq.top(20, 1)],
                count_error=self.freq.error_bound,
                count=self.freq.seen,
            )
        if self.distinct is not None:
            out.update(distinct_estimate=self.distinct.estimate())
        return out


def _text(value: Any) -> Any:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _stats_for(key: str, stats: dict[str, _KeyStats]) -> _KeyStats:
    if key not in stats:
        stats[key] = _KeyStats(key)
    return stats[key]


def _plan(
    columns: Sequence[FeatureColumn], capacity: int, seed: int | None
) -> dict[str, _KeyStats]:
    from pipeline.feature_column.columns_crossed import CrossedColumn
    from pipeline.feature_column.columns_numeric import NumericColumn

    nodes: list[Any] = []
    for column in columns:
        _walk(column, nodes)
    stats: dict[str, _KeyStats] = {}
    for node in nodes:
        if isinstance(node, (PendingNormalizedNumeric, NumericColumn)):
            s = _stats_for(node.key, stats)
            s.moments = s.moments or _sketches.Moments(int(np.prod(node.shape)))
        elif isinstance(node, PendingQuantileBucketized):
            s = _stats_for(node.key, stats)
            s.sample = s.sample or _sketches.QuantileSample(capacity, seed)
        elif isinstance(node, PendingVocabulary):
            s = _stats_for(node.key, stats)
            s.freq = s.freq or _sketches.FrequentValues()
            s.distinct = s.distinct or _sketches.DistinctCount()
        elif isinstance(node, CrossedColumn):
            for key in node.keys:
                if isinstance(key, str):
                    s = _stats_for(key, stats)
                    s.distinct = s.distinct or _sketches.DistinctCount()
        elif isinstance(node, CategoricalColumn) and hasattr(node, "key"):
            s = _stats_for(node.key, stats)
            s.distinct = s.distinct or _sketches.DistinctCount()
    return stats


def _scalar_batch(value: Any) -> Any:
    if isinstance(value, (bytes, str)):
        return np.array([value], dtype=object)
    return np.array([value]) if np.ndim(value) == 0 else value


def _as_batch(features: Any) -> dict[str, Any]:
    if isinstance(features, tuple):
        features = features[0]
    if not isinstance(features, dict):
        raise ValueError(f"adapt expects dicts of features, got {type(features)}")
    if all(isinstance(v, (bytes, str)) or np.ndim(v) == 0 for v in features.values()):
        return {k: _scalar_batch(v) for k, v in features.items()}
    return features


def _fit(node: Any, stats: dict[str, _KeyStats], vocabulary_dir: str | None) -> Any:
    s = stats[node.key]
    if isinstance(node, PendingNormalizedNumeric):
        m = s.moments
        if not m.count:
            raise FailedPreconditionError(f"adapt saw no values of {node.key!r}")
        return numeric_column(
            node.key,
            node.shape,
            normalizer_fn=Normalization(m.mean.tolist(), m.variance.tolist()),
        )
    if isinstance(node, PendingQuantileBucketized):
        cuts = s.sample.boundaries(node.buckets)
        if not cuts:
            raise FailedPreconditionError(f"adapt saw no values of {node.key!r}")
        s.boundaries = cuts
        return bucketized_column(numeric_column(node.key), cuts)
    entries = [v for v, _ in s.freq.top(node.top_k, node.min_count)]
    if not entries:
        raise FailedPreconditionError(
            f"adapt found no value of {node.key!r} seen at least {node.min_count} times"
        )
    if vocabulary_dir is None:
        return categorical_column_with_vocabulary_list(
            node.key, entries, node.dtype, num_oov_buckets=node.num_oov_buckets
        )
    path = os.path.join(vocabulary_dir, f"{node.key}.txt")
    write_vocabulary(path, entries)
    return categorical_column_with_vocabulary_file(
        node.key, path, len(entries), node.dtype, num_oov_buckets=node.num_oov_buckets
    )


def adapt(
    columns: Sequence[FeatureColumn],
    dataset: Iterable[Any],
    vocabulary_dir: str | None = None,
    quantile_sample_size: int = 1 << 17,
    seed: int | None = 0,
) -> AdaptResult:
    """Fits the pending columns (and measures every column's features) in one pass.

    Args:
        columns: feature columns, pending ones anywhere inside them.
        dataset: any iterable of feature dicts (batched arrays, or one example
            per dict), or of ``(features, label)`` tuples; a ``pl.data.Dataset``
            works. It is read once.
        vocabulary_dir: where to write ``<key>.txt`` vocabulary files; None keeps
            the vocabularies in the columns as lists.
        quantile_sample_size: the quantile sample's size (memory per key; sets
            the rank error bound).
        seed: the sampling seed (None: nondeterministic).

    Returns:
        An `AdaptResult` with the fitted ``columns`` and ``statistics``.

    Raises:
        FailedPreconditionError: a pending column saw no usable value.

    Example:
        >>> import numpy as np
        >>> data = [{"u": np.arange(100.0)}]
        >>> adapt([quantile_bucketized_column("u", 4)], data).columns[0].boundaries
        (25.0, 50.0, 75.0)
    """
    stats = _plan(columns, quantile_sample_size, seed)
    for element in dataset:
        cache = TransformCache(_as_batch(element))
        for key_stats in stats.values():
            key_stats.update(cache)
    nodes: list[Any] = []
    for column in columns:
        _walk(column, nodes)
    fitted = {
        n: _fit(n, stats, vocabulary_dir) for n in nodes if isinstance(n, _Pending)
    }
    summary = {key: s.summary() for key, s in stats.items()}
    for key, s in stats.items():
        if hasattr(s, "boundaries"):
            summary[key]["boundaries"] = s.boundaries
    return AdaptResult([_replace(c, fitted) for c in columns], summary)
