"""Ours against the libraries users pick instead: Ray Data, PyTorch, Grain, polars.

Data: the taxi table of `benchmarks.taxi_data` as 8 CSV shards (``--rows``)
and as 8 TFRecord shards of Examples (``--tfrecord-rows``, fewer: Ray's
reader does about 1,500 rows/s), written by `benchmarks.bench_tfrecord`.
Every side (`benchmarks.peer_sides`) yields the same typed batches of 256
rows: a dict of numpy columns, floats float32, integers int32 (CSV) or int64
(TFRecord), strings object arrays of bytes, an empty cell 0 or ``b""``.

Each side runs in a child process of its own, started afresh for every pass:
the child builds the pipeline (imports, ``ray.init``: not timed); in the first
pass it runs a checking pass that checks every batch's types and sums every
column (rows, numeric sums, string bytes; not timed), in later ones a warm-up
of a few batches; then it times passes whose loop touches every column of
every batch (its length), repeated until ``--min-seconds`` are timed. It
reports its peak RSS: its own (``VmHWM``, since ``exec``) and the largest of
its waited-for descendants (``getrusage(RUSAGE_CHILDREN)``: the DataLoader's
workers, Ray's local processes once ``ray.shutdown`` has ended them; the
largest one, not their sum). Passes alternate: ours, then each peer, pass after pass. A
peer whose rows or sums differ from ours gets no rate. Per peer, the medians
over the passes and the spread of the per-pass ratios ours / peer are
printed, then JSON lines.

    .venv-bench/bin/python -m benchmarks.bench_peers --passes 5
    .venv-bench/bin/python -m benchmarks.bench_peers --rows 4000 --passes 1 \\
        --formats csv --sides ours,polars     # a smoke test
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import math
import os
import resource
import statistics
import sys
import time

import numpy as np

from benchmarks import machine, peer_sides
from benchmarks.taxi_data import COLUMNS, write_csv_shards

_MIB = 1 << 10  # ru_maxrss is in KiB on Linux
_WARM_UP_BATCHES = 4
_LABELS = {
    "ray": "Ray Data",
    "torch0": "torch DataLoader, 0 workers",
    "torch2": "torch DataLoader, 2 workers",
    "grain": "Grain",
    "polars": "polars scan_csv",
}


def files_of(fmt: str, rows: int, data: str) -> list[str]:
    """The taxi shards of ``fmt`` (written once per size)."""
    from benchmarks.bench_tfrecord import write_shards

    if fmt == "csv":
        return write_csv_shards(os.path.join(data, f"csv-{rows}"), rows, 8)
    return write_shards(os.path.join(data, f"tfrecord-{rows}"), rows)


# The child: one side, one checking pass and one timed pass --------------------


def checksums(batches, fmt: str) -> dict:
    """Rows and per-column sums of a pass, checking every batch's types."""
    sums = {n: 0 for n in COLUMNS}
    rows = 0
    for batch in batches:
        n = len(batch[COLUMNS[0]])
        if not 0 < n <= peer_sides.BATCH:
            raise ValueError(f"a batch of {n} rows")
        for name in COLUMNS:
            column = batch[name]
            want = peer_sides.numpy_dtype(name, fmt)
            if column.dtype != want or len(column) != n:
                raise ValueError(f"{name}: {column.dtype}[{len(column)}], want {want}")
            if want.kind == "O":
                sums[name] += sum(len(v) for v in column if type(v) is bytes)
            else:
                sums[name] += column.astype(np.float64 if want.kind == "f" else
                                            np.int64).sum().item()  # fmt: skip
        rows += n
    return {"rows": rows, "sums": sums}


def touched_rows(batches) -> int:
    """Rows of a pass whose loop touches every column of every batch."""
    rows = 0
    for batch in batches:
        lengths = {len(batch[name]) for name in COLUMNS}
        if len(lengths) != 1:
            raise ValueError(f"columns of different lengths: {lengths}")
        rows += lengths.pop()
    return rows


def _high_water_mib() -> float | None:
    """This process's peak RSS since its ``exec`` (Linux ``VmHWM``), else None.

    ``getrusage`` keeps the parent's resident size at the fork as a floor;
    ``VmHWM`` belongs to the process image, so it starts afresh.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / _MIB
    except OSError:
        pass
    return None


def with_peak_rss(found: dict) -> dict:
    """``found`` with this process's peak RSS and its largest child's, in MiB."""
    own = _high_water_mib() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / _MIB
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / _MIB
    return {**found, "rss_mib": round(own, 1), "children_rss_mib": round(children, 1)}


def child(
    fmt: str, side: str, files: list[str], rows: int, check: bool, min_seconds: float
) -> dict:
    """One side's checking pass (when ``check``) and timed passes (module doc).

    Without ``check``, the first few batches of an untimed pass warm it up.
    The timed pass repeats until ``min_seconds`` have been timed (at least
    once); every pass must yield ``rows`` rows.
    """
    start_pass = peer_sides.SIDES[(fmt, side)](files)
    out = {"child": f"{fmt}:{side}", "rows": rows}
    if check:  # also the warm-up
        out.update(checksums(start_pass(), fmt))
    else:  # warm up: workers started, lazy imports done
        touched_rows(itertools.islice(start_pass(), _WARM_UP_BATCHES))
    timed = repeats = 0
    seconds = 0.0
    while repeats == 0 or seconds < min_seconds:
        start = time.perf_counter()
        got = touched_rows(start_pass())
        seconds += time.perf_counter() - start
        if got != rows or out["rows"] != rows:
            raise ValueError(f"{fmt}:{side} gave {got} rows, not {rows}")
        timed, repeats = timed + got, repeats + 1
    return {**out, "timed_rows": timed, "repeats": repeats, "seconds": seconds}


def _child_main(args: argparse.Namespace) -> int:
    fmt, side = args.child.split(":")
    rows = rows_of(fmt, args)
    files = files_of(fmt, rows, args.data)
    if side != "ray":
        found = child(fmt, side, files, rows, args.check, args.min_seconds)
        gc.collect()  # a DataLoader's persistent workers exit and are waited for
        print(json.dumps(with_peak_rss(found)))
        return 0
    import ray
    from ray.data import DataContext

    from benchmarks.ray_peer import ray_init_args

    ray.init(**ray_init_args())
    DataContext.get_current().enable_progress_bars = False
    try:
        found = child(fmt, side, files, rows, args.check, args.min_seconds)
    finally:
        ray.shutdown()  # its processes exit and are waited for
    print(json.dumps(with_peak_rss(found)))
    return 0


# The parent: alternate the sides, compare their sums, report ----------------


def rows_of(fmt: str, args: argparse.Namespace) -> int:
    """The rows of ``fmt``'s files: ``--rows`` (CSV) or ``--tfrecord-rows``."""
    return args.rows if fmt == "csv" else args.tfrecord_rows


def run_side(fmt: str, side: str, args, check: bool) -> dict | None:
    """One child for ``side``; its report, or None when it failed."""
    argv = [sys.executable, "-m", "benchmarks.bench_peers", "--child",
            f"{fmt}:{side}", "--rows", str(args.rows), "--tfrecord-rows",
            str(args.tfrecord_rows), "--data", args.data, "--min-seconds",
            str(args.min_seconds), *(["--check"] if check else [])]  # fmt: skip
    done = machine.run_child(argv, echo=False)
    found = [json.loads(x) for x in done.lines if x.startswith('{"child"')]
    if done.returncode != 0 or not found:
        print(f"{fmt}:{side} failed (exit {done.returncode})", flush=True)
        return None
    report = found[-1]
    report["rows_per_s"] = report["timed_rows"] / report["seconds"]
    print(f"{fmt}:{side}: {report['timed_rows']} rows in {report['seconds']:.3f} s "
          f"({report['repeats']} passes), "
          f"peak RSS {report['rss_mib']:.0f} MiB", flush=True)  # fmt: skip
    return report


def same_results(ours: dict, theirs: dict) -> bool:
    """Same rows and the same column sums (float sums to 1e-9 relative).

    Example:
        >>> a = {"rows": 2, "sums": {"x": 1.0, "s": 7}}
        >>> same_results(a, {**a, "sums": {"x": 1.0 + 1e-12, "s": 7}})
        True
        >>> same_results(a, {**a, "sums": {"x": 1.0, "s": 8}})
        False
        >>> same_results(a, {"rows": 2}), same_results(a, {**a, "rows": 3})
        (False, False)
    """
    if "sums" not in ours or "sums" not in theirs or ours["rows"] != theirs["rows"]:
        return False
    return all(
        math.isclose(v, theirs["sums"][k], rel_tol=1e-9)
        if isinstance(v, float) else v == theirs["sums"][k]
        for k, v in ours["sums"].items()
    )  # fmt: skip


def run_format(fmt: str, sides: list[str], args) -> dict[str, list[dict | None]]:
    """Every pass of every side of ``fmt``, alternating: side -> reports.

    The first pass of each side also checks its batches and sums them.
    """
    runs: dict[str, list[dict | None]] = {side: [] for side in sides}
    for p in range(args.passes):
        for side in sides:
            runs[side].append(run_side(fmt, side, args, check=p == 0))
    return runs


def peer_line(fmt: str, side: str, runs: dict, rows: int) -> dict:
    """The JSON line of one peer against ours (medians over the passes).

    The first pass of each (the checked one) must give the same sums.
    """
    first = runs["ours"][0], runs[side][0]
    same = all(first) and same_results(*first)
    pairs = [(o, t) for o, t in zip(runs["ours"], runs[side]) if o and t]
    ratios = [o["rows_per_s"] / t["rows_per_s"] for o, t in pairs]
    ours = [o["rows_per_s"] for o, _ in pairs]
    theirs = [t["rows_per_s"] for _, t in pairs]

    def median(values):
        return round(statistics.median(values)) if values else None

    return {
        "bench": "peers", "workload": f"{fmt}:{side}", "rows": rows,
        "pairs": len(pairs), "same_results": same,
        "ours_rows_per_s": median(ours),
        "theirs_rows_per_s": median(theirs) if same else None,
        "ratio": round(statistics.median(ratios), 2) if same else None,
        "ratio_min": round(min(ratios), 2) if same else None,
        "ratio_max": round(max(ratios), 2) if same else None,
        "ours_rows_per_s_passes": [round(x) for x in ours],
        "theirs_rows_per_s_passes": [round(x) for x in theirs] if same else None,
    }  # fmt: skip


def memory_lines(fmt: str, runs: dict) -> list[dict]:
    """One line per side: its largest peak RSS over the passes (and its child's).

    Example:
        >>> run = {"rss_mib": 90.0, "children_rss_mib": 40.0}
        >>> memory_lines("csv", {"torch2": [run, None]})[0]["what"]
        'csv, torch DataLoader, 2 workers (largest child process: 40 MiB)'
    """
    lines = []
    for side, reports in runs.items():
        done = [r for r in reports if r]
        if not done:
            continue
        children = max(r["children_rss_mib"] for r in done)
        what = f"{fmt}, {'ours' if side == 'ours' else _LABELS[side]}"
        if children:
            what += f" (largest child process: {children:.0f} MiB)"
        lines.append({"bench": "peers", "what": what, "children_peak_rss_mib": children,
                      "peak_rss_mib": max(r["rss_mib"] for r in done)})  # fmt: skip
    return lines


def report(fmt: str, runs: dict, rows: int) -> bool:
    """Print the table and JSON lines of ``fmt``; False when a side failed."""
    ok = all(all(runs[s]) for s in runs)
    print(f"{fmt}: {'peer':30s}{'ours rows/s':>13s}{'theirs':>12s}{'ratio':>8s}"
          f"{'spread':>14s}  same sums")  # fmt: skip
    for side in runs:
        if side == "ours":
            continue
        line = peer_line(fmt, side, runs, rows)
        ok = ok and line["same_results"]
        spread = f"{line['ratio_min']}-{line['ratio_max']}" if line["ratio"] else "-"
        print(f"{fmt}: {_LABELS[side]:30s}{line['ours_rows_per_s'] or 0:13,}"
              f"{line['theirs_rows_per_s'] or 0:12,}{line['ratio'] or 0:7.2f}x"
              f"{spread:>14s}  {line['same_results']}")  # fmt: skip
        print(json.dumps(line))
    for line in memory_lines(fmt, runs):
        print(json.dumps(line))
    return ok


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="CSV rows")
    parser.add_argument(
        "--tfrecord-rows",
        type=int,
        default=50_000,
        help="TFRecord rows (Ray reads about 1,500 rows/s)",
    )
    parser.add_argument(
        "--min-seconds",
        type=float,
        default=1.0,
        help="timed passes repeat in a child until this long",
    )
    parser.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--data", default=os.path.join("benchmarks", "data", "peers"))
    parser.add_argument("--formats", default="csv,tfrecord")
    parser.add_argument("--sides", default="", help="e.g. ours,polars (default: all)")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.child:
        return _child_main(args)
    wanted = {s for s in args.sides.split(",") if s}
    ok = True
    for fmt in args.formats.split(","):
        rows = rows_of(fmt, args)
        files_of(fmt, rows, args.data)  # write once, before the children
        every = peer_sides.CSV_SIDES if fmt == "csv" else peer_sides.TFRECORD_SIDES
        sides = [s for s in every if s == "ours" or not wanted or s in wanted]
        ok = report(fmt, run_format(fmt, sides, args), rows) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
