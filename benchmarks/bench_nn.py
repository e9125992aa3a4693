"""Training and predict throughput of ``pl.nn`` vs Keras 3 (and tf_keras) on TF CPU.

Workloads (float32 throughout, the same random data for every side):

* ``mlp``: the seed MLP, Flatten -> Dense(128, relu) -> Dense(10, softmax),
  adam, sparse categorical crossentropy, on ``--rows`` x 784 inputs, batch 256,
  one epoch per pass, shuffled;
* ``wide_deep``: a wide-and-deep regression on dense inputs (64 features):
  Dense(1) plus Dense(256, relu) -> Dense(128, relu) -> Dense(1), added; adam,
  mse, batch 256;
* ``predict``: ``predict(x, batch_size=1024)`` of the trained MLP.

Each pass runs ours, then ours with one BLAS thread (``ours_blas1``, when numpy's
BLAS is multi-threaded and settable), then Keras 3, then tf_keras (when
installed), alternating;
the best pass of each side counts (the first pass also warms up TF's graph).
Examples per second and the ratio ours / fastest TF side are printed, plus one
JSON line per workload.

``ours`` runs with the library's default BLAS policy (``PIPELINE_BLAS_THREADS``
unset: ``auto``): each loop times its own steps and picks 1 or the BLAS's thread
count (``pipeline.nn.backend.threads``); the count it settled on is printed and
reported as ``ours_blas_threads``. The tuner lives on the model, so it carries
over from pass to pass as it would from epoch to epoch.

    .venv-bench/bin/python -m benchmarks.bench_nn --rows 60000 --passes 3
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


def run(rows: int, passes: int) -> list[dict[str, object]]:
    """Runs every workload on every side, alternating by pass; the best rates."""
    data = make_data(rows)
    apis = sides()
    models = {
        (s, w): build(api, w) for s, api in apis.items() for w in ("mlp", "wide_deep")
    }
    best: dict[tuple[str, str], float] = {}
    for _ in range(passes):
        for side in apis:
            jobs = {
                "mlp": lambda m=models[(side, "mlp")]: m.fit(
                    data["x"], data["y"], batch_size=_BATCH, epochs=1, verbose=0
                ),
                "wide_deep": lambda m=models[(side, "wide_deep")]: m.fit(
                    data["wide_x"],
                    data["wide_y"],
                    batch_size=_BATCH,
                    epochs=1,
                    verbose=0,
                ),
                "predict": lambda m=models[(side, "mlp")]: m.predict(
                    data["x"], batch_size=_PREDICT_BATCH, verbose=0
                ),
            }
            for workload, job in jobs.items():
                rate = rows / _timed_side(side, job)
                best[(side, workload)] = max(best.get((side, workload), 0.0), rate)
    results = []
    for workload in ("mlp", "wide_deep", "predict"):
        rates = {s: best[(s, workload)] for s in apis}
        ours = [s for s in rates if s.startswith("ours")]
        tf_best = max((r for s, r in rates.items() if s not in ours), default=None)
        results.append(
            {
                "bench": "nn",
                "workload": workload,
                "rows": rows,
                "examples_per_s": {s: round(r) for s, r in rates.items()},
                "ratio_vs_fastest_tf": {
                    s: round(rates[s] / tf_best, 3) if tf_best else None for s in ours
                },
                "ours_blas_threads": tuned_threads(models, workload),
            }
        )
    return results


def tuned_threads(models: dict, workload: str) -> int | None:
    """The BLAS thread count our tuner settled on for ``workload`` (or None)."""
    model = models[("ours", "wide_deep" if workload == "wide_deep" else "mlp")]
    kind = "predict" if workload == "predict" else "train"
    loop = getattr(model, "_loop_threads", {}).get(kind)
    tuner = getattr(loop, "_tuner", None)
    return None if tuner is None else tuner.chosen


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m benchmarks.bench_nn [--rows N] [--passes P]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=None,
        help="BLAS threads for numpy (default: the BLAS default)",
    )
    args = parser.parse_args(argv)
    print(f"BLAS: {blas_info()}")
    results = run(args.rows, args.passes)
    print(f"{'workload':<11}{'side':<12}{'examples/s':>12}{'vs best TF':>11}")
    for line in results:
        for side, rate in line["examples_per_s"].items():
            ratio = line["ratio_vs_fastest_tf"].get(side, "")
            print(f"{line['workload']:<11}{side:<12}{rate:>12}{ratio!s:>11}")
    chosen = ", ".join(f"{r['workload']} {r['ours_blas_threads']}" for r in results)
    print(f"ours: BLAS threads the tuner settled on: {chosen}")
    for line in results:
        print(json.dumps(line))
    print(json.dumps({"bench": "nn", "blas": blas_info()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
