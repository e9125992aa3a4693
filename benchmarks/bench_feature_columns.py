"""The taxi feature set through DenseFeatures: ours vs TensorFlow's (tf_keras).

Columns (the issue's set): 5 numerics (pickup/dropoff lon/lat, trip_distance),
pickup latitude and longitude bucketized into 16 buckets each, their cross into
256 hash buckets as an embedding of dimension 8, ``day_of_week`` from a
vocabulary list as an indicator, ``vendor_id`` hashed into 1,000 buckets as an
embedding of dimension 8, and ``hour_of_day`` as an identity column of 24 as an
indicator.

``feature_layer``: batches of 256 already parsed (numpy for us, tf.constant for
TF, made before timing) through ``DenseFeatures``; TF's runs inside a
``tf.function`` (graph). Passes alternate between ours and TF's; the best pass
of each counts. ``end_to_end`` (``--e2e``): CSV shards -> parse -> DenseFeatures,
``make_csv_dataset``-style pipelines on both sides.

    .venv-bench/bin/python -m benchmarks.bench_feature_columns --rows 200000

Prints a table and one JSON line per measurement.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks.taxi_data import (
    COLUMNS,
    LABEL,
    RECORD_DEFAULTS,
    taxi_columns,
    write_csv_shards,
)

_BATCH = 256
_NUMERIC = [
    "pickup_longitude",
    "pickup_latitude",
    "dropoff_longitude",
    "dropoff_latitude",
    "trip_distance",
]
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_LAT_EDGES = list(np.linspace(40.65, 40.85, 15))
_LON_EDGES = list(np.linspace(-74.12, -73.88, 15))


def build_columns(fc: Any, initializer: Any = None) -> list[Any]:
    """The issue's taxi feature set, written once for both libraries."""
    lat = fc.bucketized_column(fc.numeric_column("pickup_latitude"), _LAT_EDGES)
    lon = fc.bucketized_column(fc.numeric_column("pickup_longitude"), _LON_EDGES)
    cross = fc.crossed_column([lat, lon], hash_bucket_size=256)
    vendor = fc.categorical_column_with_hash_bucket("vendor_id", 1000)
    day = fc.categorical_column_with_vocabulary_list("day_of_week", _DAYS)
    hour = fc.categorical_column_with_identity("hour_of_day", 24)
    kw = {} if initializer is None else {"initializer": initializer}
    return [
        *(fc.numeric_column(n) for n in _NUMERIC),
        lat,
        lon,
        fc.embedding_column(cross, 8, **kw),
        fc.embedding_column(vendor, 8, **kw),
        fc.indicator_column(day),
        fc.indicator_column(hour),
    ]


def parsed_batches(rows: int) -> list[dict[str, np.ndarray]]:
    """Batches of 256 parsed rows (empty cells filled as the CSV parser would)."""
    values, missing = taxi_columns(rows)
    cols = {}
    for name in [*_NUMERIC, "day_of_week", "vendor_id", "hour_of_day"]:
        col = values[name].copy()
        if col.dtype == object:
            col[missing[name]] = b""
        else:
            col[missing[name]] = 0
        cols[name] = col
    cols["hour_of_day"] = cols["hour_of_day"].astype(np.int64)
    return [
        {k: v[i : i + _BATCH].reshape(-1, 1) for k, v in cols.items()}
        for i in range(0, rows - _BATCH + 1, _BATCH)
    ]


def ours_runner(batches: list[dict]) -> Callable[[], int]:
    import pipeline as pl

    layer = pl.feature_column.DenseFeatures(build_columns(pl.feature_column))

    def run() -> int:
        n = 0
        for batch in batches:
            n += layer(batch).shape[0]
        return n

    return run


def tf_runner(batches: list[dict]) -> Callable[[], int]:
    import tensorflow as tf
    import tf_keras

    tf_batches = [{k: tf.constant(v) for k, v in b.items()} for b in batches]
    layer = tf_keras.layers.DenseFeatures(build_columns(tf.feature_column))
    call = tf.function(lambda feats: layer(feats))

    def run() -> int:
        n = 0
        for batch in tf_batches:
            n += int(call(batch).shape[0])
        return n

    return run


def _csv_defaults(tf: Any = None) -> list[Any]:
    """The taxi table's record defaults (hour_of_day as int64 for the identity)."""
    out = []
    for name, default in zip(COLUMNS, RECORD_DEFAULTS):
        value = default[0]
        if name == "hour_of_day":
            out.append([np.int64(0)] if tf is None else tf.constant([0], tf.int64))
        else:
            out.append([value])
    return out


def ours_e2e(files: list[str]) -> Callable[[], int]:
    import pipeline as pl

    layer = pl.feature_column.DenseFeatures(build_columns(pl.feature_column))

    def run() -> int:
        ds = pl.data.make_csv_dataset(
            files,
            _BATCH,
            column_defaults=_csv_defaults(),
            label_name=LABEL,
            num_epochs=1,
            shuffle=False,
        )
        ds = ds.map(lambda f, y: layer(f), num_parallel_calls=pl.data.AUTOTUNE)
        return sum(out.shape[0] for out in ds.prefetch(pl.data.AUTOTUNE))

    return run


def tf_e2e(files: list[str]) -> Callable[[], int]:
    import tensorflow as tf
    import tf_keras

    layer = tf_keras.layers.DenseFeatures(build_columns(tf.feature_column))

    def run() -> int:
        ds = tf.data.experimental.make_csv_dataset(
            files,
            _BATCH,
            column_defaults=_csv_defaults(tf),
            label_name=LABEL,
            num_epochs=1,
            shuffle=False,
        )
        ds = ds.map(lambda f, y: layer(f), num_parallel_calls=tf.data.AUTOTUNE)
        return sum(int(out.shape[0]) for out in ds.prefetch(tf.data.AUTOTUNE))

    return run


def hashing_runners(rows: int, with_tf: bool) -> tuple[Callable, Callable | None]:
    """to_hash_bucket_fast over ``rows`` vendor-id strings, in chunks of 65,536."""
    values, _ = taxi_columns(rows)
    chunks = [values["vendor_id"][i : i + 65536] for i in range(0, rows, 65536)]

    def ours() -> int:
        import pipeline as pl

        return sum(len(pl.strings.to_hash_bucket_fast(c, 1000)) for c in chunks)

    if not with_tf:
        return ours, None
    import tensorflow as tf

    tf_chunks = [tf.constant(c.astype(bytes)) for c in chunks]

    def theirs() -> int:
        return sum(
            int(tf.strings.to_hash_bucket_fast(c, 1000).shape[0]) for c in tf_chunks
        )

    return ours, theirs


def _best(run: Callable[[], int], rates: list[float]) -> None:
    start = time.perf_counter()
    n = run()
    rates.append(n / (time.perf_counter() - start))


def measure(name: str, ours: Callable, theirs: Callable | None, passes: int) -> dict:
    """Alternating passes; returns the best rows/s of each side and the ratio."""
    ours(), theirs and theirs()  # warm-up (tracing, tables)
    mine: list[float] = []
    tf_rates: list[float] = []
    for _ in range(passes):
        _best(ours, mine)
        if theirs is not None:
            _best(theirs, tf_rates)
    result = {"bench": name, "ours_rows_per_s": max(mine)}
    if tf_rates:
        result["tf_rows_per_s"] = max(tf_rates)
        result["ratio"] = max(mine) / max(tf_rates)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--no-tf", action="store_true", help="measure ours only")
    parser.add_argument("--e2e", action="store_true", help="also CSV -> DenseFeatures")
    parser.add_argument("--csv-dir", default="/tmp/pipeline-bench/taxi-fc")
    parser.add_argument("--hashing", action="store_true", help="also string hashing")
    args = parser.parse_args(argv)
    batches = parsed_batches(args.rows)
    theirs = None if args.no_tf else tf_runner(batches)
    results = [measure("feature_layer", ours_runner(batches), theirs, args.passes)]
    if args.e2e:
        files = write_csv_shards(args.csv_dir, args.rows, 8)
        theirs = None if args.no_tf else tf_e2e(files)
        results.append(measure("end_to_end", ours_e2e(files), theirs, args.passes))
    if args.hashing:
        ours, theirs = hashing_runners(args.rows, not args.no_tf)
        results.append(measure("hash_bucket_fast", ours, theirs, args.passes))
    print(f"{'bench':<16}{'ours rows/s':>14}{'TF rows/s':>14}{'ratio':>8}")
    for result in results:
        result.update(rows=args.rows, batch=_BATCH)
        tf_rate = result.get("tf_rows_per_s")
        tf_text = f"{tf_rate:,.0f}" if tf_rate else "-"
        ratio_text = f"{result['ratio']:.2f}x" if tf_rate else "-"
        ours_rate = result["ours_rows_per_s"]
        print(f"{result['bench']:<16}{ours_rate:>14,.0f}{tf_text:>14}{ratio_text:>8}")
    for result in results:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
