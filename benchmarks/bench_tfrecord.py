"""TFRecord + tf.train.Example to batches of typed columns: ours vs TensorFlow.

Data: the taxi table of `benchmarks.taxi_data`, written as 8 TFRecord shards of
Examples (an empty cell is a missing feature, so parsing uses the default).
Pipelines, the same code on both sides (our names are TF's):

* ``batch_then_parse``: ``TFRecordDataset(files).batch(256).map(parse_example)``,
  TensorFlow's fastest idiom;
* ``per_record``: ``TFRecordDataset(files).map(parse_single_example).batch(256)``,
  the seed-course idiom. Ours runs it through our optimizer's ``map(parse) ->
  batch`` rewrite (``batch`` first, then the parser once per batch), which TF
  does not have;
* ``per_record_no_rewrite``: the control, ours only: the same code with
  ``Options(map_vectorization=False)``, so our parser runs once per record as
  TF's does; compared with TF's ``per_record``.
* ``batch_then_parse_2threads``: ours only, ``batch_then_parse`` with
  ``map(..., num_parallel_calls=2)``; the summary divides it by our one-thread
  ``batch_then_parse`` (the whole pipeline: the reader, which holds the GIL,
  runs in its own thread beside the map and bounds it).
* ``cached_parse``: the parser alone: ``batch(256, drop_remainder=True)
  .cache()`` (records held in memory after an untimed first pass, on both
  sides) ``-> map(parse_example)``; ``cached_parse_2threads``, ours only, the
  same with ``num_parallel_calls=2``. Their ratio is how a parallel map of the
  parser scales (issue 16: 1 -> 2 threads at least 1.6x).

Both sides' batches come out the same way: dicts of numpy arrays (ours as it
iterates, TF's through ``as_numpy_iterator()``), in the timed passes and in
one untimed pass per idiom before them that checks every batch equal (same
columns, dtypes and values). Passes alternate between ours and TF's, idiom by
idiom; each line carries every pass's rate (``rows_per_s_passes``) and their
median (``rows_per_s``), and the summary pairs the passes.

    .venv-bench/bin/python -m benchmarks.bench_tfrecord --rows 300000 --passes 3
"""

from __future__ import annotations

import argparse
import itertools
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
    cached = ds.batch(_BATCH, drop_remainder=True).cache()
    return {
        "batch_then_parse": ds.batch(_BATCH).map(
            lambda b: pl.io.parse_example(b, spec)
        ),
        "batch_then_parse_2threads": ds.batch(_BATCH).map(
            lambda b: pl.io.parse_example(b, spec), num_parallel_calls=2
        ),
        "per_record": ds.map(lambda r: pl.io.parse_single_example(r, spec)).batch(
            _BATCH
        ),
        "per_record_no_rewrite": ds.map(lambda r: pl.io.parse_single_example(r, spec))
        .batch(_BATCH)
        .with_options(pl.data.Options(map_vectorization=False)),
        "cached_parse": cached.map(lambda b: pl.io.parse_example(b, spec)),
        "cached_parse_2threads": cached.map(
            lambda b: pl.io.parse_example(b, spec), num_parallel_calls=2
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
    cached = ds.batch(_BATCH, drop_remainder=True).cache()
    return {
        "batch_then_parse": ds.batch(_BATCH).map(
            lambda b: tf.io.parse_example(b, spec)
        ),
        "cached_parse": cached.map(lambda b: tf.io.parse_example(b, spec)),
        "per_record": ds.map(lambda r: tf.io.parse_single_example(r, spec)).batch(
            _BATCH
        ),
    }


#: our idiom -> TF's idiom it is compared with, where the names differ
TF_IDIOM = {
    "per_record_no_rewrite": "per_record",
    "batch_then_parse_2threads": "batch_then_parse",
    "cached_parse_2threads": "cached_parse",
}


def expected_rows(idiom: str, rows: int) -> int:
    """The rows an idiom yields: the cached ones drop the last partial batch.

    Example:
        >>> expected_rows("cached_parse", 1000), expected_rows("per_record", 1000)
        (768, 1000)
    """
    return rows // _BATCH * _BATCH if idiom.startswith("cached") else rows


def _numpy_batches(dataset, tf_side: bool):
    """The batches as dicts of numpy arrays: TF's through ``as_numpy_iterator``."""
    return dataset.as_numpy_iterator() if tf_side else iter(dataset)


def _timed(dataset, tf_side: bool) -> tuple[float, int]:
    rows = 0
    start = time.perf_counter()
    for batch in _numpy_batches(dataset, tf_side):
        rows += len(batch["fare_amount"])
    return time.perf_counter() - start, rows


def check_same(ours, tf_side) -> int:
    """Every batch of ``ours`` equal to ``tf_side``'s (TF's through
    ``as_numpy_iterator``): same columns, numpy arrays of the same dtypes and
    values. Returns the rows; raises AssertionError naming batch and column."""
    rows, end = 0, object()
    pairs = itertools.zip_longest(
        _numpy_batches(ours, False), _numpy_batches(tf_side, True), fillvalue=end
    )
    for i, (a, b) in enumerate(pairs):
        assert a is not end and b is not end, f"batch counts differ at batch {i}"
        assert a.keys() == b.keys(), f"batch {i}: columns {sorted(a)} != {sorted(b)}"
        for name, x in a.items():
            y = b[name]
            same = isinstance(x, np.ndarray) and x.dtype == y.dtype
            assert same and np.array_equal(x, y), f"batch {i}, column {name} differs"
        rows += len(a["fare_amount"])
    return rows


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
    for idiom in sides["ours"] if "tf" in sides else ():
        rows = check_same(sides["ours"][idiom], sides["tf"][TF_IDIOM.get(idiom, idiom)])
        assert rows == expected_rows(idiom, args.rows), (idiom, rows)
        print(f"{idiom}: every batch equal on both sides ({rows:,} rows)")
    for pipes in sides.values():  # fill the caches, untimed
        for idiom, dataset in pipes.items():
            if idiom.startswith("cached"):
                _timed(dataset, tf_side=pipes is sides.get("tf"))
    passes: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.passes):
        for idiom in sides["ours"]:
            for side, pipes in sides.items():
                if idiom not in pipes:  # TF's is timed under its own name
                    continue
                seconds, rows = _timed(pipes[idiom], tf_side=side == "tf")
                assert rows == expected_rows(idiom, args.rows), (side, idiom, rows)
                passes.setdefault((side, idiom), []).append(seconds)
    _report(passes, args.rows, size_mb)
    return 0


def _report(passes: dict, rows: int, size_mb: float) -> None:
    """One table line and one JSON line per (side, idiom): the median pass."""
    median = {key: float(np.median(times)) for key, times in passes.items()}
    print(f"{'idiom':<27}{'side':<6}{'rows/s':>12}{'MB/s':>9}{'vs TF':>8}")
    total = rows
    for (side, idiom), seconds in sorted(median.items(), key=lambda kv: kv[0][::-1]):
        rows = expected_rows(idiom, total)
        tf_s = median.get(("tf", TF_IDIOM.get(idiom, idiom)))
        ratio = tf_s / seconds if tf_s else float("nan")
        print(
            f"{idiom:<27}{side:<6}{rows / seconds:>12,.0f}{size_mb / seconds:>9.1f}"
            f"{ratio:>8.2f}"
        )
        line = {"bench": "tfrecord", "idiom": idiom, "side": side, "rows": rows,
                "seconds": round(seconds, 4), "rows_per_s": round(rows / seconds),
                "rows_per_s_passes": [round(rows / t) for t in passes[side, idiom]],
                "ratio_vs_tf": round(ratio, 3)}  # fmt: skip
        print(json.dumps(line))


if __name__ == "__main__":
    raise SystemExit(main())
