"""``pipeline schema``: inferred features, and a parse spec for the pipeline.

Per feature: kind (int64, float, string), valency (a fixed length n, or
variable lengths min..max), presence (% of records that have it) and example
values. ``--json PATH`` writes the schema as a spec that ``pl.io.load_spec``
reads (``--json`` alone prints it).

For SequenceExamples, context features show as an Example's features, and
each feature list as a row of its own: ``steps`` gives the fewest..most time
steps of the records that have it, and valency the values per step. The
spec's ``context_features`` and ``sequence_features`` are the arguments of
``pl.io.parse_single_sequence_example``.

Example:
    >>> from pipeline.cli import main
    >>> from pipeline.io import fs
    >>> with fs.open_output("memory://schema-cmd/a.csv") as f:
    ...     _ = f.write(b"a,b\\n1,x\\n2.5,\\n")
    >>> main(["schema", "memory://schema-cmd/a.csv", "--json"])  # doctest: +ELLIPSIS
    {...
    0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

from pipeline.cli import _common, _display, _read, _sample
from pipeline.cli._na_hint import na_hint
from pipeline.cli._unreadable import Unreadable
from pipeline.errors import InvalidArgumentError
from pipeline.io import fs
from pipeline.io.detect import Detected
from pipeline.io.schema import Schema, SchemaBuilder

HELP = "infer the schema (kind, valency, presence) and write a parse spec"
EPILOG = """examples:
  pipeline schema data/train.tfrecord-*
  pipeline schema 'data/*.csv' --sample 10000
  pipeline schema data/train.tfrecord-* --json spec.json

then in Python:
  spec = pl.io.load_spec("spec.json")
  pl.io.parse_example(serialized, spec)          # TFRecord of Examples
  pl.io.parse_single_sequence_example(           # TFRecord of SequenceExamples
      serialized, spec.context_features, spec.sequence_features)
  pl.data.CsvDataset(files, spec.record_defaults, header=True)   # CSV"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``schema`` arguments."""
    _common.add_input_arguments(parser)
    _sample.add_argument(parser)
    parser.add_argument(
        "--json",
        nargs="?",
        const="-",
        default=None,
        metavar="PATH",
        help="write the schema as JSON to PATH (stdout without PATH)",
    )


def infer(
    files: Iterable[Detected],
    sample: int | None = None,
    bar: _common.Progress | None = None,
    skipped: Unreadable | None = None,
) -> Schema:
    """The schema of the first ``sample`` records (all when None) of ``files``
    (unreadable records skipped and counted in ``skipped`` when given)."""
    files = list(files)
    builder = SchemaBuilder(files[0].format if files else "")
    for d in files:
        if bar is not None:
            bar.describe(d.path)
        left = None if sample is None else sample - builder.records
        for batch in _read.iter_batches(d, limit=left, skipped=skipped):
            if left is not None and _read.batch_size(batch) > left:
                batch = _read.head(batch, left)
            left = None if left is None else left - _read.batch_size(batch)
            builder.update(batch)
            if bar is not None:
                bar.advance(_read.batch_size(batch))
            if sample is not None and builder.records >= sample:
                return builder.finish()
    return builder.finish()


def _valency(f) -> str:
    if not f.present:
        return "none"  # no record has it (or only as an empty Feature{})
    per = " per step" if f.sequence else ""
    if f.min_length == f.max_length:
        return f"fixed {f.min_length}{per}"
    return f"variable {f.min_length}..{f.max_length}{per}"


def _print(schema: Schema) -> None:
    from pipeline.cli.head import _show

    lists = sum(f.sequence for f in schema.features.values())
    names = ["feature", "kind", "valency", "presence", "examples"]
    table = _display.table(names[:2] + ["steps"] + names[2:] if lists else names)
    for f in schema.features.values():
        examples = ", ".join(_show(v) for v in f.examples)
        row = [f.name, f.kind, _valency(f), f"{100 * f.presence:.1f}%", examples]
        if lists:
            kind = f"{f.kind} list" if f.sequence else f"{f.kind} context"
            steps = f"{f.min_steps}..{f.max_steps}" if f.sequence else ""
            row[1:2] = [kind, steps]
        table.add_row(*map(_display.cell, row))
    con = _common.console()
    con.print(table)
    tail = f" ({lists} feature lists)" if lists else ""
    con.print(f"{schema.records} records, {len(schema.features)} features{tail}")
    for f in schema.features.values():
        if f.note:
            _display.say(f"note: {f.note}")


def run(args: argparse.Namespace) -> int:
    """Infer and print (or write) the schema."""
    files = _common.resolve(args)
    with _common.progress("schema", args.quiet) as bar:
        schema = infer(files, args.sample, bar)
    if not schema.records:
        raise InvalidArgumentError(f"no records in {', '.join(args.files)}")
    if args.json == "-":
        print(schema.to_json())
    elif args.json:
        with fs.open_output(args.json) as out:
            out.write(schema.to_json().encode("utf-8") + b"\n")
        _display.say(f"wrote {args.json}: {len(schema.features)} features")
    else:
        _print(schema)
    strings = [n for n, f in schema.features.items() if f.kind == "string"]
    if hint := na_hint(files, strings):  # numbers and one token such as NA
        _display.say(hint, sys.stderr)
    return 0
