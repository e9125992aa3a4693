"""The column names of CSV files, and the check that files read together
share them.

A glob over CSV files with different headers must not be merged into a union
of columns: `same_header` refuses it, naming the first file, the first file
whose header differs, both headers (shortened) and where they first differ.

Example:
    >>> from pipeline.io import fs
    >>> from pipeline.io.detect import detect
    >>> with fs.open_output("memory://csv-header-doc/a.csv") as f:
    ...     _ = f.write(b"\\xef\\xbb\\xbfname,x\\nann,1\\n")
    >>> csv_names(detect("memory://csv-header-doc/a.csv"))
    ['name', 'x']
"""

from __future__ import annotations

import csv
import io

from pipeline.cli._csv_chunks import skip_preamble
from pipeline.errors import InvalidArgumentError
from pipeline.io import fs
from pipeline.io.detect import Detected

_SHOWN_NAMES = 6


def csv_names(d: Detected) -> list[str]:
    """The column names of a CSV file: its header, or ``col0``, ``col1``, ...

    The first ``d.skip_rows`` lines are left out, and a UTF-8 byte order
    mark is not part of the first name.

    Raises:
        InvalidArgumentError: the file has no first line (after those).
    """
    with fs.open_input(d.path, d.compression) as f:
        skip_preamble(f, d.skip_rows)
        first = f.readline().decode("utf-8", "replace").removeprefix("\ufeff")
    if not first.strip():
        after = f" after the {d.skip_rows} lines of --skip-rows" if d.skip_rows else ""
        raise InvalidArgumentError(
            f"CSV file {d.path!r} is empty{after}: expected a first line",
            path=d.path,
            line=d.skip_rows + 1,
        )
    line = first.rstrip("\r\n")
    try:
        fields = next(csv.reader(io.StringIO(line), delimiter=d.delimiter or ","))
    except csv.Error:  # a quote left open: names as the delimiter splits them
        fields = line.split(d.delimiter or ",")
    if d.header:
        return [f.strip() or f"col{i}" for i, f in enumerate(fields)]
    return [f"col{i}" for i in range(len(fields))]


def _shown(names: list[str]) -> str:
    """A header, shortened: ``3 columns (a, b, c)``."""
    cut = ", ".join(names[:_SHOWN_NAMES]) + (", ..." * (len(names) > _SHOWN_NAMES))
    return f"{len(names)} column{'s' * (len(names) != 1)} ({cut})"


def _first_difference(a: list[str], b: list[str]) -> str:
    i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    x = repr(a[i]) if i < len(a) else "nothing"
    y = repr(b[i]) if i < len(b) else "nothing"
    return f"column {i + 1} is {x} in the first, {y} in the second"


def same_header(files: list[Detected]) -> None:
    """Check that the CSV files among ``files`` have the same column names,
    in the same order (empty files aside).

    Raises:
        InvalidArgumentError: two files differ; the message names the first
            file, the first that differs, both headers (shortened) and the
            first column where they differ.
    """
    first: tuple[Detected, list[str]] | None = None
    for d in files:
        if d.format not in ("csv", "tsv") or d.empty:
            continue
        names = csv_names(d)
        if first is None:
            first = (d, names)
        elif names != first[1]:
            raise _different(first[0], first[1], d, names)


def _different(a: Detected, a_names: list[str], b: Detected, b_names: list[str]):
    hint = ""
    if a.header != b.header:
        no = a.path if not a.header else b.path
        hint = f" (no header was found in {no!r}: --header says every file has one)"
    return InvalidArgumentError(
        f"CSV files with different headers cannot be read as one table: "
        f"{a.path!r} has {_shown(a_names)}, {b.path!r} has {_shown(b_names)}; "
        f"{_first_difference(a_names, b_names)}{hint}. Pass them separately, "
        "one command per header, or select common columns with --columns",
        path=b.path,
    )
