"""``pipeline convert --to tfrecord``: serializing and writing Examples, ours vs TF.

Data: the taxi table of `benchmarks.taxi_data` (about 3% empty cells: a missing
feature in that record), as the converter's reader hands it over: batches of
4096 records as ragged columns (floats float32, ints int64, strings bytes).
Workloads:

* ``write``: the converter's TFRecord writer (`pipeline.cli._writers`) on
  those batches, to one file: float32 check, block serialization
  (`pipeline.io.example_encode`), framing and CRCs. TensorFlow's side builds a
  ``tf.train.Example`` per record from the same columns, calls
  ``SerializeToString()`` and ``tf.io.TFRecordWriter.write``, the usual way
  to write Examples with TF.
* ``command``: the whole ``pipeline convert taxi.parquet --to tfrecord`` in
  this process (schema inference, Parquet reading, writing); ours only.

Passes alternate between ours and TF's; the best pass of each counts. After
timing, the file of each side is read back and checked to hold the same
records (TF's Examples parsed with ``tf.train.Example``). Our figures come out
lower in a run with TF than with ``--no-tf`` on a 2-core machine (the passes
alternate with TensorFlow's, whose runtime keeps threads of its own).

    .venv-bench/bin/python -m benchmarks.bench_convert --rows 300000 --passes 3
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import time

import numpy as np

from benchmarks.taxi_data import COLUMNS, taxi_columns

_BATCH = 4096
_GOAL_ROWS_PER_S = 300_000  # issue 15, task H: convert --to tfrecord


def _kind(values: np.ndarray) -> str:
    return {"f": "float", "i": "int64", "O": "string"}[values.dtype.kind]


def taxi_batches(rows: int) -> tuple[list[dict], dict[str, str]]:
    """The taxi rows as the converter's batches of `Column`, and the kinds."""
    from pipeline.io.schema import Column

    values, missing = taxi_columns(rows)
    batches = []
    for lo in range(0, rows, _BATCH):
        batch = {}
        for name in COLUMNS:
            gone = missing[name][lo : lo + _BATCH]
            kept = values[name][lo : lo + _BATCH][~gone]
            kept = kept.astype(np.int64) if kept.dtype.kind == "i" else kept
            lengths = np.where(gone, -1, 1).astype(np.int64)
            batch[name] = Column(_kind(kept), kept, lengths, scalar=True)
        batches.append(batch)
    return batches, {n: _kind(values[n]) for n in COLUMNS}


def _schema(kinds: dict[str, str], rows: int):
    from pipeline.io.schema import FeatureSchema, Schema

    return Schema(
        {n: FeatureSchema(n, k, rows, rows, 1, 1) for n, k in kinds.items()}, rows
    )


def ours_write(batches: list[dict], kinds: dict[str, str], path: str) -> float:
    """Seconds for the converter's TFRecord writer to write every batch."""
    from pipeline.cli._precision import FloatLoss
    from pipeline.cli._writers import open_writer

    start = time.perf_counter()
    writer = open_writer("tfrecord", path, _schema(kinds, 0), "", None, FloatLoss())
    for batch in batches:
        writer.write(batch)
    writer.close()
    return time.perf_counter() - start


def tf_write(batches: list[dict], path: str) -> float:
    """Seconds for TF: a tf.train.Example per record, serialized and written."""
    import tensorflow as tf

    start = time.perf_counter()
    with tf.io.TFRecordWriter(path) as writer:
        for batch in batches:
            for example in _tf_examples(tf, batch):
                writer.write(example.SerializeToString())
    return time.perf_counter() - start


def _tf_examples(tf, batch: dict):
    """One tf.train.Example per record of a batch (missing cells left out)."""
    train = tf.train
    columns = []
    for name, col in batch.items():
        at = np.concatenate([[0], np.cumsum(np.maximum(col.lengths, 0))]).tolist()
        columns.append((name, col.kind, col.values.tolist(), at, col.lengths.tolist()))
    n = len(columns[0][4])
    for i in range(n):
        feature = {}
        for name, kind, values, at, lengths in columns:
            if lengths[i] < 0:
                continue
            v = values[at[i] : at[i + 1]]
            if kind == "float":
                feature[name] = train.Feature(float_list=train.FloatList(value=v))
            elif kind == "int64":
                feature[name] = train.Feature(int64_list=train.Int64List(value=v))
            else:
                feature[name] = train.Feature(bytes_list=train.BytesList(value=v))
        yield train.Example(features=train.Features(feature=feature))


def ours_command(parquet: str, out: str) -> float:
    """Seconds for ``pipeline convert PARQUET --to tfrecord`` in this process."""
    from pipeline.cli import main

    start = time.perf_counter()
    with (
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        code = main(["convert", parquet, "--to", "tfrecord", "--out", out, "-q"])
    assert code == 0, code
    return time.perf_counter() - start


def _parquet(batches: list[dict], path: str) -> str:
    """The taxi rows as one Parquet file (the ``command`` input)."""
    from pipeline.cli._writers import open_writer

    if not os.path.exists(path):
        kinds = {n: c.kind for n, c in batches[0].items()}
        floats = {n: np.dtype(np.float32) for n, k in kinds.items() if k == "float"}
        writer = open_writer("parquet", path, _schema(kinds, 0), "", floats)
        for batch in batches:
            writer.write(batch)
        writer.close()
    return path


def _same_records(ours: str, theirs: str) -> None:
    """Both files hold the same Examples, record by record."""
    import tensorflow as tf

    from pipeline.io.tfrecord import iter_records

    theirs_records = [r.numpy() for r in tf.data.TFRecordDataset(theirs)]
    ours_records = list(iter_records(ours))
    assert len(ours_records) == len(theirs_records)
    for a, b in zip(ours_records, theirs_records):
        if a != b:  # map order may differ: compare the parsed messages
            assert tf.train.Example.FromString(a) == tf.train.Example.FromString(b)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--data", default="benchmarks/data")
    parser.add_argument("--no-tf", action="store_true", help="ours only")
    args = parser.parse_args(argv)
    folder = os.path.join(args.data, f"convert-{args.rows}")
    os.makedirs(folder, exist_ok=True)
    batches, kinds = taxi_batches(args.rows)
    parquet = _parquet(batches, os.path.join(folder, "taxi.parquet"))
    ours_path, tf_path = (os.path.join(folder, f"{s}.tfrecord") for s in ("ours", "tf"))
    seconds: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.passes):
        timed = {
            ("ours", "write"): lambda: ours_write(batches, kinds, ours_path),
            ("ours", "command"): lambda: ours_command(parquet, folder + "/out"),
        }
        if not args.no_tf:
            timed[("tf", "write")] = lambda: tf_write(batches, tf_path)
        for key, run in timed.items():
            seconds.setdefault(key, []).append(run())
    if not args.no_tf:
        _same_records(ours_path, tf_path)
    _report(seconds, args.rows)
    return 0


def _report(passes: dict, rows: int) -> None:
    """Prints each side's best pass; its JSON line has every pass too."""
    best = {key: min(s) for key, s in passes.items()}
    print(f"{'workload':<10}{'side':<6}{'rows/s':>12}{'vs TF':>8}{'goal':>10}")
    for (side, what), seconds in sorted(best.items(), key=lambda kv: kv[0][::-1]):
        tf_s = best.get(("tf", what))
        ratio = tf_s / seconds if tf_s else None
        goal = f"{_GOAL_ROWS_PER_S:,}" if side == "ours" else ""
        shown = "-" if ratio is None else f"{ratio:.2f}"
        print(f"{what:<10}{side:<6}{rows / seconds:>12,.0f}{shown:>8}{goal:>10}")
        line = {"bench": "convert", "workload": what, "side": side, "rows": rows,
                "seconds": round(seconds, 4), "rows_per_s": round(rows / seconds),
                "ratio_vs_tf": None if ratio is None else round(ratio, 3)}  # fmt: skip
        line["rows_per_s_passes"] = [round(rows / s) for s in passes[side, what]]
        if side == "ours":
            line["goal_rows_per_s"] = _GOAL_ROWS_PER_S
        print(json.dumps(line))


if __name__ == "__main__":
    raise SystemExit(main())
