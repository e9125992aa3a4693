"""TF's checks on column lists and batches, and the Example spec of a column.

Example:
    >>> import pipeline as pl
    >>> [c.name for c in normalize_columns(pl.feature_column.numeric_column("a"))]
    ['a']
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.feature_column._base import FeatureColumn

__all__ = ["check_rows", "example_feature", "normalize_columns"]


def example_feature(feature_class: Any, dtype: Any, **kwargs: Any) -> Any:
    """``feature_class(dtype=dtype, **kwargs)``, the column's own dtype if it can.

    A column keeps the dtype it was given (int32 stays int32, as in TF); when
    ``pl.io`` refuses it for an Example feature, the spec falls back to what
    an Example stores (int64 for integers, float32 for floats).

    Example:
        >>> from pipeline.io import VarLenFeature
        >>> example_feature(VarLenFeature, "int64").dtype
        dtype('int64')
    """
    try:
        return feature_class(dtype=dtype, **kwargs)
    except InvalidArgumentError:
        kind = np.dtype(dtype).kind
        if kind not in "iubf":
            raise
        fallback = np.dtype(np.float32 if kind == "f" else np.int64)
        return feature_class(dtype=fallback, **kwargs)


def check_rows(
    rows: int, expected: int | None, name: str, error: type[Exception] = ValueError
) -> None:
    """All columns of one batch must have the same number of rows.

    DenseFeatures raises ValueError (TF's static check); LinearModel passes
    ``InvalidArgumentError`` (a ValueError too).

    Example:
        >>> check_rows(2, None, "x")
        >>> check_rows(2, 3, "x")
        Traceback (most recent call last):
        ...
        ValueError: Batch size (first dimension) of each feature must be same. \
Batch size of column 'x' is 2, expected 3.
    """
    if expected is not None and rows != expected:
        raise error(
            f"Batch size (first dimension) of each feature must be same. "
            f"Batch size of column {name!r} is {rows}, expected {expected}."
        )


def normalize_columns(feature_columns: Any) -> list[FeatureColumn]:
    """The columns as a list, with TF's checks (a bare column is a list of one).

    Raises:
        ValueError: a dict, something not iterable, no columns, an item that is
            not a column, or two columns of one name.

    Example:
        >>> import pipeline as pl
        >>> [c.name for c in normalize_columns(pl.feature_column.numeric_column("a"))]
        ['a']
    """
    if isinstance(feature_columns, FeatureColumn):
        return [feature_columns]
    if isinstance(feature_columns, dict):
        raise ValueError("Expected feature_columns to be iterable, found dict.")
    try:
        columns = list(feature_columns)
    except TypeError:
        raise ValueError(
            "Expected feature_columns to be iterable, found "
            f"{type(feature_columns).__name__}."
        ) from None
    if not columns:
        raise ValueError("feature_columns must not be empty.")
    for column in columns:
        if not isinstance(column, FeatureColumn):
            raise ValueError(
                f"Items of feature_columns must be a FeatureColumn. Given (type "
                f"{type(column).__name__}): {column}."
            )
    ordered = sorted(columns, key=lambda c: c.name)
    for a, b in zip(ordered, ordered[1:]):
        if a.name == b.name:
            raise ValueError(
                f"Duplicate feature column name found for columns: {a} and {b}. "
                "This usually means that these columns refer to same base feature. "
                "Either one must be discarded or a duplicated but renamed item must "
                "be inserted in features dict."
            )
    return columns
