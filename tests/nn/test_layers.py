"""Layers: weights and their order, configs, training flags, losses, shapes."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import nn
from pipeline.nn import layers, ops


def test_dense_forward_weights_and_config():
    dense = layers.Dense(2, activation="relu", name="d")
    x = np.array([[1.0, -2.0, 3.0]], np.float32)
    y = dense(x)
    kernel, bias = dense.get_weights()
    assert kernel.shape == (3, 2) and bias.shape == (2,) and not bias.any()
    np.testing.assert_allclose(y.numpy(), np.maximum(x @ kernel, 0), rtol=1e-6)
    config = dense.get_config()
    assert config["units"] == 2 and config["activation"] == "relu"
    clone = layers.Dense.from_config(config)
    assert clone.units == 2 and clone.name == "d"


def test_dense_rejects_bad_units_and_weight_shapes():
    with pytest.raises(ValueError, match="units"):
        layers.Dense(0)
    dense = layers.Dense(2)
    dense.build((None, 3))
    with pytest.raises(ValueError, match="shape"):
        dense.set_weights([np.zeros((2, 2)), np.zeros(2)])
    with pytest.raises(ValueError, match="expected 2 weights"):
        dense.set_weights([np.zeros((3, 2))])


def test_glorot_uniform_kernel_within_limit_and_seeded():
    dense = layers.Dense(50, kernel_initializer=nn.initializers.GlorotUniform(seed=3))
    dense.build((None, 30))
    limit = np.sqrt(6 / 80)
    kernel = dense.get_weights()[0]
    assert np.abs(kernel).max() <= limit and kernel.std() > limit / 3
    again = layers.Dense(50, kernel_initializer=nn.initializers.GlorotUniform(seed=3))
    again.build((None, 30))
    np.testing.assert_array_equal(kernel, again.get_weights()[0])


def test_regularizer_losses_flow_into_gradients():
    dense = layers.Dense(
        1,
        kernel_initializer="ones",
        kernel_regularizer=lambda w: ops.sum(ops.square(w)),
    )
    dense.build((None, 2))
    with nn.GradientTape() as tape:
        penalty = dense.losses[0]
    assert float(penalty) == 2.0
    assert tape.gradient(penalty, dense.kernel).numpy().tolist() == [[2.0], [2.0]]


def test_regularizer_by_name_is_keras_l2_with_its_default_factor():
    dense = layers.Dense(1, kernel_regularizer="l2")
    dense.build((None, 2))
    kernel = np.array([[1.5], [-2.0]], np.float32)
    dense.set_weights([kernel, np.zeros(1, np.float32)])
    with nn.GradientTape() as tape:
        penalty = dense.losses[0]
    # Keras's "l2": 0.01 * sum(w²), by hand: 0.01 * (2.25 + 4.0)
    assert float(penalty) == pytest.approx(0.01 * float(np.sum(kernel**2)), rel=1e-6)
    assert float(penalty) == pytest.approx(0.0625, rel=1e-6)
    grad = tape.gradient(penalty, dense.kernel).numpy()
    np.testing.assert_allclose(grad, 2 * 0.01 * kernel, rtol=1e-6)


def test_activity_regularizer_and_add_loss():
    layer = layers.Dense(
        1, kernel_initializer="ones", activity_regularizer=lambda y: ops.sum(y)
    )
    layer(np.ones((2, 3), np.float32))
    # Keras 3.15 divides an activity penalty by the batch size: 6 / 2.
    assert float(layer.losses[0]) == 3.0


def test_embedding_lookup_and_sparse_gradient():
    emb = layers.Embedding(5, 2)
    ids = np.array([[0, 4], [4, 4]])
    with nn.GradientTape() as tape:
        out = emb(ids)
        loss = ops.sum(out)
    assert out.shape == (2, 2, 2)
    grad = tape.gradient(loss, emb.embeddings)
    assert isinstance(grad, nn.IndexedSlices)
    dense = grad.to_dense()
    assert dense[4].tolist() == [3.0, 3.0] and dense[1].tolist() == [0.0, 0.0]


def test_flatten_activation_and_merge_layers():
    x = np.arange(12, dtype=np.float32).reshape(2, 2, 3)
    assert layers.Flatten()(x).shape == (2, 6)
    a, b = nn.constant([[1.0, 2.0]]), nn.constant([[3.0, 4.0]])
    assert layers.Concatenate()([a, b]).numpy().tolist() == [[1.0, 2.0, 3.0, 4.0]]
    assert layers.Add()([a, b]).numpy().tolist() == [[4.0, 6.0]]
    assert layers.Multiply()([a, b]).numpy().tolist() == [[3.0, 8.0]]
    assert layers.Softmax()(a).numpy().sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="list"):
        layers.Add()(a)


def test_activation_layers():
    x = nn.constant([[-2.0, 0.0, 3.0]])
    assert layers.ReLU(max_value=2.0)(x).numpy().tolist() == [[0.0, 0.0, 2.0]]
    assert layers.LeakyReLU()(x).numpy()[0, 0] == pytest.approx(-0.6)
    assert layers.ELU()(x).numpy()[0, 0] == pytest.approx(np.exp(-2) - 1)
    prelu = layers.PReLU(alpha_initializer=nn.initializers.Constant(0.5))
    assert prelu(x).numpy().tolist() == [[-1.0, 0.0, 3.0]]
    assert [w.name for w in prelu.weights] == ["alpha"]


def test_trainable_flag_moves_weights():
    dense = layers.Dense(1)
    dense.build((None, 2))
    dense.trainable = False
    assert dense.trainable_weights == [] and len(dense.non_trainable_weights) == 2


def test_compute_output_shape():
    assert layers.Dense(4).compute_output_shape((None, 7)) == (None, 4)
    assert layers.Embedding(9, 3).compute_output_shape((None, None)) == (None, None, 3)
