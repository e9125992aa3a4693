"""``pipeline index``: write the record index sidecar of TFRecord, text and CSV files.

The sidecar (``<file>.index``, see `pipeline.io.index`) holds the offset of
every record: ``pipeline count`` then answers without reading the file, and
readers can start at any record. Uncompressed text and CSV/TSV files get a
line or row index (`pipeline.io.line_index`; a CSV header row is not a
record), which ``pl.data.global_shuffle(files, format="text"|"csv")`` reads.

Example:
    >>> from pipeline.cli import main
    >>> from pipeline.io.tfrecord_writer import TFRecordWriter
    >>> with TFRecordWriter("memory://index-cmd/a.tfrecord") as w:
    ...     w.write(b"x")
    >>> main(["index", "memory://index-cmd/a.tfrecord"])
    memory://index-cmd/a.tfrecord.index: 1 records
    0
"""

from __future__ import annotations

import argparse

from pipeline.cli import _common, _display
from pipeline.data.shuffle_reader import indexed_count
from pipeline.errors import InvalidArgumentError
from pipeline.io import index, line_index

HELP = "write the record index sidecar of TFRecord, text or CSV files (seek, shuffle)"
EPILOG = """examples:
  pipeline index data/train.tfrecord-*
  pipeline count data/train.tfrecord-*     # now reads the sidecars

Each sidecar is written atomically next to its file as <file>.index."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``index`` arguments."""
    _common.add_input_arguments(parser)


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
            if d.format in ("tfrecord", "tfrecord-raw"):
                target = index.write_index(d.path, d.compression)
                n = index.count_indexed(d.path, target)
            else:
                kind = "text" if d.format == "text" else "csv"
                target = line_index.write_line_index(d.path, kind, bool(d.header))
                n = indexed_count(d.path, kind)[0]
            bar.advance(n)
            _display.say(f"{target}: {n} records")
    return 0
