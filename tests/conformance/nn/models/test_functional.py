"""Keras 3's ``models/functional_test.py`` cases, ported (run on both libraries)."""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest

from tests.conformance_keras import assert_close, to_array


def _rand(*shape):
    return np.random.default_rng(0).random(shape).astype("float32")


def _shape(value):
    return tuple(to_array(value).shape)


def _two_input_model(keras, **kwargs):
    input_a = keras.Input(shape=(3,), batch_size=2, name="input_a")
    input_b = keras.Input(shape=(3,), batch_size=2, name="input_b")
    x = input_a + input_b
    x = keras.layers.Dense(5)(x)
    outputs = keras.layers.Dense(4)(x)
    return keras.Model([input_a, input_b], outputs, **kwargs)


def test_basic_flow_multi_input(keras):
    model = _two_input_model(keras, name="basic")
    model.summary(print_fn=lambda *a, **k: None)
    assert model.name == "basic"
    assert isinstance(model, keras.Model)
    assert _shape(model([_rand(2, 3), _rand(2, 3)])) == (2, 4)
    in_a = keras.Input(shape=(3,), batch_size=2, name="input_a_2")
    in_b = keras.Input(shape=(3,), batch_size=2, name="input_b_2")
    assert model([in_a, in_b]).shape == (2, 4)


def test_scalar_input(keras):
    input_a = keras.Input(shape=(3,), batch_size=2, name="input_a")
    input_b = keras.Input(shape=(), batch_size=2, name="input_b")
    outputs = input_a + input_b[:, None]
    model = keras.Model([input_a, input_b], outputs)
    model.summary(print_fn=lambda *a, **k: None)
    out = model([np.zeros((2, 3)), np.ones((2,))])
    assert_close(out, np.ones((2, 3)))


def test_mutable_state(keras):
    inputs = keras.Input(shape=(3,), batch_size=2, name="input")
    x = keras.layers.Dense(5)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(5)(x))
    model.extra_layer = keras.layers.Dense(5)


def test_basic_flow_multi_output(keras):
    inputs = keras.Input(shape=(3,), batch_size=2, name="input")
    x = keras.layers.Dense(5)(inputs)
    output_a = keras.layers.Dense(4)(x)
    output_b = keras.layers.Dense(5)(x)
    model = keras.Model(inputs, [output_a, output_b])
    out = model(_rand(2, 3))
    assert isinstance(out, list) and len(out) == 2
    assert _shape(out[0]) == (2, 4) and _shape(out[1]) == (2, 5)
    out = model(keras.Input(shape=(3,), batch_size=2))
    assert isinstance(out, list) and len(out) == 2
    assert out[0].shape == (2, 4) and out[1].shape == (2, 5)


def test_basic_flow_dict_io(keras):
    input_a = keras.Input(shape=(3,), batch_size=2, name="a")
    input_b = keras.Input(shape=(3,), batch_size=2, name="b")
    x = input_a + input_b
    x = keras.layers.Dense(5)(x)
    outputs = keras.layers.Dense(4)(x)
    with pytest.raises(ValueError, match="All `inputs` values must be KerasTensors"):
        keras.Model({"a": "input_a", "b": input_b}, outputs)
    with pytest.raises(ValueError, match="All `outputs` values must be KerasTensors"):
        keras.Model({"a": input_a, "b": input_b}, "outputs")
    model = keras.Model({"a": input_a, "b": input_b}, outputs)
    assert _shape(model({"a": _rand(2, 3), "b": _rand(2, 3)})) == (2, 4)
    in_val = {
        "a": keras.Input(shape=(3,), batch_size=2),
        "b": keras.Input(shape=(3,), batch_size=2),
    }
    assert model(in_val).shape == (2, 4)


def _check_named(keras, model, names):
    a, b = names
    assert _shape(model({a: _rand(2, 3), b: _rand(2, 4)})) == (2, 4)
    symbolic = {
        a: keras.Input(shape=(3,), batch_size=2),
        b: keras.Input(shape=(4,), batch_size=2),
    }
    assert model(symbolic).shape == (2, 4)


def test_named_input_dict_io_single(keras):
    input_a = keras.Input(shape=(3,), batch_size=2, name="a")
    x = keras.layers.Dense(5)(input_a)
    model = keras.Model(input_a, keras.layers.Dense(4)(x))
    with warnings.catch_warnings():
        # Keras warns here: a dict is not the one-tensor structure.
        warnings.simplefilter("ignore")
        assert _shape(model({"a": _rand(2, 3)})) == (2, 4)
        assert model({"a": keras.Input(shape=(3,), batch_size=2)}).shape == (2, 4)


def test_named_input_dict_io_two(keras):
    input_a = keras.Input(shape=(3,), batch_size=2, name="a")
    input_b = keras.Input(shape=(4,), batch_size=2, name="b")
    a = keras.layers.Dense(5)(input_a)
    b = keras.layers.Dense(5)(input_b)
    outputs = keras.layers.Dense(4)(keras.layers.Concatenate()([a, b]))
    _check_named(keras, keras.Model([input_a, input_b], outputs), "ab")
    _check_named(keras, keras.Model({"a": input_a, "b": input_b}, outputs), "ab")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = keras.Model({"c": input_a, "d": input_b}, outputs)
    _check_named(keras, model, "cd")
    with pytest.raises(ValueError):
        model({"a": _rand(2, 3), "b": _rand(2, 4)})


def test_input_dict_with_extra_field(keras):
    input_a = keras.Input(shape=(3,), batch_size=2, name="a")
    outputs = input_a * 5 + 2
    model = keras.Model({"a": input_a}, outputs)
    with pytest.warns(UserWarning) as record:
        out = model({"a": _rand(2, 3), "b": _rand(2, 1)})
        assert _shape(out) == (2, 3)
        in_val = {
            "a": keras.Input(shape=(3,), batch_size=2),
            "b": keras.Input(shape=(1,), batch_size=2),
        }
        assert model(in_val).shape == (2, 3)
    messages = [str(r.message) for r in record]
    expected = "The structure of `inputs` doesn't match the expected structure"
    assert len([m for m in messages if m.startswith(expected)]) == 1


@pytest.mark.parametrize("out_type", [list, tuple, dict])
def test_restored_multi_output_type(keras, out_type):
    inputs = keras.Input(shape=(3,), batch_size=2, name="input")
    x = keras.layers.Dense(5)(inputs)
    output_a = keras.layers.Dense(4)(x)
    output_b = keras.layers.Dense(5)(x)
    if out_type is dict:
        outputs = {"a": output_a, "b": output_b}
    else:
        outputs = out_type([output_a, output_b])
    model = keras.Model(inputs, outputs)
    restored = keras.Model.from_config(model.get_config())
    assert isinstance(restored(_rand(2, 3)), out_type)
    assert isinstance(restored(keras.Input(shape=(3,), batch_size=2)), out_type)


def test_restored_nested_input(keras):
    input_a = keras.Input(shape=(3,), batch_size=2, name="input_a")
    x = keras.layers.Dense(5)(input_a)
    model = keras.Model([[input_a]], keras.layers.Dense(4)(x))
    json_config = model.to_json()
    assert keras.models.model_from_json(json_config).to_json() == json_config


def test_functional_input_shape_and_type(keras):
    # Keras's case uses Conv1D; any layer gives the same input properties.
    inputs = keras.layers.Input((1024, 4))
    model = keras.Model(inputs, keras.layers.Dense(32)(inputs))
    assert type(model.input) is type(keras.Input((1,)))
    assert model.input_shape == (None, 1024, 4)


def test_layer_getters(keras):
    input_a = keras.Input(shape=(3,), batch_size=2, name="input_a")
    input_b = keras.Input(shape=(3,), batch_size=2, name="input_b")
    x = input_a + input_b
    x = keras.layers.Dense(5, name="dense_1")(x)
    outputs = keras.layers.Dense(4, name="dense_2")(x)
    model = keras.Model([input_a, input_b], outputs)
    assert len(model.layers) == 4
    assert [model.get_layer(index=i).name for i in range(4)] == [
        "input_a",
        "input_b",
        "dense_1",
        "dense_2",
    ]
    assert model.get_layer(name="dense_1").name == "dense_1"


def test_training_arg(keras):
    seen = []

    class Canary(keras.layers.Layer):
        def call(self, x, training=False):
            seen.append(training)
            return x

    inputs = keras.Input(shape=(3,), batch_size=2)
    model = keras.Model(inputs, Canary()(inputs))
    seen.clear()
    model(_rand(2, 3), training=True)
    assert seen == [True]


def test_passing_inputs_by_name(keras):
    model = _two_input_model(keras)
    in_val = {"input_a": _rand(2, 3), "input_b": _rand(2, 3)}
    assert _shape(model(in_val)) == (2, 4)
    in_val = {
        "input_a": keras.Input(shape=(3,), batch_size=2, name="input_a_2"),
        "input_b": keras.Input(shape=(3,), batch_size=2, name="input_b_2"),
    }
    assert model(in_val).shape == (2, 4)


def test_rank_standardization(keras):
    inputs = keras.Input(shape=(3,), batch_size=2)
    model = keras.Model(inputs, keras.layers.Dense(3)(inputs))
    assert _shape(model(_rand(2, 3, 1))) == (2, 3)
    inputs = keras.Input(shape=(3, 1), batch_size=2)
    model = keras.Model(inputs, keras.layers.Dense(3)(inputs))
    assert _shape(model(_rand(2, 3))) == (2, 3, 3)


def test_rank_standardization_failure(keras):
    inputs = keras.Input(shape=(3,), name="foo")
    model = keras.Model(inputs, keras.layers.Dense(3)(inputs))
    with pytest.raises(ValueError, match="name 'foo' .* path ''"):
        model(_rand(2, 3, 4))
    inputs = [{"foo": keras.Input(shape=(3,), name="my_input")}]
    with warnings.catch_warnings():
        # Keras warns first: a dict key differs from its Input's name, and a
        # bare array is not the nested structure.
        warnings.simplefilter("ignore")
        model = keras.Model(inputs, keras.layers.Dense(3)(inputs[0]["foo"]))
        with pytest.raises(ValueError, match="name 'my_input' .* path '0.foo'"):
            model(np.random.random(()))


def test_dtype_standardization(keras):
    float_input = keras.Input(shape=(2,), dtype="float16")
    int_input = keras.Input(shape=(2,), dtype="int32")
    model = keras.Model((float_input, int_input), (float_input + 2, int_input + 2))
    float_data, int_data = model((np.ones((2, 2)), np.ones((2, 2))))
    assert to_array(float_data).dtype == np.float16
    assert to_array(int_data).dtype == np.int32


def _as_lists(value):
    if isinstance(value, dict):
        return {k: _as_lists(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_as_lists(v) for v in value]
    return value


def _round_trip(keras, model):
    config = _as_lists(model.get_config())
    revived = type(model).from_config(copy.deepcopy(config))
    assert _as_lists(revived.get_config()) == config
    return revived


def test_serialization_basic(keras):
    inputs = keras.Input(shape=(3,), batch_size=2)
    model = keras.Model(inputs, keras.layers.Dense(3)(inputs), trainable=False)
    assert _round_trip(keras, model).trainable is False


def test_serialization_multi_io(keras):
    layers = keras.layers
    input_a = keras.Input(shape=(3,), batch_size=2, name="input_a")
    input_b = keras.Input(shape=(3,), batch_size=2, name="input_b")
    xa = layers.Dense(5, name="middle_a")(input_a)
    xb = layers.Dense(5, name="middle_b")(input_b)
    output_a = layers.Dense(4, name="output_a")(xa)
    output_b = layers.Dense(4, name="output_b")(xb)
    _round_trip(keras, keras.Model([input_a, input_b], [output_a, output_b], name="f"))


def test_serialization_with_ops(keras):
    layers = keras.layers
    input_a = keras.Input(shape=(3,), batch_size=2, name="input_a")
    input_b = keras.Input(shape=(3,), batch_size=2, name="input_b")
    x = layers.Dense(5, name="middle")(input_a + input_b)
    output_a = layers.Dense(4, name="output_a")(x)
    output_b = layers.Dense(4, name="output_b")(x)
    model = keras.Model([input_a, input_b], [output_a, output_b], name="func")
    revived = _round_trip(keras, model)
    feed = [_rand(2, 3), _rand(2, 3) + 1]
    revived.set_weights(model.get_weights())
    for got, want in zip(revived(feed), model(feed), strict=True):
        assert_close(got, to_array(want), atol=1e-6)


def test_serialization_dict_io(keras):
    input_a = keras.Input(shape=(3,), batch_size=2, name="a")
    input_b = keras.Input(shape=(3,), batch_size=2, name="b")
    x = keras.layers.Dense(5)(input_a + input_b)
    model = keras.Model({"a": input_a, "b": input_b}, keras.layers.Dense(4)(x))
    _round_trip(keras, model)


def test_serialization_unmodified_input_as_output(keras):
    input_a = keras.Input(shape=(3,), batch_size=2, name="a")
    input_b = keras.Input(shape=(3,), batch_size=2, name="b")
    model = keras.Model({"a": input_a, "b": input_b}, {"a": input_a * 2, "b": input_b})
    _round_trip(keras, model)


def test_serialization_unused_input(keras):
    input_a = keras.Input(shape=(3,), batch_size=2, name="a")
    input_b = keras.Input(shape=(3,), batch_size=2, name="b")
    model = keras.Model({"a": input_a, "b": input_b}, input_a * 2)
    _round_trip(keras, model)


def test_bad_input_spec_single(keras):
    inputs = keras.Input(shape=(4,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    with pytest.raises(
        ValueError, match=r"expected shape=\(None, 4\), found shape=\(2, 3\)"
    ):
        model(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"expects 1 .*input"):
        model([np.zeros((2, 4)), np.zeros((2, 4))])


def test_bad_input_spec_list_and_dict(keras):
    input_a = keras.Input(shape=(4,), name="a")
    input_b = keras.Input(shape=(4,), name="b")
    outputs = keras.layers.Dense(2)(input_a + input_b)
    model = keras.Model([input_a, input_b], outputs)
    with pytest.raises(ValueError, match=r"expects 2 .*input"):
        model(np.zeros((2, 3)))
    with pytest.raises(
        ValueError, match=r"expected shape=\(None, 4\), found shape=\(2, 3\)"
    ):
        model([np.zeros((2, 3)), np.zeros((2, 4))])
    model = keras.Model({"a": input_a, "b": input_b}, outputs)
    with pytest.raises(ValueError, match=r"named input\(s\) with keys"):
        model(np.zeros((2, 3)))
    with pytest.raises(
        ValueError, match=r"expected shape=\(None, 4\), found shape=\(2, 3\)"
    ):
        model({"a": np.zeros((2, 3)), "b": np.zeros((2, 4))})


def test_manual_input_spec(keras):
    inputs = keras.Input(shape=(None, 3))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    model.input_spec = keras.layers.InputSpec(shape=(None, 4, 3))
    with pytest.raises(
        ValueError, match=r"expected shape=\(None, 4, 3\), found shape=\(2, 3, 3\)"
    ):
        model(np.zeros((2, 3, 3)))
    model(np.zeros((2, 4, 3)))


def test_functional_slicing(keras):
    layers = keras.layers
    inputs = keras.Input(shape=(None, 2), name="input")
    x1 = layers.Dense(3, name="dense1")(inputs)
    x2 = layers.Dense(4, name="dense2")(x1)
    outputs = layers.Dense(5, name="dense3")(x2)
    full = keras.Model(inputs, outputs, name="full_model")
    assert len(full.layers) == 4

    def names(model):
        assert isinstance(model.layers[0], layers.InputLayer)
        return [layer.name for layer in model.layers[1:]]

    assert names(keras.Model(x2, outputs, name="partial1")) == ["dense3"]
    assert names(keras.Model(x1, x2, name="partial2")) == ["dense2"]
    partial3 = keras.Model(full.get_layer("dense2").input, outputs, name="partial3")
    assert names(partial3) == ["dense2", "dense3"]
    partial4 = keras.Model(
        full.get_layer("dense1").input, full.get_layer("dense2").output, name="p4"
    )
    assert names(partial4) == ["dense1", "dense2"]


def test_deeply_nested_model(keras, tmp_path):
    Input, Dense = keras.Input, keras.layers.Dense
    i1, i2, i3 = Input((1,)), Input((2,)), Input((3,))
    o1, o2, o3 = Dense(1)(i1), Dense(2)(i2), Dense(3)(i3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras: dict keys differ from Input names
        model = keras.Model(
            {"1": i1, "others": {"2": i2, "3": i3}},
            {"1": o1, "others": {"2": o2, "3": o3}},
        )
    feed = {
        "1": np.ones((2, 1)),
        "others": {"2": np.ones((2, 2)), "3": np.ones((2, 3))},
    }
    out_eager = model(feed)
    out_symbolic = model(
        {
            "1": Input((1,), batch_size=2),
            "others": {"2": Input((2,), batch_size=2), "3": Input((3,), batch_size=2)},
        }
    )
    for out in (out_eager, out_symbolic):
        assert isinstance(out, dict) and set(out) == {"1", "others"}
        assert isinstance(out["others"], dict) and set(out["others"]) == {"2", "3"}
        assert tuple(out["1"].shape) == (2, 1)
        assert tuple(out["others"]["2"].shape) == (2, 2)
        assert tuple(out["others"]["3"].shape) == (2, 3)
    path = str(tmp_path / "deeply_nested.keras")
    model.save(path)
    loaded = keras.models.load_model(path)(feed)
    assert_close(loaded["1"], to_array(out_eager["1"]))
    assert_close(loaded["others"]["2"], to_array(out_eager["others"]["2"]))
    assert_close(loaded["others"]["3"], to_array(out_eager["others"]["3"]))


def test_unmodified_inputs(keras):
    i1 = keras.Input((2,), name="input1")
    i2 = keras.Input((2,), name="input2")
    model = keras.Model(
        {"input1": i1, "input2": i2}, {"output1": i1 * 2, "output2": i2}
    )
    out = model({"input1": np.ones((2, 2)), "input2": np.zeros((2, 2))})
    assert_close(out["output1"], np.ones((2, 2)) * 2)
    assert_close(out["output2"], np.zeros((2, 2)))
    out = model({"input1": keras.Input((2,)), "input2": keras.Input((2,))})
    assert isinstance(out, dict)
    assert out["output1"].shape == (None, 2) and out["output2"].shape == (None, 2)


def test_unused_inputs(keras):
    i1 = keras.Input((2,), name="input1")
    i2 = keras.Input((2,), name="input2")
    model = keras.Model({"input1": i1, "input2": i2}, i1 * 2)
    out = model({"input1": np.ones((2, 2)), "input2": np.zeros((2, 2))})
    assert_close(out, np.ones((2, 2)) * 2)
    out = model({"input1": keras.Input((2,)), "input2": keras.Input((2,))})
    assert out.shape == (None, 2)


def test_disconnected_output(keras):
    i1 = keras.Input((2,), name="input1")
    i2 = keras.Input((2,), name="input2")
    with pytest.raises(ValueError, match="Output with path `output2` is not connected"):
        keras.Model(i1, {"output1": i1 * 2, "output2": i2 * 3})


def test_warning_for_mismatched_inputs_structure(keras):
    def input_warnings(records):
        start = "The structure of `inputs` doesn't match the expected structure"
        return [r for r in records if str(r.message).startswith(start)]

    i1, i2 = keras.Input((2,)), keras.Input((2,))
    outputs = keras.layers.Add()([i1, i2])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras: dict keys differ from Input names
        model = keras.Model({"i1": i1, "i2": i2}, outputs)
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        model.predict([np.ones((2, 2)), np.zeros((2, 2))], verbose=0)
    assert len(input_warnings(records)) == 1
    model = keras.Model([i1, i2], outputs)
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        model.predict((np.ones((2, 2)), np.zeros((2, 2))), verbose=0)
    assert len(input_warnings(records)) == 0


def test_layers_setter(keras):
    inputs = keras.Input(shape=(3,), batch_size=2, name="input")
    model = keras.Model(inputs, keras.layers.Dense(5)(inputs))
    with pytest.raises(AttributeError, match="`Model.layers` attribute is reserved"):
        model.layers = [keras.layers.Dense(4)]


def test_dict_input_to_list_model(keras):
    layers = keras.layers
    rng = np.random.default_rng(0)
    title = layers.Input(shape=(100,), name="title")
    text_body = layers.Input(shape=(100,), name="text_body")
    tags = layers.Input(shape=(10,), name="tags")
    features = layers.Concatenate()([title, text_body, tags])
    features = layers.Dense(64, activation="relu")(features)
    priority = layers.Dense(1, activation="sigmoid", name="priority")(features)
    department = layers.Dense(3, activation="softmax", name="department")(features)
    model = keras.Model(inputs=[title, text_body, tags], outputs=[priority, department])
    xs = [rng.integers(0, 2, size=(128, d)).astype("float32") for d in (100, 100, 10)]
    ys = [rng.random((128, 1)), rng.integers(0, 2, size=(128, 3)).astype("float32")]
    model.compile(
        optimizer="adam",
        loss=["mean_squared_error", "categorical_crossentropy"],
        metrics=[["mean_absolute_error"], ["accuracy"]],
    )
    model.fit(xs, ys, epochs=1, verbose=0)
    model.evaluate(xs, ys, verbose=0)
    assert len(model.predict(xs, verbose=0)) == 2
    model.compile(
        optimizer="adam",
        loss={
            "priority": "mean_squared_error",
            "department": "categorical_crossentropy",
        },
        metrics={"priority": ["mean_absolute_error"], "department": ["accuracy"]},
    )
    x_dict = dict(zip(["title", "text_body", "tags"], xs, strict=True))
    y_dict = dict(zip(["priority", "department"], ys, strict=True))
    model.fit(x_dict, y_dict, epochs=1, verbose=0)
    model.evaluate(x_dict, y_dict, verbose=0)
    priority_preds, department_preds = model.predict(x_dict, verbose=0)
    assert priority_preds.shape == (128, 1) and department_preds.shape == (128, 3)


def test_list_input_with_dict_build(keras):
    x1 = keras.Input((10,), name="IT")
    x2 = keras.Input((10,), name="IS")
    y = keras.layers.subtract([x1, x2])
    model = keras.Model(inputs={"IT": x1, "IS": x2}, outputs=y)
    a, b = np.ones((1, 10), "float32"), np.zeros((1, 10), "float32")
    model({"IT": a, "IS": b})
    with pytest.raises(
        ValueError,
        match="The structure of `inputs` doesn't match the expected structure",
    ):
        model([a, b])


def _legacy_config(dense_layers, output):
    input_entry = {
        "class_name": "InputLayer",
        "name": "input_1",
        "config": {
            "batch_input_shape": [None, 10],
            "dtype": "float32",
            "name": "input_1",
        },
        "inbound_nodes": [],
    }
    entries = [input_entry] + [
        {
            "class_name": "Dense",
            "name": name,
            "config": {"units": 10, "name": name},
            "inbound_nodes": [[[source, 0, 0, {}]]],
        }
        for name, source in dense_layers
    ]
    return {
        "name": "infinite_loop_model",
        "layers": entries,
        "input_layers": [["input_1", 0, 0]],
        "output_layers": [[output, 0, 0]],
    }


def test_invalid_config_deserialization_loop(keras):
    config = _legacy_config([("node_a", "node_b"), ("node_b", "node_a")], "node_b")
    with pytest.raises(ValueError, match="loop"):
        keras.Model.from_config(config)


def test_invalid_config_deserialization_missing_node(keras):
    config = _legacy_config([("node_a", "node_b")], "node_a")
    with pytest.raises(ValueError, match="Missing node: node_b"):
        keras.Model.from_config(config)


def _optional_input_layer(keras):
    class OptionalInputLayer(keras.layers.Layer):
        def call(self, x, y=None):
            if y is not None:
                return x + y
            return x

        def compute_output_shape(self, x_shape):
            return x_shape

    return OptionalInputLayer()


def test_optional_inputs(keras):
    i1 = keras.Input((2,))
    i2 = keras.Input((2,), optional=True)
    model = keras.Model([i1, i2], _optional_input_layer(keras)(i1, i2))
    assert_close(model([np.ones((2, 2)), None]), np.ones((2, 2)))
    assert_close(model([np.ones((2, 2)), np.ones((2, 2))]), 2 * np.ones((2, 2)))


def test_optional_dict_inputs(keras):
    i1 = keras.Input((2,), name="input1")
    i2 = keras.Input((2,), name="input2", optional=True)
    model = keras.Model(
        {"input1": i1, "input2": i2}, _optional_input_layer(keras)(i1, i2)
    )
    assert_close(model({"input1": np.ones((2, 2)), "input2": None}), np.ones((2, 2)))


def test_required_input_none_raises(keras):
    i1 = keras.Input((2,), name="input1")
    i2 = keras.Input((2,), name="input2", optional=False)
    model = keras.Model(
        {"input1": i1, "input2": i2}, _optional_input_layer(keras)(i1, i2)
    )
    with pytest.raises(ValueError, match="not optional"):
        model({"input1": np.ones((2, 2)), "input2": None})


def test_optional_and_required_mixed_structures(keras):
    i1 = keras.Input((2,), name="input1")
    i2 = keras.Input((2,), name="input2", optional=True)
    model = keras.Model(
        {"input1": i1, "input2": i2}, _optional_input_layer(keras)(i1, i2)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns: a list for a dict model
        assert_close(model([np.ones((2, 2)), None]), np.ones((2, 2)))
    assert_close(model({"input1": np.ones((2, 2)), "input2": None}), np.ones((2, 2)))


def test_required_none_raises_in_fit(keras):
    x = keras.layers.Input((3,), name="x")
    model = keras.Model(x, keras.layers.Dense(1)(x))
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="not optional"):
        model.fit([None], np.ones((4, 1)), epochs=1, verbose=0)


def test_optional_input_call_saves_and_reloads(keras, tmp_path):
    i1 = keras.Input((2,), name="input1")
    i2 = keras.Input((2,), name="input2", optional=True)
    model = keras.Model([i1, i2], _optional_input_layer(keras)(i1, i2))
    revived = keras.Model.from_config(
        model.get_config(), custom_objects={"OptionalInputLayer": type(model.layers[2])}
    )
    assert_close(revived([np.ones((2, 2)), np.ones((2, 2))]), 2 * np.ones((2, 2)))
