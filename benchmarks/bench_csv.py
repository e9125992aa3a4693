"""CSV to batches of typed columns: pipeline vs TensorFlow vs pyarrow, same files.

    .venv-bench/bin/python -m benchmarks.bench_csv --rows 2000000 --passes 3

Idioms, each written once and run with ``lib`` = TensorFlow or pipeline (our
names are TF's, so the pipeline code is the same text):

* ``fast``: ``flat_map(TextLineDataset(f).skip(1)) -> batch(256) ->
  map(decode_csv)``, TF's fastest CSV idiom;
* ``per_line``: the seed course's ``map(parse_line) -> batch(256)`` with a
  per-line ``decode_csv`` building a (features, label) dict; run on the first
  ``--slow-rows`` rows on both sides (TF runs it at ~26k rows/s);
* ``make_csv_dataset``: ``make_csv_dataset(batch_size=256, shuffle=False,
  num_epochs=1)`` (also limited to ``--slow-rows`` rows for TF);
* ``pyarrow.read_csv``: ``pyarrow.csv.read_csv`` of every file (a table,
  not batches): the reference for raw parsing speed.

Passes alternate between implementations; the best pass of each is reported
as rows/s and MB/s, with ratios, then one JSON line per measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pyarrow.csv as pacsv

from benchmarks.taxi_data import COLUMNS, LABEL, RECORD_DEFAULTS, write_csv_shards

BATCH = 256


def _libs(with_tf: bool) -> dict[str, SimpleNamespace]:
    import pipeline as pl

    libs = {
        "pipeline": SimpleNamespace(
            Dataset=pl.data.Dataset,
            TextLineDataset=pl.data.TextLineDataset,
            decode_csv=pl.io.decode_csv,
            make_csv_dataset=pl.data.make_csv_dataset,
        )
    }
    if with_tf:
        import tensorflow as tf

        libs["tensorflow"] = SimpleNamespace(
            Dataset=tf.data.Dataset,
            TextLineDataset=tf.data.TextLineDataset,
            decode_csv=tf.io.decode_csv,
            make_csv_dataset=tf.data.experimental.make_csv_dataset,
        )
    return libs


# The idioms: identical code for both libraries --------------------------------


def fast_idiom(lib: Any, files: list[str], limit: int | None) -> Any:
    lines = lib.Dataset.from_tensor_slices(files).flat_map(
        lambda f: lib.TextLineDataset(f).skip(1)
    )
    if limit:
        lines = lines.take(limit)
    return lines.batch(BATCH).map(lambda b: lib.decode_csv(b, RECORD_DEFAULTS))


def per_line_idiom(lib: Any, files: list[str], limit: int | None) -> Any:
    def parse_line(line):
        columns = lib.decode_csv(line, RECORD_DEFAULTS)
        features = dict(zip(COLUMNS, columns))
        label = features.pop(LABEL)
        return features, label

    lines = lib.Dataset.from_tensor_slices(files).flat_map(
        lambda f: lib.TextLineDataset(f).skip(1)
    )
    if limit:
        lines = lines.take(limit)
    return lines.map(parse_line).batch(BATCH)


def make_csv_idiom(lib: Any, files: list[str], limit: int | None) -> Any:
    ds = lib.make_csv_dataset(
        files, BATCH, column_defaults=RECORD_DEFAULTS, label_name=LABEL,
        shuffle=False, num_epochs=1,
    )  # fmt: skip
    return ds.take(-(-limit // BATCH)) if limit else ds


def _rows_of(batch: Any) -> int:
    first = batch[0] if isinstance(batch, (tuple, list)) else batch
    if isinstance(first, dict):
        first = next(iter(first.values()))
    return int(first.shape[0])


def _run_dataset(make: Callable[[], Any]) -> tuple[int, float]:
    start = time.perf_counter()
    rows = sum(_rows_of(b) for b in make())
    return rows, time.perf_counter() - start


def _run_pyarrow(files: list[str]) -> tuple[int, float]:
    start = time.perf_counter()
    rows = sum(pacsv.read_csv(f).num_rows for f in files)
    return rows, time.perf_counter() - start


def _cases(libs, files, slow_rows) -> dict[str, Callable[[], tuple[int, float]]]:
    cases: dict[str, Callable[[], tuple[int, float]]] = {
        "pyarrow.read_csv": lambda: _run_pyarrow(files)
    }
    for name, lib in libs.items():
        slow = slow_rows if name == "tensorflow" else None
        idioms = [
            ("fast", fast_idiom, None),
            ("per_line", per_line_idiom, slow_rows),
            ("make_csv_dataset", make_csv_idiom, slow),
        ]
        for idiom, build, limit in idioms:
            cases[f"{name}:{idiom}"] = lambda b=build, lb=lib, lim=limit: _run_dataset(
                lambda: b(lb, files, lim)
            )
    return cases


def _report(best: dict[str, tuple[int, float]], bytes_per_row: float) -> None:
    rate = {k: rows / secs for k, (rows, secs) in best.items()}
    arrow = rate.get("pyarrow.read_csv")
    print(f"{'case':34s} {'rows':>9s} {'rows/s':>12s} {'MB/s':>8s} {'vs TF':>7s} "
          f"{'vs pyarrow':>10s}")  # fmt: skip
    for key, (rows, _secs) in best.items():
        tf_key = "tensorflow:" + key.split(":", 1)[-1]
        vs_tf = rate[key] / rate[tf_key] if tf_key in rate and tf_key != key else None
        vs_arrow = rate[key] / arrow if arrow else None
        mbps = rate[key] * bytes_per_row / 1e6
        print(
            f"{key:34s} {rows:9d} {rate[key]:12,.0f} {mbps:8.1f} "
            f"{'' if vs_tf is None else f'{vs_tf:6.2f}x':>7s} "
            f"{'' if vs_arrow is None else f'{vs_arrow:9.2f}x':>10s}"
        )
    for key, (rows, secs) in best.items():
        mbps = round(rate[key] * bytes_per_row / 1e6, 2)
        line = {"bench": "csv", "case": key, "rows": rows, "seconds": round(secs, 4)}
        print(json.dumps({**line, "rows_per_s": round(rate[key]), "mb_per_s": mbps}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--data", default="/tmp/pipeline-bench/taxi")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument(
        "--slow-rows", type=int, default=100_000,
        help="rows for the slow TF idioms (both sides of per_line)",
    )  # fmt: skip
    parser.add_argument("--no-tf", action="store_true")
    parser.add_argument("--only", nargs="*", help="substrings of case names to run")
    args = parser.parse_args(argv)
    data = os.path.join(args.data, f"{args.rows}-{args.shards}")
    files = write_csv_shards(data, args.rows, args.shards)
    total_bytes = sum(os.path.getsize(f) for f in files)
    libs = _libs(not args.no_tf)
    cases = _cases(libs, files, min(args.slow_rows, args.rows))
    if args.only:
        cases = {k: v for k, v in cases.items() if any(s in k for s in args.only)}
    best: dict[str, tuple[int, float]] = {}
    for p in range(args.passes):
        for key, run in cases.items():
            rows, secs = run()
            print(f"pass {p} {key}: {rows} rows in {secs:.3f}s", flush=True)
            if key not in best or rows / secs > best[key][0] / best[key][1]:
                best[key] = (rows, secs)
    _report(best, total_bytes / args.rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
