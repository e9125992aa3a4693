"""Keras 3's ``models/cloning_test.py`` cases, ported (run on both libraries).

Keras's CNN variants use ``Conv1D``; the same cases run here on ``Dense``
layers over the same (7, 3) inputs.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tests.conformance_keras import assert_close


def _rand(*shape):
    return np.random.default_rng(0).random(shape).astype("float32")


def _flat(value):
    if isinstance(value, dict):
        return [x for k in sorted(value) for x in _flat(value[k])]
    if isinstance(value, list | tuple):
        return [x for v in value for x in _flat(v)]
    return [value]


def _same_structure(a, b):
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and sorted(a) == sorted(b)
    if isinstance(a, list | tuple) or isinstance(b, list | tuple):
        return type(a) is type(b) and len(a) == len(b)
    return True


def _flatten_layers(model):
    """The model and every layer below it, depth first (Keras's _flatten_layers)."""
    out = [model]
    inner = getattr(model, "_stack", None)
    if inner is None:
        inner = getattr(model, "_layers", None)
    for layer in inner if inner is not None else getattr(model, "layers", []):
        out += _flatten_layers(layer) if hasattr(layer, "layers") else [layer]
    return out


def _mlp(keras, shared_layers=False):
    inputs = keras.layers.Input(shape=(3,))
    x = keras.layers.Dense(2)(inputs)
    if shared_layers:
        layer = keras.layers.Dense(2, name="shared")
        x = layer(layer(x))
    return keras.Model(inputs, keras.layers.Dense(2)(x))


def _dense_7x3(keras, shared_layers=False):
    inputs = keras.layers.Input(shape=(7, 3))
    x = keras.layers.Dense(2)(inputs)
    if shared_layers:
        layer = keras.layers.Dense(2, name="shared")
        x = layer(layer(x))
    return keras.Model(inputs, keras.layers.Dense(2)(x))


def _sequential(keras, explicit_input=True, shape=(3,)):
    model = keras.Sequential()
    if explicit_input:
        model.add(keras.layers.Input(shape=shape))
    model.add(keras.layers.Dense(2))
    model.add(keras.layers.Dense(2))
    return model


def _nested_functional(keras):
    inputs = keras.layers.Input(shape=(4,))
    x = _mlp(keras)(keras.layers.Dense(3)(inputs))
    return keras.Model(inputs, keras.layers.Dense(2)(x))


def _nested_sequential(keras):
    model = keras.Sequential()
    model.add(keras.layers.Dense(2))
    model.add(_sequential(keras, explicit_input=False))
    model.add(keras.layers.Dense(2))
    return model


def _subclassed(keras):
    class ExampleModel(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.d1 = keras.layers.Dense(2)
            self.d2 = keras.layers.Dense(2)

        def call(self, x):
            return self.d2(self.d1(x))

    return ExampleModel()


def _assert_models_equal(model1, model2, ref_input):
    for r1, r2 in zip(_flat(model1(ref_input)), _flat(model2(ref_input)), strict=True):
        assert_close(r1, np.asarray(r2), atol=1e-6)


_BUILDERS = {
    "mlp_functional": (_mlp, (2, 3)),
    "dense_7x3_functional": (lambda k: _dense_7x3(k, True), (2, 7, 3)),
    "sequential": (_sequential, (2, 3)),
    "deferred_sequential": (lambda k: _sequential(k, explicit_input=False), (2, 3)),
    "subclassed": (_subclassed, (2, 3)),
}


@pytest.mark.parametrize("kind", sorted(_BUILDERS))
def test_cloning_correctness(keras, kind):
    build, shape = _BUILDERS[kind]
    ref_input = _rand(*shape)
    model = build(keras)
    new_model = keras.models.clone_model(model)
    model(ref_input)
    new_model(ref_input)
    new_model.set_weights(model.get_weights())
    _assert_models_equal(model, new_model, ref_input)


@pytest.mark.parametrize(
    "kind", ["mlp_functional", "dense_7x3_functional", "sequential"]
)
def test_custom_clone_function(keras, kind):
    def clone_function(layer):
        config = layer.get_config()
        config["name"] = f"{config['name']}_custom"
        return layer.__class__.from_config(config)

    model = _BUILDERS[kind][0](keras)
    new_model = keras.models.clone_model(model, clone_function=clone_function)
    for l1, l2 in zip(model.layers, new_model.layers, strict=True):
        if not isinstance(l1, keras.layers.InputLayer):
            assert l2.name == f"{l1.name}_custom"


@pytest.mark.parametrize(
    "kind", ["functional", "sequential", "sequential_noinputlayer"]
)
def test_input_tensors(keras, kind):
    if kind == "functional":
        model = _dense_7x3(keras)
    else:
        model = _sequential(keras, explicit_input=kind == "sequential", shape=(7, 3))
    model(_rand(2, 7, 3))
    new_model = keras.models.clone_model(model, input_tensors=model.inputs[0])
    assert len(new_model.inputs) == len(model.inputs) == 1
    assert len(new_model.outputs) == len(model.outputs) == 1


def test_shared_layers_cloning(keras):
    new_model = keras.models.clone_model(_mlp(keras, shared_layers=True))
    assert len(new_model.layers) == 4


def test_structured_io_cloning(keras):
    x = keras.layers.Input((3,))
    y = keras.layers.Input((3,))
    z1 = x + y
    z2 = keras.layers.Dense(5)(z1)
    inputs, outputs = dict(x=x, y=y), dict(z1=z1, z2=z2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras: dict keys differ from Input names
        model0 = keras.Model(inputs, outputs)
        for model in (
            keras.models.clone_model(model0),
            keras.models.clone_model(model0, input_tensors=inputs),
        ):
            assert _same_structure(model.input, inputs)
            assert _same_structure(model.output, outputs)
        with pytest.raises(
            ValueError,
            match="`input_tensors` must have the same structure as model.input",
        ):
            keras.models.clone_model(model0, input_tensors=(x, y))


def _dropout_after_dense(keras):
    def call_function(layer, *args, **kwargs):
        out = layer(*args, **kwargs)
        if isinstance(layer, keras.layers.Dense):
            out = keras.layers.Dropout(0.5)(out)
        return out

    return call_function


def test_call_fn(keras):
    model = _mlp(keras)
    new_model = keras.models.clone_model(
        model, clone_function=lambda x: x, call_function=_dropout_after_dense(keras)
    )
    assert len(model.layers) == 3 and len(new_model.layers) == 5
    assert isinstance(new_model.layers[2], keras.layers.Dropout)
    assert isinstance(new_model.layers[4], keras.layers.Dropout)
    _assert_models_equal(model, new_model, _rand(2, 3))


def test_recursive_functional(keras):
    model = _nested_functional(keras)
    new_model = keras.models.clone_model(
        model,
        clone_function=lambda x: x,
        call_function=_dropout_after_dense(keras),
        recursive=True,
    )
    assert len(_flatten_layers(model)) == 8
    assert len(_flatten_layers(new_model)) == 12
    assert isinstance(new_model.layers[3].layers[2], keras.layers.Dropout)
    assert isinstance(new_model.layers[3].layers[4], keras.layers.Dropout)
    _assert_models_equal(model, new_model, _rand(2, 4))


def _flagging_clone(layer):
    layer = layer.__class__.from_config(layer.get_config())
    layer.flag = True
    return layer


def _check_flags(keras, model, new_model, shape):
    ref_input = _rand(*shape)
    model(ref_input)
    new_model(ref_input)
    new_model.set_weights(model.get_weights())
    _assert_models_equal(model, new_model, ref_input)
    pairs = list(zip(_flatten_layers(model), _flatten_layers(new_model)))
    assert any(isinstance(l2, keras.layers.Dense) for _, l2 in pairs)
    for l1, l2 in pairs:
        if isinstance(l2, keras.layers.Dense):
            assert not hasattr(l1, "flag") and hasattr(l2, "flag")


def test_recursive_sequential(keras):
    model = _nested_sequential(keras)
    new_model = keras.models.clone_model(
        model, clone_function=_flagging_clone, recursive=True
    )
    _check_flags(keras, model, new_model, (2, 3))


def test_recursive_multi_level(keras):
    inputs = keras.layers.Input(shape=(5,))
    x = _nested_functional(keras)(keras.layers.Dense(4)(inputs))
    model = keras.Model(inputs, keras.layers.Dense(2)(x))
    new_model = keras.models.clone_model(
        model, clone_function=_flagging_clone, recursive=True
    )
    _check_flags(keras, model, new_model, (2, 5))

    model = keras.Sequential()
    model.add(keras.layers.Dense(3))
    model.add(_nested_sequential(keras))
    model.add(keras.layers.Dense(2))
    new_model = keras.models.clone_model(
        model, clone_function=_flagging_clone, recursive=True
    )
    _check_flags(keras, model, new_model, (2, 5))


def test_compiled_model_cloning(keras):
    model = keras.Sequential()
    model.add(keras.layers.Input((3,)))
    model.add(keras.layers.Dense(5, activation="relu"))
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    cloned_model = keras.models.clone_model(model)
    assert model.compiled == cloned_model.compiled
