"""Per-element engine overhead: ours vs tf.data, the same Python work on both sides.

Engine rows. Where a map calls a function, it is the very same Python function
on both sides: ours calls it in ``map``, TF's through ``tf.numpy_function``
(TF's documented way to run numpy code in a pipeline; ``stateful=False``, the
output's shape set), so what differs is what each engine spends per element:

* ``py_add_one_t{1,2}``: ``range(N).map(add_one, num_parallel_calls=T)
  .batch(256)``, ``add_one(x) = x + 1``: trivial, so the engine's per-element
  cost shows (not an identity: our optimizer drops ``lambda x: x`` as a no-op);
* ``py_work_t{1,2}``: the same with `py_work`, a few microseconds of
  pure-Python arithmetic that holds the GIL;
* ``numpy_sort_t{1,2}``: ``from_tensor_slices(M x 16384 float32).map(np.sort,
  num_parallel_calls=T)``: a function that releases the GIL (a 64 KiB array);
* ``range_map_batch``: ``range(N).map(lambda x: x * 2).batch(256)``, ``f`` in
  each side's own form (ours calls the Python lambda per element, TF traces it
  into its graph);
* ``slices_shuffle_batch``: ``from_tensor_slices(dict of 5 columns)
  .shuffle(10_000).batch(256)``, no user function.

Kernel rows, kept from issue 2: they compare kernels, not engines.

* ``parallel_sort_map_t{1,2}``: ``map(np.sort)`` against ``map(tf.sort)``;
* ``parallel_math_map_*``: ``sqrt(x * x + 1)`` in numpy against TF's ops, with
  ``num_parallel_calls`` 1, 2 and AUTOTUNE.

Element counts are equal on both sides (``--py-elements`` for the ``py_*``
rows, ``--rows`` for the others on ``range``/slices, ``--arrays`` for the
64 KiB arrays). Before timing, one untimed pass per workload checks that both
sides yield the same elements: same dtypes, same values in the same order (the
math rows to float32 rounding; the shuffled rows as the same set of rows).
Both sides yield numpy: ours as it iterates, TF's through
``as_numpy_iterator()``, in the check and in the timed passes alike. Passes
alternate between ours and TF's; the best pass of each counts. Prints a table
(elements/s, ratio ours/TF), one JSON line per workload and the scaling from 1
to 2 threads.

    .venv-bench/bin/python -m benchmarks.bench_overhead --rows 500000 --passes 3
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import time
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

_BATCH = 256
_SHUFFLE = 10_000
_ARRAY_FLOATS = 16_384  # 64 KiB of float32
_THREADS = (1, 2)


class Workload(NamedTuple):
    """How a workload is counted and checked.

    ``size``: which element count it runs on (``rows``, ``py`` or ``arrays``);
    ``check``: ``equal`` (exact, in order), ``close`` (float32 rounding, in
    order) or ``rows`` (the same set of rows, any order).
    """

    kind: str
    size: str
    batched: bool
    check: str


def _workloads() -> dict[str, Workload]:
    out = {}
    for name in _PY_FUNCTIONS:
        for t in _THREADS:
            out[f"{name}_t{t}"] = Workload("engine", "py", True, "equal")
    for t in _THREADS:
        out[f"numpy_sort_t{t}"] = Workload("engine", "arrays", False, "equal")
    out["range_map_batch"] = Workload("engine", "rows", True, "equal")
    out["slices_shuffle_batch"] = Workload("engine", "rows", True, "rows")
    for t in _THREADS:
        out[f"parallel_sort_map_t{t}"] = Workload("kernel", "arrays", False, "equal")
    for t in ("t1", "t2", "autotune"):
        out[f"parallel_math_map_{t}"] = Workload("kernel", "arrays", False, "close")
    return out


def add_one(x: Any) -> Any:
    """The trivial function of the ``py_add_one`` rows (both sides)."""
    return x + 1


def py_work(x: Any) -> np.int64:
    """A few microseconds of pure-Python arithmetic (16 steps of an LCG)."""
    v = int(x)
    for _ in range(16):
        v = (v * 1_103_515_245 + 12_345) & 0x7FFFFFFF
    return np.int64(v)


#: the Python functions of the ``py_*`` rows, the same on both sides
_PY_FUNCTIONS = {"py_add_one": add_one, "py_work": py_work}


WORKLOADS = _workloads()


def _columns(rows: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    cols = {f"f{i}": rng.random(rows, dtype=np.float32) for i in range(4)}
    cols["id"] = np.arange(rows, dtype=np.int64)
    return cols


def ours(sizes: dict[str, int], arrays: np.ndarray) -> dict[str, Callable[[], Any]]:
    """Our pipelines, by workload name (each call builds a fresh dataset)."""
    import pipeline as pl

    D, n, cols = pl.data.Dataset, sizes["py"], _columns(sizes["rows"])
    out: dict[str, Callable[[], Any]] = {}
    for name, fn in _PY_FUNCTIONS.items():
        for t in _THREADS:
            out[f"{name}_t{t}"] = lambda fn=fn, t=t: (
                D.range(n).map(fn, num_parallel_calls=t).batch(_BATCH)
            )
    for t in _THREADS:
        out[f"numpy_sort_t{t}"] = lambda t=t: D.from_tensor_slices(arrays).map(
            np.sort, num_parallel_calls=t
        )
    out["range_map_batch"] = lambda: (
        D.range(sizes["rows"]).map(lambda x: x * 2).batch(_BATCH)
    )
    out["slices_shuffle_batch"] = lambda: (
        D.from_tensor_slices(cols).shuffle(_SHUFFLE).batch(_BATCH)
    )
    for t in _THREADS:
        out[f"parallel_sort_map_t{t}"] = out[f"numpy_sort_t{t}"]
    for t in (*_THREADS, pl.data.AUTOTUNE):
        key = "autotune" if t == pl.data.AUTOTUNE else f"t{t}"
        out[f"parallel_math_map_{key}"] = lambda t=t: D.from_tensor_slices(arrays).map(
            lambda x: np.sqrt(x * x + np.float32(1.0)), num_parallel_calls=t
        )
    return out


def _tf_numpy(tf: Any, fn: Callable, dtype: Any) -> Callable:
    """``fn`` called through ``tf.numpy_function``, its output's shape set."""

    def call(x):
        y = tf.numpy_function(fn, [x], dtype, stateful=False)
        y.set_shape(x.shape)
        return y

    return call


def theirs(sizes: dict[str, int], arrays: np.ndarray) -> dict[str, Callable[[], Any]]:
    """TF's pipelines, by workload name (each call builds a fresh dataset)."""
    import tensorflow as tf

    D, n, cols = tf.data.Dataset, sizes["py"], _columns(sizes["rows"])
    out: dict[str, Callable[[], Any]] = {}
    for name, fn in _PY_FUNCTIONS.items():
        f = _tf_numpy(tf, fn, tf.int64)
        for t in _THREADS:
            out[f"{name}_t{t}"] = lambda f=f, t=t: (
                D.range(n).map(f, num_parallel_calls=t).batch(_BATCH)
            )
    sort = _tf_numpy(tf, np.sort, tf.float32)
    for t in _THREADS:
        out[f"numpy_sort_t{t}"] = lambda t=t: D.from_tensor_slices(arrays).map(
            sort, num_parallel_calls=t
        )
    out["range_map_batch"] = lambda: (
        D.range(sizes["rows"]).map(lambda x: x * 2).batch(_BATCH)
    )
    out["slices_shuffle_batch"] = lambda: (
        D.from_tensor_slices(cols).shuffle(_SHUFFLE).batch(_BATCH)
    )
    for t in _THREADS:
        out[f"parallel_sort_map_t{t}"] = lambda t=t: D.from_tensor_slices(arrays).map(
            tf.sort, num_parallel_calls=t
        )
    for t in (*_THREADS, tf.data.AUTOTUNE):
        key = "autotune" if t == tf.data.AUTOTUNE else f"t{t}"
        out[f"parallel_math_map_{key}"] = lambda t=t: D.from_tensor_slices(arrays).map(
            lambda x: tf.sqrt(x * x + 1.0), num_parallel_calls=t
        )
    return out


def _numpy(ds: Any, tf_side: bool) -> Any:
    """The numpy elements of ``ds``: TF's through ``as_numpy_iterator()``."""
    return ds.as_numpy_iterator() if tf_side else iter(ds)


def _time(make: Callable[[], Any], tf_side: bool) -> tuple[float, int]:
    """Seconds to build and drain a fresh dataset, and its element count."""
    ds = make()
    start = time.perf_counter()
    n = sum(1 for _ in _numpy(ds, tf_side))
    return time.perf_counter() - start, n


def _same(a: Any, b: Any, check: str) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if check == "close":
        return bool(np.allclose(a, b, rtol=2e-7, atol=0))
    return bool(np.array_equal(a, b))


def _sorted_rows(batches: Any) -> dict[str, np.ndarray]:
    parts = list(batches)
    cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = np.argsort(cols["id"], kind="stable")
    return {k: v[order] for k, v in cols.items()}


def check_same(name: str, mine: Any, tf_ds: Any) -> int:
    """Both datasets' elements compared (see `Workload`); the element count.

    Raises AssertionError naming the workload and element where they differ.
    """
    work = WORKLOADS[name]
    if work.check == "rows":
        a, b = _sorted_rows(iter(mine)), _sorted_rows(tf_ds.as_numpy_iterator())
        assert a.keys() == b.keys(), (name, sorted(a), sorted(b))
        for k in a:
            assert _same(a[k], b[k], "equal"), f"{name}: column {k} differs"
        return len(a["id"])
    n, end = 0, object()
    pairs = itertools.zip_longest(iter(mine), tf_ds.as_numpy_iterator(), fillvalue=end)
    for i, (x, y) in enumerate(pairs):
        assert x is not end and y is not end, f"{name}: counts differ at {i}"
        assert _same(x, y, work.check), f"{name}: element {i} differs"
        n += len(x) if work.batched else 1
    return n


def _sizes(args: argparse.Namespace) -> dict[str, int]:
    py = args.py_elements if args.py_elements is not None else args.rows // 5
    return {"rows": args.rows, "py": py, "arrays": args.arrays}


def _measure(
    name: str, mine: Callable, tf_make: Callable | None, n: int, passes: int
) -> tuple[list[float], list[float] | None, int | None]:
    """Seconds of each pass of ours and TF's (alternating), elements checked."""
    checked = None
    if tf_make is not None:
        checked = check_same(name, mine(), tf_make())
        assert checked == n, (name, checked, n)
    ours_s: list[float] = []
    tf_s: list[float] = []
    for _ in range(passes):
        seconds, count = _time(mine, False)
        ours_s.append(seconds)
        if tf_make is not None:
            seconds, tf_count = _time(tf_make, True)
            assert tf_count == count, (name, count, tf_count)
            tf_s.append(seconds)
    return ours_s, (tf_s if tf_make is not None else None), checked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument(
        "--py-elements", type=int, default=None, help="py_* rows (default rows/5)"
    )
    parser.add_argument("--arrays", type=int, default=4_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--no-tf", action="store_true", help="ours only")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sizes = _sizes(args)
    arrays = np.random.default_rng(1).random(
        (args.arrays, _ARRAY_FLOATS), dtype=np.float32
    )
    mine = ours(sizes, arrays)
    tf_side = {} if args.no_tf else theirs(sizes, arrays)
    print(f"{'workload':26} {'kind':7} {'ours el/s':>12} {'tf el/s':>12} {'ratio':>7}")
    rates: dict[str, tuple[float, float | None]] = {}
    for name, make in mine.items():
        n = sizes[WORKLOADS[name].size]
        best = _measure(name, make, tf_side.get(name), n, args.passes)
        rates[name] = _report(name, n, *best)
    _print_scaling(rates)
    return 0


def _report(
    name: str,
    n: int,
    ours_s: list[float],
    tf_s: list[float] | None,
    checked: int | None,
) -> tuple[float, float | None]:
    """Prints the best pass of each side and a JSON line with every pass."""
    ours_rate = n / min(ours_s)
    tf_rate = None if tf_s is None else n / min(tf_s)
    ratio = None if tf_rate is None else ours_rate / tf_rate
    kind = WORKLOADS[name].kind
    tf_text = f"{'-':>12}" if tf_rate is None else f"{tf_rate:12,.0f}"
    ratio_text = f"{'-':>7}" if ratio is None else f"{ratio:7.2f}"
    print(f"{name:26} {kind:7} {ours_rate:12,.0f} {tf_text} {ratio_text}")
    row = {"workload": name, "kind": kind, "elements": n}
    row.update(ours_per_s=round(ours_rate), outputs_checked_equal=checked)
    row.update(ours_per_s_passes=[round(n / x) for x in ours_s])
    row.update(
        tf_per_s=None if tf_rate is None else round(tf_rate),
        tf_per_s_passes=None if tf_s is None else [round(n / x) for x in tf_s],
        ratio=None if ratio is None else round(ratio, 3),
    )
    print(json.dumps(row))
    return ours_rate, tf_rate


def _print_scaling(rates: dict[str, tuple[float, float | None]]) -> None:
    for kind in ("py_add_one", "py_work", "numpy_sort"):
        _scaling(kind, rates[f"{kind}_t1"], rates[f"{kind}_t2"])
    for kind in ("sort", "math"):
        key = f"parallel_{kind}_map"
        _scaling(key, rates[f"{key}_t1"], rates[f"{key}_t2"])


def _scaling(
    key: str, one: tuple[float, float | None], two: tuple[float, float | None]
) -> None:
    ours = two[0] / one[0]
    tf = two[1] / one[1] if one[1] and two[1] else None
    tf_text = "-" if tf is None else f"{tf:.2f}x"
    print(f"{key} scaling 1 -> 2 threads: ours {ours:.2f}x, tf {tf_text}")
    tf_json = None if tf is None else round(tf, 3)
    scaling = {"ours": round(ours, 3), "tf": tf_json}
    print(json.dumps({"workload": key, "scaling_1_to_2": scaling}))


if __name__ == "__main__":
    raise SystemExit(main())
