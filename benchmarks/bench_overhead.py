"""Per-element engine overhead: ours vs tf.data on issue 2's three workloads.

* ``range_map_batch``: ``range(N).map(lambda x: x * 2).batch(256)``;
* ``slices_shuffle_batch``: ``from_tensor_slices(dict of 5 columns)
  .shuffle(10_000).batch(256)``;
* ``parallel_sort_map``: ``from_tensor_slices(M x 16384 float32).map(sort,
  num_parallel_calls=T)``: a function that releases the GIL (numpy's sort of a
  64 KiB array; ``tf.sort`` on TF's side, which is much slower), for T = 1, 2;
* ``parallel_math_map``: the same with ``sqrt(x * x + 1)`` (three element-wise
  ops, as cheap on both sides), also with ``num_parallel_calls=AUTOTUNE``.

Passes alternate between ours and TF's; the best pass of each counts. Prints a
table (elements/s, ratio ours/TF) and one JSON line per workload.

    .venv-bench/bin/python -m benchmarks.bench_overhead --rows 500000 --passes 3
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable

import numpy as np

_BATCH = 256
_SHUFFLE = 10_000
_ARRAY_FLOATS = 16_384  # 64 KiB of float32


def _columns(rows: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    cols = {f"f{i}": rng.random(rows, dtype=np.float32) for i in range(4)}
    cols["id"] = np.arange(rows, dtype=np.int64)
    return cols


def ours(rows: int, arrays: np.ndarray) -> dict[str, Callable[[], object]]:
    import pipeline as pl

    D = pl.data.Dataset
    cols = _columns(rows)
    out = {
        "range_map_batch": lambda: D.range(rows).map(lambda x: x * 2).batch(_BATCH),
        "slices_shuffle_batch": lambda: (
            D.from_tensor_slices(cols).shuffle(_SHUFFLE).batch(_BATCH)
        ),
    }
    for t in (1, 2):
        out[f"parallel_sort_map_t{t}"] = lambda t=t: D.from_tensor_slices(arrays).map(
            np.sort, num_parallel_calls=t
        )
        out[f"parallel_math_map_t{t}"] = lambda t=t: D.from_tensor_slices(arrays).map(
            lambda x: np.sqrt(x * x + np.float32(1.0)), num_parallel_calls=t
        )
    out["parallel_math_map_autotune"] = lambda: D.from_tensor_slices(arrays).map(
        lambda x: np.sqrt(x * x + np.float32(1.0)), num_parallel_calls=pl.data.AUTOTUNE
    )
    return out


def theirs(rows: int, arrays: np.ndarray) -> dict[str, Callable[[], object]]:
    import tensorflow as tf

    D = tf.data.Dataset
    cols = _columns(rows)
    out = {
        "range_map_batch": lambda: D.range(rows).map(lambda x: x * 2).batch(_BATCH),
        "slices_shuffle_batch": lambda: (
            D.from_tensor_slices(cols).shuffle(_SHUFFLE).batch(_BATCH)
        ),
    }
    for t in (1, 2):
        out[f"parallel_sort_map_t{t}"] = lambda t=t: D.from_tensor_slices(arrays).map(
            tf.sort, num_parallel_calls=t
        )
        out[f"parallel_math_map_t{t}"] = lambda t=t: D.from_tensor_slices(arrays).map(
            lambda x: tf.sqrt(x * x + 1.0), num_parallel_calls=t
        )
    out["parallel_math_map_autotune"] = lambda: D.from_tensor_slices(arrays).map(
        lambda x: tf.sqrt(x * x + 1.0), num_parallel_calls=tf.data.AUTOTUNE
    )
    return out


def _elements(name: str, rows: int, arrays: np.ndarray) -> int:
    return len(arrays) if name.startswith("parallel") else rows


def _time(make: Callable[[], object], iterate: Callable[[object], int]) -> float:
    ds = make()
    start = time.perf_counter()
    iterate(ds)
    return time.perf_counter() - start


def _count(ds: object) -> int:
    n = 0
    for _ in ds:  # type: ignore[attr-defined]
        n += 1
    return n


def _count_tf(ds: object) -> int:
    n = 0
    for _ in ds.as_numpy_iterator():  # type: ignore[attr-defined]
        n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--arrays", type=int, default=4_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--no-tf", action="store_true", help="ours only")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    rng = np.random.default_rng(1)
    arrays = rng.random((args.arrays, _ARRAY_FLOATS), dtype=np.float32)
    mine = ours(args.rows, arrays)
    tf_side = {} if args.no_tf else theirs(args.rows, arrays)
    print(f"{'workload':26} {'ours el/s':>12} {'tf el/s':>12} {'ratio':>7}")
    rates: dict[str, tuple[float, float]] = {}
    for name, make in mine.items():
        n = _elements(name, args.rows, arrays)
        best_ours = best_tf = float("inf")
        for _ in range(args.passes):
            best_ours = min(best_ours, _time(make, _count))
            if name in tf_side:
                best_tf = min(best_tf, _time(tf_side[name], _count_tf))
        ours_rate, tf_rate = n / best_ours, n / best_tf
        rates[name] = (ours_rate, tf_rate)
        ratio = ours_rate / tf_rate if tf_side else float("nan")
        tf_text = f"{tf_rate:12,.0f}" if tf_side else f"{'-':>12}"
        print(f"{name:26} {ours_rate:12,.0f} {tf_text} {ratio:7.2f}")

        row = {"workload": name, "elements": n, "ours_per_s": round(ours_rate)}
        row.update(
            tf_per_s=round(tf_rate) if tf_side else None,
            ratio=round(ratio, 3) if tf_side else None,
        )
        print(json.dumps(row))
    _print_scaling(rates)
    return 0


def _print_scaling(rates: dict[str, tuple[float, float]]) -> None:
    for kind in ("sort", "math"):
        _scaling(
            kind, rates[f"parallel_{kind}_map_t1"], rates[f"parallel_{kind}_map_t2"]
        )


def _scaling(kind: str, one: tuple[float, float], two: tuple[float, float]) -> None:
    ours = two[0] / one[0]
    tf = two[1] / one[1] if one[1] else None
    tf_text = "-" if tf is None else f"{tf:.2f}x"
    print(f"{kind} map scaling 1 -> 2 threads: ours {ours:.2f}x, tf {tf_text}")
    tf_json = None if tf is None else round(tf, 3)
    scaling = {"ours": round(ours, 3), "tf": tf_json}
    print(json.dumps({"workload": f"parallel_{kind}_map", "scaling_1_to_2": scaling}))


if __name__ == "__main__":
    raise SystemExit(main())
