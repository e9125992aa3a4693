"""``DenseFeatures`` and ``LinearModel``: feature columns as ``pipeline.nn`` layers.

The column transforms run in numpy (Cython kernels under them); only the
embedding tables and linear weights are ``Variable``s. Their gradients are
sparse (``IndexedSlices`` over the looked-up rows), so an optimizer touches
only the rows a batch used, and no one-hot matrix is ever built for them.

Example:
    >>> import numpy as np
    >>> import pipeline as pl
    >>> fc = pl.feature_column
    >>> ids = fc.categorical_column_with_identity("id", 4)
    >>> layer = DenseFeatures([fc.numeric_column("x"), fc.embedding_column(ids, 2)])
    >>> out = layer({"x": np.array([1.0, 2.0]), "id": np.array([[0], [3]])})
    >>> out.shape, [w.shape for w in layer.trainable_weights]
    ((2, 3), [(4, 2)])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.feature_column import _combine
from pipeline.feature_column._base import (
    CategoricalColumn,
    DenseColumn,
    TransformCache,
    deserialize_feature_column,
    serialize_feature_column,
)
from pipeline.feature_column._checks import check_rows, normalize_columns
from pipeline.feature_column._plan import build_plan
from pipeline.feature_column.columns_dense import _EmbeddingBase
from pipeline.feature_column.transform import sorted_dense_columns
from pipeline.nn import backend, ops
from pipeline.nn.layers import register
from pipeline.nn.layers.base import Layer
from pipeline.nn.ops._core import apply
from pipeline.nn.tensor import IndexedSlices, Variable

__all__ = ["DenseFeatures", "LinearModel"]


def _host(array: Any) -> np.ndarray:
    return backend.to_numpy(array)


def _sparse_rows_grad(
    entries: _combine.Entries, coef: np.ndarray, upstream: Any, shape: tuple[int, ...]
) -> IndexedSlices:
    """Gradient of ``out[r] = Σ coef·Table[id]`` as rows ``ids`` of ``coef·up[r]``."""
    values = coef[:, None] * upstream[entries.row_of]
    return IndexedSlices(values.astype(np.float32), entries.ids, shape)


def _as_constant_initializer(value: np.ndarray) -> Any:
    return lambda shape, dtype=None: value


@register
class DenseFeatures(Layer):
    """Turns a dict of features into one float32 matrix through dense columns.

    The columns are sorted by ``name`` and their outputs concatenated, as in
    TensorFlow. Embedding columns own trainable tables (``Variable``s named
    ``<column>/embedding_weights``; shared embeddings share one), with sparse
    gradients.

    Args:
        feature_columns: dense columns (numeric, bucketized, indicator,
            embedding, shared embedding).
        trainable: whether the embedding tables train. Defaults to True.
        name: the layer name. Defaults to ``"dense_features"``.
        **kwargs: passed to ``Layer``.

    Raises:
        ValueError: no columns, a non-dense column, or duplicate names.

    Example:
        >>> import pipeline as pl
        >>> layer = DenseFeatures([pl.feature_column.numeric_column("a")])
        >>> layer({"a": [[1.0], [2.0]]}).numpy().tolist()
        [[1.0], [2.0]]
    """

    _convert_input_args = False

    def __init__(
        self,
        feature_columns: Sequence[DenseColumn],
        trainable: bool = True,
        name: str | None = None,
        partitioner: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._columns = sorted_dense_columns(feature_columns)
        self._tables: dict[Any, Variable] = {}
        self._plan = build_plan(self._columns)

    @property
    def feature_columns(self) -> list[DenseColumn]:
        """The columns, in output order."""
        return list(self._columns)

    def compute_output_shape(self, input_shape: Any) -> tuple[Any, int]:
        """``(batch, total width)``: the batch is ``input_shape``'s first entry.

        Example:
            >>> import pipeline as pl
            >>> fc = pl.feature_column
            >>> cols = [fc.numeric_column("a", shape=2), fc.numeric_column("b")]
            >>> DenseFeatures(cols).compute_output_shape((None,))
            (None, 3)
        """
        return (input_shape[0], sum(column.width for column in self._columns))

    def build(self, input_shape: Any = None) -> None:
        """Creates one table per embedding column (or shared collection)."""
        for column in self._columns:
            if (
                isinstance(column, _EmbeddingBase)
                and column.table_key not in self._tables
            ):
                value = column.initial_table()
                self._tables[column.table_key] = self.add_weight(
                    shape=value.shape,
                    initializer=_as_constant_initializer(value),
                    trainable=column.trainable,
                    name=column.table_name,
                )
        self.built = True

    def __call__(
        self,
        features: Any,
        cols_to_output_tensors: dict | None = None,
        training: Any = None,
        **kwargs: Any,
    ) -> Any:
        if not isinstance(features, dict):
            raise ValueError(
                f"We expected a dictionary here. Instead we got: {type(features)}"
            )
        if not self.built:
            self.build()
        if cols_to_output_tensors is None:  # no keyword for the base to look into
            planned = self._planned_call(features)
            if planned is not None:
                return planned
            return super().__call__(features, training=training)
        return super().__call__(
            features, cols_to_output_tensors=cols_to_output_tensors, training=training
        )

    def _planned_call(self, features: dict[str, Any]) -> Any:
        """The plan's output without the base layer's bookkeeping, or None.

        Only numpy inputs to this class itself (no subclass, no activity
        regularizer, no weights waiting to be set, no masks): there the base
        call adds nothing but the cost of looking for symbolic inputs and masks.
        """
        if (
            self._plan is None
            or type(self) is not DenseFeatures
            or self.activity_regularizer is not None
            or self._pending_weights is not None
            or self.supports_masking
            or not all(type(v) is np.ndarray for v in features.values())
        ):
            return None
        planned = self._plan.run(features, self._tables)
        return None if planned is None else self._record(*planned)

    def call(
        self,
        features: dict[str, Any],
        cols_to_output_tensors: dict | None = None,
        training: Any = None,
    ) -> Any:
        """The ``[batch, width]`` float32 output, with sparse table gradients.

        ``cols_to_output_tensors``, if a dict, receives each column's numpy part.
        Without it, the layer's plan (`_plan`) writes every column into one
        output when it takes the inputs; the general path below gives the same.
        """
        if cols_to_output_tensors is None and self._plan is not None:
            planned = self._plan.run(features, self._tables)
            if planned is not None:
                return self._record(*planned)
        cache = TransformCache(features)
        parts, lookups, rows = [], [], None
        start = 0
        for column in self._columns:
            if isinstance(column, _EmbeddingBase):
                table = self._tables[column.table_key]
                ids = cache.ids(column.categorical_column)
                out = _combine.combine_ragged(
                    ids, _host(table.value), column.combiner, column.max_norm
                )
                lookups.append((start, column, ids, table))
            else:
                out = column._dense(cache)
            check_rows(out.shape[0], rows, column.name)
            rows = out.shape[0]
            parts.append(out)
            start += out.shape[1]
            if cols_to_output_tensors is not None:
                cols_to_output_tensors[column] = out
        value = np.concatenate(parts, axis=1) if len(parts) > 1 else parts[0]
        return self._record(value, lookups)

    def _record(self, value: np.ndarray, lookups: list[Any]) -> Any:
        tables: list[Variable] = []
        for *_, table in lookups:
            if table.trainable and all(table is not t for t in tables):
                tables.append(table)
        if not tables or not self.trainable:
            return apply(value, [], None)

        def vjp(upstream: Any) -> list[Any]:
            up = _host(upstream)
            grads: dict[int, list[IndexedSlices]] = {id(t): [] for t in tables}
            for start, column, ids, table in lookups:
                if id(table) in grads:
                    entries = _combine.embedding_entries(
                        ids, column.combiner, table.shape[0]
                    )
                    coef = _combine.coefficients(entries, column.combiner)
                    part = up[:, start : start + column.dimension]
                    grads[id(table)].append(
                        _sparse_rows_grad(entries, coef, part, table.shape)
                    )
            return [_merge(grads[id(t)]) for t in tables]

        return apply(value, tables, vjp)

    def get_config(self) -> dict[str, Any]:
        """The layer config with the serialized columns."""
        config = super().get_config()
        config["feature_columns"] = [serialize_feature_column(c) for c in self._columns]
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> DenseFeatures:
        """Rebuilds the layer (and its columns) from `get_config`."""
        config = dict(config)
        columns = [deserialize_feature_column(c) for c in config.pop("feature_columns")]
        return cls(columns, **config)


def _lookup(column: _EmbeddingBase, ids: Any, table: Variable) -> Any:
    """One embedding column's combined rows, with a sparse gradient to ``table``."""
    value = _combine.combine_ragged(
        ids, _host(table.value), column.combiner, column.max_norm
    )
    if not table.trainable:
        return apply(value, [], None)

    def vjp(upstream: Any) -> list[Any]:
        entries = _combine.embedding_entries(ids, column.combiner, table.shape[0])
        coef = _combine.coefficients(entries, column.combiner)
        return [_sparse_rows_grad(entries, coef, _host(upstream), table.shape)]

    return apply(value, [table], vjp)


def _merge(slices: list[IndexedSlices]) -> IndexedSlices:
    if len(slices) == 1:
        return slices[0]
    xp = backend.xp()
    return IndexedSlices(
        xp.concatenate([s.values for s in slices]),
        xp.concatenate([s.indices for s in slices]),
        slices[0].dense_shape,
    )


@register
class LinearModel(Layer):
    """The wide part: a linear function of the columns, sparse for categorical ones.

    ``output = Σ dense_column @ W_c + Σ_ids weight·W_c[id] + bias``. Each
    categorical column (including bucketized and crossed ones) has a weight
    table ``[num_buckets, units]`` read per id, combined per row with
    ``sparse_combiner``; gradients are ``IndexedSlices``. An embedding column
    owns its table here too (``<column>/embedding_weights``, trained with
    sparse gradients) and is weighted as a dense column. No one-hot matrix is
    materialized. Weights and bias start at zero, as in TensorFlow. A weighted
    categorical column's weights (sparse or dense) multiply its ids' weights.

    Args:
        feature_columns: categorical and dense columns (a bare column counts
            as a list of one).
        units: the output width. Defaults to 1.
        sparse_combiner: ``"sum"`` (default), ``"mean"`` or ``"sqrtn"``.
        trainable: whether the weights train. Defaults to True.
        name: the layer name. Defaults to ``"linear_model"``.
        **kwargs: passed to ``Layer``.

    Raises:
        ValueError: no columns, a dict, a non-column item, duplicate names or
            an unknown combiner; when called, InvalidArgumentError (a
            ValueError) if the columns disagree on the batch size.

    Example:
        >>> import pipeline as pl
        >>> fc = pl.feature_column
        >>> model = LinearModel([fc.categorical_column_with_identity("k", 3)])
        >>> model({"k": [[2], [0]]}).numpy().tolist()
        [[0.0], [0.0]]
    """

    _convert_input_args = False

    def __init__(
        self,
        feature_columns: Sequence[Any],
        units: int = 1,
        sparse_combiner: str = "sum",
        trainable: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(trainable=trainable, name=name, **kwargs)
        columns = normalize_columns(feature_columns)
        for c in columns:
            if not isinstance(c, (CategoricalColumn, DenseColumn)):
                raise ValueError(
                    "Items of feature_columns must be either a DenseColumn or "
                    f"CategoricalColumn. Given: {c}"
                )
        if sparse_combiner not in _combine.COMBINERS:
            raise ValueError(
                f"sparse_combiner must be one of {_combine.COMBINERS}. "
                f"Given: {sparse_combiner}"
            )
        self._columns = sorted(columns, key=lambda c: c.name)
        self.units = int(units)
        self.sparse_combiner = sparse_combiner
        self._weights_by_name: dict[str, Variable] = {}
        self._tables: dict[str, Variable] = {}

    def build(self, input_shape: Any = None) -> None:
        """Creates a zero weight per column and a zero bias."""
        for column in self._columns:
            rows = (
                column.num_buckets
                if isinstance(column, CategoricalColumn)
                else column.width
            )
            self._weights_by_name[column.name] = self.add_weight(
                shape=(rows, self.units),
                initializer="zeros",
                name=f"{column.name}/weights",
            )
            if isinstance(column, _EmbeddingBase):  # its table trains here too
                value = column.initial_table()
                self._tables[column.name] = self.add_weight(
                    shape=value.shape,
                    initializer=_as_constant_initializer(value),
                    trainable=column.trainable,
                    name=column.table_name,
                )
        self.bias = self.add_weight(
            shape=(self.units,), initializer="zeros", name="bias_weights"
        )
        self.built = True

    def __call__(self, features: Any, training: Any = None, **kwargs: Any) -> Any:
        if not isinstance(features, dict):
            raise ValueError(
                f"We expected a dictionary here. Instead we got: {type(features)}"
            )
        if not self.built:
            self.build()
        return super().__call__(features, training=training)

    def call(self, features: dict[str, Any], training: Any = None) -> Any:
        """``[batch, units]``: the weighted sum of every column, plus the bias."""
        cache = TransformCache(features)
        total, rows = None, None
        for column in self._columns:
            batch, part = self._part(column, cache)
            check_rows(batch, rows, column.name, InvalidArgumentError)
            rows = batch
            total = part if total is None else ops.add(total, part)
        return ops.add(total, self.bias)

    def _part(self, column: Any, cache: TransformCache) -> tuple[int, Any]:
        """(batch size, ``[batch, units]`` contribution) of one column."""
        weights = self._weights_by_name[column.name]
        if isinstance(column, CategoricalColumn):
            ids = cache.ids(column)
            entries = _combine.embedding_entries(
                ids, self.sparse_combiner, column.num_buckets
            )
            return ids.rows, self._sparse_sum(entries, weights)
        if isinstance(column, _EmbeddingBase):
            ids = cache.ids(column.categorical_column)
            dense = _lookup(column, ids, self._tables[column.name])
            return ids.rows, ops.matmul(dense, weights)
        dense = column._dense(cache)
        return dense.shape[0], ops.matmul(dense, weights)

    def _sparse_sum(self, entries: _combine.Entries, weights: Variable) -> Any:
        value = _combine.combine(
            entries, _host(weights.value), self.sparse_combiner, None
        )
        coef = _combine.coefficients(entries, self.sparse_combiner)

        def vjp(upstream: Any) -> list[Any]:
            return [_sparse_rows_grad(entries, coef, _host(upstream), weights.shape)]

        return apply(value, [weights], vjp)

    def get_config(self) -> dict[str, Any]:
        """The layer config with the serialized columns."""
        config = super().get_config()
        config.update(
            units=self.units,
            sparse_combiner=self.sparse_combiner,
            feature_columns=[serialize_feature_column(c) for c in self._columns],
        )
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LinearModel:
        """Rebuilds the layer (and its columns) from `get_config`."""
        config = dict(config)
        columns = [deserialize_feature_column(c) for c in config.pop("feature_columns")]
        return cls(columns, **config)
