"""Tier 3 of CSV decoding: a block the kernel refused, split around its bad rows.

(The tiers are described once, in `pipeline.io.csv_fast`.) A span is cut at
the record its error names and what follows is halved and decoded by the
kernel tier again (``exact=False``: it never falls back to the per-record
decoder over a big span). Spans of at most ``_ISOLATE_ROWS`` records go to
the per-record tier whole, and record by record only when they fail; once
errors are dense, every record is decoded alone. One bad row costs about one
more block decode, not a per-record decode of the block.

Example:
    >>> from pipeline.io.csv_spec import CsvOptions, column_specs
    >>> cols, rows, errors = split_decode(
    ...     [b"1", b"x", b"3"], column_specs([[0]]), CsvOptions(), path="f.csv",
    ...     lines=[2, 3, 4])
    >>> cols[0].tolist(), rows.tolist(), [(i, e.line) for i, e in errors]
    ([1, 3], [0, 2], [(1, 3)])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.io.csv_fast import decode_batch
from pipeline.io.csv_records import decode_records
from pipeline.io.csv_spec import ColumnSpec, CsvOptions
from pipeline.io.csv_wording import dataset_error

__all__ = ["split_decode"]

#: Spans of at most this many records go to the per-record tier.
_ISOLATE_ROWS = 64


class _Split:
    """The state of one split decode: good rows, their columns, the errors."""

    def __init__(self, records, specs, opts, path, lines, first_record, cut_off_at):
        self.records, self.specs, self.opts = records, specs, opts
        self.path, self.lines = path, lines
        self.first_record, self.cut_off_at = first_record, cut_off_at
        self.good: list[int] = []
        self.errors: list[tuple[int, InvalidArgumentError]] = []
        self.parts: list[list[np.ndarray]] = []

    def one(self, i: int) -> None:
        """Record ``i`` alone: its columns, or its error (TF's file wording)."""
        try:
            self.parts.append(
                decode_records(
                    [self.records[i]], self.specs, self.opts, path=self.path,
                    lines=None if self.lines is None else self.lines[i : i + 1],
                    first_record=self.first_record + i,
                )
            )  # fmt: skip
            self.good.append(i)
        except InvalidArgumentError as e:
            self.errors.append((i, dataset_error(e, i == self.cut_off_at)))

    def small(self, lo: int, hi: int) -> None:
        """A short span by the per-record tier; record by record if it fails."""
        try:
            self.parts.append(
                decode_records(self.records[lo:hi], self.specs, self.opts)
            )
            self.good.extend(range(lo, hi))
        except InvalidArgumentError:
            for i in range(lo, hi):
                self.one(i)

    def span(self, lo: int, hi: int, err: InvalidArgumentError | None = None) -> None:
        """Records ``lo:hi``; ``err`` is the error they already failed with."""
        if lo >= hi:
            return
        if len(self.errors) * _ISOLATE_ROWS > len(self.good) + len(self.errors):
            for i in range(lo, hi):  # errors are dense: no more retries
                self.one(i)
            return
        if hi - lo <= _ISOLATE_ROWS:
            self.small(lo, hi)
            return
        if err is None:
            try:
                columns = decode_batch(
                    self.records[lo:hi], self.specs, self.opts, exact=False
                )
            except InvalidArgumentError as e:
                err, columns = e, None
            if columns is not None:
                self.parts.append(columns)
                self.good.extend(range(lo, hi))
                return
        cut = lo
        bad = None if err is None else err.record_index
        if bad is not None and 0 <= bad < hi - lo:  # the record its error names
            cut = lo + bad
            self.span(lo, cut)
            self.one(cut)
            cut += 1
        mid = (cut + hi) // 2
        self.span(cut, mid)
        self.span(mid, hi)


def split_decode(
    records: Sequence[bytes],
    specs: Sequence[ColumnSpec],
    opts: CsvOptions,
    *,
    path: str,
    lines: Sequence[int] | None = None,
    first_record: int = 0,
    cut_off_at: int = -1,
    failed: InvalidArgumentError | None = None,
) -> tuple[list[np.ndarray], np.ndarray, list[tuple[int, InvalidArgumentError]]]:
    """``(columns of the good rows, their indices, (row, error) per bad row)``.

    Args:
        records: the block's records.
        specs: one spec per output column.
        opts: the CSV options.
        path: the file, for messages.
        lines: each record's line number, for messages.
        first_record: the file's record index of ``records[0]``.
        cut_off_at: the index of a record the file cut off (an unclosed quote
            at end of file), worded as TF does.
        failed: the error the whole block failed with, if it did.
    """
    split = _Split(records, specs, opts, path, lines, first_record, cut_off_at)
    split.span(0, len(records), failed)
    columns = [
        np.concatenate([p[j] for p in split.parts])
        if split.parts
        else np.empty(0, s.dtype)
        for j, s in enumerate(specs)
    ]
    return columns, np.asarray(split.good, dtype=np.int64), split.errors
