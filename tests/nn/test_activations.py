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


# ---- Keras 3's further activations: gradients through the tape --------------

# Points away from every kink (0, ±0.5, ±1, ±3, 6) so that central differences
# are exact up to O(h²).
_SMOOTH_X = np.array([-7.3, -2.2, -0.8, -0.3, 0.2, 0.7, 1.6, 2.4, 4.1, 8.9])
_ELEMENTWISE = [
    "relu6", "celu", "hard_sigmoid", "hard_silu", "log_sigmoid", "sparse_sigmoid",
    "sparse_plus", "mish", "squareplus", "soft_shrink", "hard_shrink", "hard_tanh",
    "tanh_shrink",
]  # fmt: skip


def _numeric_grad(fn, x, upstream, h=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(*x.shape):
        step = np.zeros_like(x)
        step[i] = h
        up = (np.asarray(fn(x + step).numpy()) * upstream).sum()
        down = (np.asarray(fn(x - step).numpy()) * upstream).sum()
        grad[i] = (up - down) / (2 * h)
    return grad


def _tape_grad(fn, x, upstream):
    t = nn.constant(x)
    with nn.GradientTape() as tape:
        tape.watch(t)
        y = fn(t)
    return tape.gradient(y, t, output_gradients=upstream).numpy()


@pytest.mark.parametrize("name", _ELEMENTWISE)
def test_further_activations_differentiate_through_the_tape(name):
    fn = activations.get(name)
    upstream = np.random.RandomState(0).uniform(0.5, 1.5, _SMOOTH_X.shape)
    got = _tape_grad(fn, _SMOOTH_X, upstream)
    np.testing.assert_allclose(got, _numeric_grad(fn, _SMOOTH_X, upstream), atol=1e-6)


@pytest.mark.parametrize(
    "name, kwargs",
    [("glu", {}), ("glu", {"axis": 0}), ("sparsemax", {}), ("sparsemax", {"axis": 0}),
     ("log_softmax", {"axis": (0, 1)}),
     ("threshold", {"threshold": 0.1, "default_value": -2.0})],
)  # fmt: skip
def test_axis_activations_differentiate_through_the_tape(name, kwargs):
    x = np.array([[0.3, -1.2, 2.0, 0.9], [1.7, 0.4, -0.6, 0.05]])

    def fn(v):
        return activations.get(name)(v, **kwargs)

    upstream = np.random.RandomState(1).uniform(-1.0, 1.0, fn(x).shape)
    np.testing.assert_allclose(
        _tape_grad(fn, x, upstream), _numeric_grad(fn, x, upstream), atol=1e-6
    )


def test_sparsemax_lies_on_the_simplex_with_exact_zeros():
    x = np.array([[0.1, 0.5, 0.3], [3.0, 0.0, 0.0], [1.0, 1.0, -5.0]])
    out = activations.sparsemax(x).numpy()
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, atol=1e-12)
    # Hand-computed projections: threshold tau = (sum of the support - 1) / |S|.
    want = [[0.4 / 3, 1.6 / 3, 1.0 / 3], [1.0, 0.0, 0.0], [0.5, 0.5, 0.0]]
    np.testing.assert_allclose(out, want, atol=1e-12)


@pytest.mark.parametrize(
    "name",
    [*_ELEMENTWISE, "glu", "sparsemax", "log_softmax", "threshold", "swish", "relu"],
)
def test_names_round_trip_through_get_and_serialize(name):
    fn = activations.get(name)
    assert activations.serialize(fn) == ("silu" if name == "swish" else name)
    assert activations.deserialize(activations.serialize(fn)) is fn


def test_hard_swish_is_an_alias_serialized_as_hard_silu():
    assert activations.get("hard_swish") is activations.hard_silu
    assert activations.serialize(activations.hard_swish) == "hard_silu"


def test_glu_rejects_an_odd_axis():
    with pytest.raises(ValueError, match="divisible by 2"):
        activations.glu(np.ones((2, 3)))


def test_dense_takes_a_further_activation_by_name_and_saves_it(tmp_path):
    model = nn.Sequential([layers.Input((3,)), layers.Dense(2, activation="mish")])
    x = np.array([[0.5, -1.0, 2.0]], np.float32)
    path = str(tmp_path / "m.keras")
    model.save(path)
    again = nn.load_model(path)
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0))
    assert again.layers[-1].get_config()["activation"] == "mish"


# Gradients TF 2.21 (Keras 3.15's TF backend) gives at and around the kinks, for
# x = [-3, -1, -0.5, 0, 0.5, 1, 3, 6]; taken once with tf.GradientTape.
_KINK_X = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0], np.float32)
_SIXTH = 1 / 6
_TF_KINK_GRADS = {
    "relu6": [0, 0, 0, 0, 1, 1, 1, 0],
    "hard_sigmoid": [0, _SIXTH, _SIXTH, _SIXTH, _SIXTH, _SIXTH, 0, 0],
    "hard_silu": [0, 1 / 6, 1 / 3, 0.5, 2 / 3, 5 / 6, 1, 1],
    "sparse_sigmoid": [0, 0, 0.5, 0.5, 0.5, 0, 0, 0],
    "celu": [0.049787070602, 0.367879450321, 0.606530666351, 2, 1, 1, 1, 1],
    "hard_tanh": [0, 1, 1, 1, 1, 1, 0, 0],
    "soft_shrink": [1, 1, 0, 0, 0, 1, 1, 1],
    "hard_shrink": [1, 1, 0, 0, 0, 1, 1, 1],
    "sparse_plus": [0, 0, 0.25, 0.5, 0.75, 1, 1, 1],
    "squareplus": [0.083974838257, 0.276393204927, 0.378732174635, 0.5,
                   0.621267795563, 0.723606824875, 0.916025161743, 0.974341630936],
    "mish": [-0.093393087387, 0.059216812253, 0.289510667324, 0.599999964237,
             0.886424362659, 1.049036264420, 1.021106958389, 1.000133395195],
    "log_sigmoid": [0.952574133873, 0.731058537960, 0.622459352016, 0.5,
                    0.377540677786, 0.268941402435, 0.047425866127, 0.002472623019],
    "tanh_shrink": [0.990133881569, 0.580025672913, 0.213552236557, 0.0,
                    0.213552236557, 0.580025672913, 0.990133881569, 0.999975442886],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(_TF_KINK_GRADS))
def test_gradients_at_the_kinks_are_tensorflows(name):
    got = _tape_grad(activations.get(name), _KINK_X, np.ones_like(_KINK_X))
    np.testing.assert_allclose(got, _TF_KINK_GRADS[name], rtol=1e-5, atol=1e-6)


def test_threshold_gradient_passes_only_above_the_threshold():
    def fn(v):
        return activations.threshold(v, 0.5, -1.0)

    got = _tape_grad(fn, _KINK_X, np.ones_like(_KINK_X))
    np.testing.assert_array_equal(got, [0, 0, 0, 0, 0, 1, 1, 1])
