"""CSV sniffing: the delimiter and whether the first row is a header.

Lines are CSV when the first splits into two fields or more and nearly every
line into as many, with one of ``, \\t ; |``; the delimiter whose lines agree
best wins (on a tie, in that order). `pipeline.io.detect` uses it on the first
lines of a file.

Example:
    >>> sniff_csv(["a;b", "1;2"])
    (';', True)
"""

from __future__ import annotations

import csv
import io
import re

__all__ = ["MOST_ROWS", "best_delimiter", "sniff_csv"]

#: For a file known to be CSV: the least share of rows split alike.
MOST_ROWS = 0.5
_CONSISTENT_SHARE = 0.9
_DELIMITERS = (",", "\t", ";", "|")
# A whole field that is a number: "inf"/"nan" (any case) only on their own,
# so that names such as "infant_mortality" or "information" stay names.
_NUMBER = re.compile(
    r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$"
    r"|^\s*[-+]?(inf|infinity|nan)\s*$",
    re.IGNORECASE,
)
_NAME = re.compile(r"^[A-Za-z_][\w .\-/()]*$")


def _is_number(field: str) -> bool:
    return bool(_NUMBER.match(field))


def _has_header(rows: list[list[str]], na_values: tuple[str, ...] = ()) -> bool:
    first, body = rows[0], rows[1:]
    if any(not f.strip() or _is_number(f) for f in first):
        return False
    if len(set(first)) != len(first):
        return False
    if not body:
        return True
    for col in range(len(first)):
        values = [r[col] for r in body if col < len(r) and r[col].strip()]
        values = [v for v in values if v not in na_values]
        if values and all(_is_number(v) for v in values):
            return True
    return all(_NAME.match(f) for f in first) and not any(
        first[c] in {r[c] for r in body if c < len(r)} for c in range(len(first))
    )


def _split(lines: list[str], delimiter: str) -> list[list[str]] | None:
    try:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    except csv.Error:
        return None
    return rows or None


def _consistency(rows: list[list[str]] | None) -> float:
    """The share of rows as wide as the first, when the first has two fields
    or more; else 0."""
    if not rows or len(rows[0]) < 2:
        return 0.0
    return sum(len(r) == len(rows[0]) for r in rows) / len(rows)


def sniff_csv(
    lines: list[str], delimiter: str | None = None, na_values: tuple[str, ...] = ()
) -> tuple[str, bool] | None:
    """The ``(delimiter, header)`` of CSV lines, or None when they are not CSV.

    Lines are CSV when the first splits into two fields or more and nearly
    every line (90 %) into as many, with one of ``, \\t ; |`` (the one whose
    lines agree best; on a tie, in that order), or with a given
    ``delimiter`` (any lines). A header is a first row of distinct,
    non-numeric names above rows that are numbers in some column (or, for an
    all-string table, names that never occur again in their column).

    Args:
        lines: the first lines of the file.
        delimiter: the delimiter to use; None (the default) tries each.
        na_values: fields that mean a missing value (not a number, not a
            string) when sniffing the header. Defaults to none.

    Example:
        >>> sniff_csv(["a\\tb", "1\\t2"])
        ('\\t', True)
        >>> sniff_csv(["a;b;c", "1,5;2,5;3"])
        (';', True)
        >>> sniff_csv(["a,b", "1,2", "3"], ",")
        (',', True)
        >>> sniff_csv(["hello world", "second line"]) is None
        True
    """
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        return None
    if delimiter:
        return delimiter, _has_header(_split(lines, delimiter) or [[""]], na_values)
    return best_delimiter(lines, _CONSISTENT_SHARE, na_values)


def best_delimiter(
    lines: list[str], least: float, na_values: tuple[str, ...]
) -> tuple[str, bool] | None:
    """The delimiter whose rows agree best with the first (at least a share
    ``least`` of them), and whether there is a header; None when none does.

    Example:
        >>> best_delimiter(["a;b", "1;2", "3;4;5"], 0.5, ())
        (';', True)
    """
    best, found = 0.0, None
    for delim in _DELIMITERS:
        rows = _split(lines, delim)
        share = _consistency(rows)
        if share > best and share >= least:
            best, found = share, (delim, rows)
    if found is None:
        return None
    return found[0], _has_header(found[1], na_values)
