"""Columns applied to a batch in numpy: what DenseFeatures computes, without nn.

Example:
    >>> import numpy as np
    >>> import pipeline as pl
    >>> fc = pl.feature_column
    >>> cols = [fc.numeric_column("b"), fc.numeric_column("a")]
    >>> dense_features(cols, {"a": np.array([1.0]), "b": np.array([2.0])}).tolist()
    [[1.0, 2.0]]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from pipeline.feature_column._base import (
    CategoricalColumn,
    DenseColumn,
    FeatureColumn,
    TransformCache,
)
from pipeline.feature_column._checks import check_rows, normalize_columns
from pipeline.feature_column._inputs import Ragged

__all__ = [
    "dense_features",
    "embedding_dimension",
    "make_parse_example_spec",
    "sorted_dense_columns",
    "transform_dense",
    "transform_ids",
]


def sorted_dense_columns(feature_columns: Iterable[Any]) -> list[DenseColumn]:
    """The columns in DenseFeatures' order (by ``name``), checked.

    A bare column counts as a list of one, as in TF.

    Raises:
        ValueError: no columns, a dict, a non-dense column, or a duplicate name.

    Example:
        >>> import pipeline as pl
        >>> cols = [pl.feature_column.numeric_column(k) for k in ("b", "B", "_a")]
        >>> [c.name for c in sorted_dense_columns(cols)]
        ['B', '_a', 'b']
    """
    columns = normalize_columns(feature_columns)
    for column in columns:
        if not isinstance(column, DenseColumn):
            raise ValueError(
                "Items of feature_columns must be a DenseColumn. You can wrap a "
                "categorical column with an embedding_column or indicator_column. "
                f"Given: {column}"
            )
    return sorted(columns, key=lambda c: c.name)


def transform_dense(column: DenseColumn, features: dict[str, Any]) -> np.ndarray:
    """One dense column's float32 ``[batch, width]`` output on ``features``.

    Embedding columns use their initial table (see ``initial_table``).

    Example:
        >>> import pipeline as pl
        >>> transform_dense(pl.feature_column.numeric_column("x"), {"x": [3]}).tolist()
        [[3.0]]
    """
    return column._dense(TransformCache(features))


def transform_ids(column: CategoricalColumn, features: dict[str, Any]) -> Ragged:
    """A categorical column's ids on ``features``, per row (``.splits``, ``.values``).

    Example:
        >>> import pipeline as pl
        >>> col = pl.feature_column.categorical_column_with_identity("k", 5)
        >>> transform_ids(col, {"k": [[1, -1], [2, 3]]}).values.tolist()
        [1, 2, 3]
    """
    return TransformCache(features).ids(column)


def dense_features(
    feature_columns: Sequence[DenseColumn],
    features: dict[str, Any],
    tables: dict[Any, Any] | None = None,
) -> np.ndarray:
    """DenseFeatures' output in numpy: the columns sorted by name, concatenated.

    Args:
        feature_columns: dense columns.
        features: the batch (dict of arrays, SparseTensors, ragged lists).
        tables: optional embedding tables by column ``table_key``; missing ones
            come from the columns' initializers.

    Returns:
        float32 ``[batch, total width]``.

    Raises:
        InvalidArgumentError: the columns disagree on the batch size.

    Example:
        >>> import pipeline as pl
        >>> col = pl.feature_column.numeric_column("x", shape=2)
        >>> dense_features([col], {"x": [[1, 2]]}).tolist()
        [[1.0, 2.0]]
    """
    cache = TransformCache(features)
    outputs = []
    rows = None
    for column in sorted_dense_columns(feature_columns):
        if tables is not None and hasattr(column, "table_key"):
            out = column._dense(cache, tables.get(column.table_key))
        else:
            out = column._dense(cache)
        check_rows(out.shape[0], rows, column.name)
        rows = out.shape[0]
        outputs.append(out)
    return np.concatenate(outputs, axis=1) if len(outputs) > 1 else outputs[0]


def make_parse_example_spec(feature_columns: Iterable[FeatureColumn]) -> dict[str, Any]:
    """The ``parse_example`` spec the columns need (merged by feature key).

    Raises:
        ValueError: an item that is not a column, or two columns needing the
            same key with different specs.

    Example:
        >>> import pipeline as pl
        >>> col = pl.feature_column.categorical_column_with_identity("k", 3)
        >>> make_parse_example_spec([col])["k"].dtype
        dtype('int64')
    """
    spec: dict[str, Any] = {}
    for column in feature_columns:
        if not isinstance(column, FeatureColumn):
            raise ValueError(
                f"All feature_columns must be FeatureColumn instances. Given: {column}"
            )
        for key, value in column.parse_example_spec.items():
            if key in spec and repr(spec[key]) != repr(value):
                raise ValueError(
                    f"feature_columns contain different parse_spec for key {key}. "
                    f"Given {value} and {spec[key]}"
                )
            spec[key] = value
    return spec


def embedding_dimension(num_values: int) -> int:
    """The rule of thumb for an embedding size: about the fourth root of the values.

    A suggestion only; no column applies it by itself.

    Args:
        num_values: the number of distinct values (e.g. a column's ``num_buckets``).

    Returns:
        ``ceil(num_values ** 0.25)``, at least 1.

    Example:
        >>> embedding_dimension(256), embedding_dimension(10000), embedding_dimension(1)
        (4, 10, 1)
    """
    if num_values < 1:
        raise ValueError(
            f"`num_values` must be >= 1. Received: num_values={num_values}"
        )
    root = max(1, round(num_values**0.25))
    while root**4 < num_values:
        root += 1
    while root > 1 and (root - 1) ** 4 >= num_values:
        root -= 1
    return root
