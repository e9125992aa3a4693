"""Shared pieces of the subcommands: input arguments, detection, output, progress.

Example:
    >>> import argparse
    >>> p = argparse.ArgumentParser()
    >>> add_input_arguments(p)
    >>> p.parse_args(["a.csv", "--format", "csv"]).format
    'csv'
    >>> a = p.parse_args(["a.txt", "--delimiter", "\\\\t", "--na-value", "NA"])
    >>> _csv_options(a)
    {'delimiter': '\\t', 'skip_rows': 0, 'na_values': ('NA',)}
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from pipeline.cli import _display, _leftovers, _selection
from pipeline.cli._csv_header import same_header
from pipeline.errors import InvalidArgumentError, NotFoundError
from pipeline.io import fs, index
from pipeline.io.detect import FORMATS, Detected, detect

# commands that read each file on its own: their CSV files need no common header
_PER_FILE_COMMANDS = ("count", "verify", "index")


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """FILES (paths, globs, fsspec URLs), ``--format``, ``--columns``, the
    header and quiet flags, and the CSV options (``--delimiter``, ``--tsv``,
    ``--skip-rows``, ``--na-value``)."""
    parser.add_argument(
        "files", nargs="+", metavar="FILES", help="paths, globs or fsspec URLs"
    )
    parser.add_argument(
        "--format", choices=FORMATS, default=None, help="skip format detection"
    )
    parser.add_argument(
        "--columns",
        type=_column_names,
        default=None,
        metavar="A,B,C",
        help="read only these columns (features), in this order, in any format; "
        "a TFRecord feature that no record has is an error at the file's end",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    _add_csv_arguments(parser)


def _add_csv_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("CSV/TSV options")
    group.add_argument(
        "--header",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the first row names the columns (default: sniffed)",
    )
    group.add_argument(
        "--delimiter",
        type=_delimiter,
        default=None,
        metavar="CHAR",
        help="field delimiter, one character ('\\t' for a tab); default: sniffed "
        "among , tab ; | -- a space-separated file needs --delimiter ' '",
    )
    group.add_argument(
        "--tsv", action="store_true", help="tab-separated: --delimiter '\\t'"
    )
    group.add_argument(
        "--skip-rows",
        type=_count,
        default=0,
        metavar="N",
        help="leave out the first N lines (comments, a preamble) before the header",
    )
    group.add_argument(
        "--na-value",
        action="append",
        dest="na_values",
        default=None,
        metavar="TEXT",
        help="a field equal to TEXT is a missing value (repeatable: --na-value NA "
        "--na-value '?'); empty fields always are; no other marker is assumed",
    )


def _delimiter(text: str) -> str:
    """``--delimiter``: one character; ``\\t`` and ``tab`` mean a tab."""
    char = "\t" if text in ("\\t", "tab", "TAB") else text
    if len(char) != 1 or char in '"\r\n':
        raise argparse.ArgumentTypeError(
            f"must be one character other than a quote or a newline, got {text!r}"
        )
    return char


def _count(text: str) -> int:
    """``--skip-rows``: an integer >= 0."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be an integer >= 0, got {text!r}")
    return value


def _column_names(text: str) -> tuple[str, ...]:
    """``--columns``: distinct names separated by commas."""
    names = tuple(n.strip() for n in text.split(","))
    if not all(names):
        raise argparse.ArgumentTypeError(f"an empty column name in {text!r}")
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise argparse.ArgumentTypeError(f"{', '.join(map(repr, twice))} listed twice")
    return names


def _csv_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of `detect` from the parsed CSV options."""
    delimiter = getattr(args, "delimiter", None)
    if getattr(args, "tsv", False):
        if delimiter not in (None, "\t"):
            raise InvalidArgumentError(
                f"--tsv means a tab delimiter, but --delimiter {delimiter!r} was given"
            )
        delimiter = "\t"
    return {
        "delimiter": delimiter,
        "skip_rows": getattr(args, "skip_rows", 0) or 0,
        "na_values": tuple(getattr(args, "na_values", None) or ()),
    }


def resolve(args: argparse.Namespace, allow_empty: bool = False) -> list[Detected]:
    """Expand the FILES patterns and detect each file's format.

    Temporary files left by an interrupted write (`_leftovers`) are never
    data: they are left out. The CSV options (``--delimiter``, ``--tsv``,
    ``--skip-rows``, ``--na-value``) and ``--columns`` go into each
    `Detected`, so every reader applies them. CSV files read together must
    have the same header (same names in the same order), unless
    ``--columns`` selects from each or the command reads each file on its
    own (``count``, ``verify``, ``index``). A ``--columns`` name that a CSV
    header or a Parquet schema lacks is an error here, before any reading.

    Args:
        args: the parsed arguments (``files``, ``format``, ``header`` and
            those of `add_input_arguments`).
        allow_empty: return an empty list when only temporary files match,
            instead of raising. Defaults to False.

    Raises:
        NotFoundError: a pattern matches no file, or only temporary files.
        InvalidArgumentError: a file's format cannot be detected; CSV files
            have different headers; a ``--columns`` name is not a column of
            a CSV or Parquet file; the CSV options contradict each other.
    """
    options = _csv_options(args)
    found = []
    paths, temps = _leftovers.split(fs.expand(args.files))
    if not paths and not allow_empty:
        raise NotFoundError(
            f"no data files match {', '.join(map(repr, args.files))}: only "
            f"temporary files left by interrupted writes ({', '.join(temps)}); "
            "`pipeline verify --clean-temp` removes them",
            path=args.files[0],
        )
    old_sidecars = {index.old_index_path_of(p) for p in paths}  # next to shards
    for path in paths:
        if path in old_sidecars or index.is_sidecar(path):  # never data
            continue
        d = detect(path, args.format, **options)
        if args.header is not None and d.format in ("csv", "tsv"):
            d = replace(d, header=args.header)
        found.append(replace(d, columns=getattr(args, "columns", None)))
        _selection.check_selection(found[-1])
    if getattr(args, "command", None) not in _PER_FILE_COMMANDS:
        if getattr(args, "columns", None) is None:
            same_header(found)
    return found


def console(file: Any = None) -> Any:
    """A rich console on stdout that shows data as data (`_display.console`)."""
    return _display.console(file)


def print_json(doc: Any) -> None:
    """One JSON document on one line of stdout."""
    print(json.dumps(doc, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


class Progress:
    """Counts records; shows a rich progress bar with records/s when enabled."""

    def __init__(self, bar: Any, task: Any) -> None:
        self._bar = bar
        self._task = task
        self.records = 0
        self.started = time.perf_counter()

    def advance(self, records: int) -> None:
        """Add ``records`` to the count."""
        self.records += records
        if self._bar is not None:
            rate = self.records / max(time.perf_counter() - self.started, 1e-9)
            self._bar.update(self._task, advance=records, rate=f"{rate:,.0f} records/s")

    def describe(self, text: str) -> None:
        """Change the bar's label (the current file)."""
        if self._bar is not None:
            self._bar.update(self._task, description=_display.visible(text))


@contextmanager
def progress(label: str, quiet: bool) -> Iterator[Progress]:
    """A `Progress` that draws on stderr only when stdout is a terminal."""
    if quiet or not sys.stdout.isatty():
        yield Progress(None, None)
        return
    from rich.progress import Progress as Bar
    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        TextColumn("{task.completed:,} records"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
    )
    with Bar(*columns, transient=True, console=console(sys.stderr)) as bar:
        yield Progress(bar, bar.add_task(label, total=None, rate=""))


def human_bytes(n: float) -> str:
    """``1536`` -> ``'1.5 KiB'``.

    Example:
        >>> human_bytes(1536)
        '1.5 KiB'
    """
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"
