"""``pipeline index``: write the record index sidecar of TFRecord files.

The sidecar (``<file>.index``, see `pipeline.io.index`) holds the offset of
every record: ``pipeline count`` then answers without reading the file, and
readers can start at any record.

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
from pipeline.errors import InvalidArgumentError
from pipeline.io import index

HELP = "write the record index sidecar of TFRecord files (fast count and seek)"
EPILOG = """examples:
  pipeline index data/train.tfrecord-*
  pipeline count data/train.tfrecord-*     # now reads the sidecars

Each sidecar is written atomically next to its file as <file>.index."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``index`` arguments."""
    _common.add_input_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Index every TFRecord file."""
    files = _common.resolve(args)
    for d in files:
        if d.format not in ("tfrecord", "tfrecord-raw"):
            raise InvalidArgumentError(
                f"only TFRecord files can be indexed: {d.path!r} is {d.format}",
                path=d.path,
            )
    with _common.progress("indexing", args.quiet) as bar:
        for d in files:
            bar.describe(d.path)
            target = index.write_index(d.path, d.compression)
            n = index.count_indexed(d.path, target)
            bar.advance(n)
            _display.say(f"{target}: {n} records")
    return 0
