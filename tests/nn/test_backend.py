"""Backend selection and the numpy backend's kernels."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pipeline.errors import InvalidArgumentError
from pipeline.nn import backend


def test_default_backend_is_numpy_and_env_is_read_on_first_use(monkeypatch):
    monkeypatch.setattr(backend, "_active", None)
    monkeypatch.setenv("PIPELINE_NN_BACKEND", "NumPy")
    assert backend.name() == "numpy" and backend.xp() is np


def test_unknown_backend_is_rejected(monkeypatch):
    monkeypatch.setattr(backend, "_active", backend.get())
    with pytest.raises(InvalidArgumentError, match="backend"):
        backend.set_backend("tpu")
    assert backend.name() == "numpy"


def test_erf_matches_math_erf():
    x = np.linspace(-7, 7, 2001)
    want = np.array([math.erf(v) for v in x])
    np.testing.assert_allclose(backend.erf(x), want, rtol=0, atol=1e-10)
    assert backend.erf(np.float32(0.5)).dtype == np.float32


def test_scatter_add_sums_duplicates():
    out = np.zeros((3, 2))
    backend.scatter_add(out, np.array([2, 0, 2]), np.ones((3, 2)))
    assert out[:, 0].tolist() == [1.0, 0.0, 2.0]


def test_cupy_backend_runs_a_dense_step(monkeypatch):
    pytest.importorskip("cupy", reason="cupy (the gpu extra) is not installed")
    from pipeline import nn

    monkeypatch.setattr(backend, "_active", None)
    backend.set_backend("cupy")
    try:
        w = nn.Variable(np.ones((3, 2), np.float32))
        with nn.GradientTape() as tape:
            y = nn.ops.sum(nn.ops.linear(np.ones((4, 3), np.float32), w))
        assert np.asarray(tape.gradient(y, w)).tolist() == [[4.0, 4.0]] * 3
    finally:
        backend.set_backend("numpy")
