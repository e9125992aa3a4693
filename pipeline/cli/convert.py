"""``pipeline convert``: rewrite files as TFRecord (Examples), CSV or Parquet shards.

The schema (features, kinds, one value or a list per record) is inferred from
the input, or read from ``--schema spec.json`` (``pipeline schema --json``).
SequenceExamples convert to TFRecord (SequenceExamples again: context
features and feature lists) or to Parquet: context features as an Example's
features, each feature list as a ``list<list<kind>>`` column (a list of time
steps, each a list of values; null when a record lacks the list), which
converts back. CSV has no such column: it is refused, as the lists would be
lost.
Each column keeps its type: ints stay int64, strings strings, and a float
keeps its precision (float64 from CSV text or a float64 Parquet column,
float32 from an Example's FloatList or a float32 Parquet column): CSV and
Parquet round trips are exact. Only ``--to tfrecord`` narrows to float32, as
a FloatList holds nothing wider; a feature whose values that cast changes
gets one warning on stderr (how many, and an example).
Records keep their order: shard ``k`` of ``N`` holds the ``k``-th contiguous
slice, and shards are named ``NAME-0000k-of-0000N.EXT``; each is written
under a temporary name and renamed when complete. Temporary files that an
interrupted run left for these very names are removed first.

Example:
    >>> from pipeline.cli import main
    >>> from pipeline.io import fs
    >>> with fs.open_output("memory://convert-cmd/in.csv") as f:
    ...     _ = f.write(b"a,b\\n1,x\\n2,y\\n3,z\\n")
    >>> main(["convert", "memory://convert-cmd/in.csv", "--to", "tfrecord",
    ...       "--out", "memory://convert-cmd/out", "--shards", "2"])
    memory://convert-cmd/out/in-00000-of-00002.tfrecord: 1 records
    memory://convert-cmd/out/in-00001-of-00002.tfrecord: 2 records
    0
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Any

import numpy as np

from pipeline.cli import _common, _display, _leftovers, _read
from pipeline.cli._precision import FloatLoss, float_dtypes
from pipeline.cli._writers import open_writer
from pipeline.cli.count import count_file
from pipeline.cli.schema import infer
from pipeline.errors import InvalidArgumentError
from pipeline.io.detect import Detected
from pipeline.io.schema import Schema, load_spec

HELP = "convert to TFRecord (Examples or SequenceExamples), CSV or Parquet shards"
EPILOG = """examples:
  pipeline convert 'data/*.csv.gz' --to tfrecord --out out/ --shards 8
  pipeline convert data/train.tfrecord-* --to parquet --out out/ --name train
  pipeline convert data/a.parquet --to csv --out out/ --compression GZIP
  pipeline convert data/*.csv --to tfrecord --out out/ --schema spec.json

Shards are named NAME-00000-of-0000N.EXT and `pipeline verify` passes on them.
Columns keep their types: ints stay int64, and floats keep their precision in
CSV and Parquet (float64 stays float64, float32 stays float32). --to tfrecord
writes floats as float32 (a FloatList holds no more) and warns, per feature,
when that changes values."""

_EXTENSIONS = {"tfrecord": "tfrecord", "csv": "csv", "parquet": "parquet"}
_SCHEMA_SAMPLE_RECORDS = 10_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``convert`` arguments."""
    _common.add_input_arguments(parser)
    parser.add_argument("--to", required=True, choices=sorted(_EXTENSIONS))
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--shards", type=int, default=1, help="number of shards")
    parser.add_argument(
        "--compression",
        choices=["GZIP", "ZLIB", "NONE"],
        type=str.upper,
        default="NONE",
        help="output compression",
    )
    parser.add_argument("--name", help="shard name prefix (default: first input's)")
    parser.add_argument("--schema", metavar="SPEC", help="schema JSON to convert with")


def _stem(path: str) -> str:
    """The shard name prefix from an input path.

    Example:
        >>> _stem("d/train-00003-of-00008.csv.gz"), _stem("d/t.tfrecord-00001-of-00008")
        ('train', 't')
    """
    name = path.rstrip("/").rsplit("/", 1)[-1]
    name = re.sub(r"-\d+-of-\d+", "", name)
    for suffix in (".gz", ".zz", ".zlib"):
        name = name.removesuffix(suffix)
    return name.split(".", 1)[0] or "part"


def shard_paths(out: str, name: str, shards: int, ext: str) -> list[str]:
    """The ``NAME-0000k-of-0000N.EXT`` paths under ``out``.

    Example:
        >>> shard_paths("o", "train", 2, "csv")
        ['o/train-00000-of-00002.csv', 'o/train-00001-of-00002.csv']
    """
    out = out.rstrip("/")
    return [f"{out}/{name}-{k:05d}-of-{shards:05d}.{ext}" for k in range(shards)]


def _schema(args: argparse.Namespace, files: list[Detected]) -> Schema:
    if args.schema:
        return load_spec(args.schema).schema
    schema = infer(files, _SCHEMA_SAMPLE_RECORDS)
    if files and schema.records >= _SCHEMA_SAMPLE_RECORDS:
        schema = infer(files)  # lengths and presence must hold for every record
    return schema


def _check(args: argparse.Namespace) -> None:
    if args.shards < 1:
        raise InvalidArgumentError(f"`--shards` must be >= 1. Received: {args.shards}")
    if args.compression == "ZLIB" and args.to == "parquet":
        raise InvalidArgumentError("Parquet output takes --compression GZIP or NONE")


def _check_lists(args: argparse.Namespace, schema: Schema) -> None:
    """Refuse a conversion that would drop SequenceExample feature lists."""
    lists = [n for n, f in schema.features.items() if f.sequence]
    if lists and args.to == "csv":
        raise InvalidArgumentError(
            "cannot convert SequenceExample feature lists "
            f"{', '.join(map(repr, lists))} to csv: CSV has no column for a list "
            "of time steps; use --to parquet (a list<list<...>> column each) or "
            "--to tfrecord (SequenceExamples)"
        )


def _make_folder(out: str) -> None:
    local = out.removeprefix("file://")
    if "://" not in local:
        os.makedirs(local, exist_ok=True)  # fsspec URLs make their folders


def _batches(files: list[Detected], kinds: dict[str, str] | None):
    for d in files:
        if not d.empty:
            yield from _read.iter_batches(d, kinds)


def run(args: argparse.Namespace) -> int:
    """Convert the inputs into shards."""
    _check(args)
    files = _common.resolve(args)
    schema = _schema(args, files)
    _check_lists(args, schema)
    total = sum(count_file(d)[0] for d in files)
    compression = "" if args.compression == "NONE" else args.compression
    paths = shard_paths(
        args.out,
        args.name or _stem(files[0].path),
        args.shards,
        _EXTENSIONS[args.to]
        + (".gz" if compression == "GZIP" and args.to != "parquet" else ""),
    )
    ends = [total * (k + 1) // args.shards for k in range(args.shards)]
    kinds = {n: f.kind for n, f in schema.features.items()}
    _make_folder(args.out)
    for stale in _leftovers.remove(_leftovers.leftovers_of(paths)):
        _display.say(f"removed {stale} (left by an interrupted write of this output)")
    floats = float_dtypes(files, schema) if args.to == "parquet" else None
    loss = FloatLoss()
    with _common.progress("converting", args.quiet) as bar:
        writers = _Writers(args, schema, floats, loss)
        _write_shards(paths, ends, _batches(files, kinds), writers, bar)
    for line in loss.warnings(_NARROW[args.to]):
        _display.say(f"pipeline convert: warning: {line}", sys.stderr)
    return 0


_NARROW = {
    "tfrecord": "float32 (a tf.train.Example FloatList holds float32)",
    "parquet": "float32",
    "csv": "float32",
}


class _Writers:
    """Opens the shard writers of one conversion (they share the loss tally)."""

    def __init__(
        self,
        args: argparse.Namespace,
        schema: Schema,
        floats: dict[str, np.dtype] | None,
        loss: FloatLoss,
    ) -> None:
        self.fmt, self.schema, self.floats, self.loss = args.to, schema, floats, loss
        self.compression = "" if args.compression == "NONE" else args.compression

    def open(self, path: str) -> Any:
        return open_writer(
            self.fmt, path, self.schema, self.compression, self.floats, self.loss
        )


def _write_shards(paths, ends, batches, writers: _Writers, bar) -> None:
    k, written, done = 0, 0, 0
    writer = writers.open(paths[0])
    try:
        for batch in batches:
            n, start = _read.batch_size(batch), 0
            while start < n:
                while written >= ends[k] and k + 1 < len(paths):
                    writer.close()
                    _display.say(f"{paths[k]}: {written - done} records")
                    k, done = k + 1, written
                    writer = writers.open(paths[k])
                stop = min(n, start + ends[k] - written) if k + 1 < len(paths) else n
                writer.write(_read.take(batch, start, stop))
                written, start = written + stop - start, stop
            bar.advance(n)
        writer.close()
        _display.say(f"{paths[k]}: {written - done} records")
        for path in paths[k + 1 :]:  # fewer records than shards: empty shards
            writers.open(path).close()
            _display.say(f"{path}: 0 records")
    except BaseException:
        writer.abort()
        raise
