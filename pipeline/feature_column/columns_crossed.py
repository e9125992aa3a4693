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
from pipeline.errors import InvalidArgumentError
from pipeline.feature_column._base import (
    CategoricalColumn,
    TransformCache,
    check_key,
)
from pipeline.feature_column._checks import example_feature
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

    The name joins the sorted names of the leaf keys (a nested cross's own
    keys, not its name), as TensorFlow's does.

    Example:
        >>> crossed_column(["b", "a"], 5).name
        'a_X_b'
        >>> crossed_column([crossed_column(["d2", "c"], 5), "d1"], 5).name
        'c_X_d1_X_d2'
    """

    _FIELDS = ("keys", "hash_bucket_size", "hash_key")

    @property
    def name(self) -> str:
        """The column name (DenseFeatures orders columns by it)."""
        names = [k if isinstance(k, str) else k.name for k in _leaf_keys(self.keys)]
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
                ids = cache.ids(key)
                if ids.weights is not None:
                    raise ValueError(
                        "crossed_column does not support weight_tensor, but the "
                        f"given column populates weight_tensor. Given column: "
                        f"{key.name}"
                    )
                sparse.append(ids)
        return sparse + dense

    def _ids(self, cache: TransformCache) -> Ragged:
        inputs = self._inputs(cache)
        rows = {r.rows for r in inputs}
        if len(rows) != 1:
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
        """The ids' spec plus ``{weight_feature_key: VarLenFeature(dtype)}``.

        Raises:
            ValueError: the weight key is also a key of the ids (TF's check).
        """
        from pipeline.io import VarLenFeature

        spec = dict(self.categorical_column.parse_example_spec)
        if self.weight_feature_key in spec:
            raise ValueError(
                f"Parse config {self.weight_feature_key} already exists for "
                f"{self.categorical_column.name}: the weights need a feature key of "
                "their own"
            )
        spec[self.weight_feature_key] = example_feature(VarLenFeature, self.dtype)
        return spec

    def _values(self) -> tuple[Any, ...]:
        return (self.categorical_column, self.weight_feature_key, self.dtype.str)

    def _ids(self, cache: TransformCache) -> Ragged:
        weights = self._weights(cache)
        ids = cache.ids(self.categorical_column)
        if weights.shape[0] != ids.values.shape[0]:
            raise InvalidArgumentError(
                f"weighted column {self.name!r}: Incompatible shapes: "
                f"{weights.shape[0]} weights in {self.weight_feature_key!r} for "
                f"{ids.values.shape[0]} ids (Dimensions {weights.shape[0]} and "
                f"{ids.values.shape[0]} are not compatible; weights pair with the "
                "ids in order)"
            )
        return Ragged(ids.splits, ids.values, weights)

    def _weights(self, cache: TransformCache) -> np.ndarray:
        """The weight values in order, as TF pairs them with the ids.

        A SparseTensor or ragged input gives its values; a dense input gives its
        non-zero cells, row-major (TF drops the 0.0 cells).
        """
        raw = cache.raw(self.weight_feature_key)
        if isinstance(raw, (SparseTensor, Ragged)):
            values = to_ragged(raw, missing=False).values
        else:
            values = raw.reshape(-1)
            if values.dtype.kind in "iufb":
                values = values[values != 0]
        values = np.asarray(values)
        if values.dtype.kind not in "iufb":
            raise ValueError(
                f"Bad dtype, expected {self.dtype}, but got {values.dtype}: the "
                f"weights {self.weight_feature_key!r} of {self.name!r} must be numbers"
            )
        return values.astype(np.float32)

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> CategoricalColumn:
        return weighted_categorical_column(**fields)


def weighted_categorical_column(
    categorical_column: CategoricalColumn,
    weight_feature_key: str,
    dtype: Any = np.float32,
) -> WeightedCategoricalColumn:
    """Attaches per-value weights (from another feature) to a categorical column.

    The weights pair with the ids in order, as in TensorFlow: a SparseTensor
    (or ragged) weights feature gives its values, a dense one its non-zero
    cells row-major; there must be one weight per id (dense ids drop their
    missing cells first, sparse ids keep all). An indicator sums the weights
    per id; an embedding or `LinearModel` uses them in its combiner.

    Args:
        categorical_column: the ids.
        weight_feature_key: the weights' feature name.
        dtype: float or integer weights. Defaults to float32.

    Returns:
        A `WeightedCategoricalColumn`.

    Raises:
        ValueError: a missing or non float/integer dtype, or a bad column. A
            weight key equal to the ids' key fails in ``parse_example_spec``;
            a weight count unequal to the id count raises InvalidArgumentError
            when the column is used.

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
    if dtype is None or as_dtype(dtype).kind not in "iuf":
        raise ValueError(f"dtype {dtype} is not convertible to float.")
    dtype = as_dtype(dtype)
    return WeightedCategoricalColumn(
        categorical_column=categorical_column,
        weight_feature_key=weight_feature_key,
        dtype=dtype,
    )
