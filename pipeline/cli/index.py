"""``pipeline index``: write the record index sidecar of TFRecord, text and CSV files.

The sidecar (see `pipeline.io.index`) holds the offset of every record:
``pipeline count`` then answers without reading the file, and readers can
start at any record. Uncompressed text and CSV/TSV files get a line or row
index (`pipeline.io.line_index`; a CSV header row is not a record), which
``pl.data.global_shuffle(files, format="text"|"csv")`` reads.

Layout: the sidecar of ``<folder>/<file>`` is
``<folder>/.pipeline-index/<file>.index``, in a hidden folder beside the data,
so shard patterns (``train-*``, ``*.tfrecord*``) never list it, here or in
TensorFlow. An old-style sidecar ``<file>.index`` next to the file (written
by earlier versions, and listed by TensorFlow's ``list_files('train-*')``) is
removed once its replacement is written, and the output says so.

Example:
    >>> from pipeline.cli import main
    >>> from pipeline.io.tfrecord_writer import TFRecordWriter
    >>> with TFRecordWriter("memory://index-cmd/a.tfrecord") as w:
    ...     w.write(b"x")
    >>> main(["index", "memory://index-cmd/a.tfrecord"])
    memory://index-cmd/.pipeline-index/a.tfrecord.index: 1 records
    0
"""

from __future__ import annotations

import argparse

from pipeline.cli import _common, _display
from pipeline.data.shuffle_reader import indexed_count
from pipeline.errors import InvalidArgumentError
from pipeline.io import index, line_index
from pipeline.io.detect import Detected

HELP = "write the record index sidecar of TFRecord, text or CSV files (seek, shuffle)"
EPILOG = """examples:
  pipeline index data/train.tfrecord-*
  pipeline count data/train.tfrecord-*     # now reads the sidecars

Each sidecar is written atomically into a hidden folder beside its file:
data/train.tfrecord-00000 -> data/.pipeline-index/train.tfrecord-00000.index
so shard patterns (train-*, *.tfrecord*) do not list it, in pipeline or in
TensorFlow. TensorFlow's '*' also matches hidden names and folders: a pattern
such as 'data/*' lists the .pipeline-index folder, so name the shards in it.
An old-style sidecar <file>.index beside the file is removed once replaced."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``index`` arguments."""
    _common.add_input_arguments(parser)


def _write(d: Detected) -> tuple[str, int]:
    """Write the sidecar of one file: ``(its path, records)``."""
    if d.format in ("tfrecord", "tfrecord-raw"):
        target = index.write_index(d.path, d.compression)
        return target, index.count_indexed(d.path, target)
    kind = "text" if d.format == "text" else "csv"
    skip = d.skip_rows if kind == "csv" else 0  # --skip-rows: a preamble
    target = line_index.write_line_index(d.path, kind, bool(d.header), skip_lines=skip)
    return target, indexed_count(d.path, kind)[0]


def run(args: argparse.Namespace) -> int:
    """Index every TFRecord, text or CSV file."""
    files = _common.resolve(args)
    for d in files:
        if d.format == "parquet":
            raise InvalidArgumentError(
                f"only TFRecord, text and CSV files can be indexed: {d.path!r} "
                "is parquet",
                path=d.path,
            )
    with _common.progress("indexing", args.quiet) as bar:
        for d in files:
            bar.describe(d.path)
            target, n = _write(d)
            bar.advance(n)
            _display.say(f"{target}: {n} records")
            old = index.remove_old_index(d.path)
            if old is not None:
                _display.say(f"removed {old} (old-style sidecar, replaced by {target})")
    return 0
