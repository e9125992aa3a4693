"""Column names and types of CSV files, inferred as ``make_csv_dataset`` does.

Names come from the header row. Types come from the first
``num_rows_for_inference`` data rows read with Python's ``csv`` module: for
each column, empty fields and ``na_value`` are skipped and the first type in
int32 -> int64 -> float32 -> float64 -> string that takes every value seen
so far wins, never going back to a narrower type. The checks are numpy's:
int32 when ``np.int32(v) == np.int64(v)``, int64 when ``np.int64(v)`` parses,
float32/float64 when ``np.float32(v)``/``np.float64(v)`` is below +inf (so a
column holding ``nan`` or ``inf`` is string).

Text is decoded with ``encoding``; a data field with bytes that do not decode
is a string (the dataset then reads it as bytes, as TF does), but such bytes
in a column name, a row that is not CSV (a field over the ``csv`` module's
field size limit) or a row with the wrong number of fields raise
`InvalidArgumentError` naming the file and line.

Example:
    >>> [infer_type(v, "") for v in ["1", "3000000000", "1.5", "1e39", "nan"]]
    ['int32', 'int64', 'float32', 'float64', 'string']
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterator, Sequence

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.io import fs

__all__ = ["infer_column_names", "infer_column_types", "infer_type"]

_ORDER = ("int32", "int64", "float32", "float64", "string")


def _is_int32(value: str) -> bool:
    try:
        return bool(np.int32(value) == np.int64(value))
    except (ValueError, OverflowError):
        return False


def _is_int64(value: str) -> bool:
    try:
        np.int64(value)
    except (ValueError, OverflowError):
        return False
    return True


def _is_float(value: str, dtype: type) -> bool:
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return bool(dtype(value) < np.inf)
    except (ValueError, OverflowError):
        return False


_CHECKS = (
    _is_int32,
    _is_int64,
    lambda v: _is_float(v, np.float32),
    lambda v: _is_float(v, np.float64),
    lambda v: True,
)


def infer_type(value: str, na_value: str, previous: str | None = None) -> str | None:
    """The narrowest type at least as wide as ``previous`` that takes ``value``.

    Example:
        >>> infer_type("7", "", "float32"), infer_type("", "", "int64")
        ('float32', 'int64')
    """
    if value in ("", na_value):
        return previous
    floor = 0 if previous is None else _ORDER.index(previous)
    for i in range(floor, len(_ORDER)):
        if _CHECKS[i](value):
            return _ORDER[i]
    return "string"


def _reader(
    path: str, delim: str, quotes: bool, compression: str | None, encoding: str
):
    stream = fs.open_input(path, compression)
    # Undecodable bytes become U+DC80..U+DCFF: a data field holding them is
    # a string column; a column name holding them is refused (`_check_names`).
    text = io.TextIOWrapper(
        stream, encoding=encoding, errors="surrogateescape", newline=""
    )
    quoting = csv.QUOTE_MINIMAL if quotes else csv.QUOTE_NONE
    return text, csv.reader(text, delimiter=delim, quoting=quoting)


def _error(message: str, path: str, line: int) -> InvalidArgumentError:
    return InvalidArgumentError(
        f"{message} (file {path!r}, line {line})", path=path, line=line
    )


def _next_row(rows, path: str, encoding: str) -> list[str] | None:
    """The next row of ``rows`` (None at the end); bad text as InvalidArgumentError."""
    line = rows.line_num + 1
    try:
        return next(rows, None)
    except csv.Error as err:
        raise _error(f"Expected a CSV row: {err}", path, line) from err
    except UnicodeDecodeError as err:
        raise _error(
            f"Expected {encoding} text at or after this line, got bytes "
            f"{err.object[err.start : err.end]!r}",
            path,
            line,
        ) from err


_UNDECODABLE = re.compile("[\\udc80-\\udcff]+")


def _check_names(names: list[str], path: str, encoding: str) -> None:
    seen: set[str] = set()
    for i, name in enumerate(names):
        bad = _UNDECODABLE.search(name)
        if bad:
            raw = bad.group().encode("utf-8", "surrogateescape")
            raise _error(
                f"Expected {encoding} text in the header row, got bytes {raw!r} "
                f"in the name of column {i}",
                path,
                1,
            )
        if name in seen:
            raise _error(
                f"Cannot have duplicate column names. Column {i} repeats {name!r} "
                "in the header row",
                path,
                1,
            )
        seen.add(name)


def infer_column_names(
    files: Sequence[str],
    delim: str = ",",
    quotes: bool = True,
    compression: str | None = None,
    encoding: str = "utf-8",
) -> list[str]:
    """The header row shared by ``files``.

    Raises:
        InvalidArgumentError: a header row is missing, is not ``encoding``
            text or not CSV, repeats a name, or differs from the first file's.

    Example:
        >>> with fs.open_output("memory://infer-doc/a.csv") as f:
        ...     _ = f.write(b"a,b\\n1,2\\n")
        >>> infer_column_names(["memory://infer-doc/a.csv"])
        ['a', 'b']
    """
    names: list[str] | None = None
    for path in files:
        text, rows = _reader(path, delim, quotes, compression, encoding)
        with text:
            header = _next_row(rows, path, encoding)
        if not header:
            found = "an empty file" if header is None else "an empty line"
            raise _error(
                f"Expected a header row of column names, got {found} when reading "
                "the header line",
                path,
                1,
            )
        _check_names(header, path, encoding)
        if names is not None and header != names:
            raise _error(
                "Files have different column names in the header row: expected "
                f"{names!r} as in {files[0]!r}, got {header!r}",
                path,
                1,
            )
        names = header
    return names or []


def _rows(
    files: Sequence[str],
    num_cols: int,
    delim: str,
    quotes: bool,
    header: bool,
    compression: str | None,
    encoding: str,
) -> Iterator[list[str]]:
    for path in files:
        text, rows = _reader(path, delim, quotes, compression, encoding)
        with text:
            if header:
                _next_row(rows, path, encoding)
            while True:
                line = rows.line_num + 1
                row = _next_row(rows, path, encoding)
                if row is None:
                    break
                if len(row) != num_cols:
                    raise _error(
                        "Problem inferring types: CSV row has different number "
                        f"of fields than expected: expected {num_cols}, got "
                        f"{len(row)}",
                        path,
                        line,
                    )
                yield row


def infer_column_types(
    files: Sequence[str],
    num_cols: int,
    delim: str = ",",
    quotes: bool = True,
    na_value: str = "",
    header: bool = True,
    num_rows: int | None = 100,
    select: Sequence[int] | None = None,
    compression: str | None = None,
    encoding: str = "utf-8",
) -> list[str]:
    """TF's dtype name of each selected column, from the first ``num_rows`` rows.

    Example:
        >>> with fs.open_output("memory://infer-doc/b.csv") as f:
        ...     _ = f.write(b"a,b,c\\n1,x,\\n2,3.5,\\n")
        >>> infer_column_types(["memory://infer-doc/b.csv"], 3)
        ['int32', 'string', 'string']
    """
    select = list(range(num_cols)) if select is None else list(select)
    types: list[str | None] = [None] * len(select)
    rows = _rows(files, num_cols, delim, quotes, header, compression, encoding)
    for i, row in enumerate(rows):
        if num_rows is not None and i >= num_rows:
            break
        for j, col in enumerate(select):
            types[j] = infer_type(row[col], na_value, types[j])
    return [t or "string" for t in types]
