"""Keras 3's ``models/sequential_test.py`` cases, ported (run on both libraries)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from tests.conformance_keras import assert_close, to_array


def _rand(*shape):
    return np.random.default_rng(0).random(shape).astype("float32")


def _summary_text(model):
    lines = []
    model.summary(print_fn=lambda line, *args, **kwargs: lines.append(str(line)))
    return "\n".join(lines)


def test_basic_flow_with_input(keras):
    layers = keras.layers
    model = keras.Sequential(name="seq")
    model.add(keras.Input(shape=(2,), batch_size=3))
    model.add(layers.Dense(4))
    model.add(layers.Dense(5))
    _summary_text(model)
    assert len(model.layers) == 2
    assert model.built
    assert len(model.weights) == 4
    assert to_array(model(_rand(3, 2))).shape == (3, 5)
    assert model(keras.Input(shape=(2,), batch_size=3)).shape == (3, 5)

    model = keras.Sequential(
        layers=[keras.Input(shape=(2,), batch_size=3), layers.Dense(4), layers.Dense(5)]
    )
    assert len(model.layers) == 2 and model.built and len(model.weights) == 4
    assert to_array(model(_rand(3, 2))).shape == (3, 5)

    model.pop()
    assert len(model.layers) == 1 and model.built and len(model.weights) == 2
    assert to_array(model(_rand(3, 2))).shape == (3, 4)


def test_legacy_flow_with_input_shape(keras):
    layers = keras.layers
    model = keras.Sequential(name="seq")
    model.add(layers.Dense(4, input_shape=(2,)))
    model.add(layers.Dense(5))
    assert len(model.layers) == 2 and model.built and len(model.weights) == 4

    model = keras.Sequential(name="seq")
    model.add(layers.Dense(4, input_dim=2))
    model.add(layers.Dense(5))
    assert len(model.layers) == 2 and model.built and len(model.weights) == 4

    # A later layer's input_shape is ignored.
    model = keras.Sequential(name="seq")
    model.add(layers.Dense(4, input_shape=(2,)))
    model.add(layers.Dense(5, input_shape=(3, 4)))
    assert len(model.layers) == 2 and model.built and len(model.weights) == 4


def test_basic_flow_deferred(keras):
    layers = keras.layers
    model = keras.Sequential(name="seq")
    model.add(layers.Dense(4))
    model.add(layers.Dense(5))
    _summary_text(model)
    assert len(model.layers) == 2
    y = model(_rand(3, 2))
    assert model.built
    _summary_text(model)
    assert to_array(y).shape == (3, 5)
    assert model(keras.Input(shape=(2,), batch_size=3)).shape == (3, 5)

    model = keras.Sequential(layers=[layers.Dense(4), layers.Dense(5)])
    assert to_array(model(_rand(3, 2))).shape == (3, 5)
    model.pop()
    assert len(model.layers) == 1 and model.built and len(model.weights) == 2
    assert to_array(model(_rand(3, 2))).shape == (3, 4)


def test_basic_flow_with_functional_model_as_first_layer(keras):
    # Keras's case uses Conv2D; Dense on a rank-4 input exercises the same path.
    layers = keras.layers
    inputs = keras.Input((16, 16, 3))
    functional = keras.Model(inputs=inputs, outputs=layers.Dense(4)(inputs))
    model = keras.Sequential([functional, layers.Flatten(), layers.Dense(1)])
    _summary_text(model)
    assert len(model.layers) == 3
    assert model.built
    assert all(layer.built for layer in model.layers)
    assert tuple(to_array(model(_rand(1, 16, 16, 3))).shape) == (1, 1)
    assert model(keras.Input(shape=(16, 16, 3), batch_size=1)).shape == (1, 1)


def test_basic_flow_with_sequential_model_as_first_layer(keras):
    layers = keras.layers
    inner = keras.Sequential([keras.Input((16, 16, 3)), layers.Dense(4)])
    model = keras.Sequential([inner, layers.Flatten(), layers.Dense(1)])
    _summary_text(model)
    assert len(model.layers) == 3
    assert model.built
    assert all(layer.built for layer in model.layers)
    assert tuple(to_array(model(_rand(1, 16, 16, 3))).shape) == (1, 1)
    assert model(keras.Input(shape=(16, 16, 3), batch_size=1)).shape == (1, 1)


def test_dict_inputs(keras):
    seen = []

    class DictLayer(keras.layers.Layer):
        def call(self, inputs):
            seen.append(type(inputs))
            return inputs

    model = keras.Sequential([DictLayer()])
    y = model({"a": _rand(3, 2), "b": _rand(3, 2)})
    assert type(y) is dict
    assert seen and all(t is dict for t in seen)
    _summary_text(model)


def test_list_inputs(keras):
    seen = []

    class ListLayer(keras.layers.Layer):
        def call(self, inputs):
            seen.append(type(inputs))
            return inputs

    model = keras.Sequential([ListLayer()])
    y = model([_rand(3, 2), _rand(3, 2)])
    assert type(y) is list
    assert seen and all(t is list for t in seen)
    _summary_text(model)


def test_nested_sequential(keras):
    model = keras.Sequential()
    model.add(keras.Input(shape=(16,)))
    keras.Sequential([model])


def test_errors_two_inputs(keras):
    model = keras.Sequential()
    model.add(keras.Input(shape=(2,), batch_size=3))
    with pytest.raises(ValueError, match="already been configured"):
        model.add(keras.Input(shape=(2,), batch_size=3))
    with pytest.raises(ValueError, match="already been configured"):
        model.add(keras.layers.InputLayer(shape=(2,), batch_size=3))


def test_errors_duplicate_name(keras):
    model = keras.Sequential()
    model.add(keras.layers.Dense(2, name="dense"))
    with pytest.raises(ValueError, match="should have unique names"):
        model.add(keras.layers.Dense(2, name="dense"))


def test_errors_no_layers(keras):
    model = keras.Sequential()
    with pytest.raises(ValueError, match="no layers"):
        model(_rand(3, 2))


def test_errors_build_conflict(keras):
    model = keras.Sequential()
    model.add(keras.Input(shape=(2,), batch_size=3))
    model.add(keras.layers.Dense(2))
    with pytest.raises(ValueError, match="already been configured"):
        model.build((3, 4))
    model.build((3, 2))


def test_shape_inference_failure(keras):
    class DynamicLayer(keras.layers.Layer):
        def call(self, inputs):
            return inputs + 1.0

        def compute_output_spec(self, *args, **kwargs):
            raise NotImplementedError

    model = keras.Sequential([DynamicLayer()])
    x = _rand(3, 2)
    assert_close(model(x), x + 1)
    _summary_text(model)


def _revive(keras, model, custom_objects=None):
    config = model.get_config()
    revived = type(model).from_config(config, custom_objects=custom_objects)
    assert revived.get_config() == config
    return revived


def test_serialization(keras):
    layers = keras.layers
    model = keras.Sequential(name="seq")
    model.add(layers.Dense(4))
    model.add(layers.Dense(5))
    assert len(_revive(keras, model).layers) == 2

    model.build((2, 3))
    assert len(_revive(keras, model).layers) == 2

    model = keras.Sequential(name="seq")
    model.add(keras.Input(shape=(2,), batch_size=3))
    model.add(layers.Dense(4))
    model.add(layers.Dense(5))
    model.add(layers.Dense(6))
    assert len(_revive(keras, model).layers) == 3

    class DictLayer(layers.Layer):
        def call(self, inputs):
            assert isinstance(inputs, dict)
            return inputs

    model = keras.Sequential([DictLayer()])
    revived = _revive(keras, model, custom_objects={"DictLayer": DictLayer})
    assert len(revived.layers) == 1


@pytest.mark.departure(
    "a Lambda's Python function is never rebuilt from a saved file (no bytecode "
    "is loaded, even with safe_mode=False); it comes back only via custom_objects"
)
def test_serialization_with_lambda_layer(keras, tmp_path):
    inputs = _rand(1, 10, 4)
    model = keras.Sequential([keras.layers.Lambda(lambda x: x[:, -3:, :])])
    model(inputs)
    path = str(tmp_path / "model.keras")
    model.save(path)
    with pytest.raises(ValueError, match="Lambda function"):
        keras.models.load_model(path, safe_mode=False)


def test_functional_properties(keras):
    model = keras.Sequential(name="seq")
    inputs = keras.Input(shape=(2,))
    model.add(inputs)
    model.add(keras.layers.Dense(4))
    assert model.inputs == [inputs]
    assert model.outputs == [model.layers[-1].output]
    assert model.input_shape == (None, 2)
    assert model.output_shape == (None, 4)


def test_pickleable(keras):
    model = keras.Sequential(name="seq")
    model.add(keras.layers.Dense(4))
    result = pickle.loads(pickle.dumps(model))
    assert len(result.layers) == 1


def test_bad_layer(keras):
    model = keras.Sequential(name="seq")
    with pytest.raises(ValueError, match="Only instances of"):
        model.add({})

    class BadLayer(keras.layers.Layer):
        def call(self, inputs, training):
            return inputs

    model = keras.Sequential(name="seq")
    model.add(BadLayer())
    with pytest.raises(ValueError, match="can only have a single.*positional"):
        model.build((None, 2))


def test_compute_output_shape(keras):
    model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(8)])
    assert model.compute_output_shape((1, 2)) == (1, 8)


def test_hasattr(keras):
    model = keras.Sequential()
    for name in ("input_shape", "output_shape", "inputs", "outputs"):
        assert not hasattr(model, name)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8)])
    for name in ("input_shape", "output_shape", "inputs", "outputs"):
        assert hasattr(model, name)


def test_layers_setter(keras):
    model = keras.Sequential()
    with pytest.raises(AttributeError, match=r"Use `add\(\)` and `pop\(\)`"):
        model.layers = [keras.layers.Dense(4)]
