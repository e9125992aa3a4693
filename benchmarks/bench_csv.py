"""CSV to batches of typed columns: pipeline vs TensorFlow vs pyarrow, same files.

    .venv-bench/bin/python -m benchmarks.bench_csv --rows 2000000 --tf-rows 100000

Data: the taxi table of `benchmarks.taxi_data` written twice, as ``--shards``
CSV shards of ``--rows`` rows (the full set) and of ``--tf-rows`` rows (the
small set, for the rows where TensorFlow is too slow at the full size). Every
comparison reads the same files on both sides, and every side's batches go
through ``as_numpy_iterator()``: numpy arrays, strings as object arrays of
bytes. ``--check`` first compares both sides' outputs, batch by batch
(`benchmarks.csv_same_output`).

Idioms, each written once and run with ``lib`` = TensorFlow or pipeline (our
names are TF's, so the pipeline code is the same text):

* ``fast``: ``flat_map(TextLineDataset(f).skip(1)) -> batch(256) ->
  map(decode_csv)``, TF's fastest CSV idiom. Ours runs it through our
  ``batch -> map(decode_csv)`` block rewrite (one call per ~4k rows, cut
  back into batches); ``fast_no_rewrite`` is the same code with
  ``Options(csv_blocks=False)``, the control;
* ``per_line``: the seed course's ``map(parse_line) -> batch(256)`` with a
  per-line ``decode_csv`` building a (features, label) pair. Ours runs it
  through our ``map(parse) -> batch`` rewrite (the per-line parser called
  once per batch); ``per_line_no_rewrite`` is the same code with
  ``Options(map_vectorization=False)``, the control;
* ``make_csv_dataset``: ``make_csv_dataset(batch_size=256, shuffle=False,
  num_epochs=1)``;
* ``pyarrow.read_csv``: ``pyarrow.csv.read_csv`` of every file (a table per
  file, not batches), the reference for raw parsing speed.

Column types, each of our idioms against pyarrow both ways:

* ``typed``: ours given the defaults (float32, int32, bytes); pyarrow given
  the same types (``ConvertOptions(column_types=...)``, strings as binary);
* ``inferred``: ours infers them (``make_csv_dataset`` from its first 100
  rows; the ``decode_csv`` idioms call `pipeline.io.csv_infer` inside the
  timer) and gets float32, int32, bytes; pyarrow infers its own float64,
  int64 and utf8 strings.

Cases are ``side:idiom:types``; ``@tf_rows`` marks the small set: TF's
``per_line`` and ``make_csv_dataset`` run there, and so does ours for those
rows. TF runs the typed cases only. Passes alternate between the cases; each
case reports its best pass (``rows_per_s``) and its median, as a table, then
one JSON line per case.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable, Iterable, Iterator
from types import SimpleNamespace
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from benchmarks.taxi_data import (
    COLUMNS,
    DTYPES,
    LABEL,
    RECORD_DEFAULTS,
    write_csv_shards,
)

BATCH = 256
TYPES = ("typed", "inferred")
IDIOMS = ("fast", "per_line", "make_csv_dataset")
SMALL = "@tf_rows"
_ARROW_TYPES = {np.float32: pa.float32(), np.int32: pa.int32(), object: pa.binary()}
_IDIOM_TEXT = {
    "fast": "flat_map(TextLineDataset.skip(1)) -> batch(256) -> map(decode_csv)",
    "per_line": "per-line map(decode_csv) -> batch(256)",
    "make_csv_dataset": "make_csv_dataset(batch_size=256)",
    "read_csv": "pyarrow.csv.read_csv, a table per file",
}
_TYPES_TEXT = {
    "typed": "types given (float32, int32, bytes)",
    "inferred": "types inferred",
}


def _libs(with_tf: bool) -> dict[str, SimpleNamespace]:
    import pipeline as pl

    libs = {
        "pipeline": SimpleNamespace(
            Dataset=pl.data.Dataset,
            TextLineDataset=pl.data.TextLineDataset,
            decode_csv=pl.io.decode_csv,
            make_csv_dataset=pl.data.make_csv_dataset,
            no_rewrite=pl.data.Options(map_vectorization=False, csv_blocks=False),
        )
    }
    if with_tf:
        import tensorflow as tf

        libs["tensorflow"] = SimpleNamespace(
            Dataset=tf.data.Dataset,
            TextLineDataset=tf.data.TextLineDataset,
            decode_csv=tf.io.decode_csv,
            make_csv_dataset=tf.data.experimental.make_csv_dataset,
            no_rewrite=None,
        )
    return libs


# The idioms: identical code for both libraries --------------------------------


def fast_idiom(lib: Any, files: list[str], defaults: Any) -> Any:
    lines = lib.Dataset.from_tensor_slices(files).flat_map(
        lambda f: lib.TextLineDataset(f).skip(1)
    )
    return lines.batch(BATCH).map(lambda b: lib.decode_csv(b, defaults))


def per_line_idiom(lib: Any, files: list[str], defaults: Any) -> Any:
    def parse_line(line):
        columns = lib.decode_csv(line, defaults)
        features = dict(zip(COLUMNS, columns))
        label = features.pop(LABEL)
        return features, label

    lines = lib.Dataset.from_tensor_slices(files).flat_map(
        lambda f: lib.TextLineDataset(f).skip(1)
    )
    return lines.map(parse_line).batch(BATCH)


def make_csv_idiom(lib: Any, files: list[str], defaults: Any) -> Any:
    return lib.make_csv_dataset(
        files, BATCH, column_defaults=defaults, label_name=LABEL,
        shuffle=False, num_epochs=1,
    )  # fmt: skip


_BUILD = {"fast": fast_idiom, "per_line": per_line_idiom,
          "make_csv_dataset": make_csv_idiom}  # fmt: skip


def inferred_defaults(files: list[str]) -> list[np.ndarray]:
    """Our inference (``make_csv_dataset``'s) as ``decode_csv`` defaults."""
    from pipeline.io.csv_infer import infer_column_types

    return [
        np.array([b""], dtype=object) if t == "string" else np.zeros(1, dtype=t)
        for t in infer_column_types(files, len(COLUMNS))
    ]


def _defaults(idiom: str, files: list[str], types: str) -> Any:
    if types == "typed":
        return RECORD_DEFAULTS
    return None if idiom == "make_csv_dataset" else inferred_defaults(files)


def dataset_batches(lib: Any, idiom: str, files: list[str], types: str) -> Iterator:
    """The idiom built (types inferred here, when asked) and its numpy batches."""
    control = idiom.endswith("_no_rewrite")
    base = idiom.removesuffix("_no_rewrite")
    ds = _BUILD[base](lib, files, _defaults(base, files, types))
    if control:
        ds = ds.with_options(lib.no_rewrite)
    return ds.as_numpy_iterator()


def arrow_convert_options(types: str) -> pacsv.ConvertOptions | None:
    """pyarrow given our column types (``typed``), or inferring (None)."""
    if types != "typed":
        return None
    return pacsv.ConvertOptions(
        column_types={n: _ARROW_TYPES[DTYPES[n]] for n in COLUMNS}
    )


def arrow_tables(files: list[str], types: str) -> Iterator[pa.Table]:
    """``pyarrow.csv.read_csv`` of each file."""
    options = arrow_convert_options(types)
    for f in files:
        yield pacsv.read_csv(f, convert_options=options)


# The cases ------------------------------------------------------------------


def case_key(side: str, idiom: str, types: str, small: bool = False) -> str:
    return f"{side}:{idiom}:{types}{SMALL if small else ''}"


def parse_key(key: str) -> tuple[str, str, str, bool]:
    """``(side, idiom, types, small)`` of a case key."""
    side, idiom, rest = key.split(":")
    return side, idiom, rest.removesuffix(SMALL), rest.endswith(SMALL)


def case_label(key: str) -> str:
    side, idiom, types, small = parse_key(key)
    text = f"{side}: {_IDIOM_TEXT[idiom.removesuffix('_no_rewrite')]}, "
    text += _TYPES_TEXT[types]
    if side == "pipeline" and idiom.startswith("per_line"):
        rewrite = "OFF (map_vectorization=False)" if "no_rewrite" in idiom else "ON"
        text += f", our map->batch rewrite {rewrite}"
    if side == "pipeline" and idiom.startswith("fast"):
        rewrite = "OFF (csv_blocks=False)" if "no_rewrite" in idiom else "ON"
        text += f", our batch->map(decode_csv) block rewrite {rewrite}"
    return text + (", small set" if small else "")


Batches = Callable[[], Iterable]


def make_cases(
    libs: dict[str, Any], full: list[str], small: list[str]
) -> dict[str, Batches]:
    """Case key -> a callable building its pipeline and returning its batches."""
    ours = libs["pipeline"]
    cases: dict[str, Batches] = {}
    for types in TYPES:
        cases[case_key("pyarrow", "read_csv", types)] = lambda t=types: arrow_tables(
            full, t
        )
        for idiom in IDIOMS:
            cases[case_key("pipeline", idiom, types)] = lambda i=idiom, t=types: (
                dataset_batches(ours, i, full, t)
            )
    pairs = [("fast", full, False), ("per_line", small, True),
             ("make_csv_dataset", small, True)]  # fmt: skip
    for idiom, files, is_small in pairs:
        control = [f"{idiom}_no_rewrite"] if idiom in ("per_line", "fast") else []
        ours_idioms = [idiom] + control
        for side, lib in libs.items():
            for name in ours_idioms if side == "pipeline" else [idiom]:
                key = case_key(side, name, "typed", is_small)
                cases[key] = lambda lb=lib, n=name, fs=files: dataset_batches(
                    lb, n, fs, "typed"
                )
    return cases


def rows_of(batch: Any) -> int:
    """Rows in a batch: a table, a (features, label) pair or a column list."""
    if isinstance(batch, pa.Table):
        return batch.num_rows
    first = batch[0] if isinstance(batch, (tuple, list)) else batch
    if isinstance(first, dict):
        first = next(iter(first.values()))
    return int(first.shape[0])


def timed(batches: Batches) -> tuple[int, float]:
    """Rows and seconds to build the pipeline and take every batch."""
    start = time.perf_counter()
    rows = sum(rows_of(b) for b in batches())
    return rows, time.perf_counter() - start


# The report -----------------------------------------------------------------


def tf_pair(key: str) -> str | None:
    side, idiom, types, small = parse_key(key)
    if side != "pipeline" or types != "typed":
        return None
    return case_key("tensorflow", idiom.removesuffix("_no_rewrite"), types, small)


def arrow_pair(key: str) -> str | None:
    side, _idiom, types, small = parse_key(key)
    if side != "pipeline" or small:
        return None
    return case_key("pyarrow", "read_csv", types)


def _ratio(rate: dict[str, float], key: str | None, of: str) -> str:
    if key is None or key not in rate:
        return ""
    return f"{rate[of] / rate[key]:.2f}x"


def report(
    runs: dict[str, list[tuple[int, float]]], bytes_per_row: dict[bool, float]
) -> list[dict]:
    """Print the table and the JSON lines of every case; returns the lines."""
    best = {k: max(r / s for r, s in v) for k, v in runs.items()}
    for key in runs:
        print(f"{key}: {case_label(key)}")
    print(f"{'case':45s} {'rows':>9s} {'rows/s':>11s} {'median':>11s} {'MB/s':>7s} "
          f"{'vs TF':>7s} {'vs pyarrow':>10s}")  # fmt: skip
    lines = []
    for key, passes in runs.items():
        side, idiom, types, small = parse_key(key)
        median = statistics.median(r / s for r, s in passes)
        mbps = best[key] * bytes_per_row[small] / 1e6
        print(f"{key:45s} {passes[0][0]:9d} {best[key]:11,.0f} {median:11,.0f} "
              f"{mbps:7.1f} {_ratio(best, tf_pair(key), key):>7s} "
              f"{_ratio(best, arrow_pair(key), key):>10s}")  # fmt: skip
        lines.append({
            "bench": "csv", "case": key, "side": side, "idiom": idiom,
            "types": types, "files": "tf_rows" if small else "full",
            "rows": passes[0][0], "seconds": round(min(s for _, s in passes), 4),
            "rows_per_s": round(best[key]), "median_rows_per_s": round(median),
            "mb_per_s": round(mbps, 2),
            "rows_per_s_passes": [round(r / s) for r, s in passes],
        })  # fmt: skip
    for line in lines:
        print(json.dumps(line))
    return lines


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--data", default="/tmp/pipeline-bench/taxi")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument(
        "--tf-rows", "--slow-rows", dest="tf_rows", type=int, default=100_000,
        help="rows of the small set, read by both sides of the rows where TF's "
        "side is slow (per_line, make_csv_dataset)",
    )  # fmt: skip
    parser.add_argument("--no-tf", action="store_true")
    parser.add_argument(
        "--check", action="store_true", help="first compare each row's two sides"
    )
    parser.add_argument("--only", nargs="*", help="substrings of case names to run")
    return parser


def _files(args: argparse.Namespace, rows: int) -> tuple[list[str], float]:
    files = write_csv_shards(os.path.join(args.data, f"{rows}-{args.shards}"),
                             rows, args.shards)  # fmt: skip
    return files, sum(os.path.getsize(f) for f in files) / rows


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    full, full_bpr = _files(args, args.rows)
    small, small_bpr = _files(args, min(args.tf_rows, args.rows))
    cases = make_cases(_libs(not args.no_tf), full, small)
    if args.check:
        from benchmarks.csv_same_output import check_cases

        if not check_cases(cases):
            return 1
    if args.only:
        cases = {k: v for k, v in cases.items() if any(s in k for s in args.only)}
    runs: dict[str, list[tuple[int, float]]] = {k: [] for k in cases}
    for p in range(args.passes):
        for key, batches in cases.items():
            rows, secs = timed(batches)
            print(f"pass {p} {key}: {rows} rows in {secs:.3f}s", flush=True)
            runs[key].append((rows, secs))
    report(runs, {False: full_bpr, True: small_bpr})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
