"""Shard writers for ``pipeline convert``: TFRecord of Examples, CSV, Parquet.

Each writer takes batches of `Column` values and a `Schema` that fixes the
features, their order and kinds; every file is written under a temporary name
and renamed on close. Floats keep their precision where the format allows:
CSV writes each value's shortest text at its own precision, Parquet writes a
float feature as the dtype `float_dtypes` chose (float64 unless every input
is float32), and only Examples (FloatList) narrow float64 to float32, noting
the values that change in a `FloatLoss`.

Example:
    >>> import numpy as np
    >>> from pipeline.io.schema import FeatureSchema, Schema
    >>> schema = Schema({"x": FeatureSchema("x", "int64", 2, 2, 1, 1)}, 2)
    >>> w = open_writer("csv", "memory://writers-doc/a.csv", schema, "")
    >>> w.write({"x": Column("int64", np.array([1, 2]), np.array([1, 1]))})
    >>> w.close()
    >>> from pipeline.io import fs
    >>> fs.open_input("memory://writers-doc/a.csv").read()
    b'x\\n1\\n2\\n'
"""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
import pyarrow as pa

from pipeline.cli._csv_text import csv_lines
from pipeline.cli._example_blocks import ExampleBlocks, byte_strings
from pipeline.cli._precision import FloatLoss, to_float
from pipeline.cli._read import rows
from pipeline.errors import InvalidArgumentError
from pipeline.io import fs
from pipeline.io.example_message import (
    BytesList,
    Feature,
    Features,
    FloatList,
    Int64List,
)
from pipeline.io.example_sequence_message import (
    FeatureList,
    FeatureLists,
    SequenceExample,
)
from pipeline.io.schema import Column, FeatureSchema, Schema
from pipeline.io.tfrecord_writer import TFRecordWriter

_DTYPES = {"int64": np.int64, "float": np.float32}  # an Example's lists
_ARROW = {"int64": pa.int64(), "string": pa.string()}
_FLOAT64 = np.dtype(np.float64)

# The float dtype of each float feature in an output; None: each batch's own.
Floats = dict[str, np.dtype] | None


def _float_dtype(floats: Floats, name: str, values: np.ndarray) -> np.dtype:
    if floats is not None and name in floats:
        return floats[name]
    return values.dtype if values.dtype.kind == "f" else _FLOAT64


def _as_kind(
    values: np.ndarray,
    f: FeatureSchema,
    floats: Floats = None,
    loss: FloatLoss | None = None,
) -> np.ndarray:
    if f.kind == "string":
        return byte_strings(values)
    if f.kind == "float":
        tally = loss if values.dtype != object else None
        return to_float(values, _float_dtype(floats, f.name, values), f.name, tally)
    return np.asarray(values, dtype=np.int64)


_LISTS = {"int64": ("int64_list", Int64List), "float": ("float_list", FloatList),
          "string": ("bytes_list", BytesList)}  # fmt: skip


def _feature(kind: str, values: list) -> Feature:
    field, cls = _LISTS[kind]
    if kind == "string":
        values = [v if isinstance(v, bytes) else str(v).encode() for v in values]
    else:
        values = np.asarray(values, dtype=_DTYPES[kind]).tolist()
    return Feature(**{field: cls(values)})


def _sequence_example(record: dict, schema: Schema) -> bytes:
    """One row as a SequenceExample: context features and feature lists."""
    context, lists = {}, {}
    for name, value in record.items():
        f = schema.features[name]
        if f.sequence:
            steps = [_feature(f.kind, step) for step in value]
            lists[name] = FeatureList(steps)
        else:
            values = value if isinstance(value, list) else [value]
            context[name] = _feature(f.kind, values)
    return SequenceExample(Features(context), FeatureLists(lists)).SerializeToString()


class _TFRecordSink:
    """Examples, or SequenceExamples when the schema has feature lists."""

    def __init__(
        self, path: str, schema: Schema, compression: str, loss: FloatLoss | None
    ) -> None:
        self.schema = schema
        self.writer = TFRecordWriter(path, compression or None)
        self.sequence = any(f.sequence for f in schema.features.values())
        self.floats = {n: np.dtype(np.float32) for n in schema.features}
        self.loss = loss
        kinds = {n: f.kind for n, f in schema.features.items()}
        self.blocks = ExampleBlocks(self.writer, kinds)

    def _narrowed(self, batch: dict[str, Column]) -> dict[str, Column]:
        """Float features as float32 (a FloatList holds no more), the values
        that change noted in the loss tally."""
        out = dict(batch)
        for name, col in batch.items():
            f = self.schema.features.get(name)
            if f is not None and f.kind == "float" and col.values.dtype != object:
                values = _as_kind(col.values, f, self.floats, self.loss)
                out[name] = Column(
                    col.kind, values, col.lengths, col.invalid, col.scalar, col.steps
                )
        return out

    def write(self, batch: dict[str, Column]) -> None:
        batch = self._narrowed(batch)
        if self.sequence:
            for record in rows(batch):
                self.writer.write(_sequence_example(record, self.schema))
            return
        self.blocks.add(batch)

    def close(self) -> None:
        self.blocks.flush()
        self.writer.close()

    def abort(self) -> None:
        self.writer.abort()


def _base_type(f: FeatureSchema, dtype: np.dtype) -> pa.DataType:
    return pa.from_numpy_dtype(dtype) if f.kind == "float" else _ARROW[f.kind]


def _arrow_type(f: FeatureSchema, dtype: np.dtype = _FLOAT64) -> pa.DataType:
    t = _base_type(f, dtype)
    if f.sequence:  # a feature list: one list of values per time step
        return pa.list_(pa.list_(t))
    return t if f.max_length <= 1 else pa.list_(t)


def _steps_to_arrow(
    col: Column, f: FeatureSchema, floats: Floats, loss: FloatLoss | None
) -> pa.Array:
    """A feature list as ``list<list<kind>>``: records of steps of values."""
    values = _as_kind(col.values, f, floats, loss)
    base = _base_type(f, values.dtype)
    flat = _checked(lambda: pa.array(values, base), f)
    value_at = np.concatenate([[0], np.cumsum(col.lengths)])
    steps = pa.ListArray.from_arrays(pa.array(value_at, pa.int32()), flat)
    step_at = np.concatenate([[0], np.cumsum(np.maximum(col.steps, 0))])  # type: ignore[arg-type]
    missing = pa.array(col.steps < 0)  # type: ignore[operator]
    t = _arrow_type(f, values.dtype)
    return pa.ListArray.from_arrays(
        pa.array(step_at, pa.int32()), steps, type=t, mask=missing
    )


def _to_arrow(
    col: Column | None,
    f: FeatureSchema,
    n: int,
    floats: Floats,
    loss: FloatLoss | None = None,
) -> pa.Array:
    if col is None:
        dtype = floats.get(f.name, _FLOAT64) if floats is not None else _FLOAT64
        return pa.nulls(n, _arrow_type(f, dtype))
    if f.sequence:
        return _steps_to_arrow(col, f, floats, loss)
    values = _as_kind(col.values, f, floats, loss)
    base = _base_type(f, values.dtype)
    if f.max_length <= 1:
        full = np.empty(n, dtype=object if f.kind == "string" else values.dtype)
        full[col.lengths == 1] = values
        return _checked(lambda: pa.array(full, type=base, mask=col.lengths != 1), f)
    offsets = np.concatenate([[0], np.cumsum(np.maximum(col.lengths, 0))])
    flat = _checked(lambda: pa.array(values, type=base), f)
    return pa.ListArray.from_arrays(
        pa.array(offsets, pa.int32()),
        flat,
        type=_arrow_type(f, values.dtype),
        mask=pa.array(col.lengths < 0),
    )


def _checked(build: Any, f: FeatureSchema) -> pa.Array:
    try:
        return build()
    except (pa.ArrowInvalid, UnicodeDecodeError) as e:
        raise InvalidArgumentError(
            f"feature {f.name!r}: values are not valid UTF-8 text ({e})"
        ) from e


def _header_line(names: list[str]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerow(names)
    return text.getvalue().encode("utf-8")


def _record_batch(
    batch: dict[str, Column],
    schema: Schema,
    floats: Floats,
    loss: FloatLoss | None = None,
) -> pa.RecordBatch:
    """The batch as Arrow columns of ``schema``; float values narrowed to
    ``floats`` are noted in ``loss`` (when given)."""
    n = max((c.num_records for c in batch.values()), default=0)
    arrays = [
        _to_arrow(batch.get(name), f, n, floats, loss)
        for name, f in schema.features.items()
    ]
    return pa.RecordBatch.from_arrays(arrays, names=list(schema.features))


def _arrow_schema(schema: Schema, floats: dict[str, np.dtype]) -> pa.Schema:
    return pa.schema(
        [
            (n, _arrow_type(f, floats.get(n, _FLOAT64)))
            for n, f in schema.features.items()
        ]
    )


class _CSVSink:
    """CSV text: a header line, then each batch's lines (`csv_lines`)."""

    def __init__(self, path: str, schema: Schema, compression: str) -> None:
        self.schema = schema
        self.out = fs.open_output(path, compression)
        self.out.write(_header_line(list(schema.features)))

    def write(self, batch: dict[str, Column]) -> None:
        self.out.write(csv_lines(_record_batch(batch, self.schema, None)))

    def close(self) -> None:
        self.out.close()

    def abort(self) -> None:
        self.out.abort()


class _ParquetSink:
    """One Parquet file; float features as ``floats`` says (float64 by default)."""

    def __init__(
        self,
        path: str,
        schema: Schema,
        compression: str,
        floats: dict[str, np.dtype],
        loss: FloatLoss | None,
    ) -> None:
        import pyarrow.parquet as pq

        self.schema, self.floats, self.loss = schema, floats, loss
        self.out = fs.open_output(path, "")
        self.file = pa.PythonFile(self.out, mode="w")
        codec = compression.lower() if compression else "snappy"
        arrow_schema = _arrow_schema(schema, floats)
        self.writer = pq.ParquetWriter(self.file, arrow_schema, compression=codec)

    def write(self, batch: dict[str, Column]) -> None:
        record_batch = _record_batch(batch, self.schema, self.floats, self.loss)
        self.writer.write_batch(record_batch)

    def close(self) -> None:
        self.writer.close()
        self.out.close()

    def abort(self) -> None:
        self.out.abort()


def open_writer(
    fmt: str,
    path: str,
    schema: Schema,
    compression: str,
    floats: dict[str, np.dtype] | None = None,
    loss: FloatLoss | None = None,
) -> Any:
    """A writer of format ``fmt`` (``tfrecord``, ``csv``, ``parquet``) at ``path``.

    Args:
        fmt: the output format.
        path: the file to write (under a temporary name until closed).
        schema: the features, their order and kinds.
        compression: ``""``, ``"GZIP"`` or ``"ZLIB"``.
        floats: for Parquet, the dtype of each float feature (float64 when
            left out); CSV writes each value at its own precision and an
            Example's FloatList is float32.
        loss: a tally of the float values that a cast to float32 changed.

    Raises:
        InvalidArgumentError: CSV output of a feature with several values per
            record.
    """
    if fmt == "tfrecord":
        return _TFRecordSink(path, schema, compression, loss)
    if fmt == "parquet":
        return _ParquetSink(path, schema, compression, floats or {}, loss)
    lists = [f.name for f in schema.features.values() if f.max_length > 1]
    if lists:
        raise InvalidArgumentError(
            f"cannot write CSV: features {lists} have several values per record "
            "(convert to tfrecord or parquet instead)"
        )
    return _CSVSink(path, schema, compression)
