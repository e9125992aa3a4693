"""Keras 3's ``layers/layer_test.py`` cases on trainable state, configs and
weights, ported (run against both libraries), with the config round trips of
``trainable=False`` that issue 14 names.

The other layer_test cases (masking, training-argument resolution, remat,
autocast, dtype policies, stateless calls, seed generators) are not here.
"""

from __future__ import annotations

import numpy as np


def test_trainable_init_arg(keras):
    inputs = keras.layers.Input(shape=(1,))
    layer = keras.layers.Dense(2, trainable=False)
    model = keras.Model(inputs, layer(inputs))
    assert not layer.trainable
    assert len(layer.trainable_weights) == 0
    assert len(model.trainable_weights) == 0
    assert len(model.non_trainable_weights) == 2
    layer.trainable = True
    assert layer.trainable
    assert len(layer.trainable_weights) == 2
    assert len(model.trainable_weights) == 2
    assert len(model.non_trainable_weights) == 0


def test_nested_trainable_weight_counts(keras):
    class Inner(keras.layers.Layer):
        def build(self, _):
            self.w1 = self.add_weight(shape=(), initializer="ones", trainable=True)
            self.w2 = self.add_weight(shape=(), initializer="ones", trainable=False)

        def call(self, inputs):
            return inputs

    class Outer(Inner):
        def build(self, _):
            super().build(None)
            self.nested = Inner()
            self.nested.build(None)

    layer = Outer()
    layer.build(None)
    assert len(layer.trainable_weights) == 2
    assert len(layer.non_trainable_weights) == 2
    layer.trainable = False
    assert len(layer.trainable_weights) == 0
    assert len(layer.non_trainable_weights) == 4
    layer.trainable = True
    assert len(layer.trainable_weights) == 2
    assert len(layer.non_trainable_weights) == 2
    layer = Outer(trainable=False)
    layer.build(None)
    assert len(layer.trainable_weights) == 0
    assert len(layer.non_trainable_weights) == 4


def test_serialize_activity_regularizer(keras):
    config = keras.layers.Dense(2, activity_regularizer="l2").get_config()
    assert "activity_regularizer" in config
    new_layer = keras.layers.Dense.from_config(config)
    assert new_layer.activity_regularizer.__class__.__name__ == "L2"
    assert "activity_regularizer" not in keras.layers.Dense(2).get_config()


def test_trainable_false_survives_layer_config(keras):
    for layer in (
        keras.layers.Dense(2, trainable=False),
        keras.layers.Embedding(3, 2, trainable=False),
        keras.layers.BatchNormalization(trainable=False),
        keras.layers.LayerNormalization(trainable=False),
    ):
        config = layer.get_config()
        assert config["trainable"] is False
        assert type(layer).from_config(config).trainable is False
        assert (
            keras.layers.deserialize(keras.layers.serialize(layer)).trainable is False
        )


def test_trainable_false_survives_model_configs(keras):
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(2, trainable=False),
            keras.layers.Dense(1),
        ]
    )
    clone = keras.Sequential.from_config(model.get_config())
    assert [layer.trainable for layer in clone.layers] == [False, True]
    assert len(clone.trainable_weights) == 2

    inputs = keras.Input((3,))
    outputs = keras.layers.Dense(1)(keras.layers.Dense(2, trainable=False)(inputs))
    functional = keras.Model(inputs, outputs)
    clone = keras.Model.from_config(functional.get_config())
    assert [layer.trainable for layer in clone.layers[1:]] == [False, True]


def test_trainable_false_survives_save_and_load(keras, tmp_path):
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(2, trainable=False),
            keras.layers.Dense(1),
        ]
    )
    model(np.ones((1, 3), "float32"))
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert [layer.trainable for layer in loaded.layers] == [False, True]
