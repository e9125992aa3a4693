"""Identity and hashed categorical columns, and the helpers of every id column.

Each maps a feature to int64 ids per row. Dense inputs drop ``""`` (strings) and
``-1`` (integers) as missing; SparseTensor and ragged inputs are used as they are.

Example:
    >>> import numpy as np
    >>> import pipeline as pl
    >>> fc = pl.feature_column
    >>> hour = fc.categorical_column_with_identity("hour", 24)
    >>> fc.transform_ids(hour, {"hour": np.array([[3], [-1]])}).values.tolist()
    [3]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pipeline import _kernels
from pipeline.feature_column._base import (
    CategoricalColumn,
    TransformCache,
    check_key,
)
from pipeline.feature_column._checks import example_feature
from pipeline.feature_column._inputs import Ragged, as_dtype, is_string_dtype, to_ragged

__all__ = [
    "HashedCategoricalColumn",
    "IdentityCategoricalColumn",
    "categorical_column_with_hash_bucket",
    "categorical_column_with_identity",
    "input_ids",
]

_TABLES: dict[Any, Any] = {}


def _var_len_spec(key: str, dtype: np.dtype) -> dict[str, Any]:
    from pipeline.io import VarLenFeature

    return {key: example_feature(VarLenFeature, dtype)}


def input_ids(
    cache: TransformCache, key: str, string_column: bool, identity: bool = False
) -> Ragged:
    """The raw feature ``key`` as ragged values, its dtype checked for the column.

    Raises:
        ValueError: TF's checks, in its order: an identity column given
            non-integers; values neither strings nor integers; strings fed to
            an integer column or the reverse.
    """
    ragged = to_ragged(cache.raw(key), missing=True)
    values = ragged.values
    is_text = is_string_dtype(values.dtype) and (
        values.dtype != object
        or values.size == 0
        or isinstance(values[0], (bytes, str))
    )
    if values.size and identity and (is_text or values.dtype.kind not in "iub"):
        raise ValueError(
            f"Invalid input, not integer. key: {key} dtype: {values.dtype}"
        )
    if values.size and not is_text and values.dtype.kind not in "iub":
        raise ValueError(
            f"Input tensors dtype must be string or integer. dtype: "
            f"{values.dtype}, column_name: {key}"
        )
    if string_column != is_text and values.size:
        want = "string" if string_column else "integer"
        raise ValueError(
            f"Column dtype and SparseTensors dtype must be compatible. key: {key}, "
            f"column dtype: {want}, tensor dtype: {values.dtype}"
        )
    if not string_column:
        ragged = ragged.with_values(values.astype(np.int64, copy=False))
    return ragged


def _lookup(table: Any, ragged: Ragged, default_value: int, oov: int) -> Ragged:
    return ragged.with_values(table.lookup(ragged.values, default_value, oov))


def _table(kind: str, entries: Sequence[Any]) -> Any:
    ops = _kernels.load("feature_ops")
    return ops.StringVocab(list(entries)) if kind == "string" else ops.IntVocab(entries)


class IdentityCategoricalColumn(CategoricalColumn):
    """Integer ids used as they are; see `categorical_column_with_identity`.

    Example:
        >>> categorical_column_with_identity("k", 5).num_buckets
        5
    """

    _FIELDS = ("key", "number_buckets", "default_value")

    @property
    def name(self) -> str:
        """The column name (DenseFeatures orders columns by it)."""
        return self.key

    @property
    def num_buckets(self) -> int:
        """The number of distinct ids, ``[0, num_buckets)``."""
        return self.number_buckets

    @property
    def parse_example_spec(self) -> dict[str, Any]:
        """``{key: VarLenFeature(int64)}``."""
        return _var_len_spec(self.key, np.dtype(np.int64))

    def _ids(self, cache: TransformCache) -> Ragged:
        ragged = input_ids(cache, self.key, string_column=False, identity=True)
        if self.default_value is None:
            return ragged
        v = ragged.values
        ok = (v >= 0) & (v < self.number_buckets)
        return ragged.with_values(np.where(ok, v, np.int64(self.default_value)))

    def get_config(self) -> dict[str, Any]:
        """``{"key", "number_buckets", "default_value"}``, TF's names."""
        return {
            "key": self.key,
            "number_buckets": self.number_buckets,
            "default_value": self.default_value,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> CategoricalColumn:
        """Inverse of `get_config` (an older ``num_buckets`` key is read too)."""
        config = dict(config)
        if "number_buckets" in config:
            config["num_buckets"] = config.pop("number_buckets")
        return categorical_column_with_identity(**config)


def categorical_column_with_identity(
    key: str, num_buckets: int, default_value: int | None = None
) -> IdentityCategoricalColumn:
    """Integer features used as ids directly (``[0, num_buckets)``).

    With ``default_value``, ids outside the range become it; without, they pass
    through: an indicator drops them, an embedding lookup fails.

    Args:
        key: the feature name.
        num_buckets: the id range, >= 1.
        default_value: the replacement of out-of-range ids; None keeps them.

    Returns:
        An `IdentityCategoricalColumn`.

    Raises:
        ValueError: ``num_buckets < 1`` or a default outside the range.

    Example:
        >>> categorical_column_with_identity("hour", 24).num_buckets
        24
    """
    check_key(key)
    if num_buckets < 1:
        raise ValueError(f"num_buckets {num_buckets} < 1, column_name {key}")
    if default_value is not None and not 0 <= default_value < num_buckets:
        raise ValueError(
            f"default_value {default_value} not in range [0, {num_buckets}), "
            f"column_name {key}"
        )
    return IdentityCategoricalColumn(
        key=key, number_buckets=int(num_buckets), default_value=default_value
    )


class HashedCategoricalColumn(CategoricalColumn):
    """Hash-bucketed ids; see `categorical_column_with_hash_bucket`.

    Example:
        >>> categorical_column_with_hash_bucket("k", 9).num_buckets
        9
    """

    _FIELDS = ("key", "hash_bucket_size", "dtype")

    @property
    def name(self) -> str:
        """The column name (DenseFeatures orders columns by it)."""
        return self.key

    @property
    def num_buckets(self) -> int:
        """The number of distinct ids, ``[0, num_buckets)``."""
        return self.hash_bucket_size

    @property
    def parse_example_spec(self) -> dict[str, Any]:
        """``{key: VarLenFeature(dtype)}``."""
        return _var_len_spec(self.key, self.dtype)

    def _values(self) -> tuple[Any, ...]:
        return (self.key, self.hash_bucket_size, self.dtype.str)

    def _ids(self, cache: TransformCache) -> Ragged:
        string = self.dtype == object
        ragged = input_ids(cache, self.key, string)
        farm = _kernels.load("farmhash")
        v = ragged.values
        if string:
            ids = farm.fingerprint64_objects(v, self.hash_bucket_size)
        else:
            fps = farm.fingerprint64_int64(v)
            ids = (fps % np.uint64(self.hash_bucket_size)).astype(np.int64)
        return ragged.with_values(ids)

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> CategoricalColumn:
        return categorical_column_with_hash_bucket(**fields)


def categorical_column_with_hash_bucket(
    key: str, hash_bucket_size: int, dtype: Any = "string"
) -> HashedCategoricalColumn:
    """Ids by hashing: ``Fingerprint64(s) % hash_bucket_size``.

    Integers are hashed as their decimal strings, as TensorFlow does.

    Args:
        key: the feature name.
        hash_bucket_size: the number of buckets, > 1 is useful, >= 1 required.
        dtype: string (default) or an integer dtype.

    Returns:
        A `HashedCategoricalColumn`.

    Raises:
        ValueError: ``hash_bucket_size`` None or < 1, or a non string/integer
            dtype.

    Example:
        >>> categorical_column_with_hash_bucket("vendor", 1000).num_buckets
        1000
    """
    check_key(key)
    if hash_bucket_size is None:
        raise ValueError(f"hash_bucket_size must be set. key: {key}")
    if hash_bucket_size < 1:
        raise ValueError(
            f"hash_bucket_size must be at least 1. hash_bucket_size: "
            f"{hash_bucket_size}, key: {key}"
        )
    dtype = as_dtype(dtype)
    if dtype.kind not in "Oiu":
        raise ValueError(
            f"dtype must be string or integer. dtype: {dtype}, column_name: {key}"
        )
    return HashedCategoricalColumn(
        key=key, hash_bucket_size=int(hash_bucket_size), dtype=dtype
    )
