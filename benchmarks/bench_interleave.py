"""Parallel interleave over file shards against the sequential flat_map, ours and TF's.

    .venv-bench/bin/python -m benchmarks.bench_interleave --rows 500000 --passes 5

Data: the taxi table of `benchmarks.taxi_data`, ``--rows`` rows written as 8
CSV shards (with a header) and as 8 TFRecord shards of Examples (the files of
`benchmarks.bench_tfrecord`). Pipelines, the same code on both sides (our
names are TF's), over each format:

* ``interleave``: ``from_tensor_slices(files).interleave(read, cycle_length=8,
  num_parallel_calls=AUTOTUNE) -> batch(256)``, each shard read by its own
  thread on our side, block by block;
* ``flat_map``: ``from_tensor_slices(files).flat_map(read) -> batch(256)``, the
  shards one after the other in the consumer's thread;

where ``read`` is ``TextLineDataset(f).skip(1)`` (CSV lines, header skipped) or
``TFRecordDataset(f)`` (serialized records). Every batch is an array of 256
byte strings; both sides' batches go through ``as_numpy_iterator()``. Before
the timed passes, one untimed pass per pipeline checks that ours yields the
same batches as TF's (without TF: that our parallel interleave yields the
sequential interleave's batches). Passes alternate between the four cases of a
format; each JSON line carries every pass's rate (``rows_per_s_passes``) and
their median (``rows_per_s``). The goal (issue 16): our ``interleave`` at least
0.9x our ``flat_map``, pass by pass.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import time
from types import SimpleNamespace
from typing import Any

import numpy as np

from benchmarks.bench_tfrecord import write_shards as write_tfrecord_shards
from benchmarks.taxi_data import write_csv_shards

BATCH = 256
CYCLE = 8
FORMATS = ("csv", "tfrecord")
IDIOMS = ("interleave", "flat_map")


def _libs(with_tf: bool) -> dict[str, SimpleNamespace]:
    import pipeline as pl

    libs = {"ours": SimpleNamespace(data=pl.data)}
    if with_tf:
        import tensorflow as tf

        libs["tf"] = SimpleNamespace(data=tf.data)
    return libs


def reader(lib: Any, fmt: str) -> Any:
    """The function from a file name to its dataset of byte strings."""
    if fmt == "csv":
        return lambda f: lib.data.TextLineDataset(f).skip(1)
    return lambda f: lib.data.TFRecordDataset(f)


def pipeline(lib: Any, fmt: str, idiom: str, files: list[str], calls: Any = 0) -> Any:
    """``idiom`` over ``files`` with ``lib``; ``calls``: interleave's
    ``num_parallel_calls`` (0: AUTOTUNE)."""
    names = lib.data.Dataset.from_tensor_slices(files)
    if idiom == "flat_map":
        return names.flat_map(reader(lib, fmt)).batch(BATCH)
    parallel = lib.data.AUTOTUNE if calls == 0 else calls
    return names.interleave(
        reader(lib, fmt), cycle_length=CYCLE, num_parallel_calls=parallel
    ).batch(BATCH)


def check_same(a: Any, b: Any) -> int:
    """Every batch of ``a`` equal to ``b``'s (both through
    ``as_numpy_iterator``); returns the rows. AssertionError names the batch."""
    rows, end = 0, object()
    pairs = itertools.zip_longest(
        a.as_numpy_iterator(), b.as_numpy_iterator(), fillvalue=end
    )
    for i, (x, y) in enumerate(pairs):
        assert x is not end and y is not end, f"batch counts differ at batch {i}"
        same = x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y)
        assert same, f"batch {i} differs"
        rows += len(x)
    return rows


def timed(dataset: Any) -> tuple[float, int]:
    """Seconds for one pass through ``as_numpy_iterator`` and its rows."""
    rows = 0
    start = time.perf_counter()
    for batch in dataset.as_numpy_iterator():
        rows += len(batch)
    return time.perf_counter() - start, rows


def shard_files(data: str, rows: int) -> dict[str, list[str]]:
    """The 8 CSV and 8 TFRecord shards of ``rows`` taxi rows (written once)."""
    csv = write_csv_shards(os.path.join(data, f"interleave-csv-{rows}"), rows, 8)
    tfr = write_tfrecord_shards(os.path.join(data, f"tfrecord-{rows}"), rows)
    return {"csv": csv, "tfrecord": tfr}


def _check(libs: dict, files: dict, rows: int) -> None:
    ours = libs["ours"]
    for fmt, idiom in itertools.product(FORMATS, IDIOMS):
        mine = pipeline(ours, fmt, idiom, files[fmt])
        if "tf" in libs:
            other, what = pipeline(libs["tf"], fmt, idiom, files[fmt]), "TF's"
        elif idiom == "interleave":
            other = pipeline(ours, fmt, idiom, files[fmt], calls=None)
            what = "our sequential interleave's"
        else:
            continue
        assert check_same(mine, other) == rows, (fmt, idiom)
        print(f"{fmt} {idiom}: every batch equal to {what} ({rows:,} rows)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--data", default="benchmarks/data")
    parser.add_argument("--no-tf", action="store_true", help="ours only")
    parser.add_argument("--quick", action="store_true", help="20,000 rows, 1 pass")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.passes = 20_000, 1
    files = shard_files(args.data, args.rows)
    libs = _libs(not args.no_tf)
    _check(libs, files, args.rows)
    passes: dict[tuple[str, str, str], list[float]] = {}
    for _ in range(args.passes):
        for fmt, idiom, side in itertools.product(FORMATS, IDIOMS, libs):
            seconds, rows = timed(pipeline(libs[side], fmt, idiom, files[fmt]))
            assert rows == args.rows, (side, fmt, idiom, rows)
            passes.setdefault((side, fmt, idiom), []).append(seconds)
    _report(passes, args.rows)
    return 0


def _report(passes: dict, rows: int) -> None:
    """One table line and one JSON line per case: the median pass, and our
    interleave over our flat_map pass by pass."""
    print(f"{'format':<10}{'idiom':<12}{'side':<6}{'rows/s':>12}{'vs flat_map':>13}")
    for (side, fmt, idiom), times in sorted(passes.items()):
        flat = passes[side, fmt, "flat_map"]
        ratio = statistics.median(f / t for f, t in zip(flat, times))
        seconds = statistics.median(times)
        print(f"{fmt:<10}{idiom:<12}{side:<6}{rows / seconds:>12,.0f}{ratio:>13.2f}")
        line = {"bench": "interleave", "format": fmt, "idiom": idiom, "side": side,
                "rows": rows, "seconds": round(seconds, 4),
                "rows_per_s": round(rows / seconds),
                "rows_per_s_passes": [round(rows / t) for t in times],
                "ratio_vs_flat_map": round(ratio, 3)}  # fmt: skip
        print(json.dumps(line))


if __name__ == "__main__":
    raise SystemExit(main())
