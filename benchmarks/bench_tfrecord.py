"""TFRecord + tf.train.Example to batches of typed columns: ours vs TensorFlow.

Data: the taxi table of `benchmarks.taxi_data`, written as 8 TFRecord shards of
Examples (an empty cell is a missing feature, so parsing uses the default).
Pipelines, the same code on both sides (our names are TF's):

* ``batch_then_parse``: ``TFRecordDataset(files).batch(256).map(parse_example)``,
  TensorFlow's fastest idiom;
* ``per_record``: ``TFRecordDataset(files).map(parse_single_example).batch(256)``,
  the seed-course idiom.

Passes alternate between ours and TF's; the best pass of each counts.

    .venv-bench/bin/python -m benchmarks.bench_tfrecord --rows 300000 --passes 3
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

from benchmarks.taxi_data import COLUMNS, DTYPES, taxi_columns

_SHARDS = 8
_BATCH = 256


def _example_rows(start: int, stop: int):
    from pipeline.io.example_message import serialize_example

    values, missing = taxi_columns(stop - start, start=start)
    for name in COLUMNS:
        if values[name].dtype.kind == "i":
            values[name] = values[name].astype(np.int64)
    for i in range(stop - start):
        row = {n: values[n][i : i + 1] for n in COLUMNS if not missing[n][i]}
        yield serialize_example(row)


def write_shards(out_dir: str, rows: int) -> list[str]:
    """Write (once) the taxi rows as TFRecord shards of Examples."""
    from pipeline.io.tfrecord_writer import TFRecordWriter

    os.makedirs(out_dir, exist_ok=True)
    names = [
        os.path.join(out_dir, f"taxi.tfrecord-{i:05d}-of-{_SHARDS:05d}")
        for i in range(_SHARDS)
    ]
    bounds = np.linspace(0, rows, _SHARDS + 1).astype(int)
    for name, lo, hi in zip(names, bounds[:-1], bounds[1:]):
        if os.path.exists(name):
            continue
        with TFRecordWriter(name) as w:
            for record in _example_rows(int(lo), int(hi)):
                w.write(record)
    return names


def _default(dtype):
    if dtype is object:
        return b""
    return 0 if np.dtype(dtype).kind == "i" else 0.0


def example_spec() -> dict:
    """The taxi Examples' features: ints as int64, an empty cell the default."""
    import pipeline as pl

    spec = {}
    for name in COLUMNS:
        dtype = pl.string if DTYPES[name] is object else DTYPES[name]
        if dtype is np.int32:
            dtype = np.int64
        spec[name] = pl.io.FixedLenFeature([], dtype, _default(DTYPES[name]))
    return spec


def our_pipelines(files):
    import pipeline as pl

    spec = example_spec()
    ds = pl.data.TFRecordDataset(files)
    return {
        "batch_then_parse": ds.batch(_BATCH).map(
            lambda b: pl.io.parse_example(b, spec)
        ),
        "per_record": ds.map(lambda r: pl.io.parse_single_example(r, spec)).batch(
            _BATCH
        ),
    }


def tf_pipelines(files):
    import tensorflow as tf

    types = {object: tf.string, np.float32: tf.float32, np.int32: tf.int64}
    spec = {
        n: tf.io.FixedLenFeature([], types[DTYPES[n]], _default(DTYPES[n]))
        for n in COLUMNS
    }
    ds = tf.data.TFRecordDataset(files)
    return {
        "batch_then_parse": ds.batch(_BATCH).map(
            lambda b: tf.io.parse_example(b, spec)
        ),
        "per_record": ds.map(lambda r: tf.io.parse_single_example(r, spec)).batch(
            _BATCH
        ),
    }


def _timed(dataset, numpy: bool) -> tuple[float, int]:
    rows = 0
    start = time.perf_counter()
    it = dataset.as_numpy_iterator() if numpy else iter(dataset)
    for batch in it:
        rows += len(batch["fare_amount"])
    return time.perf_counter() - start, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--data", default="benchmarks/data")
    parser.add_argument("--no-tf", action="store_true", help="ours only")
    args = parser.parse_args(argv)
    files = write_shards(os.path.join(args.data, f"tfrecord-{args.rows}"), args.rows)
    size_mb = sum(os.path.getsize(f) for f in files) / 1e6
    sides = {"ours": our_pipelines(files)}
    if not args.no_tf:
        sides["tf"] = tf_pipelines(files)
    best: dict[tuple[str, str], float] = {}
    for _ in range(args.passes):
        for idiom in sides["ours"]:
            for side, pipes in sides.items():
                seconds, rows = _timed(pipes[idiom], numpy=side == "tf")
                assert rows == args.rows, (side, idiom, rows)
                key = (side, idiom)
                best[key] = min(best.get(key, float("inf")), seconds)
    _report(best, args.rows, size_mb)
    return 0


def _report(best: dict, rows: int, size_mb: float) -> None:
    print(f"{'idiom':<18}{'side':<6}{'rows/s':>12}{'MB/s':>9}{'vs TF':>8}")
    for (side, idiom), seconds in sorted(best.items(), key=lambda kv: kv[0][::-1]):
        tf_s = best.get(("tf", idiom))
        ratio = tf_s / seconds if tf_s else float("nan")
        print(
            f"{idiom:<18}{side:<6}{rows / seconds:>12,.0f}{size_mb / seconds:>9.1f}"
            f"{ratio:>8.2f}"
        )
        line = {"bench": "tfrecord", "idiom": idiom, "side": side, "rows": rows,
                "seconds": round(seconds, 4), "rows_per_s": round(rows / seconds),
                "ratio_vs_tf": round(ratio, 3)}  # fmt: skip
        print(json.dumps(line))


if __name__ == "__main__":
    raise SystemExit(main())
