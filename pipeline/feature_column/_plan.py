"""DenseFeatures' plan: every column written straight into one float32 output.

Built once per layer, the plan compiles the sorted columns into one kernel
`Program` (``feature_plan``): typed inputs, id ops (one per categorical
column, shared by every column that reads it) and write ops, each bound to
its output offset. Per batch, one call reads the inputs, allocates the
output once and fills every block: no per-column arrays to concatenate, no
ragged ids, no Python per column. Categorical ids stay dense, ``rows * k``
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

from collections.abc import Sequence
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
from pipeline.nn.tensor import Tensor

__all__ = ["DensePlan", "build_plan"]

_VOCABS = (VocabularyListCategoricalColumn, VocabularyFileCategoricalColumn)


class _LazyTable:
    """A vocabulary column's table, read (a file: loaded) at its first lookup."""

    __slots__ = ("column", "table")

    def __init__(self, column: Any) -> None:
        self.column = column
        self.table = None

    def __getstate__(self) -> Any:
        return self.column  # the table is built again where it is needed

    def __setstate__(self, column: Any) -> None:
        self.column, self.table = column, None

    def lookup(self, values: Any, default_value: int, num_oov_buckets: int) -> Any:
        if self.table is None:
            self.table = self.column.vocab_table()
        return self.table.lookup(values, default_value, num_oov_buckets)


def _is_string(column: Any) -> bool:
    return np.dtype(column.dtype) == np.dtype(object)


class _Compiler:
    """Turns columns into a program's inputs and ops (None: not planned)."""

    def __init__(self) -> None:
        self.inputs: dict[tuple[str, str], int] = {}
        self.ops: list[tuple] = []
        self.id_slots: dict[Any, int] = {}
        self.tables: list[Any] = []  # table keys, by table index
        self.embeddings: list[tuple[int, int, Any, Any]] = []

    def input(self, key: str, kind: str) -> int:
        return self.inputs.setdefault((key, kind), len(self.inputs))

    def ids(self, column: Any) -> int | None:
        """The id slot of ``column`` (its op emitted once), or None."""
        if column not in self.id_slots:
            op = self._id_op(column)
            if op is None:
                return None
            self.id_slots[column] = slot = len(self.id_slots)
            self.ops.append((*op, slot))
        return self.id_slots[column]

    def _id_op(self, column: Any) -> tuple | None:
        kind = type(column)
        if kind is BucketizedColumn:
            source = column.source_column
            if source.normalizer_fn is not None:
                return None
            edges = np.asarray(column.boundaries, dtype=np.float32).astype(np.float64)
            slot = self.input(source.key, "float")
            return ("bucket", slot, source.width, edges, len(column.boundaries) + 1)
        if kind is CrossedColumn:
            return self._cross_op(column)
        if kind is IdentityCategoricalColumn:
            default = -1 if column.default_value is None else column.default_value
            slot = self.input(column.key, "int")
            return ("identity", slot, column.number_buckets, default)
        if kind is HashedCategoricalColumn:
            string = _is_string(column)
            slot = self.input(column.key, "string" if string else "int")
            return ("hash" if string else "hash_int", slot, column.hash_bucket_size)
        if kind in _VOCABS:
            slot = self.input(column.key, "string" if _is_string(column) else "int")
            default = -1 if column.default_value is None else column.default_value
            oov = column.num_oov_buckets
            return ("vocab", slot, _LazyTable(column), default, oov)
        return None

    def _cross_op(self, column: CrossedColumn) -> tuple | None:
        leaves = _leaf_keys(column.keys)
        sources = []  # the columns' ids first, then the raw keys, each in key order
        for leaf in leaves:
            if not isinstance(leaf, str):
                slot = self.ids(leaf)
                if slot is None:
                    return None
                sources.append(("ids", slot))
        sources += [("raw", self.input(k, "raw")) for k in leaves if isinstance(k, str)]
        key = _DEFAULT_HASH_KEY if column.hash_key is None else column.hash_key
        return ("cross", sources, key, column.hash_bucket_size)

    def write(self, column: Any, start: int) -> bool:
        """Emits the op writing ``column`` at ``start``; False if not planned."""
        kind = type(column)
        if kind is NumericColumn:
            if column.normalizer_fn is not None:
                return False
            slot = self.input(column.key, "float")
            self.ops.append(("numeric", slot, column.width, start))
            return True
        if kind is BucketizedColumn or kind is IndicatorColumn:
            ids_column = (
                column if kind is BucketizedColumn else column.categorical_column
            )
            slot = self.ids(ids_column)
            if slot is not None:
                self.ops.append(("indicator", slot, column.width, start))
            return slot is not None
        if isinstance(column, _EmbeddingBase):
            return self._embedding(column, start)
        return False

    def _embedding(self, column: _EmbeddingBase, start: int) -> bool:
        if column.max_norm is not None or column.combiner not in COMBINERS:
            return False
        slot = self.ids(column.categorical_column)
        if slot is None:
            return False
        if column.table_key not in self.tables:
            self.tables.append(column.table_key)
        index = self.tables.index(column.table_key)
        self.ops.append(("combine", slot, index, column.combiner, start))
        self.embeddings.append((slot, start, column, column.table_key))
        return True


class DensePlan:
    """A layer's compiled program, its tables and its embedding columns.

    Example:
        >>> import pipeline as pl
        >>> build_plan([pl.feature_column.numeric_column("a", shape=2)]).width
        2
    """

    def __init__(self, compiler: _Compiler, width: int) -> None:
        inputs = sorted(compiler.inputs, key=compiler.inputs.get)
        self.spec = (inputs, compiler.ops, width)  # the program's arguments
        self.program = _kernels.load("feature_plan").Program(*self.spec)
        self.width = width
        self.table_keys = compiler.tables
        self.embeddings = compiler.embeddings
        self._splits: dict[tuple[int, int], np.ndarray] = {}

    def run(self, features: dict[str, Any], tables: dict[Any, Any]) -> Any:
        """``(output, embedding lookups)`` of one batch, or None if not planned.

        ``tables`` maps each embedding column's ``table_key`` to its variable;
        a lookup is ``(offset, column, ids, table)``, as the layer records it.
        """
        values = [
            np.ascontiguousarray(backend.to_numpy(tables[key].value), np.float32)
            for key in self.table_keys
        ]
        done = self.program.run(_host_inputs(features), values)
        if done is None:
            return None
        out, ids = done
        lookups = []
        for slot, start, column, key in self.embeddings:
            found, k = ids[slot]
            ragged = Ragged(self._row_splits(out.shape[0], k), found)
            lookups.append((start, column, ragged, tables[key]))
        return out, lookups

    def _row_splits(self, rows: int, k: int) -> np.ndarray:
        found = self._splits.get((rows, k))
        if found is None:
            found = np.arange(rows + 1, dtype=np.int64) * k
            found.flags.writeable = False
            self._splits[(rows, k)] = found
        return found


def _host_inputs(features: dict[str, Any]) -> dict[str, Any]:
    """The features with each concrete `Tensor` as its host array, as the
    general path reads it (``np.asarray``); anything else as it is."""
    if all(type(v) is np.ndarray for v in features.values()):
        return features
    return {k: v.numpy() if type(v) is Tensor else v for k, v in features.items()}


def build_plan(columns: Sequence[Any]) -> DensePlan | None:
    """The plan of ``columns`` (in output order), or None if one is not planned.

    Example:
        >>> import pipeline as pl
        >>> fc = pl.feature_column
        >>> build_plan([fc.numeric_column("a", normalizer_fn=abs)]) is None
        True
    """
    compiler, start = _Compiler(), 0
    for column in columns:
        if not compiler.write(column, start):
            return None
        start += column.width
    if not compiler.inputs:
        return None
    return DensePlan(compiler, start)
