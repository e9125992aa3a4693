"""Shard writers for ``pipeline convert``: TFRecord of Examples, CSV, Parquet.

Each writer takes batches of `Column` values and a `Schema` that fixes the
features, their order and kinds; every file is written under a temporary name
and renamed on close.

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

from pipeline.cli._read import rows
from pipeline.errors import InvalidArgumentError
from pipeline.io import fs
from pipeline.io.example_message import (
    BytesList,
    Feature,
    Features,
    FloatList,
    Int64List,
    serialize_example,
)
from pipeline.io.example_sequence_message import (
    FeatureList,
    FeatureLists,
    SequenceExample,
)
from pipeline.io.schema import Column, FeatureSchema, Schema
from pipeline.io.tfrecord_writer import TFRecordWriter

_DTYPES = {"int64": np.int64, "float": np.float32}
_ARROW = {"int64": pa.int64(), "float": pa.float64(), "string": pa.string()}


def _as_kind(values: np.ndarray, kind: str) -> np.ndarray:
    if kind == "string":
        if values.dtype == object:
            return values
        out = np.empty(len(values), dtype=object)
        out[:] = [str(v).encode() for v in values.tolist()]
        return out
    return np.asarray(values, dtype=_DTYPES[kind])


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

    def __init__(self, path: str, schema: Schema, compression: str) -> None:
        self.schema = schema
        self.writer = TFRecordWriter(path, compression or None)
        self.sequence = any(f.sequence for f in schema.features.values())

    def write(self, batch: dict[str, Column]) -> None:
        if self.sequence:
            for record in rows(batch):
                self.writer.write(_sequence_example(record, self.schema))
            return
        kinds = {n: f.kind for n, f in self.schema.features.items()}
        for record in rows(batch):
            features = {}
            for name, value in record.items():
                values = value if isinstance(value, list) else [value]
                arr = (
                    np.empty(len(values), dtype=object)
                    if kinds[name] == "string"
                    else None
                )
                if arr is not None:
                    arr[:] = [
                        v if isinstance(v, bytes) else str(v).encode() for v in values
                    ]
                else:
                    arr = np.asarray(values, dtype=_DTYPES[kinds[name]])
                features[name] = arr
            self.writer.write(serialize_example(features))

    def close(self) -> None:
        self.writer.close()

    def abort(self) -> None:
        self.writer.abort()


def _arrow_type(f: FeatureSchema) -> pa.DataType:
    t = _ARROW[f.kind]
    if f.sequence:  # a feature list: one list of values per time step
        return pa.list_(pa.list_(t))
    return t if f.max_length <= 1 else pa.list_(t)


def _steps_to_arrow(col: Column, f: FeatureSchema) -> pa.Array:
    """A feature list as ``list<list<kind>>``: records of steps of values."""
    values = _checked(lambda: pa.array(_as_kind(col.values, f.kind), _ARROW[f.kind]), f)
    value_at = np.concatenate([[0], np.cumsum(col.lengths)])
    steps = pa.ListArray.from_arrays(pa.array(value_at, pa.int32()), values)
    step_at = np.concatenate([[0], np.cumsum(np.maximum(col.steps, 0))])  # type: ignore[arg-type]
    missing = pa.array(col.steps < 0)  # type: ignore[operator]
    return pa.ListArray.from_arrays(
        pa.array(step_at, pa.int32()), steps, type=_arrow_type(f), mask=missing
    )


def _to_arrow(col: Column | None, f: FeatureSchema, n: int) -> pa.Array:
    t = _arrow_type(f)
    if col is None:
        return pa.nulls(n, t)
    if f.sequence:
        return _steps_to_arrow(col, f)
    values = _as_kind(col.values, f.kind)
    base = _ARROW[f.kind]
    missing = col.lengths < 0
    if f.max_length <= 1:
        full = np.empty(n, dtype=object if f.kind == "string" else values.dtype)
        full[col.lengths == 1] = values
        return _checked(lambda: pa.array(full, type=base, mask=col.lengths != 1), f)
    offsets = np.concatenate([[0], np.cumsum(np.maximum(col.lengths, 0))])
    flat = _checked(lambda: pa.array(values, type=base), f)
    return pa.ListArray.from_arrays(
        pa.array(offsets, pa.int32()), flat, type=t, mask=pa.array(missing)
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


def _record_batch(batch: dict[str, Column], schema: Schema) -> pa.RecordBatch:
    n = max((c.num_records for c in batch.values()), default=0)
    arrays = [_to_arrow(batch.get(name), f, n) for name, f in schema.features.items()]
    return pa.RecordBatch.from_arrays(arrays, names=list(schema.features))


def _arrow_schema(schema: Schema) -> pa.Schema:
    return pa.schema([(n, _arrow_type(f)) for n, f in schema.features.items()])


class _ArrowSink:
    def __init__(self, fmt: str, path: str, schema: Schema, compression: str) -> None:
        self.schema = schema
        stream_compression = compression if fmt == "csv" else ""
        self.out = fs.open_output(path, stream_compression)
        self.file = pa.PythonFile(self.out, mode="w")
        arrow_schema = _arrow_schema(schema)
        if fmt == "csv":
            import pyarrow.csv as pcsv

            self.out.write(_header_line(list(schema.features)))
            options = pcsv.WriteOptions(include_header=False, quoting_style="needed")
            self.writer = pcsv.CSVWriter(self.file, arrow_schema, write_options=options)
        else:
            import pyarrow.parquet as pq

            codec = compression.lower() if compression else "snappy"
            self.writer = pq.ParquetWriter(self.file, arrow_schema, compression=codec)

    def write(self, batch: dict[str, Column]) -> None:
        self.writer.write_batch(_record_batch(batch, self.schema))

    def close(self) -> None:
        self.writer.close()
        self.out.close()

    def abort(self) -> None:
        self.out.abort()


def open_writer(fmt: str, path: str, schema: Schema, compression: str) -> Any:
    """A writer of format ``fmt`` (``tfrecord``, ``csv``, ``parquet``) at ``path``.

    Raises:
        InvalidArgumentError: CSV output of a feature with several values per
            record.
    """
    if fmt == "tfrecord":
        return _TFRecordSink(path, schema, compression)
    if fmt == "csv":
        lists = [f.name for f in schema.features.values() if f.max_length > 1]
        if lists:
            raise InvalidArgumentError(
                f"cannot write CSV: features {lists} have several values per record "
                "(convert to tfrecord or parquet instead)"
            )
    return _ArrowSink(fmt, path, schema, compression)
