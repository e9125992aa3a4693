"""``pipeline bench``: read and parse through the real pipeline; report speed.

Builds the `pipeline.data` pipeline a training job would use for the format
(TFRecord -> batch -> ``parse_example`` with the inferred spec, or
``parse_sequence_example`` for SequenceExamples; CSV ->
``CsvDataset`` with the inferred ``record_defaults`` -> batch; Parquet ->
``ParquetDataset(batch_size=...)``; text -> ``TextLineDataset`` -> batch),
then reports records/s, MB/s (stored bytes) and the per-stage counters of the
iterator (``DatasetIterator.stats()``).

Example:
    >>> from pipeline.cli import main
    >>> from pipeline.io import fs
    >>> with fs.open_output("memory://bench-cmd/a.txt") as f:
    ...     _ = f.write(b"x\\ny\\n")
    >>> main(["bench", "memory://bench-cmd/a.txt", "--json"])  # doctest: +ELLIPSIS
    {"records": 2, ...
    0
"""

from __future__ import annotations

import argparse
import functools
import time
from typing import Any

from pipeline import data
from pipeline.cli import _common, _display
from pipeline.cli.schema import infer
from pipeline.errors import InvalidArgumentError
from pipeline.io import fs
from pipeline.io.csv import decode_csv
from pipeline.io.detect import Detected
from pipeline.io.example import parse_example
from pipeline.io.schema import spec_from_schema

HELP = "read and parse through the real pipeline; records/s, MB/s, stage times"
EPILOG = """examples:
  pipeline bench data/train.tfrecord-*
  pipeline bench 'data/*.csv.gz' --batch-size 1024 --parallelism 8
  pipeline bench data/train.parquet --epochs 3 --json"""

_SPEC_SAMPLE_RECORDS = 10_000


def _parallelism(text: str) -> int:
    if text.lower() == "auto":
        return data.AUTOTUNE
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 'auto' or a positive integer")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``bench`` arguments."""
    _common.add_input_arguments(parser)
    parser.add_argument("--batch-size", type=int, default=256, help="default 256")
    parser.add_argument(
        "--parallelism",
        type=_parallelism,
        default="auto",
        help="'auto' (AUTOTUNE, the default) or a thread count",
    )
    parser.add_argument("--epochs", type=int, default=1, help="passes (default 1)")
    parser.add_argument("--json", action="store_true", help="one JSON document")


def build(files: list[Detected], batch_size: int, parallelism: int) -> Any:
    """The `pipeline.data.Dataset` that reads and parses ``files`` in batches."""
    kinds = {d.format for d in files}
    if len(kinds) != 1 or len({d.compression for d in files}) != 1:
        raise InvalidArgumentError(
            "bench reads one format and compression at a time; got "
            + ", ".join(sorted(f"{d.format}/{d.compression or 'none'}" for d in files))
        )
    d, paths = files[0], [f.path for f in files]
    compression = d.compression or None
    if d.format == "parquet":
        return data.ParquetDataset(paths, d.columns, batch_size=batch_size)
    if d.format == "text":
        ds = data.TextLineDataset(paths, compression, num_parallel_reads=parallelism)
        return ds.batch(batch_size)
    spec = spec_from_schema(infer(files, _SPEC_SAMPLE_RECORDS))
    if d.format in ("csv", "tsv"):
        return _csv_dataset(files, spec, compression, batch_size)
    ds = data.TFRecordDataset(paths, compression, num_parallel_reads=parallelism)
    ds = ds.batch(batch_size)
    if d.format == "tfrecord" and spec.sequence_features:
        ds = ds.map(lambda x: _parse_sequences(x, spec), num_parallel_calls=parallelism)
    elif d.format == "tfrecord":
        ds = ds.map(lambda x: parse_example(x, spec), num_parallel_calls=parallelism)
    return ds.prefetch(data.AUTOTUNE)


def _csv_dataset(files: list[Detected], spec: Any, compression: Any, size: int) -> Any:
    """Batches of ``CsvDataset`` with the CSV options: one ``--na-value``,
    ``--columns`` (as ``select_cols``, in the file's order); with
    ``--skip-rows``, batches of the lines after the preamble
    (``TextLineDataset.skip``) through ``decode_csv``."""
    from pipeline.cli._csv_header import csv_names

    d = files[0]
    if len(d.na_values) > 1:
        raise InvalidArgumentError("bench reads CSV with one --na-value at most")
    defaults, select = spec.record_defaults, None
    if d.columns is not None:
        names = csv_names(d)
        select = sorted(names.index(n) for n in d.columns)
        by_name = dict(zip(spec.column_names, spec.record_defaults))
        defaults = [by_name[names[i]] for i in select]
    options = {"field_delim": d.delimiter or ",", "select_cols": select,
               "na_value": d.na_values[0] if d.na_values else ""}  # fmt: skip
    paths = [f.path for f in files]
    if not d.skip_rows:
        header = bool(d.header)
        ds = data.CsvDataset(paths, defaults, compression, header=header, **options)
        return ds.batch(size)
    skip = d.skip_rows + bool(d.header)
    lines = [data.TextLineDataset(p, compression).skip(skip) for p in paths]
    ds = functools.reduce(lambda a, b: a.concatenate(b), lines)
    return ds.batch(size).map(lambda b: tuple(decode_csv(b, defaults, **options)))


def _parse_sequences(serialized: Any, spec: Any) -> dict[str, Any]:
    """Context features and feature lists of a batch, in one dict."""
    from pipeline.io.example_sequence import parse_sequence_example

    context, lists, _ = parse_sequence_example(
        serialized, spec.context_features, spec.sequence_features
    )
    return {**context, **lists}


def _batch_len(batch: Any) -> int:
    if isinstance(batch, dict):
        batch = next(iter(batch.values()), ())
    if isinstance(batch, tuple):
        batch = batch[0] if batch else ()
    shape = getattr(batch, "dense_shape", None)
    return int(shape[0]) if shape is not None else len(batch)


def measure(ds: Any, epochs: int, bar: _common.Progress) -> tuple[int, float, list]:
    """``(records, seconds, stage stats)`` of iterating ``ds`` ``epochs`` times."""
    records, stats = 0, []
    start = time.perf_counter()
    for _ in range(epochs):
        with iter(ds) as it:
            for batch in it:
                n = _batch_len(batch)
                records += n
                bar.advance(n)
            stats = it.stats() if hasattr(it, "stats") else []
    return records, time.perf_counter() - start, stats


def _print(doc: dict) -> None:
    con = _common.console()
    con.print(
        f"{doc['records']:,} records in {doc['seconds']:.3f} s: "
        f"{doc['records_per_s']:,.0f} records/s, {doc['mb_per_s']:.1f} MB/s "
        f"({_common.human_bytes(doc['bytes'])} read per epoch)"
    )
    if doc["stages"]:
        keys = sorted({k for s in doc["stages"] for k in s if k != "stage"})
        table = _display.table(["stage", *keys], title="per stage")
        for s in doc["stages"]:
            row = [str(s.get("stage", "")), *(_cell(s.get(k)) for k in keys)]
            table.add_row(*map(_display.cell, row))
        con.print(table)


def _cell(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def run(args: argparse.Namespace) -> int:
    """Build the pipeline, run it, print the figures."""
    if args.batch_size < 1 or args.epochs < 1:
        raise InvalidArgumentError("`--batch-size` and `--epochs` must be >= 1")
    files = _common.resolve(args)
    ds = build(files, args.batch_size, args.parallelism)
    size = sum(fs.file_size(d.path) for d in files)
    with _common.progress("bench", args.quiet) as bar:
        records, seconds, stages = measure(ds, args.epochs, bar)
    seconds = max(seconds, 1e-9)
    doc = {
        "records": records, "seconds": seconds, "bytes": size,
        "records_per_s": records / seconds,
        "mb_per_s": size * args.epochs / seconds / 1e6,
        "batch_size": args.batch_size, "epochs": args.epochs,
        "format": files[0].format, "stages": stages,
    }  # fmt: skip
    _common.print_json(doc) if args.json else _print(doc)
    return 0
