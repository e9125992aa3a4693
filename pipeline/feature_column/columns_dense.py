"""``indicator_column``, ``embedding_column`` and ``shared_embeddings``.

Example:
    >>> import numpy as np
    >>> import pipeline as pl
    >>> fc = pl.feature_column
    >>> ids = fc.categorical_column_with_identity("id", 3)
    >>> table = np.arange(6, dtype=np.float32).reshape(3, 2)
    >>> emb = fc.embedding_column(ids, 2, initializer=lambda shape, dtype=None: table)
    >>> fc.transform_dense(emb, {"id": np.array([[0], [2]])}).tolist()
    [[0.0, 1.0], [4.0, 5.0]]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from pipeline.feature_column import _combine
from pipeline.feature_column._base import (
    CategoricalColumn,
    DenseColumn,
    TransformCache,
    _to_config,
    serialize_function,
)

__all__ = [
    "EmbeddingColumn",
    "IndicatorColumn",
    "embedding_column",
    "indicator_column",
]

_INITIAL_TABLES: dict[Any, np.ndarray] = {}


class IndicatorColumn(DenseColumn):
    """Multi-hot (count) representation; see `indicator_column`.

    Example:
        >>> IndicatorColumn.__name__
        'IndicatorColumn'
    """

    _FIELDS = ("categorical_column",)

    @property
    def name(self) -> str:
        """The column name (DenseFeatures orders columns by it)."""
        return f"{self.categorical_column.name}_indicator"

    @property
    def variable_shape(self) -> tuple[int, ...]:
        """``(1, num_buckets)``, as TensorFlow states it (the output is 2-D)."""
        return (1, self.categorical_column.num_buckets)

    @property
    def parse_example_spec(self) -> dict[str, Any]:
        """The categorical column's spec."""
        return self.categorical_column.parse_example_spec

    def _dense(self, cache: TransformCache) -> np.ndarray:
        ids = cache.ids(self.categorical_column)
        return _combine.indicator(ids, self.categorical_column.num_buckets)


def indicator_column(categorical_column: CategoricalColumn) -> IndicatorColumn:
    """Counts of each id per example: ``[batch, num_buckets]`` float32.

    A duplicate id counts 2; a weighted column sums its weights instead.

    Args:
        categorical_column: the ids.

    Returns:
        An `IndicatorColumn`.

    Raises:
        ValueError: not a categorical column.

    Example:
        >>> import pipeline as pl
        >>> ids = pl.feature_column.categorical_column_with_identity("a", 3)
        >>> indicator_column(ids).name
        'a_indicator'
    """
    if not isinstance(categorical_column, CategoricalColumn):
        raise ValueError(
            f"Unsupported input type. Input must be a CategoricalColumn. Given: "
            f"{categorical_column}"
        )
    return IndicatorColumn(categorical_column=categorical_column)


def truncated_normal(stddev: float) -> Callable[..., np.ndarray]:
    """A ``f(shape, dtype=None)`` initializer: normal(0, stddev) cut at 2 stddev."""

    def init(shape: Sequence[int], dtype: Any = None) -> np.ndarray:
        rng = np.random.default_rng()
        out = rng.normal(0.0, stddev, size=tuple(shape))
        bad = np.abs(out) > 2 * stddev
        while bad.any():
            out[bad] = rng.normal(0.0, stddev, size=int(bad.sum()))
            bad = np.abs(out) > 2 * stddev
        return out.astype(np.float32)

    return init


class _EmbeddingBase(DenseColumn):
    """What embedding and shared-embedding columns have in common."""

    _FUNCTION_FIELDS = ("initializer",)

    @property
    def variable_shape(self) -> tuple[int, ...]:
        """The per-example output shape."""
        return (self.dimension,)

    @property
    def parse_example_spec(self) -> dict[str, Any]:
        """The categorical column's spec."""
        return self.categorical_column.parse_example_spec

    @property
    def table_shape(self) -> tuple[int, int]:
        """``(num_buckets, dimension)`` of the embedding table."""
        return (self.categorical_column.num_buckets, self.dimension)

    def initial_table(self) -> np.ndarray:
        """A new table from the initializer, called as ``f(shape, dtype=None)``.

        Raises:
            ValueError: the initializer's value has another shape.
        """
        init = self.initializer or truncated_normal(1.0 / math.sqrt(self.dimension))
        value = np.asarray(init(self.table_shape, dtype=None), dtype=np.float32)
        if value.shape != self.table_shape:
            raise ValueError(
                f"the initializer of {self.name!r} gave shape {value.shape}, "
                f"expected {self.table_shape}"
            )
        return value

    def get_config(self) -> dict[str, Any]:
        """The fields as data; an initializer that cannot be saved becomes None.

        The table's values travel with the model's weights, so a lambda
        initializer only loses how a *new* table would be drawn (the default
        truncated normal is used then).
        """
        config = {f: _to_config(getattr(self, f), False) for f in self._FIELDS}
        try:
            config["initializer"] = serialize_function(self.initializer)
        except ValueError:
            config["initializer"] = None
        return config

    def lookup(self, cache: TransformCache) -> _combine.Entries:
        """The kept embedding entries of this batch (ids, weights, rows)."""
        ids = cache.ids(self.categorical_column)
        return _combine.embedding_entries(ids, self.combiner, self.table_shape[0])

    def _dense(self, cache: TransformCache, table: Any = None) -> np.ndarray:
        if table is None:
            table = _INITIAL_TABLES.get(self.table_key)
            if table is None:
                table = _INITIAL_TABLES[self.table_key] = self.initial_table()
        ids = cache.ids(self.categorical_column)
        return _combine.combine_ragged(ids, table, self.combiner, self.max_norm)


class EmbeddingColumn(_EmbeddingBase):
    """A trainable dense representation of ids; see `embedding_column`.

    Example:
        >>> EmbeddingColumn.__name__
        'EmbeddingColumn'
    """

    _FIELDS = (
        "categorical_column",
        "dimension",
        "combiner",
        "initializer",
        "ckpt_to_load_from",
        "tensor_name_in_ckpt",
        "max_norm",
        "trainable",
        "use_safe_embedding_lookup",
    )

    @property
    def name(self) -> str:
        """The column name (DenseFeatures orders columns by it)."""
        return f"{self.categorical_column.name}_embedding"

    @property
    def table_key(self) -> Any:
        """Identifies the table (one per column)."""
        return self

    @property
    def table_name(self) -> str:
        """The variable's name, as TF names it."""
        return f"{self.name}/embedding_weights"

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> EmbeddingColumn:
        return embedding_column(**fields)


def _check_embedding_args(
    dimension: Any, combiner: str, initializer: Any, ckpt: Any, tensor_name: Any
) -> None:
    if dimension is None or dimension < 1:
        raise ValueError(f"Invalid dimension {dimension}.")
    if (ckpt is None) != (tensor_name is None):
        raise ValueError(
            "Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` "
            "or none of them."
        )
    if initializer is not None and not callable(initializer):
        raise ValueError(
            f"initializer must be callable if specified. Embedding of column_name: "
            f"{initializer}"
        )


def embedding_column(
    categorical_column: CategoricalColumn,
    dimension: int,
    combiner: str = "mean",
    initializer: Callable[..., Any] | None = None,
    ckpt_to_load_from: str | None = None,
    tensor_name_in_ckpt: str | None = None,
    max_norm: float | None = None,
    trainable: bool = True,
    use_safe_embedding_lookup: bool = True,
) -> EmbeddingColumn:
    """Dense embedding of a categorical column: ``[batch, dimension]`` float32.

    Per row the looked-up vectors are combined (``mean``, ``sqrtn`` or ``sum``)
    with TF's safe-lookup rules (see ``_combine``): negative ids are skipped,
    an empty row gives zeros, ids >= ``num_buckets`` raise InvalidArgumentError.

    Args:
        categorical_column: the ids.
        dimension: the embedding size, >= 1.
        combiner: ``"mean"`` (default), ``"sqrtn"`` or ``"sum"``.
        initializer: ``f(shape, dtype=None)`` giving the ``[num_buckets,
            dimension]`` table; defaults to a truncated normal with stddev
            ``1/sqrt(dimension)``.
        ckpt_to_load_from: TF checkpoint options, kept for compatibility.
        tensor_name_in_ckpt: see ``ckpt_to_load_from``.
        max_norm: clip each looked-up vector to this L2 norm. Defaults to None.
        trainable: whether DenseFeatures trains the table. Defaults to True.
        use_safe_embedding_lookup: kept for compatibility (always safe).

    Returns:
        An `EmbeddingColumn`.

    Raises:
        ValueError: bad dimension, initializer or checkpoint options (an unknown
            combiner fails when the column is used, as in TF).

    Example:
        >>> import pipeline as pl
        >>> ids = pl.feature_column.categorical_column_with_identity("id", 10)
        >>> embedding_column(ids, 3).variable_shape
        (3,)
    """
    _check_embedding_args(
        dimension, combiner, initializer, ckpt_to_load_from, tensor_name_in_ckpt
    )
    return EmbeddingColumn(
        categorical_column=categorical_column,
        dimension=int(dimension),
        combiner=combiner,
        initializer=initializer,
        ckpt_to_load_from=ckpt_to_load_from,
        tensor_name_in_ckpt=tensor_name_in_ckpt,
        max_norm=max_norm,
        trainable=bool(trainable),
        use_safe_embedding_lookup=use_safe_embedding_lookup,
    )
