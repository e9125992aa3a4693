"""Read CSV shards on a Ray cluster with our parser, train on two trainers.

``read_csv`` runs ``make_csv_dataset``'s parser in Ray's read tasks; the rows
are split between two trainers with ``streaming_split(2, equal=True)`` (as
Ray Train's ``get_dataset_shard`` does), and each trainer reads its part with
``pl.data.Dataset.from_ray``: batches of dict-of-numpy columns that our
feature columns and models take unchanged. Here both trainers are threads of
this process; on a cluster they are Ray Train workers.

    .venv/bin/python examples/ray_cluster.py
"""

from __future__ import annotations

import os
import tempfile
import threading

import numpy as np
import ray

import pipeline as pl
from pipeline.integrations import ray as plray


def write_shards(root: str, shards: int = 4, rows: int = 500) -> list[str]:
    rng = np.random.default_rng(0)
    paths = []
    for s in range(shards):
        x = rng.uniform(0, 10, rows)
        city = rng.choice(["north", "south"], rows)
        y = 3.0 * x + np.where(city == "north", 5.0, -5.0)
        path = os.path.join(root, f"rides-{s}.csv")
        with open(path, "w") as f:
            f.write("x,city,y\n")
            f.writelines(f"{a:.4f},{c},{b:.4f}\n" for a, c, b in zip(x, city, y))
        paths.append(path)
    return paths


def train(part, results: list, rank: int) -> None:
    try:
        results[rank] = fit_on(part)
    except BaseException as e:  # re-raised by main
        results[rank] = e


def fit_on(part) -> dict:
    fc = pl.feature_column
    columns = [
        fc.numeric_column("x"),
        fc.indicator_column(
            fc.categorical_column_with_vocabulary_list("city", ["north", "south"])
        ),
    ]
    model = pl.nn.Sequential([fc.DenseFeatures(columns), pl.nn.layers.Dense(1)])
    model.compile(optimizer=pl.nn.optimizers.Adam(0.5), loss="mse")
    # one pass over the Ray data (one epoch of the split), then epochs from memory
    batches = pl.data.Dataset.from_ray(part, batch_size=50).cache()
    rows = sum(len(b["x"]) for b in batches)
    pairs = batches.map(lambda b: ({"x": b["x"], "city": b["city"]}, b["y"]))
    history = model.fit(pairs, epochs=30, verbose=0)
    return {"rows": rows, "loss": history.history["loss"][-1]}


def main() -> list[dict]:
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        with tempfile.TemporaryDirectory() as root:
            rides = plray.read_csv(write_shards(root), parallelism=2)
            parts = rides.streaming_split(2, equal=True)
            results: list = [None, None]
            trainers = [
                threading.Thread(target=train, args=(parts[r], results, r))
                for r in (0, 1)
            ]
            for t in trainers:
                t.start()
            for t in trainers:
                t.join()
    finally:
        if started:
            ray.shutdown()
    for rank, res in enumerate(results):
        if isinstance(res, BaseException):
            raise res
        print(f"trainer {rank}: {res['rows']} rows/epoch, final mse {res['loss']:.3f}")
    return results


if __name__ == "__main__":
    main()
