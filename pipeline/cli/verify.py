"""``pipeline verify``: check every record; exit 0 only when all is sound.

TFRecord: every length and data CRC (reading goes on past a bad data CRC),
and for Examples that every record decodes. A file whose first record has
feature lists holds SequenceExamples: every record must then parse as one
(context, and each feature list's steps); in a file of Examples a record
with feature lists is reported (reading it as an Example would drop them).
A record without feature lists is a valid SequenceExample too (context
only), so it is never reported in a file of SequenceExamples. CSV/TSV: every
row has the header's field count. Parquet and text: every byte reads. Each
problem is printed with its file, record and byte offset; a file with
unreadable data gets a line saying how many records were read, how many
could not be, and where reading stopped. Records counted are records read.
Temporary files left by interrupted writes (``.NAME.pipeline-tmp-*``) in the
folders read are named in a warning, never read as data; ``--clean-temp``
removes them.

Example:
    >>> from pipeline.cli import main
    >>> from pipeline.io import fs
    >>> with fs.open_output("memory://verify-cmd/a.csv") as f:
    ...     _ = f.write(b"a,b\\n1,2\\n3\\n")
    >>> main(["verify", "memory://verify-cmd/a.csv"])
    memory://verify-cmd/a.csv: record 1 (line 3, byte 8): expected 2 fields, got 1
    memory://verify-cmd/a.csv: 1 record read, 1 unreadable record
    1 file, 1 record, 1 problem, 1 unreadable record
    1
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from pipeline.cli import _common, _display, _leftovers, _read, _sample
from pipeline.cli._sequence_columns import SequenceColumns
from pipeline.errors import DataLossError, InvalidArgumentError, PipelineError
from pipeline.io import fs, tfrecord
from pipeline.io.detect import Detected

HELP = "check CRCs, that records parse, and CSV field counts"
EPILOG = """examples:
  pipeline verify data/train.tfrecord-*
  pipeline verify 'data/*.csv.gz' --json
  pipeline verify 'out/*' --clean-temp     # remove leftovers of interrupted writes

Exit code 0 only when every file is sound; each problem is printed with its
file, record and byte offset, then what could not be read. Temporary files of
interrupted writes (.NAME.pipeline-tmp-*) are named and never read as data.
With --sample N only the first N records are checked (the summary says so;
with --json a last line {"sample": N, "files": ..., "records": ...,
"problems": ...})."""


@dataclass
class Problem:
    """One defect: where it is and what is wrong."""

    path: str
    record: int | None
    offset: int | None
    message: str
    line: int | None = None
    #: ``"record"``: this record cannot be read (reading goes on);
    #: ``"rest"``: reading stopped here, nothing after it was read;
    #: ``""``: nothing to read (an empty file).
    unreadable: str = "rest"

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
    parser.add_argument(
        "--clean-temp",
        action="store_true",
        help="remove the temporary files of interrupted writes found in the "
        "folders read (only while nothing is writing there)",
    )
    _sample.add_argument(parser)


def _from_error(d: Detected, e: PipelineError) -> Problem:
    lost = "record" if getattr(e, "raw", None) is not None else "rest"
    return Problem(d.path, e.record_index, e.offset, e.message, e.line, lost)


def _bad_records(d: Detected, block, decoder) -> Iterator[Problem]:
    sequence = isinstance(decoder, SequenceColumns)
    for i, record in enumerate(block.records):
        try:
            decoder.check(record)
        except InvalidArgumentError as e:
            index, offset = block.first_index + i, int(block.offsets[i])
            message = f"not a SequenceExample: {e.message}" if sequence else e.message
            yield Problem(d.path, index, offset, message, unreadable="record")


def _check_tfrecord(d: Detected, bar: _common.Progress) -> Iterator[Problem | int]:
    decoder = None
    for item in tfrecord.iter_blocks(d.path, d.compression, skip_corrupt=True):
        if isinstance(item, DataLossError):
            yield _from_error(d, item)
            continue
        if d.format == "tfrecord" and decoder is None:
            decoder = _read.record_decoder(item.records)
        if decoder is not None:
            try:  # the kernel checks a whole block at once
                decoder.validate(item.records, d.path, item.first_index)
            except (InvalidArgumentError, ValueError):
                bad = list(_bad_records(d, item, decoder))  # find every bad one
                yield from bad
                bar.advance(len(item))
                yield len(item) - len(bad)
                continue
        bar.advance(len(item))
        yield len(item)


def _check_readable(d: Detected, bar: _common.Progress) -> Iterator[Problem | int]:
    for batch in _read.iter_batches(d):
        n = _read.batch_size(batch)
        bar.advance(n)
        yield n


def check_file(
    d: Detected, bar: _common.Progress, limit: int | None = None
) -> Iterator[Problem | int]:
    """Yield the problems of one file, and record counts as ints (a CSV
    file is read no further than about ``limit`` records)."""
    if d.empty and d.format in ("csv", "tsv"):
        yield Problem(d.path, None, 0, "empty file: expected a header line", None, "")
        return
    if d.format in ("tfrecord", "tfrecord-raw"):
        check = _check_tfrecord
    elif d.format in ("csv", "tsv"):
        from pipeline.cli._verify_csv import check_csv

        def check(d, bar):
            return check_csv(d, bar, limit)
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


def _temp_files(args: argparse.Namespace, files: list[Detected]) -> list[str]:
    """Leftovers of interrupted writes matched by FILES or in their folders."""
    matched = _leftovers.split(fs.expand(args.files))[1]
    paths = [*args.files, *(d.path for d in files)]
    near = _leftovers.in_folders({_leftovers.folder_of(p) for p in paths})
    return sorted({*matched, *near})


def _report_temp_files(args: argparse.Namespace, files: list[Detected]) -> None:
    temps = _temp_files(args, files)
    if args.clean_temp:
        for path in _leftovers.remove(temps):
            _display.say(f"removed {path} (temporary file of an interrupted write)")
        return
    out = sys.stderr if args.json else sys.stdout
    for path in temps:
        _display.say(
            f"warning: {path}: temporary file of an interrupted write of "
            f"{_leftovers.final_name(path)!r}, not data (--clean-temp removes it)",
            out,
        )


def _tally(problems: list[Problem], records: int) -> str:
    """The per-file line for a file with unreadable data, or ``""``."""
    lost = sum(p.unreadable == "record" for p in problems)
    stop = next((p for p in problems if p.unreadable == "rest"), None)
    if not lost and stop is None:
        return ""
    parts = [f"{_plural(records, 'record')} read"]
    parts += [f"{_plural(lost, 'unreadable record')}"] if lost else []
    if stop is not None:
        where = "" if stop.offset is None else f" at byte {stop.offset}"
        parts.append(f"reading stopped{where}: the rest of the file was not read")
    return f"{stop.path if stop else problems[0].path}: {', '.join(parts)}"


def _check_all(args, files, bar) -> tuple[int, int, int, int, int]:
    """Print each problem and per-file tally; ``(records, problems, unreadable
    records, files cut short, files read)`` (the first ``args.sample``
    records only, when given)."""
    records = problems = lost = cut = read_files = 0
    for d in files:
        left = None if args.sample is None else args.sample - records - lost
        if left is not None and left <= 0:
            break
        bar.describe(d.path)
        found, read, read_files = [], 0, read_files + 1
        items = check_file(d, bar, left)
        for item in items if left is None else _sample.first_checked(items, left):
            if isinstance(item, int):
                read += item
                continue
            found.append(item)
            _common.print_json(asdict(item)) if args.json else _display.say(item)
        tally = _tally(found, read)
        if tally and not args.json:
            _display.say(tally)
        records, problems = records + read, problems + len(found)
        lost += sum(p.unreadable == "record" for p in found)
        cut += any(p.unreadable == "rest" for p in found)
    return records, problems, lost, cut, read_files


def run(args: argparse.Namespace) -> int:
    """Check every file; print each problem, what could not be read, and a
    summary; name (or remove) temporary leftovers of interrupted writes."""
    files = _common.resolve(args, allow_empty=True)
    _report_temp_files(args, files)
    with _common.progress("verifying", args.quiet) as bar:
        records, problems, lost, cut, checked = _check_all(args, files, bar)
    if args.sample is not None and args.json:
        _common.print_json({"sample": args.sample, "files": checked,
                            "records": records, "problems": problems})  # fmt: skip
    if not args.json:
        summary = [_plural(checked, "file"), _plural(records, "record"),
                   _plural(problems, "problem")]  # fmt: skip
        summary += [_plural(lost, "unreadable record")] if lost else []
        summary += [f"{_plural(cut, 'file')} not read to the end"] if cut else []
        if args.sample is not None:
            summary[-1] += f" ({_sample.describe(args.sample, records + lost)})"
        print(", ".join(summary))
    return 1 if problems else 0
