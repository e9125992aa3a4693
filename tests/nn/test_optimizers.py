"""Optimizers against the TensorFlow 2.21 / Keras 3 golden runs (fixtures/nn)."""

from __future__ import annotations

import numpy as np
import pytest
from support import fixture_path, load_fixture_json

from pipeline.nn import optimizers

_CASES = load_fixture_json("nn", "optimizers.json")["optimizers"]


@pytest.fixture(scope="module")
def arrays():
    with np.load(fixture_path("nn", "optimizers.npz")) as data:
        return {k: data[k] for k in data.files}


def _make(case):
    cls = getattr(optimizers, case["class"].rsplit(".", 1)[-1])
    return cls(**case["kwargs"])


@pytest.mark.parametrize("case", _CASES, ids=[c["name"] for c in _CASES])
def test_trajectory_matches_tensorflow(case, arrays):
    opt = _make(case)
    kernel = arrays["kernel0"].copy()
    bias = arrays["bias0"].copy()
    for step in range(arrays["grad.kernel"].shape[0]):
        grads = [arrays["grad.kernel"][step], arrays["grad.bias"][step]]
        opt.apply_gradients(zip(grads, [kernel, bias]))
        # one step: reduction tolerance; later steps: multi-step tolerance
        rtol, atol = (1e-5, 1e-6) if step == 0 else (1e-4, 1e-5)
        want_k = arrays[f"{case['name']}.kernel"][step]
        want_b = arrays[f"{case['name']}.bias"][step]
        np.testing.assert_allclose(kernel, want_k, rtol=rtol, atol=atol)
        np.testing.assert_allclose(bias, want_b, rtol=rtol, atol=atol)
    assert kernel.dtype == np.float32
    assert int(opt.iterations) == arrays["grad.kernel"].shape[0]


@pytest.mark.parametrize("case", _CASES, ids=[c["name"] for c in _CASES])
def test_get_config_matches_keras(case):
    config = _make(case).get_config()
    for key, value in case["get_config"].items():
        assert config[key] == value, key
    assert set(config) == set(case["get_config"]) | {"name"}


@pytest.mark.parametrize("case", _CASES, ids=[c["name"] for c in _CASES])
def test_from_config_round_trips(case):
    opt = _make(case)
    again = type(opt).from_config(opt.get_config())
    assert again.get_config() == opt.get_config()


@pytest.mark.parametrize(
    ("name", "lr"),
    [
        ("sgd", 0.01),
        ("adam", 0.001),
        ("adagrad", 0.001),
        ("adadelta", 0.001),
        ("rmsprop", 0.001),
        ("ftrl", 0.001),
    ],
)
def test_keras_default_learning_rates(name, lr):
    assert float(optimizers.get(name).learning_rate) == np.float32(lr)


def test_default_hyperparameters():
    assert optimizers.Adam().get_config()["epsilon"] == 1e-7
    assert optimizers.RMSprop().get_config()["rho"] == 0.9
    assert optimizers.Adadelta().get_config()["rho"] == 0.95
    assert optimizers.Adagrad().get_config()["initial_accumulator_value"] == 0.1
    assert optimizers.Ftrl().get_config()["learning_rate_power"] == -0.5
    assert optimizers.SGD().get_config()["momentum"] == 0.0
