"""Keras 3's base-layer cases (keras/src/layers/layer_test.py): output specs,
argument rules, the methods a subclass must write, and what a layer tracks."""

from __future__ import annotations

import numpy as np
import pytest


def _shape_layer(keras, output_shape):
    class TestLayer(keras.layers.Layer):
        def call(self, x):
            raise RuntimeError("Should never be called.")

        def compute_output_shape(self, input_shape):
            return output_shape(input_shape)

    return TestLayer()


def test_output_spec_from_compute_output_shape_single(keras):
    layer = _shape_layer(keras, lambda s: s)
    assert layer.compute_output_spec(keras.KerasTensor((2, 3))).shape == (2, 3)


@pytest.mark.parametrize("kind", [tuple, list])
def test_output_spec_from_compute_output_shape_sequence(keras, kind):
    layer = _shape_layer(keras, lambda s: kind([s, s]))
    out = layer.compute_output_spec(keras.KerasTensor((2, 3)))
    assert isinstance(out, kind) and len(out) == 2
    assert out[0].shape == (2, 3) and out[1].shape == (2, 3)


def test_output_spec_from_compute_output_shape_dict(keras):
    layer = _shape_layer(keras, lambda s: {"1": s, "2": s})
    out = layer.compute_output_spec(keras.KerasTensor((2, 3)))
    assert isinstance(out, dict) and len(out) == 2
    assert out["1"].shape == (2, 3) and out["2"].shape == (2, 3)


def test_output_spec_from_compute_output_shape_nested(keras):
    layer = _shape_layer(keras, lambda s: (s, (s, s), (s, s)))
    out = layer.compute_output_spec(keras.KerasTensor((2, 3)))
    assert isinstance(out, tuple) and len(out) == 3
    assert out[0].shape == (2, 3)
    for inner in out[1:]:
        assert isinstance(inner, tuple) and len(inner) == 2
        assert inner[0].shape == (2, 3) and inner[1].shape == (2, 3)
    layer = _shape_layer(keras, lambda s: {"1": s, "2": {"11": s, "22": s}})
    out = layer.compute_output_spec(keras.KerasTensor((2, 3)))
    assert isinstance(out["2"], dict) and len(out["2"]) == 2
    assert out["2"]["11"].shape == (2, 3) and out["2"]["22"].shape == (2, 3)


def test_a_non_tensor_positional_argument_is_refused(keras):
    class SomeLayer(keras.layers.Layer):
        def call(self, x, bool_arg):
            if bool_arg:
                return x
            return x + 1

    x = keras.KerasTensor(shape=(2, 3), name="x")
    with pytest.raises(ValueError, match="Only input tensors may be passed as"):
        SomeLayer()(x, True)
    assert SomeLayer()(x, bool_arg=True).shape == (2, 3)


@pytest.mark.parametrize("method", ["call", "compute_output_shape"])
def test_the_base_layer_asks_for_the_method(keras, method):
    layer = keras.layers.Layer()
    layer.built = True
    with pytest.raises(
        NotImplementedError, match=f"does not have a `{method}` method implemented."
    ):
        getattr(layer, method)(None)


def _dense_holder(keras):
    class LayerWithDenseLayers(keras.layers.Layer):
        def __init__(self, units):
            super().__init__()
            self.dense1 = keras.layers.Dense(units)
            self.layer_dict = {"dense2": keras.layers.Dense(units)}
            self.layer_list = [keras.layers.Dense(units)]
            self.units = units

        def build(self, input_shape):
            self.layer_list.append(keras.layers.Dense(self.units))

        def call(self, x):
            x = self.dense1(x)
            x = self.layer_dict["dense2"](x)
            x = self.layer_list[0](x)
            return self.layer_list[1](x)

    class ParentLayer(keras.layers.Layer):
        def __init__(self, inner_layer):
            super().__init__()
            self.inner_layer = inner_layer

        def call(self, x):
            return self.inner_layer(x)

    return LayerWithDenseLayers, ParentLayer


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_layers_in_attributes_lists_and_dicts_are_tracked(keras, depth):
    holder, parent = _dense_holder(keras)
    layer = holder(3)
    for _ in range(depth):
        layer = parent(layer)
    layer(np.zeros((1, 3)))
    assert len(layer.weights) == 8
    assert len(layer.trainable_weights) == 8


def _metric_layers(keras):
    class LayerWithMetric(keras.layers.Layer):
        def __init__(self, units):
            super().__init__()
            self.dense = keras.layers.Dense(units)
            self.metric = keras.metrics.MeanSquaredError(name="my_metric")

        def build(self, input_shape):
            self.dense.build(input_shape)

        def call(self, x):
            return self.dense(x)

    class ParentLayerWithMetric(keras.layers.Layer):
        def __init__(self, inner_layer):
            super().__init__()
            self.inner_layer = inner_layer
            self.metric = keras.metrics.MeanSquaredError(name="my_metric")

        def build(self, input_shape):
            self.inner_layer.build(input_shape)

        def call(self, x):
            return self.inner_layer(x)

    return LayerWithMetric, ParentLayerWithMetric


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_metrics_in_attributes_are_tracked(keras, depth):
    leaf, parent = _metric_layers(keras)
    layer = leaf(3)
    for _ in range(depth):
        layer = parent(layer)
    layer.build((1, 3))
    assert len(layer.metrics) == depth + 1
    assert len(layer.metrics_variables) == 2 * (depth + 1)
    assert len(layer.trainable_variables) == 2
    assert len(layer.non_trainable_variables) == 0


def test_a_symbolic_call_builds_nested_layers(keras):
    class LayerWithUnbuiltState(keras.layers.Layer):
        def __init__(self, units):
            super().__init__()
            self.dense1 = keras.layers.Dense(units)

        def call(self, x):
            return self.dense1(x)

    layer = LayerWithUnbuiltState(2)
    layer(keras.KerasTensor((3, 4)))
    assert len(layer.weights) == 2


def _two_input_layer(keras):
    class KwargsLayerWithUnbuiltState(keras.layers.Layer):
        def __init__(self, units):
            super().__init__()
            self.dense1 = keras.layers.Dense(units)
            self.dense2 = keras.layers.Dense(units)

        def call(self, x1, x2):
            return self.dense1(x1) + self.dense2(x2)

    return KwargsLayerWithUnbuiltState(2)


def test_a_symbolic_call_with_two_positional_inputs_builds(keras):
    layer = _two_input_layer(keras)
    layer(keras.KerasTensor((3, 4)), keras.KerasTensor((3, 4)))
    assert len(layer.weights) == 4


def test_a_symbolic_call_with_keyword_inputs_builds(keras):
    layer = _two_input_layer(keras)
    layer(x1=keras.KerasTensor((3, 4)), x2=keras.KerasTensor((3, 4)))
    assert len(layer.weights) == 4


@pytest.mark.parametrize("second", [True, False])
def test_a_symbolic_call_with_a_dict_builds(keras, second):
    class DictLayerWithUnbuiltState(keras.layers.Layer):
        def __init__(self, units):
            super().__init__()
            self.dense = keras.layers.Dense(units)

        def call(self, xs):
            result = self.dense(xs["x1"])
            if xs.get("x2", None) is not None:
                result += self.dense(xs["x2"])
            return result

    layer = DictLayerWithUnbuiltState(2)
    x2 = keras.KerasTensor((3, 4)) if second else None
    layer({"x1": keras.KerasTensor((3, 4)), "x2": x2})
    assert len(layer.weights) == 2


@pytest.mark.parametrize("second", [True, False])
def test_a_symbolic_call_with_a_list_builds(keras, second):
    class ListLayerWithUnbuiltState(keras.layers.Layer):
        def __init__(self, units):
            super().__init__()
            self.dense = keras.layers.Dense(units)

        def call(self, xs):
            result = self.dense(xs[0])
            if xs[1] is not None:
                result += self.dense(xs[1])
            return result

    layer = ListLayerWithUnbuiltState(2)
    x2 = keras.KerasTensor((3, 4)) if second else None
    layer([keras.KerasTensor((3, 4)), x2])
    assert len(layer.weights) == 2
