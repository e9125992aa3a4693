"""Ray Data over TFRecord shards: our datasource vs Ray's own ``read_tfrecords``.

Data: the taxi table of `benchmarks.taxi_data` as 8 TFRecord shards of
Examples (`benchmarks.bench_tfrecord.write_shards`). On one local Ray cluster
(``num_cpus=2``), each pass reads every shard and iterates
``iter_batches(batch_size=256, batch_format="numpy")`` to the end:

* ``ours``: ``pipeline.integrations.ray.read_tfrecords(files, features=spec)``
  (read tasks run our TFRecord and Example kernels, Arrow blocks out);
* ``ray``: ``ray.data.read_tfrecords(files)`` (a protobuf object per record).

Passes alternate between the two; the best pass of each counts. Then ours
runs with 1 and 2 read tasks (``parallelism``) for the scaling figure, and
rows/s and bytes/s per core (the cores the read tasks can use) give the
on-paper extrapolation to a cluster: N cores read about N times that.

TensorFlow is not needed: where it is missing, Ray's reader gets the
``tf.train.Example`` message class of the ``tfrecord`` package
(`benchmarks.ray_peer`), the same protobuf message and runtime.

    .venv/bin/python -m benchmarks.bench_ray --rows 200000 --passes 3
"""

from __future__ import annotations

import argparse
import json
import os
import time
import warnings

from benchmarks.bench_tfrecord import example_spec, write_shards

_BATCH = 256
_CORES = 2


def _timed(dataset) -> tuple[float, int]:
    rows = 0
    start = time.perf_counter()
    for batch in dataset.iter_batches(batch_size=_BATCH, batch_format="numpy"):
        rows += len(next(iter(batch.values())))
    return time.perf_counter() - start, rows


def _sides(files: list[str], spec: dict) -> dict:
    import ray.data

    from pipeline.integrations import ray as plray

    return {
        "ours": lambda tasks: plray.read_tfrecords(
            files, features=spec, parallelism=tasks
        ),
        "ray": lambda tasks: ray.data.read_tfrecords(files, override_num_blocks=tasks),
    }


def _best(make, tasks: int, passes: int, want_rows: int, best: dict, key) -> None:
    for _ in range(passes):
        seconds, rows = _timed(make(tasks))
        assert rows == want_rows, (key, rows)  # fare_amount is never empty
        best[key] = min(best.get(key, float("inf")), seconds)


def run(files: list[str], rows: int, passes: int, peer: bool = True) -> dict:
    """Best seconds per (side, read tasks)."""
    sides = _sides(files, example_spec())
    if not peer:
        del sides["ray"]
    best: dict[tuple[str, int], float] = {}
    for make in sides.values():  # warm up: worker start-up and imports
        _timed(make(len(files)))
    for _ in range(passes):  # alternate ours and Ray's, pass by pass
        for side, make in sides.items():
            _best(make, len(files), 1, rows, best, (side, len(files)))
    for tasks in (1, 2):
        _best(sides["ours"], tasks, passes, rows, best, ("ours", tasks))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--data", default="benchmarks/data")
    parser.add_argument("--no-peer", action="store_true", help="ours only")
    args = parser.parse_args(argv)
    files = write_shards(os.path.join(args.data, f"tfrecord-{args.rows}"), args.rows)
    size = sum(os.path.getsize(f) for f in files)
    import ray
    from ray.data import DataContext

    from benchmarks.ray_peer import ray_init_args

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Ray's own
        ray.init(**ray_init_args())
        DataContext.get_current().enable_progress_bars = False
    try:
        best = run(files, args.rows, args.passes, peer=not args.no_peer)
    finally:
        ray.shutdown()
    _report(best, len(files), args.rows, size)
    return 0


def _report(best: dict, shards: int, rows: int, size: int) -> None:
    ours = best[("ours", shards)]
    theirs = best.get(("ray", shards), float("nan"))
    print(f"{'side':<6}{'tasks':>6}{'rows/s':>12}{'MB/s':>8}{'vs Ray':>8}")
    for (side, tasks), seconds in sorted(best.items()):
        ratio = theirs / seconds if tasks == shards else float("nan")
        print(
            f"{side:<6}{tasks:>6}{rows / seconds:>12,.0f}{size / 1e6 / seconds:>8.1f}"
            f"{ratio:>8.2f}"
        )
    line = {
        "bench": "ray", "rows": rows, "bytes": size, "shards": shards,
        "ours_per_s": round(rows / ours),
        "ray_per_s": None if theirs != theirs else round(rows / theirs),
        "ratio_vs_ray": None if theirs != theirs else round(theirs / ours, 2),
        "ours_1_task_per_s": round(rows / best[("ours", 1)]),
        "ours_2_tasks_per_s": round(rows / best[("ours", 2)]),
        "scaling_1_to_2": round(best[("ours", 1)] / best[("ours", 2)], 2),
        "rows_per_s_per_core": round(rows / ours / _CORES),
        "bytes_per_s_per_core": round(size / ours / _CORES),
    }  # fmt: skip
    print(
        f"ours {line['ratio_vs_ray']}x Ray's read_tfrecords; 1 -> 2 read tasks: "
        f"{line['scaling_1_to_2']}x; per core: {line['rows_per_s_per_core']:,} "
        f"rows/s, {line['bytes_per_s_per_core'] / 1e6:.1f} MB/s (a cluster of N "
        "cores: about N times that, on paper)"
    )
    print(json.dumps(line))


if __name__ == "__main__":
    raise SystemExit(main())
