"""Training and predict throughput of ``pl.nn`` vs Keras 3 (and tf_keras) on TF CPU.

Workloads (float32 throughout, the same random data for every side):

* ``mlp``: the seed MLP, Flatten -> Dense(128, relu) -> Dense(10, softmax),
  adam, sparse categorical crossentropy, on ``--rows`` x 784 inputs, batch 256,
  one epoch per pass, shuffled;
* ``wide_deep``: a wide-and-deep regression on dense inputs (64 features):
  Dense(1) plus Dense(256, relu) -> Dense(128, relu) -> Dense(1), added; adam,
  mse, batch 256;
* ``predict``: ``predict(x, batch_size=1024)`` of the trained MLP;
* ``mlp_blas_share``: after each of our seed-MLP fits, the same epoch's matrix
  products alone (``matmuls_alone``: per batch each Dense layer's forward GEMM,
  kernel-gradient GEMM and, above the first layer, input-gradient GEMM, at the
  same shapes and BLAS thread count; `benchmarks.nn_share`). Their time over the
  fit's is the share of the step spent in the BLAS calls (goal: at least 0.7);
* ``wide_deep_busy``: wide-and-deep again on every side, passes alternating,
  while a child process spins on one core (``--no-busy`` skips it).

Each pass runs ours, then ours with one BLAS thread (``ours_blas1``, when numpy's
BLAS is multi-threaded and settable), then Keras 3, then tf_keras (when
installed), alternating, after one untimed warm-up on a slice (TF traces its
graphs there); the summary takes the median of the pass-by-pass ratios.
Examples per second and the ratio ours / fastest TF side (best passes) are
printed, plus one JSON line per workload with the best and the per-pass rates
of each side.

``ours`` runs with the library's default BLAS policy (``PIPELINE_BLAS_THREADS``
unset: ``auto``): each loop times its own steps and picks 1 or the BLAS's thread
count (``pipeline.nn.backend.threads``); the count it settled on is printed and
reported as ``ours_blas_threads``. The tuner lives on the model, so it carries
over from pass to pass as it would from epoch to epoch.

    .venv-bench/bin/python -m benchmarks.bench_nn --rows 60000 --passes 5
    .venv-bench/bin/python -m benchmarks.bench_nn --blas-threads 1

``--blas-threads N`` sets ``OPENBLAS_NUM_THREADS`` (numpy's BLAS only, not
TensorFlow's thread pools) before numpy loads. OpenBLAS's threads spin-wait for
each other, so on a busy machine (load above the core count) 2 BLAS threads can
be many times slower than 1; TensorFlow's work-stealing pool degrades more
gracefully. The BLAS line printed first says which setting ran.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable


def _preset_blas_threads(argv: list[str]) -> None:
    """Apply ``--blas-threads`` before numpy (and its BLAS) is imported."""
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--blas-threads=") else None
        if arg == "--blas-threads" and i + 1 < len(argv):
            value = argv[i + 1]
        if value:
            os.environ["OPENBLAS_NUM_THREADS"] = value


_preset_blas_threads(sys.argv)

import numpy as np  # noqa: E402  (after the BLAS thread setting)

from benchmarks.nn_share import (  # noqa: E402
    MatmulEpoch,
    busy_core,
    dense_kernel_shapes,
)

_BATCH = 256
_PREDICT_BATCH = 1024
_WIDE_FEATURES = 64


def blas_info() -> str:
    """The BLAS library numpy uses and its thread count."""
    from pipeline.nn.backend import blas

    return blas.info()


def make_data(rows: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Random inputs and labels for both workloads."""
    rng = np.random.default_rng(seed)
    wide = rng.normal(size=(rows, _WIDE_FEATURES)).astype(np.float32)
    target = (wide[:, :1] * wide[:, 1:2] + 0.1 * wide[:, 2:3]).astype(np.float32)
    return {
        "x": rng.random((rows, 784), dtype=np.float32),
        "y": rng.integers(0, 10, rows).astype(np.int64),
        "wide_x": wide,
        "wide_y": target,
    }


def build(api, workload: str):
    """The workload's model on ``api`` (``pipeline.nn`` or a keras module)."""
    layers = api.layers
    if workload == "mlp":
        model = api.Sequential(
            [
                layers.Input((784,)),
                layers.Flatten(),
                layers.Dense(128, activation="relu"),
                layers.Dense(10, activation="softmax"),
            ]
        )
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        return model
    inputs = layers.Input((_WIDE_FEATURES,))
    deep = layers.Dense(256, activation="relu")(inputs)
    deep = layers.Dense(128, activation="relu")(deep)
    out = layers.Add()([layers.Dense(1)(inputs), layers.Dense(1)(deep)])
    model = api.Model(inputs, out)
    model.compile(optimizer="adam", loss="mse")
    return model


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _timed_side(side: str, job: Callable[[], object]) -> float:
    """Times ``job``; the ``ours_blas1`` side runs with one BLAS thread."""
    if side != "ours_blas1":
        return _timed(job)
    from pipeline.nn.backend import blas

    previous = blas.set_num_threads(1)
    try:
        return _timed(job)
    finally:
        blas.set_num_threads(previous or 1)


def sides() -> dict[str, object]:
    """The APIs to compare: ours, Keras 3 (tf.keras) and tf_keras if present."""
    from pipeline import nn
    from pipeline.nn.backend import blas

    found: dict[str, object] = {"ours": nn}
    if blas.get_num_threads() not in (None, 1):
        found["ours_blas1"] = nn
    try:
        import keras

        found["keras3"] = keras
    except ImportError:
        pass
    try:
        import tf_keras

        found["tf_keras"] = tf_keras
    except ImportError:
        pass
    return found


def _jobs(models: dict, side: str, data: dict) -> dict[str, Callable[[], object]]:
    """Each workload's timed call on ``side``."""
    mlp, wide = models[(side, "mlp")], models[(side, "wide_deep")]
    fit = {"batch_size": _BATCH, "epochs": 1, "verbose": 0}
    return {
        "mlp": lambda: mlp.fit(data["x"], data["y"], **fit),
        "wide_deep": lambda: wide.fit(data["wide_x"], data["wide_y"], **fit),
        "predict": lambda: mlp.predict(data["x"], batch_size=_PREDICT_BATCH, verbose=0),
    }


def warm_up_slice(data: dict[str, np.ndarray], rows: int) -> dict[str, np.ndarray]:
    """The first rows of ``data``: enough for two full batches and the last,
    partial one of a ``rows`` epoch, in fit and in predict.

    Example:
        >>> part = warm_up_slice(make_data(3000), 3000)
        >>> len(part["x"]) == 2 * 1024 + 3000 % 1024
        True
    """
    take = 2 * _PREDICT_BATCH + rows % _PREDICT_BATCH  # 1024 is 4 x 256
    return {k: v[:take] for k, v in data.items()}


def _matmuls_alone(models: dict, epoch: MatmulEpoch) -> float:
    """An epoch of the seed MLP's GEMMs alone, at the BLAS thread count our
    last fit settled on (its tuner's choice), in seconds."""
    from pipeline.nn.backend import blas

    chosen = tuned_threads(models, "mlp")
    previous = blas.set_num_threads(chosen) if chosen else None
    try:
        return epoch.run()
    finally:
        if previous:
            blas.set_num_threads(previous)


def run(rows: int, passes: int, busy: bool = True) -> list[dict[str, object]]:
    """Runs every workload on every side, alternating by pass; per-pass rates.

    After each of our seed-MLP fits, the same fit's GEMMs run alone
    (``mlp_blas_share``). With ``busy``, wide-and-deep then runs again on every
    side, alternating, while a child process spins on one core
    (``wide_deep_busy``).
    """
    data = make_data(rows)
    apis = sides()
    models = {
        (s, w): build(api, w) for s, api in apis.items() for w in ("mlp", "wide_deep")
    }
    epoch = MatmulEpoch(dense_kernel_shapes(models[("ours", "mlp")]), rows, _BATCH)
    for side in apis:  # untimed: TF traces its graphs (both batch shapes) here
        for job in _jobs(models, side, warm_up_slice(data, rows)).values():
            job()
    rates: dict[str, dict[str, list[float]]] = {}
    for _ in range(passes):
        for side in apis:
            for workload, job in _jobs(models, side, data).items():
                rate = rows / _timed_side(side, job)
                rates.setdefault(workload, {}).setdefault(side, []).append(rate)
                if side == "ours" and workload == "mlp":
                    share = rates.setdefault("mlp_blas_share", {})
                    share.setdefault("ours", []).append(rate)
                    alone = rows / _matmuls_alone(models, epoch)
                    share.setdefault("matmuls_alone", []).append(alone)
    if busy:
        with busy_core():
            for _ in range(passes):
                for side in apis:
                    if side == "ours_blas1":
                        continue
                    job = _jobs(models, side, data)["wide_deep"]
                    per_side = rates.setdefault("wide_deep_busy", {})
                    per_side.setdefault(side, []).append(rows / _timed(job))
    return [_line(models, w, rows, by_side) for w, by_side in rates.items()]


def _line(models: dict, workload: str, rows: int, by_side: dict) -> dict[str, object]:
    """One workload's JSON line: best and per-pass rates, ratios, BLAS threads."""
    best = {s: max(r) for s, r in by_side.items()}
    ours = [s for s in best if s.startswith("ours")]
    tf_best = max((r for s, r in best.items() if s not in ours), default=None)
    line = {
        "bench": "nn",
        "workload": workload,
        "rows": rows,
        "examples_per_s": {s: round(r) for s, r in best.items()},
        "examples_per_s_passes": {
            s: [round(r) for r in passes] for s, passes in by_side.items()
        },
        "ratio_vs_fastest_tf": {
            s: round(best[s] / tf_best, 3) if tf_best else None for s in ours
        },
        "ours_blas_threads": tuned_threads(models, workload),
    }
    if workload == "mlp_blas_share":
        pairs = zip(by_side["ours"], by_side["matmuls_alone"], strict=True)
        line["blas_share_passes"] = [round(ours / alone, 3) for ours, alone in pairs]
        line["blas_share"] = statistics.median(line["blas_share_passes"])
    return line


def tuned_threads(models: dict, workload: str) -> int | None:
    """The BLAS thread count our tuner settled on for ``workload`` (or None)."""
    model = models.get(("ours", "wide_deep" if "wide" in workload else "mlp"))
    kind = "predict" if workload == "predict" else "train"
    loop = getattr(model, "_loop_threads", {}).get(kind)
    tuner = getattr(loop, "_tuner", None)
    return None if tuner is None else tuner.chosen


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m benchmarks.bench_nn [--rows N] [--passes P]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60000)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=None,
        help="BLAS threads for numpy (default: the BLAS default)",
    )
    parser.add_argument(
        "--no-busy",
        action="store_true",
        help="skip the wide-and-deep passes beside a busy process",
    )
    args = parser.parse_args(argv)
    print(f"BLAS: {blas_info()}")
    results = run(args.rows, args.passes, busy=not args.no_busy)
    print(f"{'workload':<16}{'side':<15}{'examples/s':>12}{'vs best TF':>11}")
    for line in results:
        for side, rate in line["examples_per_s"].items():
            ratio = line["ratio_vs_fastest_tf"].get(side, "")
            print(f"{line['workload']:<16}{side:<15}{rate:>12}{ratio!s:>11}")
        if "blas_share" in line:
            passes = line["blas_share_passes"]
            print(f"seed MLP: GEMMs alone / whole step = {line['blas_share']:.3f}"
                  f" (median; passes {passes})")  # fmt: skip
    chosen = ", ".join(f"{r['workload']} {r['ours_blas_threads']}" for r in results)
    print(f"ours: BLAS threads the tuner settled on: {chosen}")
    for line in results:
        print(json.dumps(line))
    print(json.dumps({"bench": "nn", "blas": blas_info()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
