"""``pl.data.global_shuffle`` against reading the same TFRecord shards in order.

Both sides read the taxi TFRecord shards (with their record index sidecars)
as raw records: ``TFRecordDataset(files)`` in file order, and
``global_shuffle(files, seed)`` (every record of every shard, permuted). Passes
alternate; the best of each counts; the ratio shuffled/sequential is printed
(issue #12's goal: at least 0.5x). With ``--rss``, the peak RSS of a global
shuffle pass is measured in a child process for each of several record counts,
to show it does not grow with the number of records.

    .venv-bench/bin/python -m benchmarks.bench_global_shuffle --rows 400000 --passes 3
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


def indexed_shards(out: str, rows: int) -> list[str]:
    from pipeline.io.index import index_path_of, write_index

    files = write_shards(os.path.join(out, str(rows)), rows)
    for path in files:
        if not os.path.exists(index_path_of(path)):
            write_index(path)
    return files


def timed(dataset) -> tuple[float, int]:
    start, rows = time.perf_counter(), 0
    for _ in dataset:
        rows += 1
    return time.perf_counter() - start, rows


def rss_pass(files: list[str]) -> float:
    """Peak RSS (MiB) of this process after one global shuffle pass."""
    import pipeline as pl

    for _ in pl.data.global_shuffle(files, seed=0):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--rss", action="store_true")
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--out", default=os.path.join("benchmarks", "data", "gshuf"))
    args = parser.parse_args(argv)
    if args.child is not None:
        print(rss_pass(args.child))
        return 0
    import pipeline as pl

    files = indexed_shards(args.out, args.rows)
    best = {"sequential": 0.0, "global_shuffle": 0.0}
    for p in range(args.passes):
        for side, ds in (
            ("sequential", pl.data.TFRecordDataset(files)),
            ("global_shuffle", pl.data.global_shuffle(files, seed=p)),
        ):
            seconds, rows = timed(ds)
            assert rows == args.rows, (side, rows)
            best[side] = max(best[side], rows / seconds)
    ratio = best["global_shuffle"] / best["sequential"]
    print(f"global_shuffle {best['global_shuffle']:12,.0f} rows/s   sequential "
          f"{best['sequential']:12,.0f} rows/s   ratio {ratio:4.2f}x")  # fmt: skip
    print(json.dumps({
        "bench": "global_shuffle", "workload": "global_shuffle", "rows": args.rows,
        "ours_rows_per_s": best["global_shuffle"],
        "theirs_rows_per_s": best["sequential"], "ratio": ratio,
    }))  # fmt: skip
    if args.rss:
        for rows in (args.rows // 4, args.rows):
            child = [sys.executable, "-m", "benchmarks.bench_global_shuffle", "--child"]
            out = subprocess.run(
                child + indexed_shards(args.out, rows), capture_output=True, text=True
            )
            mib = float(out.stdout.strip().splitlines()[-1])
            print(f"peak RSS, {rows:,} records: {mib:.0f} MiB")
            print(json.dumps({"bench": "global_shuffle", "rss_rows": rows,
                              "peak_rss_mib": mib}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
