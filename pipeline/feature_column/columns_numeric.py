"""``numeric_column`` and ``bucketized_column``, as in ``tf.feature_column``.

Example:
    >>> import numpy as np
    >>> import pipeline as pl
    >>> fc = pl.feature_column
    >>> age = fc.bucketized_column(fc.numeric_column("age"), [18.0, 65.0])
    >>> age.name, age.num_buckets
    ('age_bucketized', 3)
    >>> fc.transform_dense(age, {"age": np.array([[10.0], [18.0]])}).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from pipeline import _kernels
from pipeline.errors import InvalidArgumentError
from pipeline.feature_column._base import (
    CategoricalColumn,
    DenseColumn,
    TransformCache,
    check_key,
)
from pipeline.feature_column._checks import example_feature
from pipeline.feature_column._inputs import Ragged, as_dtype
from pipeline.types import SparseTensor

__all__ = [
    "BucketizedColumn",
    "Normalization",
    "NumericColumn",
    "bucketized_column",
    "numeric_column",
]


class Normalization:
    """A saved normalizer: ``(x - mean) / sqrt(variance)`` (what ``adapt`` fits).

    Args:
        mean: the mean (a number or a list for a vector column).
        variance: the variance; a zero variance divides by 1 instead.

    Example:
        >>> Normalization(3.0, 4.0)(np.array([5.0], np.float32)).tolist()
        [1.0]
    """

    def __init__(self, mean: Any, variance: Any) -> None:
        self.mean = np.asarray(mean, dtype=np.float64)
        self.variance = np.asarray(variance, dtype=np.float64)

    def __call__(self, x: Any) -> np.ndarray:
        std = np.sqrt(self.variance)
        std = np.where(std > 0, std, 1.0)
        out = np.asarray(x, dtype=np.float32) - self.mean.astype(np.float32)
        return out / std.astype(np.float32)

    def get_config(self) -> dict[str, Any]:
        """``{"mean", "variance"}`` as plain lists/numbers."""
        return {"mean": self.mean.tolist(), "variance": self.variance.tolist()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Normalization:
        """Inverse of `get_config`."""
        return cls(**config)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Normalization) and self.get_config() == other.get_config()
        )

    def __hash__(self) -> int:
        return hash(repr(self.get_config()))

    def __repr__(self) -> str:
        mean, variance = self.mean.tolist(), self.variance.tolist()
        return f"Normalization(mean={mean}, variance={variance})"


class NumericColumn(DenseColumn):
    """Real-valued feature; see `numeric_column`.

    Example:
        >>> numeric_column("x").name
        'x'
    """

    _FIELDS = ("key", "shape", "default_value", "dtype", "normalizer_fn")
    _FUNCTION_FIELDS = ("normalizer_fn",)

    @property
    def name(self) -> str:
        """The column name (DenseFeatures orders columns by it)."""
        return self.key

    @property
    def variable_shape(self) -> tuple[int, ...]:
        """The per-example output shape."""
        return tuple(self.shape)

    @property
    def parse_example_spec(self) -> dict[str, Any]:
        """``{key: FixedLenFeature(shape, dtype, default_value)}``."""
        from pipeline.io import FixedLenFeature

        spec = example_feature(
            FixedLenFeature,
            self.dtype,
            shape=self.shape,
            default_value=self.default_value,
        )
        return {self.key: spec}

    def _values(self) -> tuple[Any, ...]:
        return (
            self.key,
            self.shape,
            self.default_value,
            self.dtype.str,
            self.normalizer_fn,
        )

    def _dense(self, cache: TransformCache) -> np.ndarray:
        raw = cache.raw(self.key)
        if isinstance(raw, (SparseTensor, Ragged)):
            raise ValueError(
                "The corresponding Tensor of numerical column must be a Tensor. "
                f"SparseTensor is not supported. key: {self.key}"
            )
        if raw.dtype == object:
            raise InvalidArgumentError(
                f"numeric column {self.key!r} got strings; parse them as numbers first"
            )
        if self.normalizer_fn is not None:
            raw = np.asarray(self.normalizer_fn(raw))
        out = raw.astype(np.float32, copy=False)
        rows, width = out.shape[0], self.width
        if out.size != rows * width:
            raise InvalidArgumentError(
                f"numeric column {self.key!r} (shape={self.shape}) cannot reshape "
                f"its feature of shape {out.shape}: Cannot reshape a tensor with "
                f"{out.size} elements to shape [{rows},{width}] (the input to "
                f"reshape is a tensor with {out.size} values, but the requested "
                f"shape has {rows * width})"
            )
        return out.reshape(rows, width)

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> NumericColumn:
        return numeric_column(**fields)


def _shape(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    shape = tuple(shape)
    for dim in shape:
        if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
            raise TypeError(f"shape dimensions must be integer. shape: {shape}")
        if dim < 1:
            raise ValueError(f"shape dimensions must be greater than 0. shape: {shape}")
    return tuple(int(d) for d in shape)


def _default(default_value: Any, shape: tuple[int, ...], dtype: np.dtype, key: str):
    """The default as nested tuples of ``shape`` (TF keeps the nesting)."""
    if default_value is None:
        return None
    arr = np.asarray(default_value)
    ints_wanted = dtype.kind in "iu"
    if arr.dtype.kind not in "biuf" or (ints_wanted and arr.dtype.kind == "f"):
        raise TypeError(
            f"default_value must be compatible with dtype. default_value: "
            f"{default_value}, dtype: {dtype}, key: {key}"
        )
    if arr.ndim == 0:
        arr = np.full(shape, arr)
    if arr.shape != shape:
        raise ValueError(
            f"The shape of default_value must be equal to given shape. "
            f"default_value: {default_value}, shape: {shape}, key: {key}"
        )
    return _nested(arr.tolist(), int if ints_wanted else float)


def _nested(value: Any, cast: Callable[[Any], Any]) -> Any:
    if isinstance(value, list):
        return tuple(_nested(v, cast) for v in value)
    return cast(value)


def numeric_column(
    key: str,
    shape: int | Sequence[int] = (1,),
    default_value: Any = None,
    dtype: Any = np.float32,
    normalizer_fn: Callable[[Any], Any] | None = None,
) -> NumericColumn:
    """A real-valued column: the feature cast to float32, ``[batch, prod(shape)]``.

    Args:
        key: the feature name.
        shape: the per-example shape. Defaults to ``(1,)``.
        default_value: fills examples that lack the feature when parsing
            ``tf.train.Example`` (a number or a nested list of ``shape``; kept
            as nested tuples of ``shape``). Must hold integers for an integer
            ``dtype``. Defaults to None (the feature is required).
        dtype: the feature's dtype when parsed. Defaults to float32.
        normalizer_fn: applied to the raw feature before the float32 cast.
            Defaults to None. Use a module-level function or `Normalization` to
            keep the column savable.

    Returns:
        A `NumericColumn`.

    Raises:
        ValueError: bad key, shape or default shape; TypeError: bad dimension
            type, non-numeric default, or a non-callable ``normalizer_fn``.

    Example:
        >>> numeric_column("x", shape=2, default_value=0.0).default_value
        (0.0, 0.0)
        >>> numeric_column("x", shape=[1, 2], default_value=[[3, 2.0]]).default_value
        ((3.0, 2.0),)
    """
    check_key(key)
    shape = _shape(shape)
    dtype = as_dtype(dtype)
    if dtype.kind not in "iuf":
        raise ValueError(
            f"dtype must be convertible to float. dtype: {dtype}, key: {key}"
        )
    default_value = _default(default_value, shape, dtype, key)
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable. Given: {normalizer_fn}")
    return NumericColumn(
        key=key,
        shape=shape,
        default_value=default_value,
        dtype=dtype,
        normalizer_fn=normalizer_fn,
    )


class BucketizedColumn(DenseColumn, CategoricalColumn):
    """Discretized numeric column; see `bucketized_column`.

    Example:
        >>> bucketized_column(numeric_column("x"), [0.0]).num_buckets
        2
    """

    _FIELDS = ("source_column", "boundaries")

    @property
    def name(self) -> str:
        """The column name (DenseFeatures orders columns by it)."""
        return f"{self.source_column.name}_bucketized"

    @property
    def parse_example_spec(self) -> dict[str, Any]:
        """The source column's spec."""
        return self.source_column.parse_example_spec

    @property
    def variable_shape(self) -> tuple[int, ...]:
        """The per-example output shape."""
        return (*self.source_column.shape, len(self.boundaries) + 1)

    @property
    def num_buckets(self) -> int:
        """The number of distinct ids, ``[0, num_buckets)``."""
        return math.prod(self.source_column.shape) * (len(self.boundaries) + 1)

    def _buckets(self, cache: TransformCache) -> np.ndarray:
        return cache.memo(("buckets", self), lambda: self._compute_buckets(cache))

    def _compute_buckets(self, cache: TransformCache) -> np.ndarray:
        values = self.source_column._dense(cache)
        edges = self.__dict__.get("_edges")
        if edges is None:  # float32 boundaries, as TF's Bucketize attr holds them
            edges = np.asarray(self.boundaries, dtype=np.float32).astype(np.float64)
            object.__setattr__(self, "_edges", edges)
        flat = _kernels.load("feature_ops").bucketize(values.astype(np.float64), edges)
        return flat.reshape(values.shape)

    def _dense(self, cache: TransformCache) -> np.ndarray:
        buckets = self._buckets(cache)
        rows, k = buckets.shape
        depth = len(self.boundaries) + 1
        out = np.zeros(rows * k * depth, dtype=np.float32)
        out[buckets.reshape(-1) + np.arange(rows * k, dtype=np.int64) * depth] = 1.0
        return out.reshape(rows, k * depth)

    def _ids(self, cache: TransformCache) -> Ragged:
        buckets = self._buckets(cache)
        rows, k = buckets.shape
        ids = buckets + np.arange(k, dtype=np.int64) * (len(self.boundaries) + 1)
        return Ragged(np.arange(rows + 1, dtype=np.int64) * k, ids.reshape(-1))

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> BucketizedColumn:
        return bucketized_column(**fields)


def bucketized_column(
    source_column: NumericColumn, boundaries: Sequence[float]
) -> BucketizedColumn:
    """Buckets of a numeric column: one-hot dense output, or ids when crossed.

    ``bucket = number of boundaries <= x`` (a value equal to a boundary goes to
    the upper bucket); boundaries and values compare as float32. A source of
    shape ``(k,)`` gives k one-hot blocks; as ids, element j's bucket is offset
    by ``j * (len(boundaries) + 1)``.

    Args:
        source_column: a `numeric_column` (one-dimensional shape).
        boundaries: strictly increasing floats.

    Returns:
        A `BucketizedColumn` (both dense and categorical).

    Raises:
        ValueError: a non-numeric source, or empty / unsorted boundaries.

    Example:
        >>> bucketized_column(numeric_column("x"), [0, 1]).boundaries
        (0.0, 1.0)
    """
    if not isinstance(source_column, NumericColumn):
        raise ValueError(
            "source_column must be a column generated with numeric_column(). "
            f"Given: {source_column}"
        )
    if len(source_column.shape) > 1:
        raise ValueError(
            f"source_column must be one-dimensional column. Given: {source_column}"
        )
    if not boundaries:
        raise ValueError("boundaries must not be empty.")
    if not isinstance(boundaries, (list, tuple, np.ndarray)):
        raise ValueError("boundaries must be a sorted list.")
    edges = tuple(float(b) for b in boundaries)
    if any(a >= b for a, b in zip(edges, edges[1:])):
        raise ValueError(f"boundaries must be a sorted list. boundaries: {boundaries}")
    return BucketizedColumn(source_column=source_column, boundaries=edges)
