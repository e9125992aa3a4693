"""Keras 3's base-layer cases (keras/src/layers/layer_test.py): output specs,
argument rules, the methods a subclass must write, and what a layer tracks."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_keras import to_array


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


def _non_trainable_weights_layers(keras):
    class NonTrainableWeightsLayer(keras.layers.Layer):
        def build(self, _):
            self.w1 = self.add_weight(shape=(), initializer="ones", trainable=True)
            self.w2 = self.add_weight(shape=(), initializer="ones", trainable=False)

        def call(self, inputs):
            return inputs

    class Nested(keras.layers.Layer):
        def build(self, _):
            self.w1 = self.add_weight(shape=(), initializer="ones", trainable=True)
            self.w2 = self.add_weight(shape=(), initializer="ones", trainable=False)
            self.nested = NonTrainableWeightsLayer()
            self.nested.build(None)

        def call(self, inputs):
            return inputs

    return Nested


def _weight_counts(layer):
    return (
        len(layer.trainable_weights),
        len(layer.trainable_variables),
        len(layer.non_trainable_weights),
    )


def test_setting_trainable_freezes_every_weight(keras):
    layer = _non_trainable_weights_layers(keras)()
    layer.build(None)
    assert _weight_counts(layer) == (2, 2, 2)
    layer.trainable = False
    assert _weight_counts(layer) == (0, 0, 4)
    assert not layer.w1.trainable and not layer.nested.w1.trainable
    layer.trainable = True
    assert _weight_counts(layer) == (2, 2, 2)
    assert layer.w1.trainable and layer.nested.w1.trainable


def test_a_layer_made_untrainable_can_be_made_trainable(keras):
    layer = _non_trainable_weights_layers(keras)(trainable=False)
    layer.build(None)
    assert _weight_counts(layer) == (0, 0, 4)
    layer.trainable = True
    assert _weight_counts(layer) == (2, 2, 2)


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_trainable_must_be_a_boolean(keras, value):
    with pytest.raises(ValueError, match="to be a boolean"):
        keras.layers.Dense(2, trainable=value)


def test_trainable_false_at_construction_reaches_the_model(keras):
    inputs = keras.layers.Input(shape=(1,))
    layer = keras.layers.Dense(2, trainable=False)
    model = keras.models.Model(inputs, layer(inputs))
    assert not layer.trainable
    assert len(layer.trainable_weights) == 0
    assert len(model.trainable_weights) == 0
    assert len(model.non_trainable_weights) == 2
    layer.trainable = True
    assert layer.trainable
    assert len(layer.trainable_weights) == 2
    assert len(model.trainable_weights) == 2
    assert len(model.non_trainable_weights) == 0


def test_add_weight_defaults(keras):
    class MyLayer(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.w1 = self.add_weight()
            self.w2 = self.add_weight(dtype="int32", trainable=False)
            self.w3 = self.add_weight(dtype="bool", trainable=False)
            self.w4 = self.add_weight(dtype="int32", shape=(2, 2), trainable=False)
            self.w5 = self.add_weight(initializer="ones", shape=(2, 2))

    layer = MyLayer()
    expected = [
        ((), "float32", None),
        ((), "int32", 0),
        ((), "bool", False),
        ((2, 2), "int32", np.zeros((2, 2))),
        ((2, 2), "float32", np.ones((2, 2))),
    ]
    for weight, (shape, dtype, value) in zip(
        [layer.w1, layer.w2, layer.w3, layer.w4, layer.w5], expected, strict=True
    ):
        assert tuple(weight.shape) == shape
        assert to_array(weight).dtype == np.dtype(dtype)
        if value is not None:
            np.testing.assert_array_equal(np.asarray(weight.numpy()), value)


def _adding(keras, *args, **kwargs):
    class MyLayer(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.w = self.add_weight(*args, **kwargs)

    return MyLayer()


def test_add_weight_refuses_a_positional_name(keras):
    with pytest.raises(ValueError, match="name.*keyword argument"):
        _adding(keras, "my_weight")
    with pytest.raises(ValueError, match="name.*keyword argument"):
        _adding(keras, "matrix", shape=(3, 4), initializer="zeros")


def test_add_weight_positional_arguments(keras):
    with pytest.raises(
        ValueError,
        match="`shape` was passed both positionally and as a keyword argument",
    ):
        _adding(keras, (3, 4), shape=(3, 4))
    layer = _adding(keras, (3, 4), "zeros", "float32")
    assert tuple(layer.w.shape) == (3, 4)
    np.testing.assert_array_equal(np.asarray(layer.w.numpy()), np.zeros((3, 4)))
    with pytest.raises(TypeError, match="takes at most 3 positional arguments"):
        _adding(keras, (3, 4), "zeros", "float32", "name")


def test_weight_paths_made_in_init(keras):
    class InnerInner(keras.layers.Layer):
        def __init__(self):
            super().__init__(name="inner_inner_layer")
            self.var = self.add_weight(shape=(1,), name="inner")

    class Inner(keras.layers.Layer):
        def __init__(self):
            super().__init__(name="inner_layer")
            self.var = self.add_weight(shape=(1,), name="inner")
            self.inner = InnerInner()

    class Training(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = Inner()

    layer = Training()
    layer.build(None)
    assert len(layer.variables) == 2
    paths = {v.path for v in layer.variables}
    assert paths == {"inner_layer/inner", "inner_inner_layer/inner"}


def test_weight_paths_made_in_build_follow_the_calls(keras):
    class InnerInner(keras.layers.Layer):
        def __init__(self):
            super().__init__(name="inner_inner_layer")

        def build(self, _):
            self.var = self.add_weight(shape=(1,), name="inner")

        def call(self, x):
            return self.var + x

    class Inner(keras.layers.Layer):
        def __init__(self):
            super().__init__(name="inner_layer")
            self.inner = InnerInner()

        def build(self, _):
            self.var = self.add_weight(shape=(1,), name="inner")

        def call(self, x):
            return self.var + self.inner(x)

    class Training(keras.layers.Layer):
        def __init__(self):
            super().__init__(name="training_layer")
            self.inner = Inner()

        def call(self, x):
            return self.inner(x)

    layer = Training()
    assert layer(keras.KerasTensor((4, 1))).shape == (4, 1)
    paths = {v.path for v in layer.variables}
    assert paths == {
        "training_layer/inner_layer/inner",
        "training_layer/inner_layer/inner_inner_layer/inner",
    }


def _signature_layers(keras):
    class NoShapeSuffix(keras.layers.Layer):
        def build(self, foo_shape, bar):
            self.built = True

        def call(self, foo, bar):
            return foo + bar

    class NonMatchingArgument(keras.layers.Layer):
        def build(self, foo_shape, baz_shape):
            self.built = True

        def call(self, foo, bar):
            return foo[:, 0] + bar[:, 0]

    class MatchingArguments(keras.layers.Layer):
        def build(self, bar_shape, foo_shape):
            self.foo_shape = foo_shape
            self.bar_shape = bar_shape

        def call(self, foo, bar):
            return foo[:, 0] + bar[:, 0]

    class SubsetArguments(keras.layers.Layer):
        def build(self, baz_shape, foo_shape):
            self.foo_shape = foo_shape
            self.baz_shape = baz_shape

        def call(self, foo, bar=None, baz=None):
            return foo[:, 0] + bar[:, 0] + baz[:, 0]

    class SingleArgument(keras.layers.Layer):
        def build(self, anything_whatsoever):
            self.foo_shape = anything_whatsoever

        def call(self, foo, bar):
            return foo[:, 0] + bar[:, 0]

    return (
        NoShapeSuffix,
        NonMatchingArgument,
        MatchingArguments,
        SubsetArguments,
        (SingleArgument),
    )


def test_build_arguments_are_matched_to_call_arguments(keras):
    no_suffix, non_matching, matching, subset, single = _signature_layers(keras)
    foo = keras.ops.convert_to_tensor(np.ones((4, 1), "float32"))
    bar = keras.ops.convert_to_tensor(np.ones((4, 2), "float32"))
    baz = keras.ops.convert_to_tensor(np.ones((4, 3), "float32"))
    with pytest.raises(
        ValueError, match=r"argument `bar`, which does not end in `_shape`"
    ):
        no_suffix()(foo, bar)
    with pytest.raises(
        ValueError, match=r"`baz_shape`, but `call\(\)` does not have argument `baz`"
    ):
        non_matching()(foo, bar)
    layer = matching()
    layer(foo, bar)
    assert tuple(layer.foo_shape) == (4, 1) and tuple(layer.bar_shape) == (4, 2)
    layer = subset()
    layer(foo, bar, baz)
    assert tuple(layer.foo_shape) == (4, 1) and tuple(layer.baz_shape) == (4, 3)
    layer = single()
    layer(foo, bar)
    assert tuple(layer.foo_shape) == (4, 1)
