"""Shared pieces of the subcommands: input arguments, detection, output, progress.

Example:
    >>> import argparse
    >>> p = argparse.ArgumentParser()
    >>> add_input_arguments(p)
    >>> p.parse_args(["a.csv", "--format", "csv"]).format
    'csv'
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

from pipeline.cli import _display, _leftovers
from pipeline.errors import NotFoundError
from pipeline.io import fs, index
from pipeline.io.detect import FORMATS, Detected, detect


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """FILES (paths, globs, fsspec URLs), ``--format``, header and quiet flags."""
    parser.add_argument(
        "files", nargs="+", metavar="FILES", help="paths, globs or fsspec URLs"
    )
    parser.add_argument(
        "--format", choices=FORMATS, default=None, help="skip format detection"
    )
    parser.add_argument(
        "--header",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="CSV/TSV: the first row names the columns (default: sniffed)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def resolve(args: argparse.Namespace, allow_empty: bool = False) -> list[Detected]:
    """Expand the FILES patterns and detect each file's format.

    Temporary files left by an interrupted write (`_leftovers`) are never
    data: they are left out.

    Args:
        args: the parsed arguments (``files``, ``format``, ``header``).
        allow_empty: return an empty list when only temporary files match,
            instead of raising. Defaults to False.

    Raises:
        NotFoundError: a pattern matches no file, or only temporary files.
        InvalidArgumentError: a file's format cannot be detected.
    """
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
        d = detect(path, args.format)
        if args.header is not None and d.format in ("csv", "tsv"):
            d = replace(d, header=args.header)
        found.append(d)
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
