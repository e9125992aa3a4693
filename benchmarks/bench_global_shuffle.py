"""``pl.data.global_shuffle`` against reading the same shards in order.

Both sides read the taxi TFRecord shards (with their record index sidecars)
as raw records: ``TFRecordDataset(files)`` in file order, and
``global_shuffle(files, seed)`` (every record of every shard, permuted). With
``--format csv``, the taxi CSV shards (row index sidecars, header skipped):
``TextLineDataset(files)`` (its lines, headers included) against
``global_shuffle(files, seed, format="csv")``. Passes
alternate; the best of each counts; the ratio shuffled/sequential is printed
(issue #12's goal: at least 0.5x). With ``--rss``, the peak RSS of a global
shuffle pass is measured in a child process for each of several record counts,
to show it does not grow with the number of records.

    .venv-bench/bin/python -m benchmarks.bench_global_shuffle --rows 400000 --passes 3
    .venv-bench/bin/python -m benchmarks.bench_global_shuffle --format csv
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

from benchmarks.bench_tfrecord import write_shards
from benchmarks.taxi_data import write_csv_shards


def indexed_shards(out: str, rows: int, format: str = "tfrecord") -> list[str]:
    from pipeline.io.index import index_path_of, write_index
    from pipeline.io.line_index import write_line_index

    if format == "csv":
        files = write_csv_shards(os.path.join(out, f"csv-{rows}"), rows)
    else:
        files = write_shards(os.path.join(out, str(rows)), rows)
    for path in files:
        if not os.path.exists(index_path_of(path)):
            if format == "csv":
                write_line_index(path, "csv", header=True)
            else:
                write_index(path)
    return files


def sides(files: list[str], format: str, seed: int):
    """(name, dataset) of the sequential read and of the global shuffle."""
    import pipeline as pl

    if format == "csv":  # the fastest in-order read (the headers come too)
        sequential = pl.data.TextLineDataset(files)
    else:
        sequential = pl.data.TFRecordDataset(files)
    shuffled = pl.data.global_shuffle(files, seed=seed, format=format)
    return (("sequential", sequential), ("global_shuffle", shuffled))


def timed(dataset) -> tuple[float, int]:
    start, rows = time.perf_counter(), 0
    for _ in dataset:
        rows += 1
    return time.perf_counter() - start, rows


def rss_pass(files: list[str], format: str) -> float:
    """Peak RSS (MiB) of this process after one global shuffle pass."""
    import pipeline as pl

    for _ in pl.data.global_shuffle(files, seed=0, format=format):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--rss", action="store_true")
    parser.add_argument("--format", choices=("tfrecord", "csv"), default="tfrecord")
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--out", default=os.path.join("benchmarks", "data", "gshuf"))
    args = parser.parse_args(argv)
    if args.child is not None:
        print(rss_pass(args.child, args.format))
        return 0
    files = indexed_shards(args.out, args.rows, args.format)
    rates: dict[str, list[float]] = {"sequential": [], "global_shuffle": []}
    for p in range(args.passes):
        for side, ds in sides(files, args.format, p):
            seconds, rows = timed(ds)
            headers = len(files) if side == "sequential" and args.format == "csv" else 0
            assert rows == args.rows + headers, (side, rows)
            rates[side].append(rows / seconds)
    best = {side: max(r) for side, r in rates.items()}
    ratio = best["global_shuffle"] / best["sequential"]
    print(f"global_shuffle {best['global_shuffle']:12,.0f} rows/s   sequential "
          f"{best['sequential']:12,.0f} rows/s   ratio {ratio:4.2f}x")  # fmt: skip
    print(json.dumps({
        "bench": "global_shuffle", "workload": f"global_shuffle-{args.format}",
        "rows": args.rows,
        "ours_rows_per_s": best["global_shuffle"],
        "theirs_rows_per_s": best["sequential"], "ratio": ratio,
        "ours_rows_per_s_passes": rates["global_shuffle"],
        "theirs_rows_per_s_passes": rates["sequential"],
    }))  # fmt: skip
    if args.rss:
        for rows in (args.rows // 4, args.rows):
            child = [sys.executable, "-m", "benchmarks.bench_global_shuffle",
                     "--format", args.format, "--child"]  # fmt: skip
            shards = indexed_shards(args.out, rows, args.format)
            out = subprocess.run(child + shards, capture_output=True, text=True)
            mib = float(out.stdout.strip().splitlines()[-1])
            print(f"peak RSS, {rows:,} records: {mib:.0f} MiB")
            print(json.dumps({"bench": "global_shuffle", "rss_rows": rows,
                              "peak_rss_mib": mib}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
