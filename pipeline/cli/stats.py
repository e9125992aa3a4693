"""``pipeline stats``: per-feature statistics, as tables, JSON or an HTML page.

Streams every record once in bounded memory (`pipeline.io.stats`), or only
the first N records with ``--sample N`` (reading stops there). Records
that cannot be read (a bad CRC, a record that is not an Example, a CSV row
with the wrong field count) are left out and counted, a file that cannot be
read to its end is named, on stderr and under ``"unreadable"`` in the JSON;
the exit code is then 1. CSV
columns get their kind from a first look at the first records, so a value
that does not fit (``"n/a"`` in a number column) is counted as invalid.

Example:
    >>> from pipeline.cli import main
    >>> from pipeline.io import fs
    >>> with fs.open_output("memory://stats-cmd/a.csv") as f:
    ...     _ = f.write(b"a,b\\n1,x\\n3,\\n")
    >>> main(["stats", "memory://stats-cmd/a.csv", "--json"])  # doctest: +ELLIPSIS
    {"records": 2, ...
    0
"""

from __future__ import annotations

import argparse
import sys

from pipeline.cli import _common, _display, _read, _sample
from pipeline.cli._unreadable import Unreadable
from pipeline.cli.report import numeric, render, top_values
from pipeline.cli.schema import infer
from pipeline.errors import InvalidArgumentError
from pipeline.io import fs
from pipeline.io.detect import Detected
from pipeline.io.stats import FeatureStats, StatsBuilder

HELP = "per-feature statistics: counts, missing, ranges, histograms, top values"
EPILOG = """examples:
  pipeline stats data/train.tfrecord-*
  pipeline stats 'data/*.csv.gz' --html report.html
  pipeline stats data/train.parquet --json > stats.json
  pipeline stats 'data/train.tfrecord-*' --sample 100000   # a fast look

Unreadable records are left out of the figures and reported (stderr, and
"unreadable" in --json); the exit code is then 1. With --sample N the figures
cover the first N records only, and the output says so ("sample": N in
--json, null when every record was read). Top values cut for the table end
in "…"; --json has them whole."""

_KIND_SAMPLE_RECORDS = 10_000
_SPARK = "▁▂▃▄▅▆▇█"
_TOP_SHOWN, _TOP_CHARS = 5, 24


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``stats`` arguments."""
    _common.add_input_arguments(parser)
    parser.add_argument("--json", action="store_true", help="one JSON document")
    parser.add_argument("--html", metavar="PATH", help="write a self-contained report")
    parser.add_argument("--top-k", type=int, default=10, help="top values (default 10)")
    _sample.add_argument(parser)


def _csv_kinds(files: list[Detected], sample: int | None) -> dict[str, str] | None:
    csvs = [d for d in files if d.format in ("csv", "tsv") and not d.empty]
    if not csvs:
        return None
    look = min(sample or _KIND_SAMPLE_RECORDS, _KIND_SAMPLE_RECORDS)
    schema = infer(csvs, look, skipped=Unreadable())
    return {n: f.kind for n, f in schema.features.items()}


def compute(
    files: list[Detected],
    top_k: int = 10,
    bar: _common.Progress | None = None,
    skipped: Unreadable | None = None,
    sample: int | None = None,
) -> tuple[dict[str, FeatureStats], int]:
    """``(stats per feature, records)`` over every record of ``files``, or
    over the first ``sample`` records read (unreadable ones not counted).

    With ``skipped``, unreadable records are left out and counted there, and
    a file that cannot be read to its end is noted there; without, the first
    one raises.
    """
    kinds = _csv_kinds(files, sample)
    builder = StatsBuilder(top_k=top_k)
    for d in files:
        left = None if sample is None else sample - builder.records
        if left is not None and left <= 0:
            break
        if d.empty:
            continue
        if bar is not None:
            bar.describe(d.path)
        batches = _read.iter_batches(d, kinds, left, skipped)
        if left is not None:
            batches = _sample.first_batches(batches, left)
        for batch in batches:
            builder.update(batch)
            if bar is not None:
                bar.advance(_read.batch_size(batch))
    return builder.finish(), builder.records


def spark(counts: list[int]) -> str:
    """A one-line bar chart.

    Example:
        >>> spark([0, 1, 4])
        ' ▂█'
    """
    top = max(counts, default=0)
    if not top:
        return ""
    return "".join(
        " " if not c else _SPARK[(len(_SPARK) - 1) * c // top] for c in counts
    )


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.6g}"


_NUMBER_COLUMNS = ("feature", "kind", "count", "missing", "min", "max", "mean", "std",
                   "zeros", "histogram")  # fmt: skip
_STRING_COLUMNS = ("feature", "count", "missing", "distinct", "top values",
                   "bytes min/mean/max")  # fmt: skip


def _number_row(s: FeatureStats) -> list[str]:
    n = s.numbers
    kind = f"{s.kind} list" if s.sequence else s.kind
    return [s.name, kind, str(n.count), f"{s.missing_pct:.1f}%", _fmt(n.min),
            _fmt(n.max), _fmt(n.mean), _fmt(n.std), f"{n.zeros_pct:.1f}%",
            spark(n.histogram.get("counts", []))]  # fmt: skip


def _string_row(s: FeatureStats) -> list[str]:
    t, miss = s.strings, f"{s.missing_pct:.1f}%"
    name = f"{s.name} (feature list)" if s.sequence else s.name
    if t is None:
        return [name, "0", miss, "0", "", ""]
    approx = "" if t.distinct_exact else "~"
    top = top_values(t.top, _TOP_SHOWN, _TOP_CHARS)
    lengths = f"{t.min_bytes}/{t.mean_bytes:.1f}/{t.max_bytes}"
    return [name, str(t.count), miss, f"{approx}{t.distinct}", top, lengths]


def _print(stats: dict[str, FeatureStats], records: int, sample: str) -> None:
    con = _common.console()
    con.print(f"{records} records, {len(stats)} features{sample}")
    numbers = _display.table(list(_NUMBER_COLUMNS), title="numeric features")
    strings = _display.table(list(_STRING_COLUMNS), title="string features")
    for s in stats.values():
        if numeric(s):
            numbers.add_row(*map(_display.cell, _number_row(s)))
        else:
            strings.add_row(*map(_display.cell, _string_row(s)))
    for table in (numbers, strings):
        if table.row_count:
            con.print(table)
    for s in stats.values():
        if s.untyped:
            _display.say(
                f"note: {s.name!r} has no value in any record (each entry is an "
                "empty Feature{}): its kind is unknown, shown as a string feature"
            )


def run(args: argparse.Namespace) -> int:
    """Compute and show the statistics."""
    files = _common.resolve(args)
    skipped = Unreadable()
    with _common.progress("stats", args.quiet) as bar:
        stats, records = compute(files, args.top_k, bar, skipped, args.sample)
    if not records:
        why = f": {'; '.join(skipped.lines())}" if skipped else ""
        raise InvalidArgumentError(f"no records in {', '.join(args.files)}{why}")
    for line in skipped.lines():
        _display.say(f"pipeline stats: warning: {line}", sys.stderr)
    sample = "" if args.sample is None else _sample.describe(args.sample, records)
    if args.html:
        page = render(stats, records, ", ".join(args.files), sample)
        with fs.open_output(args.html) as out:
            out.write(page.encode("utf-8"))
    if args.json:
        doc = {"records": records, "sample": args.sample}
        doc["files"] = [d.path for d in files]
        doc["features"] = {n: s.to_dict() for n, s in stats.items()}
        doc["unreadable"] = skipped.to_dict()
        _common.print_json(doc)
    else:
        _print(stats, records, f" ({sample})" if sample else "")
        if args.html:
            _display.say(f"wrote {args.html}")
        if skipped:
            _display.say(_left_out(skipped))
    return 1 if skipped else 0


def _left_out(skipped: Unreadable) -> str:
    n, cut = skipped.total_records, len(skipped.stopped)
    parts = [f"{n} unreadable record{'s' * (n != 1)} left out"] if n else []
    parts += [f"{cut} file{'s' * (cut != 1)} read only in part"] if cut else []
    return "not in these figures: " + ", ".join(parts) + " (see stderr)"
