"""``--columns``: the columns (features) a command reads, in the order given.

CSV headers and Parquet schemas name their columns before any record, so an
unknown name is an error before reading (`check_selection`); TFRecord and
text files name them only in their records, so `selected` drops the others
batch by batch and a name that no record of the file has is an error at the
end of the file.

Example:
    >>> from pipeline.io.detect import Detected
    >>> d = Detected("a.csv", "csv", "", ",", True, columns=("b", "c"))
    >>> check_columns(d, ["a", "b"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pipeline.errors.InvalidArgumentError: --columns: 'a.csv' has no column 'c'; ...
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from pipeline.cli._csv_header import csv_names
from pipeline.errors import InvalidArgumentError
from pipeline.io import fs
from pipeline.io.detect import Detected
from pipeline.io.schema import Column

_LISTED_NAMES = 60

Batch = dict[str, Column]


#: The one column of the formats read whole: a text line, a raw record.
_ONE_COLUMN = {"text": "line", "tfrecord-raw": "record"}


def check_columns(d: Detected, names: list[str]) -> None:
    """Check that the columns ``--columns`` selects (``d.columns``) are among
    ``names``.

    Raises:
        InvalidArgumentError: a selected name is not a column of the file;
            the message lists the file's columns.
    """
    unknown = [n for n in d.columns or () if n not in names]
    if unknown:
        raise _unknown_columns(d, unknown, names)


def check_selection(d: Detected) -> None:
    """`check_columns` for a file whose names are known before its records
    (CSV header, Parquet schema, the one column of text and raw TFRecords);
    nothing for Examples, whose names come from their records."""
    if d.columns is None or d.empty:
        return
    if d.format in ("csv", "tsv"):
        check_columns(d, csv_names(d))
    elif d.format == "parquet":
        check_columns(d, _parquet_names(d))
    elif d.format in _ONE_COLUMN:
        check_columns(d, [_ONE_COLUMN[d.format]])


def _unknown_columns(d: Detected, unknown: list[str], names: list[str]):
    shown = ", ".join(map(repr, names[:_LISTED_NAMES]))
    more = (
        f" and {len(names) - _LISTED_NAMES} more" if len(names) > _LISTED_NAMES else ""
    )
    return InvalidArgumentError(
        f"--columns: {d.path!r} has no column {', '.join(map(repr, unknown))}; "
        f"its columns are {shown or 'none'}{more}",
        path=d.path,
    )


def _parquet_names(d: Detected) -> list[str]:
    import pyarrow.parquet as pq

    with fs.open_input(d.path) as f:
        return list(pq.read_schema(f).names)


def selected(d: Detected, batches: Iterator[Batch]) -> Iterator[Batch]:
    """The ``--columns`` of each batch, for formats whose names are known only
    from the records.

    Raises:
        InvalidArgumentError: at the end of the file, a name that no record
            of the file has.

    Example:
        >>> d = Detected("a.tfrecord", "tfrecord", "", columns=("y",))
        >>> x = Column("int64", np.array([1, 2]), np.array([1, 1]))
        >>> [list(b) for b in selected(d, iter([{"x": x, "y": x}]))]
        [['y']]
    """
    if d.columns is None:
        yield from batches
        return
    seen: dict[str, None] = {}
    for batch in batches:
        seen.update(dict.fromkeys(batch))
        picked = {n: batch[n] for n in d.columns if n in batch}
        if batch and not picked:  # the records stay, lacking the first name
            records = max(c.num_records for c in batch.values())
            picked = {d.columns[0]: _absent(records)}
        yield picked
    if seen:  # an empty file says nothing about its features
        check_columns(d, list(seen))


def _absent(records: int) -> Column:
    """A feature that ``records`` records lack (its kind is a stand-in)."""
    values = np.empty(0, dtype=object)
    return Column("string", values, np.full(records, -1, np.int64), untyped=True)
