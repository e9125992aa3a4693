"""The seed-course examples in examples/ run and reach their results."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import torch  # noqa: F401  (the dev extra has torch: missing, this module fails)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_compute_gradients_fits_the_line(capsys):
    loss = _load("compute_gradients.py").main()
    assert loss < 1e-3
    assert "w0 = 2.000, w1 = 10.000" in capsys.readouterr().out


def test_housing_reaches_the_seed_prices(capsys):
    loss = _load("housing.py").main()
    assert loss < 1.0  # squared error in thousands: prices within ~1k
    out = capsys.readouterr().out
    house, apt = (float(v) for v in re.findall(r"ft \w+: +([\d.]+)k", out))
    assert abs(house - 200.0) < 5 and abs(apt - 150.0) < 5


def test_digits_classifier_over_95_percent_with_tensorboard_logs(tmp_path, capsys):
    accuracy = _load("mnist_digits.py").main(str(tmp_path))
    assert accuracy > 0.95
    assert any(p.name.startswith("events.out.tfevents") for p in tmp_path.rglob("*"))


def test_taxi_wide_and_deep_beats_the_mean(tmp_path, capsys):
    rmse, baseline = _load("taxi_wide_deep.py").main(str(tmp_path))
    assert rmse < 0.5 * baseline
    assert len(list(tmp_path.glob("taxi.tfrecord-*-of-00004"))) == 4


def test_torch_training_loop_fits_from_a_pipeline_dataset(capsys):
    assert _load("torch_training_loop.py").main() < 1.0


def test_torch_ddp_two_gloo_ranks_end_with_equal_weights(capsys):
    results = _load("torch_ddp.py").main()
    assert [r["rank"] for r in results] == [0, 1]
    # 1000 rows, 500 per rank, 250 per DataLoader worker: 8 batches of 32 each,
    # 16 steps an epoch on each rank, 3 epochs
    assert [r["steps"] for r in results] == [48, 48]
    assert results[0]["weights"] == results[1]["weights"]
    (w0, w1, w2), (b,) = results[0]["weights"]
    assert abs(w0 - 2.0) < 0.05 and abs(w1 + 1.0) < 0.05 and abs(b - 0.3) < 0.05


def _run_script(name: str, **env: str) -> str:
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name)], capture_output=True, text=True,
        timeout=300, env={**os.environ, **env},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
def test_jax_sharded_example_trains_on_two_sharded_devices():
    out = _run_script("jax_sharded.py", JAX_PLATFORMS="cpu")
    assert "2 devices, batch sharding P('data',)" in out
    loss = float(re.search(r"final loss ([\d.e-]+)", out).group(1))
    assert loss < 1e-4
    assert "w = [ 2.  -1.   0.5]" in out


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_keras3_example_fits_from_to_keras(backend):
    out = _run_script("keras3_fit.py", KERAS_BACKEND=backend, JAX_PLATFORMS="cpu")
    accuracy = float(
        re.search(rf"backend {backend}: validation accuracy ([\d.]+)", out).group(1)
    )
    assert accuracy > 0.9


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")
@pytest.mark.filterwarnings("ignore:os.fork:RuntimeWarning")  # jax's at-fork hook
def test_ray_cluster_example_feeds_two_trainers(capsys):
    results = _load("ray_cluster.py").main()
    assert [r["rows"] for r in results] == [1000, 1000]
    assert all(r["loss"] < 1.0 for r in results)  # y = 3x +- 5: fitted
