"""Activations and their gradients against the TF 2.21 golden fixtures."""

from __future__ import annotations

import numpy as np
import pytest
from support import fixture_path, load_fixture_json

from pipeline import nn
from pipeline.nn import activations, layers

CALLS = {
    "relu": activations.relu,
    "leaky_relu_0.2": lambda x: activations.leaky_relu(x, negative_slope=0.2),
    "leaky_relu_activation_default": activations.leaky_relu,
    "leaky_relu_layer_default": lambda x: layers.LeakyReLU()(x),
    "elu": activations.elu,
    "selu": activations.selu,
    "gelu_exact": lambda x: activations.gelu(x, approximate=False),
    "gelu_approximate": lambda x: activations.gelu(x, approximate=True),
    "softplus": activations.softplus,
    "softsign": activations.softsign,
    "sigmoid": activations.sigmoid,
    "tanh": activations.tanh,
    "swish": activations.get("swish"),
    "silu": activations.silu,
}


@pytest.fixture(scope="module")
def golden():
    return np.load(fixture_path("nn", "activations.npz"))


def _names():
    spec = load_fixture_json("nn", "activations.json")
    return [f["name"] for f in spec["functions"] if f["name"] != "softmax"]


@pytest.mark.parametrize("name", _names())
def test_elementwise_value_and_gradient(golden, name):
    x = nn.constant(golden["x"])
    with nn.GradientTape() as tape:
        tape.watch(x)
        y = CALLS[name](x)
    grad = tape.gradient(y, x)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.numpy(), golden[f"{name}.y"], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(
        grad.numpy(), golden[f"{name}.grad"], rtol=1e-6, atol=1e-6
    )


def test_softmax_value_and_gradient(golden):
    x = nn.constant(golden["softmax.x"])
    with nn.GradientTape() as tape:
        tape.watch(x)
        y = activations.softmax(x, axis=-1)
    grad = tape.gradient(y, x, output_gradients=golden["softmax.upstream"])
    np.testing.assert_allclose(y.numpy(), golden["softmax.y"], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(
        grad.numpy(), golden["softmax.grad"], rtol=1e-6, atol=1e-6
    )


def test_relu_of_negative_zero_is_positive_zero():
    y = activations.relu(np.array([-0.0], np.float32)).numpy()
    assert not np.signbit(y[0])


def test_get_resolves_names_and_rejects_unknown():
    assert activations.get("relu") is activations.relu
    with pytest.raises(ValueError, match="nope"):
        activations.get("nope")
