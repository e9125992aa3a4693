"""Pending columns: declared now, fitted by ``adapt`` from the data.

Example:
    >>> col = normalized_numeric_column("fare")
    >>> col.name
    'fare'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.errors import FailedPreconditionError
from pipeline.feature_column._base import (
    CategoricalColumn,
    DenseColumn,
    FeatureColumn,
    TransformCache,
    check_key,
)
from pipeline.feature_column._inputs import as_dtype

__all__ = [
    "PendingNormalizedNumeric",
    "PendingQuantileBucketized",
    "PendingVocabulary",
    "normalized_numeric_column",
    "quantile_bucketized_column",
    "vocabulary_column",
]


def _not_adapted(column: FeatureColumn) -> FailedPreconditionError:
    return FailedPreconditionError(
        f"column {column.name!r} is not fitted yet: call "
        "pl.feature_column.adapt(columns, dataset) first and use its .columns"
    )


class _Pending:
    def _dense(self, cache: TransformCache) -> Any:
        raise _not_adapted(self)

    def _ids(self, cache: TransformCache) -> Any:
        raise _not_adapted(self)

    @property
    def num_buckets(self) -> int:
        raise _not_adapted(self)


class PendingNormalizedNumeric(_Pending, DenseColumn):
    """A numeric column waiting for its mean and variance."""

    _FIELDS = ("key", "shape")

    @property
    def name(self) -> str:
        return self.key

    @property
    def variable_shape(self) -> tuple[int, ...]:
        return tuple(self.shape)


class PendingQuantileBucketized(_Pending, DenseColumn, CategoricalColumn):
    """A bucketized column waiting for its boundaries."""

    _FIELDS = ("key", "buckets")

    @property
    def name(self) -> str:
        return f"{self.key}_bucketized"


class PendingVocabulary(_Pending, CategoricalColumn):
    """A vocabulary column waiting for its vocabulary."""

    _FIELDS = ("key", "top_k", "min_count", "num_oov_buckets", "dtype")

    @property
    def name(self) -> str:
        return self.key


def normalized_numeric_column(key: str, shape: Sequence[int] = (1,)) -> DenseColumn:
    """A numeric column that `adapt` standardizes with the data's mean and variance.

    Example:
        >>> normalized_numeric_column("fare").name
        'fare'
    """
    return PendingNormalizedNumeric(key=check_key(key), shape=tuple(shape))


def quantile_bucketized_column(key: str, num_buckets: int) -> DenseColumn:
    """A bucketized column whose boundaries `adapt` sets at the data's quantiles.

    Fewer buckets result when values repeat (boundaries must be distinct).

    Example:
        >>> quantile_bucketized_column("lat", 16).name
        'lat_bucketized'
    """
    if num_buckets < 2:
        raise ValueError(
            f"`num_buckets` must be >= 2. Received: num_buckets={num_buckets}"
        )
    return PendingQuantileBucketized(key=check_key(key), buckets=int(num_buckets))


def vocabulary_column(
    key: str,
    top_k: int | None = None,
    min_count: int = 1,
    num_oov_buckets: int = 0,
    dtype: Any = "string",
) -> CategoricalColumn:
    """A vocabulary column whose entries `adapt` takes from the data by frequency.

    Args:
        key: the feature name.
        top_k: keep at most this many values. Defaults to all.
        min_count: keep values seen at least this often. Defaults to 1.
        num_oov_buckets: OOV buckets of the fitted column. Defaults to 0.
        dtype: string (default) or an integer dtype.

    Example:
        >>> vocabulary_column("day", top_k=7).name
        'day'
    """
    dtype = as_dtype(dtype)
    return PendingVocabulary(
        key=check_key(key),
        top_k=top_k,
        min_count=int(min_count),
        num_oov_buckets=int(num_oov_buckets),
        dtype=dtype,
    )


def _walk(column: Any, out: list[Any]) -> None:
    if isinstance(column, FeatureColumn):
        out.append(column)
        for field in column._FIELDS:
            value = getattr(column, field)
            for item in value if isinstance(value, tuple) else (value,):
                _walk(item, out)


def _replace(column: Any, fitted: dict[Any, FeatureColumn]) -> Any:
    if not isinstance(column, FeatureColumn):
        return column
    if column in fitted:
        return fitted[column]
    fields, changed = {}, False
    for field in column._FIELDS:
        value = getattr(column, field)
        if isinstance(value, tuple):
            new = tuple(_replace(v, fitted) for v in value)
        else:
            new = _replace(value, fitted)
        changed |= new is not value and new != value
        fields[field] = new
    return type(column)._from_fields(fields) if changed else column
