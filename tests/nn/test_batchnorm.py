"""BatchNormalization and Dropout against the TF 2.21 golden fixtures."""

from __future__ import annotations

import numpy as np
import pytest
from support import fixture_path, load_fixture_json

from pipeline.nn import layers

TOL = {"rtol": 1e-5, "atol": 1e-6}


@pytest.fixture(scope="module")
def golden():
    return np.load(fixture_path("nn", "batchnorm.npz"))


@pytest.mark.parametrize("case", load_fixture_json("nn", "batchnorm.json")["cases"],
                         ids=lambda c: c["name"])  # fmt: skip
def test_batchnorm_sequence(golden, case):
    spec = load_fixture_json("nn", "batchnorm.json")
    g = {k.split(".", 1)[1]: golden[k] for k in case["keys"]}
    bn = layers.BatchNormalization(momentum=spec["momentum"], epsilon=spec["epsilon"])
    x = g["x"]
    bn.build(x.shape)
    bn.set_weights([g["gamma"], g["beta"], g["moving_mean"], g["moving_variance"]])
    np.testing.assert_allclose(
        bn(x, training=False).numpy(), g["inference_initial"], **TOL
    )
    np.testing.assert_allclose(
        bn(x, training=True).numpy(), g["training_output"], **TOL
    )
    mean, var = bn.get_weights()[2:]
    np.testing.assert_allclose(mean, g["moving_mean_after_1"], **TOL)
    np.testing.assert_allclose(var, g["moving_variance_after_1"], **TOL)
    np.testing.assert_allclose(
        bn(x, training=False).numpy(), g["inference_after_1"], **TOL
    )
    np.testing.assert_allclose(
        bn(x, training=True).numpy(), g["training_output_2"], **TOL
    )
    mean, var = bn.get_weights()[2:]
    np.testing.assert_allclose(mean, g["moving_mean_after_2"], **TOL)
    np.testing.assert_allclose(var, g["moving_variance_after_2"], **TOL)


def test_batchnorm_weight_order_and_trainability():
    bn = layers.BatchNormalization()
    bn.build((None, 3))
    assert [w.name for w in bn.weights] == [
        "gamma",
        "beta",
        "moving_mean",
        "moving_variance",
    ]
    assert [w.name for w in bn.trainable_weights] == ["gamma", "beta"]


def test_dropout_inference_is_identity_and_training_scales(golden):
    spec = load_fixture_json("nn", "batchnorm.json")["dropout"]
    drop = layers.Dropout(spec["rate"], seed=1234)
    x = golden["dropout.x"]
    np.testing.assert_array_equal(
        drop(x, training=False).numpy(), golden["dropout.inference_output"]
    )
    np.testing.assert_array_equal(drop(x).numpy(), x)
    out = drop(x, training=True).numpy()
    scaled = x / (1 - spec["rate"])
    assert np.all((out == 0) | np.isclose(out, scaled))
    assert (out == 0).any() and (out != 0).any()


def test_dropout_seed_is_reproducible():
    x = np.ones((50, 4), np.float32)
    a = layers.Dropout(0.3, seed=7)(x, training=True).numpy()
    b = layers.Dropout(0.3, seed=7)(x, training=True).numpy()
    np.testing.assert_array_equal(a, b)
