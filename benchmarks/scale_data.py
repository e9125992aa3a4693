"""The data of `benchmarks.bench_scale`: taxi TFRecord sets of a given size, cached.

A set of ``size`` bytes is the taxi table of `benchmarks.taxi_data` (rows
``[0, n)`` of one seed) written as Examples with
`pipeline.io.example_encode.encode_examples` and `TFRecordWriter.write_block`
in shards of about ``shard_bytes`` (at least 4), under
``<root>/<size>-seed<seed>/``. A marker file records a finished set, so a
rerun reuses it; free disk is checked before writing.

    >>> parse_size("300M"), size_label(300_000_000)
    (300000000, '300 MB')
"""

from __future__ import annotations

import math
import os
import shutil
import time

import numpy as np

from benchmarks.taxi_data import COLUMNS, shard_names, shard_ranges, taxi_columns

_UNITS = {"K": 10**3, "M": 10**6, "G": 10**9}
_BLOCK_ROWS = 16384
_MIN_SHARDS = 4
_DISK_MARGIN = 1 << 30
#: The shards' names in a set's folder.
PATTERN = "taxi.tfrecord-*"


def parse_size(text: str) -> int:
    """``"100M"`` -> 100_000_000 bytes (K, M, G: powers of 1000).

    Example:
        >>> parse_size("100M"), parse_size("1.5G"), parse_size("2048")
        (100000000, 1500000000, 2048)
    """
    text = text.strip().upper().removesuffix("B")
    scale = _UNITS.get(text[-1:], 1)
    number = text[:-1] if text[-1:] in _UNITS else text
    return int(float(number) * scale)


def size_label(size: int) -> str:
    """A size as the issue writes it.

    Example:
        >>> size_label(100_000_000), size_label(10**10), size_label(2_500_000)
        ('100 MB', '10 GB', '2.5 MB')
    """
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} B"


def _block(start: int, count: int, seed: int):
    """Rows ``[start, start + count)`` encoded as one block of framed Examples."""
    from pipeline.io.example_encode import encode_examples
    from pipeline.io.tfrecord_writer import FOOTER_BYTES, HEADER_BYTES

    values, missing = taxi_columns(count, seed=seed, start=start)
    columns = {}
    for name in COLUMNS:
        col = values[name]
        if col.dtype.kind == "i":
            col = col.astype(np.int64)
        lengths = np.where(missing[name], -1, 1)
        columns[name] = (col[~missing[name]], lengths)
    return encode_examples(columns, count, head=HEADER_BYTES, tail=FOOTER_BYTES)


def record_bytes(seed: int) -> float:
    """The mean file bytes of one record (frame included), from a sample."""
    block = _block(0, _BLOCK_ROWS, seed)
    return len(block.data) / _BLOCK_ROWS


def shard_plan(size: int, shard_bytes: int, per_record: float) -> tuple[int, int]:
    """``(rows, shards)`` of a set of about ``size`` bytes.

    Example:
        >>> shard_plan(10**9, 256 * 10**6, 300.0)
        (3333333, 4)
        >>> shard_plan(10**10, 256 * 10**6, 300.0)[1]
        40
    """
    rows = max(1, round(size / per_record))
    shards = max(_MIN_SHARDS, math.ceil(size / shard_bytes))
    return rows, min(shards, rows)


def set_dir(root: str, size: int, seed: int) -> str:
    """The folder of the set of ``size`` bytes drawn from ``seed``."""
    return os.path.join(root, f"{size}-seed{seed}")


def _marker(folder: str, rows: int, shards: int) -> str:
    return os.path.join(folder, f".complete-{rows}-{shards}")


def check_free(folder: str, needed: int) -> None:
    """Stop with a clear message when the disk lacks ``needed`` bytes (+1 GiB)."""
    os.makedirs(folder, exist_ok=True)
    free = shutil.disk_usage(folder).free
    if free < needed + _DISK_MARGIN:
        raise SystemExit(
            f"bench_scale: {folder} has {free / 1e9:.1f} GB free; the set needs "
            f"{needed / 1e9:.1f} GB plus a 1 GiB margin. Free some space, or pass "
            "smaller --sizes."
        )


def write_set(root: str, size: int, seed: int, shard_bytes: int) -> list[str]:
    """The shards of the set of ``size`` bytes, written unless cached."""
    rows, shards = shard_plan(size, shard_bytes, record_bytes(seed))
    folder = set_dir(root, size, seed)
    paths = shard_names(folder, shards, prefix="taxi.tfrecord")
    if os.path.exists(_marker(folder, rows, shards)):
        return paths
    if os.path.isdir(folder):
        shutil.rmtree(folder)  # an unfinished or other-shaped set
    check_free(root, size)
    os.makedirs(folder)
    started = time.perf_counter()
    for path, (start, count) in zip(paths, shard_ranges(rows, shards)):
        _write_shard(path, start, count, seed)
    open(_marker(folder, rows, shards), "w").close()
    seconds = time.perf_counter() - started
    print(
        f"wrote {size_label(size)}: {rows:,} rows in {shards} shards, {seconds:.0f} s"
    )
    return paths


def _write_shard(path: str, start: int, count: int, seed: int) -> None:
    """One shard (the writer renames its temporary file on close)."""
    from pipeline.io.tfrecord_writer import TFRecordWriter

    with TFRecordWriter(path) as writer:
        for lo in range(start, start + count, _BLOCK_ROWS):
            block = _block(lo, min(_BLOCK_ROWS, start + count - lo), seed)
            writer.write_block(block.data, block.starts, block.lengths)
