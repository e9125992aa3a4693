"""Losses (per-sample, reduced, gradient) against the TF 2.21 golden fixtures."""

from __future__ import annotations

import numpy as np
import pytest
from support import fixture_path, load_fixture_json

from pipeline import nn
from pipeline.nn import layers, losses


@pytest.fixture(scope="module")
def golden():
    return np.load(fixture_path("nn", "losses.npz"))


def _cases():
    return load_fixture_json("nn", "losses.json")["losses"]


def _loss(case):
    cls = getattr(losses, case["class"].rsplit(".", 1)[-1])
    return cls(**case["kwargs"])


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["name"])
def test_loss_matches_golden(golden, case):
    loss = _loss(case)
    y_true, y_pred = (golden[k] for k in case["inputs"])
    name = case["name"]
    per_sample = loss.call(y_true, y_pred)
    np.testing.assert_allclose(
        per_sample.numpy(), golden[f"{name}.per_sample"], rtol=1e-5, atol=1e-6
    )
    x = nn.constant(y_pred)
    with nn.GradientTape() as tape:
        tape.watch(x)
        value = loss(y_true, x)
    assert value.dtype == np.float32 and value.shape == ()
    np.testing.assert_allclose(
        value.numpy(), golden[f"{name}.value"], rtol=1e-5, atol=1e-6
    )
    grad = tape.gradient(value, x)
    np.testing.assert_allclose(
        grad.numpy(), golden[f"{name}.grad"], rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["name"])
def test_loss_config_matches_keras(case):
    config = _loss(case).get_config()
    for key, value in case["config"].items():
        assert config[key] == value, key


def test_clipped_predictions_get_zero_gradient():
    x = nn.constant(np.array([[0.0, 1.0]], np.float32))
    with nn.GradientTape() as tape:
        tape.watch(x)
        value = losses.BinaryCrossentropy()([[0.0, 1.0]], x)
    assert tape.gradient(value, x).numpy().tolist() == [[0.0, 0.0]]


def test_softmax_output_uses_logits_like_keras():
    logits = np.array([[30.0, 0.0, -30.0]], np.float32)
    probs = layers.Activation("softmax")(logits)
    from_probs = losses.SparseCategoricalCrossentropy()([2], probs)
    from_logits = losses.SparseCategoricalCrossentropy(from_logits=True)([2], logits)
    assert float(from_probs) == pytest.approx(float(from_logits), rel=1e-6)
    assert float(from_probs) > 50  # a clipped probability would cap it near 16


def test_sample_weight_and_reductions():
    y_true, y_pred = [[1.0], [2.0]], [[0.0], [0.0]]
    mse = losses.MeanSquaredError(reduction="sum")
    assert float(mse(y_true, y_pred, sample_weight=[1.0, 0.5])) == 3.0
    none = losses.MeanSquaredError(reduction=None)(y_true, y_pred)
    assert none.numpy().tolist() == [1.0, 4.0]
    with pytest.raises(ValueError, match="reduction"):
        losses.MeanSquaredError(reduction="bogus")


def test_get_resolves_identifiers():
    assert losses.get("mse") is losses.mean_squared_error
    assert isinstance(losses.get("BinaryCrossentropy"), losses.BinaryCrossentropy)
    with pytest.raises(ValueError, match="nope"):
        losses.get("nope")


def test_sparse_labels_out_of_range_raise_like_tf():
    from pipeline.errors import InvalidArgumentError

    loss = losses.SparseCategoricalCrossentropy(from_logits=True)
    with pytest.raises(InvalidArgumentError, match="label value of 2 .* \\[0, 2\\)"):
        loss([0, 2], np.zeros((2, 2), np.float32))
    with pytest.raises(InvalidArgumentError, match="label value of -1"):
        loss([-1, 0], np.zeros((2, 2), np.float32))
