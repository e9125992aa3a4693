"""The ``pipeline`` command on sharded TFRecords: count (with and without the index),
index, stats (time and peak memory); TensorFlow's way to count alongside.

Data: the taxi table of `benchmarks.taxi_data` as 8 TFRecord shards of Examples
(`benchmarks.bench_tfrecord.write_shards`). Counting in TensorFlow means
reading every record: ``TFRecordDataset(files).batch(4096).reduce(0, +len)``. Passes
alternate between ours and TF's; the best pass of each counts. ``count`` with
the index is also timed as a fresh process (``python -m pipeline count``),
interpreter start included. ``verify`` checks every CRC and that every
record parses. ``stats`` runs in a child process on 2 shards and
on all 8, to show its peak memory does not grow with the data.

    .venv-bench/bin/python -m benchmarks.bench_cli --rows 2000000 --passes 3
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import time

from benchmarks.bench_tfrecord import write_shards


def _quiet_main(argv: list[str]) -> str:
    from pipeline.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(argv)
    assert code == 0, (argv, code)
    return out.getvalue()


def _ours_count(files: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    doc = json.loads(_quiet_main(["count", *files, "--json", "-q"]))
    return time.perf_counter() - start, doc["total"]


def _tf_count(files: list[str]) -> tuple[float, int]:
    import tensorflow as tf

    def add_batch(count, batch):
        return count + tf.shape(batch, tf.int64)[0]

    start = time.perf_counter()
    ds = tf.data.TFRecordDataset(files).batch(4096)  # per-record reduce: ~30x slower
    n = ds.reduce(tf.constant(0, tf.int64), add_batch)
    return time.perf_counter() - start, int(n)


def _drop_indexes(files: list[str]) -> None:
    for f in files:
        with contextlib.suppress(FileNotFoundError):
            os.remove(f + ".index")


# Prints the process's own peak RSS (KiB) on stderr after running the command.
_WRAPPER = (
    "import resource, sys; from pipeline.cli import main; code = main(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); "
    "sys.exit(code)"
)


def _child(argv: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS MiB) of the command in a fresh process.

    The process is started from a small shell (not forked from this big one,
    whose peak RSS a forked child would inherit) and reports its own peak.
    """
    start = time.perf_counter()
    done = subprocess.run(
        ["sh", "-c", '"$0" "$@"; exit $?', sys.executable, "-c", _WRAPPER, *argv],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - start
    return seconds, int(done.stderr.strip().splitlines()[-1]) / 1024


def _best(fn, files, passes, rows) -> float:
    best = float("inf")
    for _ in range(passes):
        seconds, n = fn(files)
        assert n == rows, (fn.__name__, n, rows)
        best = min(best, seconds)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--data", default="benchmarks/data")
    parser.add_argument("--no-tf", action="store_true", help="ours only")
    parser.add_argument("--no-stats", action="store_true", help="skip stats")
    args = parser.parse_args(argv)
    files = write_shards(os.path.join(args.data, f"tfrecord-{args.rows}"), args.rows)
    size_mb = sum(os.path.getsize(f) for f in files) / 1e6
    _drop_indexes(files)
    results = {}
    best_ours = best_tf = float("inf")
    for _ in range(args.passes):  # alternate ours and TF pass by pass
        best_ours = min(best_ours, _best(_ours_count, files, 1, args.rows))
        if not args.no_tf:
            best_tf = min(best_tf, _best(_tf_count, files, 1, args.rows))
    results["count (framing)"] = best_ours
    results["count (framing), new process"] = min(
        _child(["count", *files, "-q"])[0] for _ in range(args.passes)
    )
    if not args.no_tf:
        results["tf reduce count"] = best_tf
    start = time.perf_counter()
    _quiet_main(["index", *files, "-q"])
    results["index (write sidecars)"] = time.perf_counter() - start
    results["count (index)"] = _best(_ours_count, files, args.passes, args.rows)
    results["count (index), new process"] = min(
        _child(["count", *files, "-q"])[0] for _ in range(args.passes)
    )
    start = time.perf_counter()
    _quiet_main(["verify", *files, "-q"])
    results["verify (CRCs + Examples)"] = time.perf_counter() - start
    _report(results, args.rows, size_mb)
    if not args.no_stats:
        _stats_memory(files, args.rows)
    return 0


def _report(results: dict[str, float], rows: int, size_mb: float) -> None:
    base = results["count (framing)"]
    tf_s = results.get("tf reduce count")
    print(f"{rows:,} records, {size_mb:.0f} MB in 8 shards")
    print(f"{'what':<30}{'seconds':>10}{'records/s':>14}{'vs framing':>12}{'vs TF':>8}")
    for what, seconds in results.items():
        vs_tf = tf_s / seconds if tf_s else float("nan")
        print(
            f"{what:<30}{seconds:>10.3f}{rows / seconds:>14,.0f}"
            f"{base / seconds:>12.1f}{vs_tf:>8.2f}"
        )
        print(
            json.dumps(
                {
                    "bench": "cli",
                    "what": what,
                    "rows": rows,
                    "seconds": round(seconds, 4),
                    "rows_per_s": round(rows / seconds),
                    "speedup_vs_framing": round(base / seconds, 2),
                    "ratio_vs_tf": round(vs_tf, 3),
                }
            )
        )


def _stats_memory(files: list[str], rows: int) -> None:
    for part in (files[:2], files):
        seconds, peak = _child(["stats", *part, "--json", "-q"])
        n = rows * len(part) // len(files)
        print(
            f"stats on {len(part)} shards (~{n:,} records): {seconds:.2f} s, "
            f"{n / seconds:,.0f} records/s, peak RSS {peak:.0f} MiB"
        )
        print(
            json.dumps(
                {
                    "bench": "cli",
                    "what": f"stats {len(part)} shards",
                    "rows": n,
                    "seconds": round(seconds, 3),
                    "rows_per_s": round(n / seconds),
                    "peak_rss_mib": round(peak),
                }
            )
        )


if __name__ == "__main__":
    raise SystemExit(main())
