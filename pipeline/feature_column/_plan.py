"""DenseFeatures' plan: every column written straight into one float32 output.

Built once per layer from its sorted columns: each column gets a writer bound
to its output offset, and each categorical column an id producer, shared by
every column that reads it. Per batch, the output is allocated once and each
writer fills its block with a kernel (`feature_plan`): no per-column arrays
to concatenate, no ragged ids. Categorical ids stay dense, ``rows * k``
values with ``MISSING`` where the input held ``""`` or ``-1``; every consumer
skips ids < 0, which is what dropping them from a ragged row does, and the
values keep their order, so the float sums are the same, bit for bit.

The plan takes only what it knows: numeric, bucketized, indicator and
embedding columns (no ``normalizer_fn``, no ``max_norm``) over identity,
hashed, vocabulary, bucketized and crossed ids, fed dense numpy arrays of one
batch size. Anything else (a SparseTensor, a list, a string dtype the kernel
does not read, an id outside an embedding table, an empty batch) makes `run`
return None, and the layer takes its general path, which gives the same
values or TF's error.

Example:
    >>> import numpy as np
    >>> import pipeline as pl
    >>> fc = pl.feature_column
    >>> plan = build_plan([fc.indicator_column(fc.categorical_column_with_identity(
    ...     "k", 3)), fc.numeric_column("x")])
    >>> out, _ = plan.run({"k": np.array([2, -1]), "x": np.array([0.5, 1.0])}, {})
    >>> out.tolist()
    [[0.0, 0.0, 1.0, 0.5], [0.0, 0.0, 0.0, 1.0]]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from pipeline import _kernels
from pipeline.feature_column._combine import COMBINERS
from pipeline.feature_column._inputs import Ragged
from pipeline.feature_column.columns_categorical import (
    HashedCategoricalColumn,
    IdentityCategoricalColumn,
)
from pipeline.feature_column.columns_crossed import (
    _DEFAULT_HASH_KEY,
    CrossedColumn,
    _leaf_keys,
)
from pipeline.feature_column.columns_dense import IndicatorColumn, _EmbeddingBase
from pipeline.feature_column.columns_numeric import BucketizedColumn, NumericColumn
from pipeline.feature_column.columns_vocabulary import (
    VocabularyFileCategoricalColumn,
    VocabularyListCategoricalColumn,
)
from pipeline.nn import backend

__all__ = ["DensePlan", "build_plan"]

Ids = tuple[np.ndarray, int]  # (rows * k int64 ids, k)
Producer = Callable[["_Batch"], Ids]
_MAX_CROSS_WIDTH = 1 << 20  # ids per row of a planned cross


class _NotPlanned(Exception):
    """An input the plan does not take: the general path runs instead."""


def _ops() -> Any:
    return _kernels.load("feature_plan")


class _Batch:
    """One batch's inputs as 2-D arrays of one row count, and its ids by column."""

    __slots__ = ("features", "rows", "ids", "splits")

    def __init__(self, features: dict[str, Any], rows: int) -> None:
        self.features = features
        self.rows = rows
        self.ids: dict[Any, Ids] = {}
        self.splits: dict[int, np.ndarray] = {}

    def raw(self, key: str, kinds: str) -> np.ndarray:
        """The feature ``key`` as ``[rows, k]``, if it is a numpy array of ``kinds``."""
        v = self.features.get(key)
        if type(v) is not np.ndarray or v.dtype.kind not in kinds or v.ndim == 0:
            raise _NotPlanned
        v = v.reshape(v.shape[0], -1) if v.ndim != 2 else v
        if v.shape[0] != self.rows or v.shape[1] == 0:
            raise _NotPlanned
        return v

    def ids_of(self, column: Any, producer: Producer) -> Ids:
        """``producer``'s ids of ``column``, computed once per batch."""
        found = self.ids.get(column)
        if found is None:
            found = self.ids[column] = producer(self)
        return found

    def row_splits(self, k: int) -> np.ndarray:
        """``[0, k, 2k, ...]``: the splits of ``rows`` rows of ``k`` values."""
        found = self.splits.get(k)
        if found is None:
            found = self.splits[k] = np.arange(self.rows + 1, dtype=np.int64) * k
        return found


def _flat(v: np.ndarray, dtype: Any = None) -> np.ndarray:
    return np.ascontiguousarray(v, dtype=dtype).reshape(-1)


def _strings(column: Any, lookup: Callable[[np.ndarray], np.ndarray]) -> Producer:
    """Ids of a string column: ``lookup`` of every value, ``""`` marked missing."""
    key = column.key

    def ids(batch: _Batch) -> Ids:
        v = batch.raw(key, "O")
        flat = _flat(v)
        try:
            out = lookup(flat)
        except TypeError:  # not bytes/str: the general path names the error
            raise _NotPlanned from None
        return _ops().mark_missing(flat, out), v.shape[1]

    return ids


def _integers(column: Any, lookup: Callable[[np.ndarray], np.ndarray]) -> Producer:
    """Ids of an integer column: ``lookup`` of every value, -1 marked missing."""
    key = column.key

    def ids(batch: _Batch) -> Ids:
        v = batch.raw(key, "i")
        flat = _flat(v, np.int64)
        return _ops().mark_missing(flat, lookup(flat)), v.shape[1]

    return ids


def _identity_lookup(column: IdentityCategoricalColumn) -> Callable:
    n, default = column.number_buckets, column.default_value
    if default is None:
        return np.array
    return lambda v: np.where((v >= 0) & (v < n), v, np.int64(default))


def _hash_lookup(column: HashedCategoricalColumn) -> Callable:
    n = column.hash_bucket_size
    if column.dtype == object:
        return lambda v: _ops().hash_ids(v, n)
    farm = _kernels.load("farmhash")
    return lambda v: (farm.fingerprint64_int64(v) % np.uint64(n)).astype(np.int64)


def _vocab_lookup(column: Any) -> Callable:
    default = column.default_value
    default = -1 if default is None else default
    oov = column.num_oov_buckets
    return lambda v: column.vocab_table().lookup(v, default, oov)


def _bucket_ids(column: BucketizedColumn) -> Producer | None:
    source = column.source_column
    if source.normalizer_fn is not None:
        return None
    key, width, depth = source.key, source.width, len(column.boundaries) + 1
    edges = np.asarray(column.boundaries, dtype=np.float32).astype(np.float64)

    def ids(batch: _Batch) -> Ids:
        v = batch.raw(key, "fiu")
        if v.shape[1] != width:
            raise _NotPlanned
        return _ops().bucket_ids(v.astype(np.float32, copy=False), edges, depth), width

    return ids


def _leaf_input(leaf: Any) -> Callable[[_Batch], Ids] | None:
    """One input of a cross: a raw key's values or a column's ids, as uint64."""
    if not isinstance(leaf, str):
        producer = producer_of(leaf)
        if producer is None:
            return None

        def column_ids(batch: _Batch) -> Ids:
            ids, k = batch.ids_of(leaf, producer)
            if np.any(ids == _ops().MISSING):  # ragged rows: not ours
                raise _NotPlanned
            return ids.view(np.uint64), k

        return column_ids
    farm = _kernels.load("farmhash")

    def raw_values(batch: _Batch) -> Ids:
        v = batch.raw(leaf, "Oiu")
        if v.dtype != object:
            return _flat(v, np.int64).view(np.uint64), v.shape[1]
        try:
            return farm.fingerprint64_objects(_flat(v)), v.shape[1]
        except TypeError:
            raise _NotPlanned from None

    return raw_values


def _cross_ids(column: CrossedColumn) -> Producer | None:
    leaves = _leaf_keys(column.keys)
    inputs = [_leaf_input(leaf) for leaf in leaves]
    if any(i is None for i in inputs):
        return None
    # the columns' ids first, then the raw keys, each in the order of the keys
    order = [i for i, leaf in enumerate(leaves) if not isinstance(leaf, str)]
    order += [i for i, leaf in enumerate(leaves) if isinstance(leaf, str)]
    inputs = [inputs[i] for i in order]
    key = _DEFAULT_HASH_KEY if column.hash_key is None else column.hash_key
    n = column.hash_bucket_size

    def ids(batch: _Batch) -> Ids:
        parts = [f(batch) for f in inputs]
        ks = [k for _, k in parts]
        if math.prod(ks) > _MAX_CROSS_WIDTH:
            raise _NotPlanned
        values = [v for v, _ in parts]
        return _ops().cross_dense(values, ks, batch.rows, key, n), math.prod(ks)

    return ids


def producer_of(column: Any) -> Producer | None:
    """The dense-id producer of a categorical column, or None if not planned."""
    kind = type(column)
    if kind is BucketizedColumn:
        return _bucket_ids(column)
    if kind is CrossedColumn:
        return _cross_ids(column)
    string = np.dtype(getattr(column, "dtype", np.int64)) == np.dtype(object)
    wrap = _strings if string else _integers
    if kind is IdentityCategoricalColumn:
        return _integers(column, _identity_lookup(column))
    if kind is HashedCategoricalColumn:
        return wrap(column, _hash_lookup(column))
    if kind in (VocabularyListCategoricalColumn, VocabularyFileCategoricalColumn):
        return wrap(column, _vocab_lookup(column))
    return None


Writer = Callable[[_Batch, np.ndarray, dict[Any, Any], list[Any]], None]


def _numeric_writer(column: NumericColumn, start: int) -> Writer | None:
    if column.normalizer_fn is not None:
        return None
    key, stop = column.key, start + column.width

    def write(batch: _Batch, out: np.ndarray, tables: dict, lookups: list) -> None:
        v = batch.raw(key, "fiu")
        if v.shape[1] != stop - start:
            raise _NotPlanned
        out[:, start:stop] = v

    return write


def _indicator_writer(column: Any, ids_column: Any, depth: int, start: int) -> Writer:
    producer = producer_of(ids_column)
    if producer is None:
        return None

    def write(batch: _Batch, out: np.ndarray, tables: dict, lookups: list) -> None:
        ids, k = batch.ids_of(ids_column, producer)
        _ops().indicator_into(ids, k, depth, out, start)

    return write


def _embedding_writer(column: _EmbeddingBase, start: int) -> Writer | None:
    ids_column, combiner = column.categorical_column, column.combiner
    producer = producer_of(ids_column)
    if producer is None or column.max_norm is not None or combiner not in COMBINERS:
        return None
    table_key = column.table_key

    def write(batch: _Batch, out: np.ndarray, tables: dict, lookups: list) -> None:
        ids, k = batch.ids_of(ids_column, producer)
        table = tables[table_key]
        value = np.ascontiguousarray(backend.to_numpy(table.value), np.float32)
        if _ops().combine_into(ids, k, value, combiner, out, start) >= 0:
            raise _NotPlanned  # an id past the table: the general path raises
        lookups.append((start, column, Ragged(batch.row_splits(k), ids), table))

    return write


def _writer(column: Any, start: int) -> Writer | None:
    kind = type(column)
    if kind is NumericColumn:
        return _numeric_writer(column, start)
    if kind is BucketizedColumn:
        return _indicator_writer(column, column, column.width, start)
    if kind is IndicatorColumn:
        cat = column.categorical_column
        return _indicator_writer(column, cat, cat.num_buckets, start)
    if isinstance(column, _EmbeddingBase):
        return _embedding_writer(column, start)
    return None


def _first_key(column: Any) -> str:
    while not isinstance(column, str):
        if isinstance(column, CrossedColumn):
            column = _leaf_keys(column.keys)[0]
        else:
            column = getattr(column, "key", None) or column.parents[0]
    return column


class DensePlan:
    """The writers of a layer's columns and the width of its output.

    Example:
        >>> import pipeline as pl
        >>> build_plan([pl.feature_column.numeric_column("a", shape=2)]).width
        2
    """

    def __init__(self, writers: list[Writer], width: int, first_key: str) -> None:
        self.writers = writers
        self.width = width
        self.first_key = first_key

    def run(self, features: dict[str, Any], tables: dict[Any, Any]) -> Any:
        """``(output, embedding lookups)`` of one batch, or None if not planned.

        ``tables`` maps each embedding column's ``table_key`` to its variable;
        a lookup is ``(offset, column, ids, table)``, as the layer records it.
        """
        first = features.get(self.first_key)
        if type(first) is not np.ndarray or first.ndim == 0 or not len(first):
            return None
        batch = _Batch(features, first.shape[0])
        out = np.empty((batch.rows, self.width), dtype=np.float32)
        lookups: list[Any] = []
        try:
            for write in self.writers:
                write(batch, out, tables, lookups)
        except _NotPlanned:
            return None
        return out, lookups


def build_plan(columns: Sequence[Any]) -> DensePlan | None:
    """The plan of ``columns`` (in output order), or None if one is not planned.

    Example:
        >>> import pipeline as pl
        >>> fc = pl.feature_column
        >>> build_plan([fc.numeric_column("a", normalizer_fn=abs)]) is None
        True
    """
    writers, start = [], 0
    for column in columns:
        writer = _writer(column, start)
        if writer is None:
            return None
        writers.append(writer)
        start += column.width
    if not writers:
        return None
    return DensePlan(writers, start, _first_key(columns[0]))
