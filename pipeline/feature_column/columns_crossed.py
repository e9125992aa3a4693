"""``crossed_column`` and ``weighted_categorical_column``, as in ``tf.feature_column``.

Crossing follows TensorFlow's hashed cross exactly: each key gives one input
(a raw feature as it is, or a column's sparse ids); sparse inputs go first,
then dense ones, each group in the order of ``keys``; per row every
combination of values is hashed with ``FingerprintCat64`` chained from
``hash_key`` (strings enter as their Fingerprint64, integers as their raw
two's-complement value), modulo ``hash_bucket_size``.

Example:
    >>> import pipeline as pl
    >>> fc = pl.feature_column
    >>> c = fc.crossed_column(["b", "a"], hash_bucket_size=10)
    >>> c.name, c.num_buckets
    ('a_X_b', 10)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pipeline import _kernels
from pipeline.feature_column._base import CategoricalColumn, TransformCache, check_key
from pipeline.feature_column._inputs import Ragged, as_dtype, to_ragged
from pipeline.feature_column.columns_categorical import HashedCategoricalColumn
from pipeline.types import SparseTensor

__all__ = [
    "CrossedColumn",
    "WeightedCategoricalColumn",
    "crossed_column",
    "weighted_categorical_column",
]

_DEFAULT_HASH_KEY = 0xDECAFCAFFE


def _leaf_keys(keys: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    for key in keys:
        out.extend(_leaf_keys(key.keys) if isinstance(key, CrossedColumn) else [key])
    return out


def _as_uint64(values: np.ndarray) -> np.ndarray:
    if values.dtype == object:
        return _kernels.load("farmhash").fingerprint64_objects(values)
    if values.dtype.kind not in "iub":
        raise ValueError(
            f"crossed_column inputs must be strings or integers, got {values.dtype}"
        )
    return values.astype(np.int64, copy=False).view(np.uint64)


class CrossedColumn(CategoricalColumn):
    """Hashed feature cross; see `crossed_column`.

    Example:
        >>> crossed_column(["b", "a"], 5).name
        'a_X_b'
    """

    _FIELDS = ("keys", "hash_bucket_size", "hash_key")

    @property
    def name(self) -> str:
        """The column name (DenseFeatures orders columns by it)."""
        names = [k if isinstance(k, str) else k.name for k in self.keys]
        return "_X_".join(sorted(names))

    @property
    def num_buckets(self) -> int:
        """The number of distinct ids, ``[0, num_buckets)``."""
        return self.hash_bucket_size

    @property
    def parse_example_spec(self) -> dict[str, Any]:
        """The specs of every key (string keys as ``VarLenFeature``s)."""
        from pipeline.io import VarLenFeature

        spec: dict[str, Any] = {}
        for key in self.keys:
            if isinstance(key, str):
                spec[key] = VarLenFeature(np.dtype(object))
            else:
                spec.update(key.parse_example_spec)
        return spec

    def _inputs(self, cache: TransformCache) -> list[Ragged]:
        sparse, dense = [], []
        for key in _leaf_keys(self.keys):
            if isinstance(key, str):
                raw = cache.raw(key)
                group = dense if isinstance(raw, np.ndarray) else sparse
                group.append(to_ragged(raw, missing=False))
            else:
                sparse.append(cache.ids(key))
        return sparse + dense

    def _ids(self, cache: TransformCache) -> Ragged:
        inputs = self._inputs(cache)
        rows = {r.rows for r in inputs}
        if len(rows) != 1:
            from pipeline.errors import InvalidArgumentError

            raise InvalidArgumentError(
                f"crossed_column {self.name!r}: inputs have different batch sizes "
                f"{sorted(rows)}"
            )
        key = _DEFAULT_HASH_KEY if self.hash_key is None else self.hash_key
        splits, ids = _kernels.load("feature_ops").cross(
            [r.splits for r in inputs],
            [_as_uint64(r.values) for r in inputs],
            key,
            self.hash_bucket_size,
        )
        return Ragged(splits, ids)

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> CategoricalColumn:
        return crossed_column(**fields)


def crossed_column(
    keys: Sequence[Any], hash_bucket_size: int, hash_key: int | None = None
) -> CrossedColumn:
    """Crosses features and columns into hashed ids.

    Args:
        keys: at least two feature names (strings) or categorical columns (not
            hashed ones; cross the raw feature instead). The order matters for
            the ids but not for the name.
        hash_bucket_size: the number of buckets, >= 1.
        hash_key: the seed of the hash chain; None for TensorFlow's default.

    Returns:
        A `CrossedColumn`.

    Raises:
        ValueError: fewer than two keys, a bad key, or ``hash_bucket_size < 1``.

    Example:
        >>> crossed_column(["a", "b"], 4, hash_key=7).hash_key
        7
    """
    if not hash_bucket_size or hash_bucket_size < 1:
        raise ValueError(
            f"hash_bucket_size must be > 1. hash_bucket_size: {hash_bucket_size}"
        )
    if not keys or len(keys) < 2:
        raise ValueError(f"keys must be a list with length > 1. Given: {keys}")
    for key in keys:
        if isinstance(key, HashedCategoricalColumn):
            raise ValueError(
                "categorical_column_with_hash_bucket is not supported for crossing. "
                "Hashing before crossing will increase probability of collision. "
                f"Instead, use the feature name as a string. Given: {key}"
            )
        if not isinstance(key, (str, CategoricalColumn)):
            raise ValueError(
                "Unsupported key type. All keys must be either string, or categorical "
                f"column except HashedCategoricalColumn. Given: {key}"
            )
    return CrossedColumn(
        keys=tuple(keys),
        hash_bucket_size=int(hash_bucket_size),
        hash_key=None if hash_key is None else int(hash_key),
    )


class WeightedCategoricalColumn(CategoricalColumn):
    """Ids with per-value weights; see `weighted_categorical_column`.

    Example:
        >>> WeightedCategoricalColumn.__name__
        'WeightedCategoricalColumn'
    """

    _FIELDS = ("categorical_column", "weight_feature_key", "dtype")

    @property
    def name(self) -> str:
        """The column name (DenseFeatures orders columns by it)."""
        return f"{self.categorical_column.name}_weighted_by_{self.weight_feature_key}"

    @property
    def num_buckets(self) -> int:
        """The number of distinct ids, ``[0, num_buckets)``."""
        return self.categorical_column.num_buckets

    @property
    def parse_example_spec(self) -> dict[str, Any]:
        """The ids' spec plus ``{weight_feature_key: VarLenFeature(dtype)}``."""
        from pipeline.io import VarLenFeature

        spec = dict(self.categorical_column.parse_example_spec)
        spec[self.weight_feature_key] = VarLenFeature(self.dtype)
        return spec

    def _values(self) -> tuple[Any, ...]:
        return (self.categorical_column, self.weight_feature_key, self.dtype.str)

    def _ids(self, cache: TransformCache) -> Ragged:
        ids = cache.ids(self.categorical_column)
        raw = cache.raw(self.weight_feature_key)
        if isinstance(raw, (SparseTensor, Ragged)):
            weights = to_ragged(raw, missing=False)
        else:
            weights = self._dense_weights(cache, raw)
        if weights.values.shape[0] != ids.values.shape[0] or not np.array_equal(
            weights.splits, ids.splits
        ):
            raise ValueError(
                f"weighted column {self.name!r}: the weights of "
                f"{self.weight_feature_key!r} do not line up with the ids "
                f"({weights.values.shape[0]} weights for {ids.values.shape[0]} ids)"
            )
        return Ragged(ids.splits, ids.values, weights.values.astype(np.float32))

    def _dense_weights(self, cache: TransformCache, raw: np.ndarray) -> Ragged:
        ids_raw = cache.raw(self.categorical_column.key)
        if not isinstance(ids_raw, np.ndarray) or ids_raw.shape != raw.shape:
            raise ValueError(
                f"dense weights {self.weight_feature_key!r} need dense ids of the "
                "same shape"
            )
        kept = to_ragged(ids_raw, missing=True)
        from pipeline.feature_column._inputs import missing_mask

        return Ragged(
            kept.splits,
            raw.reshape(raw.shape[0], -1)[
                missing_mask(ids_raw.reshape(ids_raw.shape[0], -1))
            ],
        )

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> CategoricalColumn:
        return weighted_categorical_column(**fields)


def weighted_categorical_column(
    categorical_column: CategoricalColumn,
    weight_feature_key: str,
    dtype: Any = np.float32,
) -> WeightedCategoricalColumn:
    """Attaches per-value weights (from another feature) to a categorical column.

    The weights feature has the same indices as the ids (a SparseTensor, or a
    dense array of the ids' shape). An indicator sums the weights per id; an
    embedding uses them in its combiner.

    Args:
        categorical_column: the ids.
        weight_feature_key: the weights' feature name.
        dtype: float or integer weights. Defaults to float32.

    Returns:
        A `WeightedCategoricalColumn`.

    Raises:
        ValueError: a non float/integer dtype, or a bad column.

    Example:
        >>> import pipeline as pl
        >>> ids = pl.feature_column.categorical_column_with_identity("ids", 6)
        >>> weighted_categorical_column(ids, "w").name
        'ids_weighted_by_w'
    """
    check_key(weight_feature_key, "weight_feature_key")
    if not isinstance(categorical_column, CategoricalColumn):
        raise ValueError(
            f"categorical_column must be a categorical column. Given: "
            f"{categorical_column}"
        )
    dtype = as_dtype(dtype)
    if dtype.kind not in "iuf":
        raise ValueError(f"dtype {dtype} is not convertible to float.")
    return WeightedCategoricalColumn(
        categorical_column=categorical_column,
        weight_feature_key=weight_feature_key,
        dtype=dtype,
    )
