"""``shared_embeddings``: several categorical columns reading one table.

Example:
    >>> import pipeline as pl
    >>> fc = pl.feature_column
    >>> a, b = (fc.categorical_column_with_identity(k, 5) for k in ("a", "b"))
    >>> [c.table_name for c in shared_embeddings([a, b], 2)]
    ['a_b_shared_embedding', 'a_b_shared_embedding']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pipeline.feature_column._base import CategoricalColumn
from pipeline.feature_column.columns_crossed import WeightedCategoricalColumn
from pipeline.feature_column.columns_dense import _check_embedding_args, _EmbeddingBase

__all__ = ["SharedEmbeddingColumn", "shared_embeddings"]


class SharedEmbeddingColumn(_EmbeddingBase):
    """One of several columns sharing a table; see `shared_embeddings`.

    Example:
        >>> SharedEmbeddingColumn.__name__
        'SharedEmbeddingColumn'
    """

    _FIELDS = (
        "categorical_column",
        "dimension",
        "combiner",
        "initializer",
        "shared_embedding_collection_name",
        "ckpt_to_load_from",
        "tensor_name_in_ckpt",
        "max_norm",
        "trainable",
        "use_safe_embedding_lookup",
    )

    @property
    def name(self) -> str:
        """The column name (DenseFeatures orders columns by it)."""
        return f"{self.categorical_column.name}_shared_embedding"

    @property
    def table_key(self) -> Any:
        """Identifies the shared table (the collection name)."""
        return ("shared", self.shared_embedding_collection_name, self.table_shape)

    @property
    def table_name(self) -> str:
        """The shared variable's name."""
        return self.shared_embedding_collection_name


def shared_embeddings(
    categorical_columns: Sequence[CategoricalColumn],
    dimension: int,
    combiner: str = "mean",
    initializer: Callable[..., Any] | None = None,
    shared_embedding_collection_name: str | None = None,
    ckpt_to_load_from: str | None = None,
    tensor_name_in_ckpt: str | None = None,
    max_norm: float | None = None,
    trainable: bool = True,
    use_safe_embedding_lookup: bool = True,
) -> list[SharedEmbeddingColumn]:
    """Embedding columns that share one table (same ``num_buckets`` required).

    Args:
        categorical_columns: the id columns.
        dimension: see `embedding_column`; so are the other arguments.
        combiner: ``"mean"`` (default), ``"sqrtn"`` or ``"sum"``.
        initializer: ``f(shape, dtype=None)``; a truncated normal by default.
        shared_embedding_collection_name: the table's name; defaults to the
            sorted column names joined by ``_`` plus ``_shared_embedding``.
        ckpt_to_load_from: kept for compatibility.
        tensor_name_in_ckpt: kept for compatibility.
        max_norm: clip each looked-up vector to this L2 norm.
        trainable: whether the table trains. Defaults to True.
        use_safe_embedding_lookup: kept for compatibility.

    Returns:
        A list of `SharedEmbeddingColumn`, in the input order.

    Raises:
        ValueError: no columns, a non-categorical column, columns of different
            kinds (a weighted column counts as the kind it weighs), or
            differing sizes.

    Example:
        >>> import pipeline as pl
        >>> fc = pl.feature_column
        >>> a, b = (fc.categorical_column_with_identity(k, 5) for k in ("a", "b"))
        >>> [c.name for c in shared_embeddings([a, b], 2)]
        ['a_shared_embedding', 'b_shared_embedding']
    """
    _check_embedding_args(
        dimension, combiner, initializer, ckpt_to_load_from, tensor_name_in_ckpt
    )
    columns = list(categorical_columns)
    if not columns or not all(isinstance(c, CategoricalColumn) for c in columns):
        raise ValueError(
            f"categorical_columns must be categorical columns. Given: {columns}"
        )
    _check_same_type(columns)
    sizes = {c.num_buckets for c in columns}
    if len(sizes) != 1:
        raise ValueError(
            "To use shared_embedding_column, all categorical_columns must have "
            "the same "
            f"number of buckets. Given column: {columns} with buckets: {sorted(sizes)}"
        )
    name = shared_embedding_collection_name or (
        "_".join(sorted(c.name for c in columns)) + "_shared_embedding"
    )
    return [
        SharedEmbeddingColumn(
            categorical_column=c,
            dimension=int(dimension),
            combiner=combiner,
            initializer=initializer,
            shared_embedding_collection_name=name,
            ckpt_to_load_from=ckpt_to_load_from,
            tensor_name_in_ckpt=tensor_name_in_ckpt,
            max_norm=max_norm,
            trainable=bool(trainable),
            use_safe_embedding_lookup=use_safe_embedding_lookup,
        )
        for c in columns
    ]


def _base_column(column: CategoricalColumn) -> CategoricalColumn:
    """The column under any weighting (TF compares those kinds)."""
    while isinstance(column, WeightedCategoricalColumn):
        column = column.categorical_column
    return column


def _check_same_type(columns: Sequence[CategoricalColumn]) -> None:
    """TF's check: every column of one kind, in name order against the first."""
    ordered = sorted(columns, key=lambda c: c.name)
    first = _base_column(ordered[0])
    for column in ordered[1:]:
        base = _base_column(column)
        if not isinstance(base, type(first)):
            raise ValueError(
                "To use shared_embedding_column, all categorical_columns must have "
                "the same type, or be weighted_categorical_column of the same type. "
                f"Column {first.name!r} is a {type(first).__name__} but column "
                f"{column.name!r} is a {type(base).__name__}."
            )
