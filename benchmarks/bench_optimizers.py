"""Optimizer steps per second: ours vs Keras 3 on TensorFlow, same variables.

The variables are the seed MLP's (784x128, 128, 128x10, 10; float32), or the
given ``--widths``. Each step applies one of ``--sets`` pre-made random gradient
sets with ``apply_gradients``. TF's step runs inside a ``tf.function`` (as in
``fit``); ours is the library call on numpy-backed Variables. Passes alternate
between ours and TF's; the best pass of each counts.

    .venv-bench/bin/python -m benchmarks.bench_optimizers --steps 200 --passes 5

Prints a table and one JSON line per optimizer.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any

import numpy as np

_CONFIGS = {
    "SGD": {"learning_rate": 0.01},
    "SGD_momentum": {"learning_rate": 0.01, "momentum": 0.9},
    "Adam": {"learning_rate": 0.001},
    "RMSprop": {"learning_rate": 0.001},
    "Adagrad": {"learning_rate": 0.01},
    "Adadelta": {"learning_rate": 1.0},
    "Ftrl": {"learning_rate": 0.01},
    "Adam_ema": {"learning_rate": 0.001, "use_ema": True},
    "Adam_accumulate4": {"learning_rate": 0.001, "gradient_accumulation_steps": 4},
}


def _shapes(widths: list[int]) -> list[tuple[int, ...]]:
    shapes: list[tuple[int, ...]] = []
    for a, b in zip(widths, widths[1:]):
        shapes += [(a, b), (b,)]
    return shapes


def _ours(name: str, shapes: list, grads: list) -> Any:
    from pipeline.nn import optimizers
    from pipeline.nn.tensor import Variable

    variables = [Variable(np.zeros(s, np.float32)) for s in shapes]
    opt = getattr(optimizers, name.split("_")[0])(**_CONFIGS[name])

    def step(i: int) -> None:
        opt.apply_gradients(zip(grads[i % len(grads)], variables))

    return step


def _theirs(name: str, shapes: list, grads: list) -> Any:
    import tensorflow as tf

    variables = [tf.Variable(np.zeros(s, np.float32)) for s in shapes]
    opt = getattr(tf.keras.optimizers, name.split("_")[0])(**_CONFIGS[name])
    tf_grads = [[tf.constant(g) for g in gs] for gs in grads]

    @tf.function
    def apply(gs):
        opt.apply_gradients(zip(gs, variables))

    def step(i: int) -> None:
        apply(tf_grads[i % len(tf_grads)])

    return step


def _time(step: Any, steps: int) -> float:
    start = time.perf_counter()
    for i in range(steps):
        step(i)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--sets", type=int, default=4)
    parser.add_argument("--widths", type=int, nargs="+", default=[784, 128, 10])
    parser.add_argument("--only", nargs="*", default=sorted(_CONFIGS))
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from pipeline import _kernels

    rng = np.random.default_rng(0)
    shapes = _shapes(args.widths)
    grads = [
        [rng.normal(size=s).astype(np.float32) for s in shapes]
        for _ in range(args.sets)
    ]
    params = sum(int(np.prod(s)) for s in shapes)
    print(
        f"{params} parameters in {len(shapes)} variables; fused kernels native: "
        f"{_kernels.is_native('optim')}"
    )
    print(f"{'optimizer':<14}{'ours steps/s':>14}{'keras steps/s':>15}{'ratio':>8}")
    for name in args.only:
        ours, theirs = _ours(name, shapes, grads), _theirs(name, shapes, grads)
        ours(0), theirs(0)  # build slots, trace the tf.function
        ours_s, theirs_s = [], []
        for _ in range(args.passes):
            ours_s.append(_time(ours, args.steps))
            theirs_s.append(_time(theirs, args.steps))
        best_ours, best_theirs = min(ours_s), min(theirs_s)
        ours_rate, theirs_rate = args.steps / best_ours, args.steps / best_theirs
        ratio = ours_rate / theirs_rate
        print(f"{name:<14}{ours_rate:>14.0f}{theirs_rate:>15.0f}{ratio:>8.2f}")
        print(
            json.dumps(
                {
                    "bench": "optimizer_step",
                    "optimizer": name,
                    "params": params,
                    "ours_steps_per_s": round(ours_rate, 1),
                    "keras_steps_per_s": round(theirs_rate, 1),
                    "ours_steps_per_s_passes": [
                        round(args.steps / s, 1) for s in ours_s
                    ],
                    "keras_steps_per_s_passes": [
                        round(args.steps / s, 1) for s in theirs_s
                    ],
                    "ratio": round(ratio, 3),
                }
            )
        )


if __name__ == "__main__":
    main()
