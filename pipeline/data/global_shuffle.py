"""`global_shuffle`: every record of every file in a new order each epoch.

A shuffle buffer only mixes neighbours; ``global_shuffle(files, seed)``
permutes all records of all files, reading them through their record index
sidecars (``pipeline index`` or `pipeline.io.index.write_index`). Records are
numbered across the files in order and grouped into blocks of
``block_records`` consecutive records; the full blocks are permuted by a keyed
Feistel bijection (``pipeline.graph.permuting``), keyed by the seed and the
epoch, so no permutation table is held. ``window_blocks`` permuted blocks
form a window: its blocks are read (each one seek and one sequential read)
and its records shuffled together. Memory holds one window; the state is the
window and the position inside it.

Shards (``pl.data.distribute`` ranks and DataLoader workers) take every
``num_shards``-th window of the permutation, so they share nothing and cover
everything; each shard's size is fixed, whatever the epoch.

Example:
    >>> from pipeline.io.tfrecord_writer import TFRecordWriter
    >>> from pipeline.io.index import write_index
    >>> files = [f"memory://gshuf-doc/{i}.tfrecord" for i in range(2)]
    >>> for i, path in enumerate(files):
    ...     with TFRecordWriter(path) as w:
    ...         for k in range(5):
    ...             w.write(b"%d" % (5 * i + k))
    ...     _ = write_index(path)
    >>> ds = global_shuffle(files, seed=1, block_records=2, window_blocks=2)
    >>> out = [int(r) for r in ds]
    >>> sorted(out) == list(range(10)), out != list(range(10))
    (True, True)
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import numpy as np

from pipeline.data.dataset import Dataset
from pipeline.data.shuffle_reader import IndexedReader, file_runs, indexed_count
from pipeline.data.text_dataset import file_names
from pipeline.errors import FailedPreconditionError, InvalidArgumentError
from pipeline.graph.permuting import GlobalShuffleNode, derive_key, feistel
from pipeline.io import fs
from pipeline.types import TensorSpec, string

__all__ = ["global_shuffle"]


class GlobalShuffleSource:
    """Block source of a global shuffle (see the module docstring).

    State: ``{"window": j}``, the next window of this shard (the engine adds
    the offset inside the window).
    """

    element_spec = TensorSpec((), string)
    failures_alone = True

    def __init__(self, files, heads, seed, block_records, window_blocks, format):
        self.paths, self.format = tuple(files), format
        self.counts = tuple(int(c) for c, _ in heads)
        self.sizes = tuple(int(s) for _, s in heads)
        self.seed, self.block, self.window = seed, block_records, window_blocks
        self.starts = np.concatenate([[0], np.cumsum(self.counts)]).astype(np.int64)
        self.total = int(self.starts[-1])
        self.full_blocks = self.total // self.block
        self.num_blocks = -(-self.total // self.block)
        self.num_windows = -(-self.num_blocks // self.window)
        self.num_shards, self.index, self.key = 1, 0, None

    def __str__(self) -> str:
        shard = f", shard={self.index}/{self.num_shards}" if self.num_shards > 1 else ""
        return (
            f"global_shuffle({list(self.paths)}, seed={self.seed}, "
            f"format={self.format!r}, "
            f"block_records={self.block}, window_blocks={self.window}{shard})"
        )

    @property
    def cardinality(self) -> int:
        """Records of this shard (the same in every epoch)."""
        return self.shard_sizes(self.num_shards)[self.index]

    def shard_sizes(self, num_shards: int) -> list[int]:
        """The records of each of ``num_shards`` shards (window ``j`` goes to
        shard ``j % num_shards``; only the last block may be short)."""
        sizes = []
        for s in range(num_shards):
            windows = range(s, self.num_windows, num_shards)
            blocks = sum(
                min(self.window, self.num_blocks - j * self.window) for j in windows
            )
            short = self.num_blocks > self.full_blocks and (
                (self.num_blocks - 1) // self.window % num_shards == s
            )
            sizes.append(
                blocks * self.block
                - (self.num_blocks * self.block - self.total if short else 0)
            )
        return sizes

    def with_shard(self, num_shards: int, index: int) -> GlobalShuffleSource:
        """This source restricted to shard ``index`` of ``num_shards``."""
        out = copy.copy(self)
        out.num_shards, out.index = num_shards, index
        return out

    def bind(self, seed: int, epoch: int) -> GlobalShuffleSource:
        """The source of one epoch: the permutation keyed by seed and epoch."""
        out = copy.copy(self)
        out.key = derive_key(seed, epoch)
        return out

    def block_ids(self, window: int) -> list[int]:
        """The blocks of window ``window`` (the short last block stays last)."""
        first = window * self.window
        last = min(first + self.window, self.num_blocks)
        return [
            feistel(self.key, self.full_blocks, p) if p < self.full_blocks else p
            for p in range(first, last)
        ]

    def blocks(self, state: dict | None) -> Iterator[tuple[list, dict]]:
        """Yield ``(records of one window, state after it)`` from ``state`` on.

        The files stay open while the generator lives (closed when it ends,
        is closed or is dropped).
        """
        if self.key is None:
            raise FailedPreconditionError("a global shuffle source must be bound")
        window = self.index if state is None else state["window"]
        reader = IndexedReader(self.paths, self.counts, self.sizes, self.format)
        try:
            while window < self.num_windows:
                records = self._read_window(reader, window)
                order = np.random.default_rng([self.key, window]).permutation(
                    len(records)
                )
                window += self.num_shards
                yield _take(records, order), {"window": window}
        finally:
            reader.close()

    def _read_window(self, reader: IndexedReader, window: int) -> list[bytes]:
        """The records of a window's blocks, read in file and offset order."""
        records: list[bytes] = []
        for b in sorted(self.block_ids(window)):
            lo = b * self.block
            hi = min(lo + self.block, self.total)
            for f, first, last in file_runs(self.starts, lo, hi):
                records += reader.read(f, first, last)
        return records


def _take(records: list[bytes], order: np.ndarray) -> list[bytes]:
    """``records`` in the order ``order`` (a permutation of their indices)."""
    items = np.empty(len(records), dtype=object)
    items[:] = records
    return items[order].tolist()


def global_shuffle(
    files: Any,
    seed: int | None = None,
    block_records: int = 256,
    window_blocks: int = 16,
    format: str = "tfrecord",
) -> Dataset:
    """The records of indexed ``files``, permuted anew each epoch.

    Args:
        files: a path, glob or list of uncompressed files, each with its
            record index sidecar: ``pipeline index FILES`` (TFRecord) or
            `pipeline.io.line_index.write_line_index` (text, CSV).
        seed: the permutation seed (default None: from the run's seed); each
            epoch (each new iterator, each ``repeat`` pass, each torch
            ``set_epoch``) permutes differently.
        block_records: consecutive records read together (default 256).
        window_blocks: permuted blocks shuffled together (default 16): the
            memory is one window of ``block_records * window_blocks`` records.
        format: ``"tfrecord"`` (records: serialized records, CRCs checked),
            ``"text"`` (lines, as ``TextLineDataset`` gives them) or ``"csv"``
            (rows without their line end, the header not among them: decode a
            batch of them with ``pl.io.decode_csv``).

    Returns:
        A `Dataset` of records (bytes); ``distribute`` and ``to_torch`` give
        each shard every ``num_shards``-th window.

    Raises:
        NotFoundError: a file or its sidecar is missing.
        FailedPreconditionError: a sidecar is older than its file.

    Example:
        >>> from pipeline.io.tfrecord_writer import TFRecordWriter
        >>> from pipeline.io.index import write_index
        >>> with TFRecordWriter("memory://gshuf-doc/one.tfrecord") as w:
        ...     for k in range(4):
        ...         w.write(b"%d" % k)
        >>> _ = write_index("memory://gshuf-doc/one.tfrecord")
        >>> ds = global_shuffle("memory://gshuf-doc/one.tfrecord", seed=0)
        >>> sorted(int(r) for r in ds)
        [0, 1, 2, 3]

        CSV rows, decoded a batch at a time:

        >>> from pipeline.io import fs
        >>> from pipeline.io.line_index import write_line_index
        >>> with fs.open_output("memory://gshuf-doc/t.csv") as f:
        ...     _ = f.write(b"x,name\\n1,a\\n2,b\\n3,c\\n")
        >>> _ = write_line_index("memory://gshuf-doc/t.csv", "csv", header=True)
        >>> ds = global_shuffle("memory://gshuf-doc/t.csv", seed=0, format="csv")
        >>> import pipeline as pl
        >>> ds = ds.batch(3).map(lambda rows: pl.io.decode_csv(rows, [[0], [""]]))
        >>> x, name = next(iter(ds))
        >>> sorted(x.tolist()), sorted(name.tolist())
        ([1, 2, 3], [b'a', b'b', b'c'])
    """
    if format not in ("tfrecord", "text", "csv"):
        raise InvalidArgumentError(
            f"`format` must be 'tfrecord', 'text' or 'csv'. Received: format={format!r}"
        )
    for name, value in (
        ("block_records", block_records),
        ("window_blocks", window_blocks),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidArgumentError(
                f"`{name}` must be a positive integer. Received: {name}={value!r}"
            )
    paths = fs.expand(list(file_names(files)))
    heads = [indexed_count(p, format) for p in paths]
    source = GlobalShuffleSource(
        paths, heads, seed, block_records, window_blocks, format
    )
    return Dataset(GlobalShuffleNode((), source))
