"""Core layers of issue 14: constraints in training, masks between layers,
Dot's and renorm's gradients, Reshape in functional models, saved merge layers."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import nn
from pipeline.nn import layers, ops
from pipeline.nn.layers._weights import LayerConfigError


def test_kernel_constraint_projects_after_each_step():
    model = nn.Sequential(
        [nn.Input((2,)), layers.Dense(1, kernel_constraint="non_neg", use_bias=False)]
    )
    model.layers[0].kernel.assign([[0.5], [0.5]])
    model.compile(optimizer=nn.optimizers.SGD(1.0), loss="mse")
    # The target is far below the output: SGD pushes the kernel negative.
    model.fit(np.ones((4, 2), "float32"), -10 * np.ones((4, 1), "float32"), verbose=0)
    assert model.layers[0].kernel.numpy().min() == 0.0


def test_embedding_constraint_and_weights_argument():
    emb = layers.Embedding(
        3, 2, weights=-np.ones((3, 2)), embeddings_constraint="non_neg"
    )
    assert emb.embeddings.numpy().tolist() == [[-1.0, -1.0]] * 3
    projected = emb.embeddings.constraint(emb.embeddings)
    assert np.asarray(projected).tolist() == [[0.0, 0.0]] * 3


def test_embedding_mask_reaches_next_layer():
    seen = []

    class Probe(layers.Layer):
        def call(self, inputs, mask=None):
            seen.append(mask)
            return inputs

        def compute_mask(self, inputs, mask=None):
            return mask

    model = nn.Sequential([layers.Embedding(5, 2, mask_zero=True), Probe()])
    model(np.array([[3, 0, 1]]))
    assert np.asarray(seen[-1]).tolist() == [[True, False, True]]


def test_dot_gradients_match_the_product_rule():
    x = nn.Variable(np.arange(6, dtype="float32").reshape(2, 3))
    y = nn.Variable(np.ones((2, 3), "float32"))
    with nn.GradientTape() as tape:
        out = ops.sum(layers.Dot(axes=1)([x, y]))
    gx, gy = tape.gradient(out, [x, y])
    np.testing.assert_allclose(gx.numpy(), y.numpy())
    np.testing.assert_allclose(gy.numpy(), x.numpy())


def test_dot_normalize_gives_cosine():
    out = layers.Dot(axes=1, normalize=True)(
        [np.array([[3.0, 4.0]]), np.array([[4.0, 3.0]])]
    )
    np.testing.assert_allclose(out.numpy(), [[24 / 25]], rtol=1e-6)


def test_renorm_gradients_flow_to_gamma_and_beta():
    bn = layers.BatchNormalization(renorm=True)
    x = np.array([[1.0, 2.0], [3.0, 5.0]], "float32")
    with nn.GradientTape() as tape:
        loss = ops.sum(bn(x, training=True))
    g_gamma, g_beta = tape.gradient(loss, [bn.gamma, bn.beta])
    assert g_beta.numpy().tolist() == [2.0, 2.0]
    assert g_gamma is not None


def test_reshape_in_functional_model_saves_and_reloads(tmp_path):
    inputs = nn.Input((6,))
    x = layers.Reshape((-1, 2))(inputs)
    outputs = layers.Dense(1)(layers.Flatten()(x))
    model = nn.Model(inputs, outputs)
    assert x.shape == (None, 3, 2)
    data = np.arange(12, dtype="float32").reshape(2, 6)
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = nn.models.load_model(path)
    np.testing.assert_allclose(loaded(data).numpy(), model(data).numpy(), rtol=1e-6)


@pytest.mark.parametrize(
    "cls", [layers.Subtract, layers.Average, layers.Maximum, layers.Minimum]
)
def test_merge_layers_save_and_reload(cls, tmp_path):
    a, b = nn.Input((2,)), nn.Input((2,))
    model = nn.Model([a, b], cls()([a, b]))
    x = [np.array([[1.0, 4.0]], "float32"), np.array([[3.0, 2.0]], "float32")]
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = nn.models.load_model(path)
    assert type(loaded.layers[-1]) is cls
    np.testing.assert_allclose(loaded(x).numpy(), model(x).numpy())


def test_from_config_error_is_type_and_value_error():
    with pytest.raises(
        LayerConfigError, match="Error when deserializing class 'Dropout'"
    ):
        layers.Dropout.from_config({"rate": 2.0})
    with pytest.raises(ValueError, match="`rate`"):
        layers.Dropout.from_config({"rate": 2.0})


def test_dense_input_spec_error_names_layer_and_shapes():
    dense = layers.Dense(2, name="probe")
    dense(np.ones((1, 3), "float32"))
    with pytest.raises(ValueError, match=r'layer "probe".*value 3.*shape \(2, 4\)'):
        dense(np.ones((2, 4), "float32"))


def test_keras_lora_and_quantization_arguments():
    config = {**layers.Dense(2).get_config(), "quantization_config": None}
    assert layers.Dense.from_config(config).units == 2
    with pytest.raises(ValueError, match="`lora_rank` is not supported"):
        layers.Dense(2, lora_rank=4)
    with pytest.raises(ValueError, match="`quantization_config` is not supported"):
        layers.Embedding(3, 2, quantization_config={"mode": "int8"})


def test_dense_computes_in_its_weights_dtype():
    out = layers.Dense(2, kernel_initializer="ones")(np.ones((1, 3), "int32"))
    assert out.dtype == np.float32
    assert out.numpy().tolist() == [[3.0, 3.0]]


def _halve(x):
    return x * 0.5


def test_lambda_model_saves_by_name_and_reloads_with_custom_objects(tmp_path):
    inputs = nn.Input((2,))
    model = nn.Model(inputs, layers.Lambda(_halve, output_shape=(2,))(inputs))
    path = str(tmp_path / "m.keras")
    model.save(path)
    with pytest.raises(ValueError, match="_halve"):
        nn.models.load_model(path)
    loaded = nn.models.load_model(path, custom_objects={"_halve": _halve})
    assert loaded(np.array([[2.0, 4.0]], "float32")).numpy().tolist() == [[1.0, 2.0]]


def test_lambda_refuses_keras_bytecode_configs():
    config = {"name": "l", "function": {"class_name": "__lambda__",
                                        "config": {"code": "AAAA"}}}  # fmt: skip
    with pytest.raises(ValueError, match="never runs code read from a config"):
        layers.Lambda.from_config(config, safe_mode=False)


def test_lambda_passes_mask_and_training_when_named():
    seen = {}

    def probe(x, mask=None, training=None):
        seen.update(mask=mask, training=training)
        return x

    layers.Lambda(probe)(np.ones((1, 2), "float32"), training=True)
    assert seen == {"mask": None, "training": True}
