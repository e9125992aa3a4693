"""Functional.call's direct ``layer.call`` for Dense and Flatten nodes.

The direct path must give what ``Layer.__call__`` gives, bit for bit, in
training (losses, gradients, weights after several steps) and in predict, and
must stand aside whenever ``Layer.__call__`` would do more.
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import nn
from pipeline.nn import layers, regularizers
from pipeline.nn.layers.base import Layer
from pipeline.nn.models import functional
from pipeline.nn.tensor import Tensor


def _wide_and_deep():
    inputs = layers.Input((6,))
    deep = layers.Dense(8, activation="relu", kernel_initializer="glorot_uniform")(
        inputs
    )
    deep = layers.Flatten()(layers.Dense(4, activation="tanh")(deep))
    out = layers.Add()([layers.Dense(1)(inputs), layers.Dense(1)(deep)])
    model = nn.Model(inputs, out)
    model.compile(optimizer="adam", loss="mse")
    return model


def _train(model, steps=5):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 6)).astype(np.float32)
    y = rng.normal(size=(64, 1)).astype(np.float32)
    history = model.fit(x, y, batch_size=16, epochs=steps, verbose=0, shuffle=False)
    return history.history["loss"], [w.numpy() for w in model.weights], x


def _copy_weights(source, target):
    for s, t in zip(source.weights, target.weights, strict=True):
        t.assign(s.numpy())


@pytest.fixture
def counted_calls(monkeypatch):
    counts = {"layer": 0}
    original = Layer.__call__

    def counting(self, *args, **kwargs):
        counts["layer"] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Layer, "__call__", counting)
    return counts


def test_direct_calls_train_and_predict_exactly_as_layer_call(monkeypatch):
    direct, plain = _wide_and_deep(), _wide_and_deep()
    _copy_weights(direct, plain)
    losses_direct, weights_direct, x = _train(direct)
    monkeypatch.setattr(functional, "_direct", lambda layer, inputs: False)
    losses_plain, weights_plain, _ = _train(plain)
    assert losses_direct == losses_plain
    for a, b in zip(weights_direct, weights_plain, strict=True):
        np.testing.assert_array_equal(a, b)
    monkeypatch.undo()
    np.testing.assert_array_equal(
        direct.predict(x, verbose=0), plain.predict(x, verbose=0)
    )


def test_dense_and_flatten_nodes_skip_layer_call(counted_calls):
    model = _wide_and_deep()
    counted_calls["layer"] = 0  # building the graph called every layer
    model(np.zeros((2, 6), np.float32), training=True)
    # only the model itself and the Add node go through Layer.__call__
    assert counted_calls["layer"] == 2


def test_an_activity_regularizer_keeps_layer_call_and_its_loss():
    inputs = layers.Input((3,))
    dense = layers.Dense(2, activity_regularizer=regularizers.L2(0.5))
    model = nn.Model(inputs, dense(inputs))
    assert not functional._direct(dense, Tensor(np.ones((1, 3), np.float32)))
    model(np.ones((4, 3), np.float32), training=True)
    assert len(model.losses) == 1 and float(model.losses[0]) > 0


@pytest.mark.parametrize(
    "case", ["unbuilt", "float64", "masked", "pending_weights", "subclass"]
)
def test_layer_call_is_kept_where_it_does_more(case):
    class MyDense(layers.Dense):
        pass

    layer = (MyDense if case == "subclass" else layers.Dense)(2)
    if case != "unbuilt":
        layer.build((None, 3))
    inputs = Tensor(np.ones((1, 3), np.float64 if case == "float64" else np.float32))
    if case == "masked":
        inputs._keras_mask = np.array([True])
    if case == "pending_weights":
        layer._pending_weights = [np.zeros((3, 2)), np.zeros(2)]
    assert not functional._direct(layer, inputs)
    layer._pending_weights = None
    if case == "pending_weights":  # the only thing in the way
        assert functional._direct(layer, Tensor(np.ones((1, 3), np.float32)))
