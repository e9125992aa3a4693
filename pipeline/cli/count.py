"""``pipeline count``: records per file and in total.

TFRecord files are counted from their framing (no parsing), or from the
record index sidecar when a fresh one exists (``pipeline index`` writes it in
the hidden ``.pipeline-index`` folder beside the file); Parquet
from its footer; CSV rows (quoted newlines allowed) and text lines by a scan.

Example:
    >>> from pipeline.cli import main
    >>> from pipeline.io import fs
    >>> with fs.open_output("memory://count-cmd/a.txt") as f:
    ...     _ = f.write(b"one\\ntwo\\n")
    >>> main(["count", "memory://count-cmd/a.txt"])
    memory://count-cmd/a.txt: 2
    total: 2
    0
"""

from __future__ import annotations

import argparse

from pipeline.cli import _common, _display, _read
from pipeline.errors import FailedPreconditionError
from pipeline.io import fs, index, tfrecord
from pipeline.io.detect import Detected

HELP = "count records per file and in total"
EPILOG = """examples:
  pipeline count data/train.tfrecord-*
  pipeline count 'data/*.csv.gz' --json

TFRecord files are counted from their framing, or from the index sidecar
written by `pipeline index` (data/.pipeline-index/<file>.index) when it is
present and fresh (much faster)."""

_CHUNK_BYTES = 1 << 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``count`` arguments."""
    _common.add_input_arguments(parser)
    parser.add_argument("--json", action="store_true", help="one JSON document")


def _index_count(d: Detected) -> int | None:
    """The count from a fresh index sidecar, or None (missing or stale)."""
    if not fs.exists(index.index_path_of(d.path)):
        return None
    try:
        return index.count_indexed(d.path)
    except FailedPreconditionError:
        return None


def _count_lines(d: Detected) -> int:
    lines, last = 0, b"\n"
    with fs.open_input(d.path, d.compression) as f:
        while chunk := f.read(_CHUNK_BYTES):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def _count_csv(d: Detected) -> int:
    if d.empty:
        return 0
    return _read.count_csv_rows(d)


def _count_parquet(d: Detected) -> int:
    import pyarrow.parquet as pq

    with fs.open_input(d.path) as f:
        return pq.ParquetFile(f).metadata.num_rows


def count_file(d: Detected) -> tuple[int, str]:
    """``(records, how)`` for one file; ``how`` names the method used."""
    if d.format in ("tfrecord", "tfrecord-raw"):
        cached = _index_count(d)
        if cached is not None:
            return cached, "index"
        return tfrecord.count_records(d.path, d.compression), "framing"
    if d.format == "parquet":
        return _count_parquet(d), "footer"
    if d.format == "text":
        return _count_lines(d), "scan"
    return _count_csv(d), "scan"


def run(args: argparse.Namespace) -> int:
    """Count and print."""
    files = _common.resolve(args)
    rows = []
    with _common.progress("counting", args.quiet) as bar:
        for d in files:
            bar.describe(d.path)
            n, how = count_file(d)
            bar.advance(n)
            rows.append({"path": d.path, "format": d.format, "records": n, "how": how})
    total = sum(r["records"] for r in rows)
    if args.json:
        _common.print_json({"files": rows, "total": total})
        return 0
    for r in rows:
        _display.say(f"{r['path']}: {r['records']}")
    print(f"total: {total}")
    return 0
