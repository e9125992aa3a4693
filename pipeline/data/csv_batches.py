"""`CsvBatchSource`: ``make_csv_dataset``'s batches cut straight from decoded blocks.

Without shuffling, ``make_csv_dataset`` is files -> rows -> repeat -> batch ->
dict. This source yields the same batches without ever building a row:
decoded column blocks are concatenated and cut into batches of
``batch_size`` (across block, file and epoch boundaries, as TF's
``repeat().batch()`` does). A malformed row replaces the batch being built by
its failure (as TF's batch does with an input error); with ``ignore_errors``
it is skipped and logged (the source itself holds no run state).

State: ``{"epoch", "file", "pos", "row"}``, the first row of the next batch:
row ``row`` of the block read from position ``pos`` of file ``file``.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Iterator
from typing import Any

import numpy as np

from pipeline import seeding
from pipeline.errors import DataLossError, InvalidArgumentError, NotFoundError
from pipeline.executor.autotune import decode_workers
from pipeline.executor.readahead import ordered_map
from pipeline.graph.base import UNKNOWN
from pipeline.graph.batch_cutting import BatchCutter
from pipeline.graph.failures import ElementFailure
from pipeline.io.csv_file import (
    DecodedBlock,
    RecordBlock,
    decode_file_block,
    read_records,
)
from pipeline.types import TensorSpec

__all__ = ["CsvBatchSource", "bad_row_failures", "decoded_blocks"]

_log = logging.getLogger(__name__)


def decoded_blocks(
    records: Iterator[RecordBlock], specs, opts, path: str
) -> Iterator[DecodedBlock]:
    """``decode_file_block`` of each record block, decoded ahead in worker
    threads (the kernel releases the GIL), in order."""
    decode = functools.partial(decode_file_block, specs=specs, opts=opts, path=path)
    return ordered_map(decode, records, decode_workers())


def bad_row_failures(
    block: DecodedBlock, path: str
) -> list[tuple[int, ElementFailure]]:
    """``(row, ElementFailure)`` for each bad row of ``block``."""
    out = []
    for row, err in block.errors:
        where = {"path": path, "line": err.line, "record_index": err.record_index}
        out.append((row, ElementFailure(err, raw=block.raw[row], where=where)))
    return out


@dataclasses.dataclass
class _Segment:
    """Consecutive good rows of one block, as columns."""

    columns: list[np.ndarray]
    raw: np.ndarray  # row index of each good row in its block (or window)
    where: tuple  # (epoch, file, position read from) or ("window", seed, i, start)

    def __len__(self) -> int:
        return len(self.raw)

    def state_at(self, k: int) -> dict:
        row = int(self.raw[k]) if k < len(self.raw) else int(self.raw[-1]) + 1
        if self.where[0] == "window":
            _, seed, window, start = self.where
            return {"seed": seed, "window": window, "start": start, "skip": row}
        epoch, file, pos = self.where
        return {"epoch": epoch, "file": file, "pos": pos, "row": row}

    def tail(self, k: int) -> _Segment:
        return _Segment([c[k:] for c in self.columns], self.raw[k:], self.where)

    def head(self, k: int) -> _Segment:
        return _Segment([c[:k] for c in self.columns], self.raw[:k], self.where)


class CsvBatchSource:
    """Block source of unshuffled ``make_csv_dataset`` batches (module docstring)."""

    cardinality = UNKNOWN
    failures_alone = True

    def __init__(
        self, files, specs, opts, header, compression, names, label, batch_size,
        num_epochs, ignore_errors, shuffle_buffer=None, seed=None,
    ) -> None:  # fmt: skip
        if batch_size <= 0:
            raise ValueError(f"`batch_size` must be positive. Received: {batch_size}")
        self.files, self.specs, self.opts = files, specs, opts
        self.header, self.compression = header, compression
        self.names, self.label, self.batch_size = names, label, int(batch_size)
        self.num_epochs, self.ignore = num_epochs, ignore_errors
        self.shuffle_buffer, self.seed = shuffle_buffer, seed
        size = self.batch_size if num_epochs is None else None
        self.element_spec = self._element([TensorSpec((size,), s.dtype) for s in specs])

    def __str__(self) -> str:
        return (
            f"make_csv_dataset({list(self.files)}, batch_size={self.batch_size}, "
            f"num_epochs={self.num_epochs}, "
            f"shuffle_buffer_size={self.shuffle_buffer})"
        )

    def _element(self, columns: list) -> Any:
        features = dict(zip(self.names, columns))
        if self.label is None:
            return features
        return features, features.pop(self.label)

    def blocks(self, state: dict | None) -> Iterator[tuple[list, dict]]:
        """Yield ``([batch or failure], state after it)`` from ``state`` on.

        Cut by `graph.batch_cutting.BatchCutter`; a run is a `_Segment`.
        """
        cutter = BatchCutter(self.batch_size)
        items = (
            self._segments(state) if not self.shuffle_buffer else self._windows(state)
        )
        for item, after in items:
            if isinstance(item, ElementFailure):
                cutter.drop_pending()
                yield [item], after
                continue
            lo = (self.batch_size - cutter.count) % self.batch_size
            if len(item) - lo < self.batch_size:
                lo = 0
            else:  # whole batches inside the segment: cut as views of it
                cutter.add(item, lo)  # ends the pending batch, if any
                for pieces in cutter.cuts():
                    yield [self._element(_columns(pieces))], item.state_at(lo)
                hi = len(item) - (len(item) - lo) % self.batch_size
                yield from self._whole_batches(item, lo, hi)
                lo = hi
            cutter.add(item, len(item), lo)
            for pieces in cutter.cuts():
                yield [self._element(_columns(pieces))], _next_state(cutter, pieces)
        pieces = cutter.rest(drop_remainder=self.num_epochs is None)
        if pieces:
            yield [self._element(_columns(pieces))], _next_state(cutter, pieces)

    def _whole_batches(
        self, seg: _Segment, lo: int, hi: int
    ) -> Iterator[tuple[list, dict]]:
        """The batches of rows ``lo:hi`` of ``seg`` (a multiple of the batch
        size), each column cut as the rows of one reshaped view."""
        size = self.batch_size
        shaped = [c[lo:hi].reshape(-1, size) for c in seg.columns]
        for end, columns in enumerate(zip(*shaped), 1):
            yield [self._element(list(columns))], seg.state_at(lo + end * size)

    def _segments(
        self, state: dict | None, seed: int | None = None
    ) -> Iterator[tuple[Any, dict | None]]:
        """Good-row segments and failures of every epoch from ``state`` on.

        The blocks of all files (and epochs) are decoded ahead in worker
        threads, so the next file is parsed while this one is cut.
        """
        start = state or {"epoch": 0, "file": 0, "pos": None, "row": 0}
        stop_empty = self.num_epochs is None and state is None
        decoded = ordered_map(
            self._decode_job, self._jobs(start, seed, stop_empty), decode_workers()
        )
        epoch, rows, failed = start["epoch"], 0, None
        try:
            for job_epoch, fi, path, where, skip, block in decoded:
                if job_epoch != epoch:
                    if rows == 0 and stop_empty:
                        return  # nothing to repeat: stop instead of spinning
                    epoch, rows = job_epoch, 0
                if failed == (job_epoch, fi):
                    continue  # the rest of a file whose reading failed
                if isinstance(block, Exception):
                    failed = (job_epoch, fi)
                    nxt = {"epoch": job_epoch, "file": fi + 1, "pos": None, "row": 0}
                    yield ElementFailure(block, where={"path": path}), nxt
                    continue
                for item, after in self._split(block, where, path, skip):
                    rows += 0 if isinstance(item, ElementFailure) else len(item)
                    yield item, after
        finally:
            decoded.close()

    def _jobs(self, start: dict, seed: int | None, stop_empty: bool) -> Iterator:
        """``(epoch, file, path, where, skip, RecordBlock or error)`` of each
        block to decode, in reading order."""
        epoch, resume = start["epoch"], start
        while self.num_epochs is None or epoch < self.num_epochs:
            records = 0
            order = np.arange(len(self.files))
            if seed is not None:  # files reshuffled each epoch, as TF does
                order = np.random.default_rng([seed, epoch]).permutation(order)
            for fi in range(resume["file"] if resume else 0, len(self.files)):
                here = resume if resume and fi == resume["file"] else None
                for job in self._file_jobs(epoch, fi, here, int(order[fi])):
                    records += 1
                    yield job
                resume = None
            epoch += 1
            if records == 0 and stop_empty:
                return

    def _windows(self, state: dict | None) -> Iterator[tuple[Any, dict | None]]:
        """Rows shuffled in windows of ``shuffle_buffer`` rows (seeded, resumable).

        Window ``i`` holds the next ``shuffle_buffer`` input rows, permuted by a
        generator seeded with ``(seed, i)``; state names the window's first
        input row, its index and how many of its rows were used.
        """
        if state is None:
            seed = self.seed
            if seed is None:
                seed = seeding.fresh_seed()
            state = {"seed": seed, "window": 0, "start": None, "skip": 0}
        seed, window, start = state["seed"], state["window"], state["start"]
        skip, parts, count = state["skip"], [], 0
        for item, _after in self._segments(start, seed):
            if isinstance(item, ElementFailure):
                yield item, {**state, "window": window, "start": start, "skip": 0}
                continue
            while len(item):
                take = min(len(item), self.shuffle_buffer - count)
                if not parts:
                    start = item.state_at(0)
                parts.append(item.head(take))
                count += take
                item = item.tail(take)
                if count == self.shuffle_buffer:
                    yield self._shuffled(parts, seed, window, start, skip), None
                    parts, count, skip, window = [], 0, 0, window + 1
        if parts:
            yield self._shuffled(parts, seed, window, start, skip), None

    def _shuffled(self, parts, seed, window, start, skip) -> _Segment:
        columns = [
            np.concatenate([p.columns[j] for p in parts])
            for j in range(len(self.specs))
        ]
        perm = np.random.default_rng([seed, window]).permutation(len(columns[0]))
        rows = np.arange(len(perm))
        segment = _Segment(
            [c[perm] for c in columns], rows, ("window", seed, window, start)
        )
        return segment.tail(skip)

    def _file_jobs(
        self, epoch: int, fi: int, start: dict | None, index: int
    ) -> Iterator[tuple]:
        path = self.files[index]
        before = None if start is None else start["pos"]
        skip = 0 if start is None else start["row"]
        try:
            for block in read_records(
                path, self.opts.use_quote_delim, self.header, self.compression,
                None, None if before is None else tuple(before),
                delim=self.opts.delim,
            ):  # fmt: skip
                yield epoch, fi, path, (epoch, fi, before), skip, block
                before, skip = block.position, 0
        except (NotFoundError, DataLossError, InvalidArgumentError) as e:
            yield epoch, fi, path, None, 0, e

    def _decode_job(self, job: tuple) -> tuple:
        """A job with its record block decoded (or the error decoding it)."""
        epoch, fi, path, where, skip, block = job
        if isinstance(block, Exception):
            return job
        try:
            decoded = decode_file_block(block, self.specs, self.opts, path)
        except (NotFoundError, DataLossError, InvalidArgumentError) as e:
            decoded = e
        return epoch, fi, path, where, skip, decoded

    def _split(self, block: DecodedBlock, where: tuple, path: str, skip: int):
        """Segments of good rows, and failures in between (unless ignored)."""
        columns, raw = block.columns, block.rows
        if skip:
            keep = raw >= skip
            columns, raw = [c[keep] for c in columns], raw[keep]
        failures = [(r, f) for r, f in bad_row_failures(block, path) if r >= skip]
        if self.ignore and failures:
            _log.warning("skipped %d malformed CSV rows in %r", len(failures), path)
            failures = []
        lo = 0
        for row, failure in failures:
            hi = int(np.searchsorted(raw, row))
            if hi > lo:
                yield _Segment([c[lo:hi] for c in columns], raw[lo:hi], where), None
            epoch, fi, pos = where
            yield failure, {"epoch": epoch, "file": fi, "pos": pos, "row": row + 1}
            lo = hi
        if len(raw) > lo:
            yield _Segment([c[lo:] for c in columns], raw[lo:], where), None


def _columns(pieces: list) -> list[np.ndarray]:
    """One batch's columns from its cut pieces (views when one piece)."""
    if len(pieces) == 1:
        seg, lo, hi = pieces[0]
        return [c[lo:hi] for c in seg.columns]
    parts = [[c[lo:hi] for c in seg.columns] for seg, lo, hi in pieces]
    return [np.concatenate([p[j] for p in parts]) for j in range(len(parts[0]))]


def _next_state(cutter: BatchCutter, pieces: list) -> dict:
    """The state naming the next batch's first row."""
    start = cutter.next_start()
    if start is not None:
        return start[0].state_at(start[1])
    seg, _, hi = pieces[-1]
    return seg.state_at(hi)
