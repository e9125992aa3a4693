"""Scale: TFRecord sets of 100 MB, 1 GB and 10 GB through a shuffle, 2 epochs.

Each set is the taxi table of `benchmarks.taxi_data` written as Examples
(`pipeline.io.example_encode.encode_examples` and
`TFRecordWriter.write_block`) in shards of about 256 MB (at least 4 shards);
every set's rows come from the same seed, so a larger set starts with the
rows of a smaller one. The sets are cached under ``benchmarks/data/scale/``
(ignored by git) keyed by size and seed: a rerun reads them again instead of
writing them. ``--clean`` removes them once measured. Free disk is checked
before a set is written; a shortfall stops the script with the figures.

The pipeline, the same code on both sides (our names are TF's)::

    list_files(pattern, seed) -> flat_map(TFRecordDataset)
      -> shuffle(100_000, seed) -> batch(256) -> map(parse_example)

(``--read interleave``: ``interleave(TFRecordDataset, num_parallel_calls=
AUTOTUNE)`` instead of the ``flat_map``, on both sides), read for 2 epochs
(two passes over the dataset, reshuffled), every batch's rows counted.

Each run is a child process of its own, so its peak RSS (the child's
``VmHWM`` after its last epoch) is that of one set alone. Runs go in rounds,
each round every set once, smallest first, and TF's run right after ours on
the smallest set, so sizes and sides alternate under the same load; the
largest set runs in the first ``--largest-passes`` rounds only (default 1).
Reported per size: the median rows/s and MB/s, seconds per GB, peak RSS, and
both against the smallest set; then the largest set's rate over ``--base``'s
(median of the rounds' ratios; goal: at least 0.9) and its peak RSS (goal:
under 1.5 GB). TensorFlow runs on the smallest set only: 2 epochs of 10 GB
through TF's pipeline would take the better part of an hour.

    .venv-bench/bin/python -m benchmarks.bench_scale              # 100M,1G,10G
    .venv-bench/bin/python -m benchmarks.bench_scale --sizes 30M,300M --base 30M
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import statistics
import sys
import time

import numpy as np

from benchmarks.scale_data import PATTERN, parse_size, set_dir, size_label, write_set
from benchmarks.taxi_data import COLUMNS, DTYPES

#: The issue's memory budget for the largest set, in MiB (1.5 GB).
RSS_BUDGET_MIB = 1.5e9 / (1 << 20)


# The pipelines, the same code on both sides. ---------------------------------


def _records(files, reader, read: str, autotune: int):
    """Each file's records: ``flat_map(reader)`` or an AUTOTUNE interleave."""
    if read == "interleave":
        return files.interleave(reader, num_parallel_calls=autotune)
    return files.flat_map(reader)


def our_pipeline(folder: str, buffer: int, batch: int, seed: int, read: str):
    """Ours: list_files -> records -> shuffle -> batch -> map(parse_example)."""
    import pipeline as pl
    from benchmarks.bench_tfrecord import example_spec

    spec = example_spec()
    files = pl.data.Dataset.list_files(os.path.join(folder, PATTERN), seed=seed)
    ds = _records(files, pl.data.TFRecordDataset, read, pl.data.AUTOTUNE)
    ds = ds.shuffle(buffer, seed=seed).batch(batch)
    return ds.map(lambda b: pl.io.parse_example(b, spec))


def tf_pipeline(folder: str, buffer: int, batch: int, seed: int, read: str):
    """TensorFlow's: the same code."""
    import tensorflow as tf

    types = {object: tf.string, np.float32: tf.float32, np.int32: tf.int64}
    spec = {
        n: tf.io.FixedLenFeature([], types[DTYPES[n]], _default(DTYPES[n]))
        for n in COLUMNS
    }
    files = tf.data.Dataset.list_files(os.path.join(folder, PATTERN), seed=seed)
    ds = _records(files, tf.data.TFRecordDataset, read, tf.data.AUTOTUNE)
    ds = ds.shuffle(buffer, seed=seed).batch(batch)
    return ds.map(lambda b: tf.io.parse_example(b, spec))


def _default(dtype):
    if dtype is object:
        return b""
    return 0 if np.dtype(dtype).kind == "i" else 0.0


def vm_hwm_mib() -> float | None:
    """This process's peak RSS so far (``VmHWM``), in MiB; None off Linux."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def read_epochs(dataset, epochs: int, tf_side: bool) -> dict:
    """Iterate ``dataset`` ``epochs`` times, touching every batch; the figures."""
    rows, per_epoch, hwm = 0, [], []
    start = time.perf_counter()
    for _ in range(epochs):
        began = time.perf_counter()
        batches = dataset.as_numpy_iterator() if tf_side else iter(dataset)
        for batch in batches:
            rows += len(batch["fare_amount"])
        per_epoch.append(round(time.perf_counter() - began, 3))
        hwm.append(vm_hwm_mib())
    return {"rows": rows, "seconds": time.perf_counter() - start,
            "epoch_seconds": per_epoch, "hwm_after_epoch_mib": hwm}  # fmt: skip


def measure_child(args: argparse.Namespace) -> int:
    """One run in this (child) process: prints its figures as one JSON line."""
    make = tf_pipeline if args.measure == "tf" else our_pipeline
    dataset = make(args.folder, args.buffer, args.batch, args.seed, args.read)
    before = vm_hwm_mib()  # the imports and the dataset, before any record
    figures = read_epochs(dataset, args.epochs, args.measure == "tf")
    print(json.dumps({"child": args.measure, "hwm_before_mib": before, **figures}))
    return 0


# The parent: one child process per run, the figures per size. ---------------


def run_child(side: str, folder: str, args: argparse.Namespace) -> dict:
    """One run of ``side`` over ``folder`` in a child process; its figures."""
    from benchmarks import machine

    argv = [sys.executable, "-m", "benchmarks.bench_scale", "--measure", side,
            "--folder", folder, "--epochs", str(args.epochs), "--buffer",
            str(args.buffer), "--batch", str(args.batch), "--seed",
            str(args.seed), "--read", args.read]  # fmt: skip
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TF's start-up notes
    done = machine.run_child(argv, echo=False)
    lines = [json.loads(x) for x in done.lines if x.startswith('{"child"')]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"bench_scale: the {side} run over {folder} failed")
    # The child's own VmHWM: ru_maxrss would start from this process's RSS at
    # the fork (which wrote the data), not from the child's.
    return {**lines[-1], "peak_rss_mib": lines[-1]["hwm_after_epoch_mib"][-1]}


def measure_rounds(sets: dict[int, str], args: argparse.Namespace) -> list[dict]:
    """The runs, in rounds: each round runs ours once per set, smallest first
    (and TF's right after ours on the smallest set, unless ``--no-tf``), so
    the sizes and sides alternate under the same load. The largest set, when
    larger than ``--base``, runs in the first ``--largest-passes`` rounds."""
    sizes, base = sorted(sets), parse_size(args.base)
    runs: dict[tuple[str, int], list[dict]] = {}
    for k in range(args.passes):
        for size in sizes:
            if size == sizes[-1] and size > base and k >= args.largest_passes:
                continue
            sides = ("ours", "tf") if size == sizes[0] and not args.no_tf else ("ours",)
            for side in sides:
                found = run_child(side, sets[size], args)
                runs.setdefault((side, size), []).append(found)
                _progress(k, side, size, found)
    lines = []
    for (side, size), found in sorted(runs.items(), key=lambda kv: kv[0][::-1]):
        lines.append(
            _side_line(size, _read_bytes(sets[size], args.epochs), side, found)
        )
    return lines


def _progress(k: int, side: str, size: int, found: dict) -> None:
    rate = found["rows"] / found["seconds"]
    print(f"round {k + 1}: {side} {size_label(size)}: {rate:,.0f} rows/s, peak RSS "
          f"{found['peak_rss_mib']:.0f} MiB", flush=True)  # fmt: skip


def _read_bytes(folder: str, epochs: int) -> int:
    """The bytes a run reads: the set's files, once per epoch."""
    files = glob.glob(os.path.join(folder, PATTERN))
    return epochs * sum(os.path.getsize(p) for p in files)


def _side_line(size: int, data: int, side: str, runs: list[dict]) -> dict:
    """The JSON line of one side at one size: median rate of its runs."""
    rates = [r["rows"] / r["seconds"] for r in runs]
    rate, rows = statistics.median(rates), runs[0]["rows"]
    assert all(r["rows"] == rows for r in runs), [r["rows"] for r in runs]
    seconds = rows / rate
    return {"bench": "scale", "workload": f"{side} {size_label(size)}",
            "side": side, "size": size_label(size), "bytes": data, "rows": rows,
            "passes": len(runs), "seconds": round(seconds, 3),
            "rows_per_s": round(rate), "rows_per_s_passes": [round(x) for x in rates],
            "mb_per_s": round(data / 1e6 / seconds, 1),
            "peak_rss_mib": round(max(r["peak_rss_mib"] for r in runs), 1),
            "rss_before_reading_mib": runs[0]["hwm_before_mib"],
            "hwm_after_epoch_mib": runs[0]["hwm_after_epoch_mib"]}  # fmt: skip


def summary_lines(lines: list[dict], base: str, epochs: int) -> list[dict]:
    """The goal lines: the largest set's rate over ``base``'s (pass by pass,
    the rounds both ran), and the largest set's peak RSS.

    Example:
        >>> def line(size, rates, rss):
        ...     return {"size": size, "side": "ours", "rows_per_s_passes": rates,
        ...             "rows_per_s": rates[0], "peak_rss_mib": rss}
        >>> rss, rate = summary_lines(
        ...     [line("1 GB", [100, 80], 120.0), line("10 GB", [95], 125.0)], "1 GB", 2)
        >>> rss["ours_rss_mib"], rate["ratio"], rate["base_rows_per_s_passes"]
        (125.0, 0.95, [100])
    """
    ours = {x["size"]: x for x in lines if x["side"] == "ours"}
    largest = list(ours.values())[-1]
    out = [{"bench": "scale", "workload": "peak RSS, largest set",
            "size": largest["size"], "epochs": epochs,
            "ours_rss_mib": largest["peak_rss_mib"],
            "budget_rss_mib": round(RSS_BUDGET_MIB, 1)}]  # fmt: skip
    if base in ours and base != largest["size"]:
        big = largest["rows_per_s_passes"]
        small = ours[base]["rows_per_s_passes"][: len(big)]
        ratios = [b / s for b, s in zip(big, small)]
        out.append({"bench": "scale", "workload": "rate, largest set vs base",
                    "base": base, "size": largest["size"], "epochs": epochs,
                    "base_rows_per_s": round(statistics.median(small)),
                    "base_rows_per_s_passes": small,
                    "ours_rows_per_s": round(statistics.median(big)),
                    "ours_rows_per_s_passes": big,
                    "ratio": round(statistics.median(ratios), 3)})  # fmt: skip
    return out


def print_growth(lines: list[dict]) -> None:
    """How the cost grows with the set: per size, against the smallest."""
    print(f"{'size':>8}{'side':>6}{'rows/s':>12}{'MB/s':>8}{'s/GB':>8}"
          f"{'rate vs first':>15}{'peak RSS MiB':>14}{'RSS vs first':>14}")  # fmt: skip
    first = next(x for x in lines if x["side"] == "ours")
    for x in sorted(lines, key=lambda x: (x["side"] != "ours", x["bytes"])):
        print(f"{x['size']:>8}{x['side']:>6}{x['rows_per_s']:>12,}"
              f"{x['mb_per_s']:>8.1f}{1000 / x['mb_per_s']:>8.2f}"
              f"{x['rows_per_s'] / first['rows_per_s']:>15.3f}"
              f"{x['peak_rss_mib']:>14.0f}"
              f"{x['peak_rss_mib'] - first['peak_rss_mib']:>+14.0f}")  # fmt: skip


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="100M,1G,10G", help="set sizes, e.g. 100M,1G")
    p.add_argument("--base", default="1G", help="the size the largest is compared with")
    p.add_argument(
        "--passes",
        type=int,
        default=5,
        help="runs per size (alternating with TF on the smallest)",
    )
    p.add_argument(
        "--largest-passes",
        type=int,
        default=1,
        help="runs on the largest set (when larger than --base)",
    )
    p.add_argument("--shard-mb", type=float, default=256.0)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--buffer", type=int, default=100_000, help="shuffle buffer")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--read",
        choices=("flat_map", "interleave"),
        default="flat_map",
        help="how the files' records are read (interleave: AUTOTUNE)",
    )
    p.add_argument("--data", default="benchmarks/data/scale")
    p.add_argument("--no-tf", action="store_true", help="ours only")
    keep = p.add_mutually_exclusive_group()
    keep.add_argument(
        "--keep",
        dest="clean",
        action="store_false",
        default=False,
        help="keep each set for the next run (the default)",
    )
    keep.add_argument(
        "--clean",
        dest="clean",
        action="store_true",
        help="remove each set once it is measured",
    )
    p.add_argument("--measure", choices=("ours", "tf"), help=argparse.SUPPRESS)
    p.add_argument("--folder", help=argparse.SUPPRESS)
    return p  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.measure:
        return measure_child(args)
    sizes = sorted({parse_size(s) for s in args.sizes.split(",") if s})
    sets = {}
    for size in sizes:
        write_set(args.data, size, args.seed, int(args.shard_mb * 1e6))
        sets[size] = set_dir(args.data, size, args.seed)
    lines = measure_rounds(sets, args)
    for line in lines:
        print(json.dumps(line), flush=True)
    print_growth(lines)
    for line in summary_lines(lines, size_label(parse_size(args.base)), args.epochs):
        print(json.dumps(line))
    if args.clean:
        for folder in sets.values():
            shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
