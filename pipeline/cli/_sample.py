"""``--sample N`` for ``stats`` and ``verify``: only the first N records are read.

The records are counted across the inputs in order (the first file's, then
the next file's, ...). Reading stops as soon as N records were read, so a
sample of a large file costs in proportion to N, not to the file.
`first_batches` cuts a stream of column batches, `first_checked` a stream of
``verify`` results (problems, and counts of sound records).

Example:
    >>> import argparse
    >>> p = argparse.ArgumentParser(prog="pipeline stats")
    >>> add_argument(p)
    >>> p.parse_args(["--sample", "5"]).sample
    5
    >>> describe(5, 5)
    'a sample: only the first 5 records were read'
    >>> describe(5, 3)
    'sample of 5 asked: all 3 records were read'
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

from pipeline.cli import _read

__all__ = ["add_argument", "describe", "first_batches", "first_checked", "positive"]


def positive(text: str) -> int:
    """``--sample``'s value: a whole number > 0 (argparse reports the option).

    Raises:
        argparse.ArgumentTypeError: ``text`` is not a whole number > 0.

    Example:
        >>> positive("12")
        12
        >>> positive("0")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: must be a whole number > 0, got '0'
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a whole number > 0, got {text!r}")
    return value


def add_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--sample N`` (None when not given)."""
    parser.add_argument(
        "--sample",
        type=positive,
        default=None,
        metavar="N",
        help="read only the first N records of the inputs, in order (default: "
        "all); the output says that it covers a sample",
    )


def describe(sample: int, records: int) -> str:
    """What a ``--sample`` run covered, for the output.

    Args:
        sample: N, as given.
        records: records read (fewer than N when the inputs hold fewer).
    """
    if records < sample:
        return f"sample of {sample} asked: all {records} records were read"
    return f"a sample: only the first {sample} records were read"


def first_batches(batches: Iterator[_read.Batch], n: int) -> Iterator[_read.Batch]:
    """The first ``n`` records of a stream of batches (the last one cut);
    the stream is closed as soon as they are out, so reading stops.

    Example:
        >>> import numpy as np
        >>> from pipeline.io.schema import Column
        >>> col = Column("int64", np.arange(3), np.ones(3, dtype=np.int64))
        >>> [_read.batch_size(b) for b in first_batches(iter([{"x": col}] * 3), 4)]
        [3, 1]
    """
    left = n
    try:
        for batch in batches:
            if left <= 0:
                return
            size = _read.batch_size(batch)
            yield batch if size <= left else _read.head(batch, left)
            left -= size
    finally:
        close = getattr(batches, "close", None)
        if close is not None:
            close()


def first_checked(items: Iterator[Any], n: int) -> Iterator[Any]:
    """What ``verify`` found in the first ``n`` records of one file.

    ``items`` are problems (with a ``record`` index, None for a problem of
    the whole file, and ``unreadable == "record"`` for a record that could
    not be read) and ints (records read soundly since the last int). A
    problem at record ``n`` or later is left out, and the count that reaches
    record ``n`` is cut there. The stream is closed when the sample is
    complete, so reading stops.
    """
    seen = kept_bad = counted = 0  # records passed (sound and not), bad kept, ints out
    try:
        for item in items:
            if not isinstance(item, int):
                bad = getattr(item, "unreadable", "") == "record"
                seen += bad
                if item.record is None or item.record < n:
                    kept_bad += bad
                    yield item
                continue
            seen += item
            if seen < n:
                counted += item
                yield item
                continue
            yield n - kept_bad - counted
            return
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()
