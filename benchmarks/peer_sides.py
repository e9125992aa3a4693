"""The sides of `benchmarks.bench_peers`: the same typed batches, written per library.

Every side turns the taxi shards into batches of (up to) 256 rows, each a dict
of numpy columns: floats as float32, integers as int32 from CSV and int64
from TFRecord (an Example stores int64), strings as object arrays of bytes;
an empty cell is 0 or ``b""``. Each side is what a user of that library
writes, in its strongest form we know of:

* ``ours``: ``make_csv_dataset(column_defaults=...)``; for TFRecord
  ``TFRecordDataset(files).batch(256).map(parse_example)``;
* ``ray``: ``ray.data.read_csv`` (pyarrow column types) or
  ``ray.data.read_tfrecords``, a pyarrow ``map_batches`` filling the empty
  cells, then ``iter_batches(256, batch_format="numpy")``;
* ``torch0`` / ``torch2``: a ``DataLoader(batch_size=None, num_workers=0|2)``
  (persistent workers) over an ``IterableDataset`` that deals the files to
  its workers; for CSV it yields pyarrow record batches of 256
  (``pyarrow.csv.read_csv`` with column types), turned into numpy columns in
  the loop; for TFRecord it decodes 256 records at a time with protobuf in the worker;
* ``grain``: ``MapDataset.source(files).map(read_csv)`` flat-mapped into
  256-row slices; for TFRecord the files flat-mapped into their records
  (``TFRecordIterDataset`` per file), ``batch(256)`` and a protobuf decoding
  ``map``;
* ``polars``: ``scan_csv(files, schema=...)`` with the empty cells filled,
  ``collect_batches(chunk_size=256)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from benchmarks.taxi_data import COLUMNS, DTYPES, RECORD_DEFAULTS

BATCH = 256
Batch = dict[str, np.ndarray]
CSV_SIDES = ("ours", "ray", "torch0", "torch2", "grain", "polars")
TFRECORD_SIDES = ("ours", "ray", "torch0", "torch2", "grain")
_STRINGS = [n for n in COLUMNS if DTYPES[n] is object]


def numpy_dtype(name: str, fmt: str) -> np.dtype:
    """The dtype of column ``name`` in every side's batches of ``fmt``.

    Example:
        >>> numpy_dtype("hour_of_day", "csv"), numpy_dtype("hour_of_day", "tfrecord")
        (dtype('int32'), dtype('int64'))
    """
    dtype = np.dtype(DTYPES[name])
    return np.dtype(np.int64) if fmt == "tfrecord" and dtype.kind == "i" else dtype


def _arrow_types(fmt: str) -> dict:
    import pyarrow as pa

    return {
        n: pa.binary() if DTYPES[n] is object else pa.from_numpy_dtype(
            numpy_dtype(n, fmt))
        for n in COLUMNS
    }  # fmt: skip


def _filled(table, fmt: str = "csv"):
    """A pyarrow table or batch with the taxi types and its nulls filled."""
    import pyarrow as pa
    import pyarrow.compute as pc

    types = _arrow_types(fmt)
    arrays = []
    for name in COLUMNS:
        column = table.column(name).cast(types[name])
        empty = b"" if DTYPES[name] is object else 0
        arrays.append(pc.fill_null(column, pa.scalar(empty, types[name])))
    cls = pa.Table if isinstance(table, pa.Table) else pa.RecordBatch
    return cls.from_arrays(arrays, names=COLUMNS)


def arrow_columns(batch) -> Batch:
    """Numpy columns of a pyarrow record batch (strings: object arrays of bytes)."""
    return {
        name: batch.column(i).to_numpy(zero_copy_only=False)
        for i, name in enumerate(batch.schema.names)
    }


def _read_csv(path: str):
    import pyarrow.csv as pacsv

    convert = pacsv.ConvertOptions(column_types=_arrow_types("csv"))
    return _filled(pacsv.read_csv(path, convert_options=convert)).combine_chunks()


def decode_examples(records) -> Batch:
    """Decode serialized Examples with protobuf into the taxi's numpy columns."""
    from tfrecord import example_pb2

    parse = example_pb2.Example.FromString
    out, lists = {}, {}
    for name in COLUMNS:
        dtype = numpy_dtype(name, "tfrecord")
        out[name] = np.zeros(len(records), dtype)
        if dtype.kind == "O":
            out[name][:] = b""
        lists[name] = {"O": "bytes_list", "f": "float_list"}.get(
            dtype.kind, "int64_list"
        )
    for i, record in enumerate(records):
        for name, feature in parse(record).features.feature.items():
            out[name][i] = getattr(feature, lists[name]).value[0]
    return out


# Ours -------------------------------------------------------------------------


def ours_csv(files: list[str]) -> Callable[[], Iterator[Batch]]:
    """Ours: ``make_csv_dataset`` with the column defaults."""

    import pipeline as pl

    ds = pl.data.make_csv_dataset(
        files, BATCH, column_defaults=RECORD_DEFAULTS, shuffle=False, num_epochs=1
    )
    return lambda: iter(ds)


def ours_tfrecord(files: list[str]) -> Callable[[], Iterator[Batch]]:
    """Ours: ``TFRecordDataset.batch(256).map(parse_example)``."""

    import pipeline as pl
    from benchmarks.bench_tfrecord import example_spec

    spec = example_spec()
    ds = pl.data.TFRecordDataset(files).batch(BATCH)
    ds = ds.map(lambda b: pl.io.parse_example(b, spec))
    return lambda: iter(ds)


# Ray Data ---------------------------------------------------------------------


def _ray_batches(ds, fmt: str) -> Iterator[Batch]:
    ds = ds.map_batches(lambda t: _filled(t, fmt), batch_format="pyarrow")
    return ds.iter_batches(batch_size=BATCH, batch_format="numpy")


def ray_csv(files: list[str]) -> Callable[[], Iterator[Batch]]:
    """Ray Data: ``read_csv`` with pyarrow column types."""

    import pyarrow.csv as pacsv
    import ray.data

    convert = pacsv.ConvertOptions(column_types=_arrow_types("csv"))
    return lambda: _ray_batches(
        ray.data.read_csv(files, convert_options=convert), "csv")  # fmt: skip


def ray_tfrecord(files: list[str]) -> Callable[[], Iterator[Batch]]:
    """Ray Data: ``read_tfrecords``, cast to the taxi types."""

    import ray.data

    return lambda: _ray_batches(ray.data.read_tfrecords(files), "tfrecord")


# PyTorch DataLoader -------------------------------------------------------------


def _worker_files(files: list[str]) -> list[str]:
    import torch.utils.data

    info = torch.utils.data.get_worker_info()
    return files if info is None else files[info.id :: info.num_workers]


def _record_batches(files: list[str]) -> Iterator:
    import pyarrow as pa
    import torch.utils.data

    # a slice pickles its whole table's buffers (46x the bytes here): out of a
    # worker process, each batch goes as a compact copy
    compact = torch.utils.data.get_worker_info() is not None
    for path in _worker_files(files):
        for batch in _read_csv(path).to_batches(max_chunksize=BATCH):
            yield pa.concat_batches([batch]) if compact else batch


def _example_batches(files: list[str]) -> Iterator[Batch]:
    from tfrecord.reader import tfrecord_iterator

    for path in _worker_files(files):
        records = []
        for record in tfrecord_iterator(path):  # a view of a reused buffer
            records.append(bytes(record))
            if len(records) == BATCH:
                yield decode_examples(records)
                records = []
        if records:
            yield decode_examples(records)


def _as_is(batch):
    return batch


def _torch(files: list[str], items, convert, workers: int):
    import torch.utils.data

    class Files(torch.utils.data.IterableDataset):
        def __iter__(self):
            return items(files)

    loader = torch.utils.data.DataLoader(  # numpy columns as they are
        Files(), batch_size=None, num_workers=workers, collate_fn=_as_is,
        persistent_workers=workers > 0,  # the timed pass reuses the workers
    )  # fmt: skip
    return lambda: (convert(b) for b in loader)


def torch_csv(workers: int) -> Callable:
    """torch: a DataLoader over pyarrow record batches of 256."""

    return lambda files: _torch(files, _record_batches, arrow_columns, workers)


def torch_tfrecord(workers: int) -> Callable:
    """torch: a DataLoader decoding Examples with protobuf in its workers."""

    return lambda files: _torch(files, _example_batches, lambda b: b, workers)


# Grain ------------------------------------------------------------------------


def grain_csv(files: list[str]) -> Callable[[], Iterator[Batch]]:
    """Grain: pyarrow ``read_csv`` per file, flat-mapped into batches."""

    import grain
    import grain.experimental as ge

    class Slices(ge.FlatMapTransform):
        max_fan_out = 1 << 24

        def flat_map(self, table):
            return table.to_batches(max_chunksize=BATCH)

    ds = grain.MapDataset.source(files).map(_read_csv).to_iter_dataset()
    ds = ge.FlatMapIterDataset(ds, Slices()).map(arrow_columns)
    return lambda: iter(ds)


def grain_tfrecord(files: list[str]) -> Callable[[], Iterator[Batch]]:
    """Grain: ``TFRecordIterDataset`` per file, batched, protobuf decoding."""

    import grain
    import grain.experimental as ge

    class Records(ge.FlatMapTransform):
        # 5x faster here than InterleaveIterDataset, whose per-record thread
        # hand-off dominates; the price: a whole shard's records in a list
        max_fan_out = 1 << 24

        def flat_map(self, path):
            return list(ge.TFRecordIterDataset(path))

    ds = grain.MapDataset.source(files).to_iter_dataset()
    ds = ge.FlatMapIterDataset(ds, Records())
    ds = ds.batch(BATCH, batch_fn=list).map(decode_examples)
    return lambda: iter(ds)


# polars -----------------------------------------------------------------------


def polars_csv(files: list[str]) -> Callable[[], Iterator[Batch]]:
    """polars: ``scan_csv`` with a schema, ``collect_batches(256)``."""

    import polars as pl

    kinds = {"f": pl.Float32, "i": pl.Int32}
    schema = {
        n: pl.String if DTYPES[n] is object else kinds[np.dtype(DTYPES[n]).kind]
        for n in COLUMNS
    }
    filled = [
        pl.col(n).cast(pl.Binary).fill_null(b"") if n in _STRINGS
        else pl.col(n).fill_null(0)
        for n in COLUMNS
    ]  # fmt: skip

    def batches():
        lazy = pl.scan_csv(files, schema=schema).select(filled)
        for frame in lazy.collect_batches(chunk_size=BATCH):
            yield {n: frame.get_column(n).to_numpy() for n in COLUMNS}

    return batches


#: (format, side) -> factory: files -> a callable starting one pass.
SIDES: dict[tuple[str, str], Callable] = {
    ("csv", "ours"): ours_csv,
    ("csv", "ray"): ray_csv,
    ("csv", "torch0"): torch_csv(0),
    ("csv", "torch2"): torch_csv(2),
    ("csv", "grain"): grain_csv,
    ("csv", "polars"): polars_csv,
    ("tfrecord", "ours"): ours_tfrecord,
    ("tfrecord", "ray"): ray_tfrecord,
    ("tfrecord", "torch0"): torch_tfrecord(0),
    ("tfrecord", "torch2"): torch_tfrecord(2),
    ("tfrecord", "grain"): grain_tfrecord,
}
