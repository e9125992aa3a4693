"""``pipeline verify``: check every record; exit 0 only when all is sound.

TFRecord: every length and data CRC (reading goes on past a bad data CRC),
and for Examples that every record decodes. CSV/TSV: every row has the
header's field count. Parquet and text: every byte reads. Each problem is
printed with its file, record and byte offset.

Example:
    >>> from pipeline.cli import main
    >>> from pipeline.io import fs
    >>> with fs.open_output("memory://verify-cmd/a.csv") as f:
    ...     _ = f.write(b"a,b\\n1,2\\n3\\n")
    >>> main(["verify", "memory://verify-cmd/a.csv"])
    memory://verify-cmd/a.csv: record 1 (line 3, byte 8): expected 2 fields, got 1
    1 file, 2 records, 1 problem
    1
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from pipeline.cli import _common, _display, _read
from pipeline.cli._examples import ExampleColumns
from pipeline.errors import DataLossError, InvalidArgumentError, PipelineError
from pipeline.io import tfrecord
from pipeline.io.detect import Detected
from pipeline.io.example_wire import decode_example

HELP = "check CRCs, that records parse, and CSV field counts"
EPILOG = """examples:
  pipeline verify data/train.tfrecord-*
  pipeline verify 'data/*.csv.gz' --json

Exit code 0 only when every file is sound; each problem is printed with its
file, record and byte offset."""


@dataclass
class Problem:
    """One defect: where it is and what is wrong."""

    path: str
    record: int | None
    offset: int | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = [] if self.record is None else [f"record {self.record}"]
        detail = [f"line {self.line}"] if self.line is not None else []
        detail += [f"byte {self.offset}"] if self.offset is not None else []
        if detail:
            where.append(f"({', '.join(detail)})")
        return f"{self.path}: {' '.join(where) + ': ' if where else ''}{self.message}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``verify`` arguments."""
    _common.add_input_arguments(parser)
    parser.add_argument("--json", action="store_true", help="JSON lines of problems")


def _from_error(d: Detected, e: PipelineError) -> Problem:
    return Problem(d.path, e.record_index, e.offset, e.message, e.line)


def _bad_examples(d: Detected, block: tfrecord.RecordBlock) -> Iterator[Problem]:
    for i, record in enumerate(block.records):
        try:
            decode_example(record)
        except InvalidArgumentError as e:
            index, offset = block.first_index + i, int(block.offsets[i])
            yield Problem(d.path, index, offset, f"not an Example: {e.message}")


def _check_tfrecord(d: Detected, bar: _common.Progress) -> Iterator[Problem | int]:
    decoder = ExampleColumns() if d.format == "tfrecord" else None
    for item in tfrecord.iter_blocks(d.path, d.compression, skip_corrupt=True):
        if isinstance(item, DataLossError):
            yield _from_error(d, item)
            continue
        if decoder is not None:
            try:  # the kernel checks a whole block at once
                decoder.decode(item.records, d.path, item.first_index)
            except (InvalidArgumentError, ValueError):
                yield from _bad_examples(d, item)  # find every bad record
        bar.advance(len(item))
        yield len(item)


def _check_readable(d: Detected, bar: _common.Progress) -> Iterator[Problem | int]:
    for batch in _read.iter_batches(d):
        n = _read.batch_size(batch)
        bar.advance(n)
        yield n


def check_file(d: Detected, bar: _common.Progress) -> Iterator[Problem | int]:
    """Yield the problems of one file, and record counts as ints."""
    if d.empty and d.format in ("csv", "tsv"):
        yield Problem(d.path, None, 0, "empty file: expected a header line")
        return
    if d.format in ("tfrecord", "tfrecord-raw"):
        check = _check_tfrecord
    elif d.format in ("csv", "tsv"):
        from pipeline.cli._verify_csv import check_csv as check
    else:
        check = _check_readable
    try:
        yield from check(d, bar)
    except PipelineError as e:
        yield _from_error(d, e)
    except (OSError, ValueError) as e:
        yield Problem(d.path, None, None, str(e))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def run(args: argparse.Namespace) -> int:
    """Check every file; print each problem and a summary."""
    files = _common.resolve(args)
    problems, records = 0, 0
    with _common.progress("verifying", args.quiet) as bar:
        for d in files:
            bar.describe(d.path)
            for item in check_file(d, bar):
                if isinstance(item, int):
                    records += item
                    continue
                problems += 1
                _common.print_json(asdict(item)) if args.json else _display.say(item)
    if not args.json:
        print(
            f"{_plural(len(files), 'file')}, {_plural(records, 'record')}, "
            f"{_plural(problems, 'problem')}"
        )
    return 1 if problems else 0
