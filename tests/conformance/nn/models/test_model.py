"""Keras 3's ``models/model_test.py`` cases, ported (run on both libraries).

Skipped (out of scope): quantization (``quantize``), ``export``, and the
backend-specific branches.
"""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest

from tests.conformance_keras import assert_close, to_array


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).random(shape).astype("float32")


def _two_input_model(keras):
    input_a = keras.Input(shape=(3,), batch_size=2, name="input_a")
    input_b = keras.Input(shape=(3,), batch_size=2, name="input_b")
    x = keras.layers.Dense(5)(input_a + input_b)
    return keras.Model([input_a, input_b], keras.layers.Dense(4)(x))


def _multi_outputs_list(keras, names=True):
    x = keras.Input(shape=(3,), name="input_a")
    a = keras.layers.Dense(1, name="output_a" if names else None)(x)
    b = keras.layers.Dense(1, name="output_b" if names else None, activation="sigmoid")(
        x
    )
    return keras.Model(x, [a, b])


def _single_output(keras, wrap=None):
    x = keras.Input(shape=(3,), name="input_a")
    out = keras.layers.Dense(1, name="output_a")(x)
    if wrap == "list":
        out = [out]
    elif wrap == "dict":
        out = {"output_a": out}
    return keras.Model(x, out)


def _multi_outputs_dict(keras):
    x = keras.Input(shape=(3,), name="input_a")
    a = keras.layers.Dense(1, name="output_a")(x)
    b = keras.layers.Dense(1, name="output_b", activation="sigmoid")(x)
    return keras.Model(x, {"output_a": a, "output_b": b})


def _data():
    rng = np.random.default_rng(1)
    x = rng.random((8, 3)).astype("float32")
    y1 = rng.random((8, 1)).astype("float32")
    y2 = rng.integers(0, 2, (8, 1)).astype("float32")
    return x, y1, y2


def _history_keys(model, x, y):
    history = model.fit(x, y, batch_size=2, epochs=1, verbose=0)
    return sorted(history.history)


def test_functional_rerouting(keras):
    assert isinstance(_two_input_model(keras), keras.Model)


def test_json_serialization(keras):
    model = _two_input_model(keras)
    json_string = model.to_json()
    assert keras.models.model_from_json(json_string).to_json() == json_string
    assert json.loads(json_string)["class_name"] == "Functional"


def test_tuple_input_model_subclass(keras):
    class MultiInputModel(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense1 = keras.layers.Dense(4)

        def call(self, inputs):
            a, b = inputs
            return keras.layers.concatenate([self.dense1(a), b])

    out = MultiInputModel()((_rand(3, 3), _rand(3, 2)))
    assert tuple(to_array(out).shape) == (3, 6)


def test_reviving_functional_from_config_custom_layer(keras):
    class CustomDense(keras.layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.dense = keras.layers.Dense(units)

        def call(self, x):
            return self.dense(x)

        def get_config(self):
            return {**super().get_config(), "units": self.dense.units}

    inputs = keras.layers.Input((4,))
    model = keras.Model(inputs, CustomDense(10)(inputs))
    revived = keras.Model.from_config(
        model.get_config(), custom_objects={"CustomDense": CustomDense}
    )
    assert isinstance(revived, keras.Model)
    assert revived.output_shape == (None, 10)


def test_reviving_functional_from_config_custom_model(keras):
    class CustomModel(keras.Model):
        def __init__(self, *args, param=1, **kwargs):
            super().__init__(*args, **kwargs)
            self.param = param

        def get_config(self):
            return super().get_config() | {"param": self.param}

    inputs = keras.layers.Input((3,))
    model = CustomModel(inputs=inputs, outputs=keras.layers.Dense(5)(inputs), param=3)
    assert CustomModel.from_config(model.get_config()).param == 3


@pytest.mark.parametrize("wrap", [None, "list"])
def test_functional_pickling(keras, wrap):
    model = _single_output(keras, wrap)
    assert isinstance(model, keras.Model)
    model.compile()
    x = _rand(8, 3)
    reloaded = pickle.loads(pickle.dumps(model))
    assert_close(
        np.array(reloaded.predict(x, verbose=0)), np.array(model.predict(x, verbose=0))
    )


@pytest.mark.parametrize("wrap", [None, "list", "dict"])
@pytest.mark.parametrize("loss_type", [None, "list", "dict", "dict_list"])
def test_functional_single_output(keras, wrap, loss_type):
    model = _single_output(keras, wrap)
    loss = "mean_squared_error"
    loss = {
        "list": [loss],
        "dict": {"output_a": loss},
        "dict_list": {"output_a": [loss]},
    }.get(loss_type, loss)
    model.compile(
        optimizer="sgd",
        loss=loss,
        metrics={"output_a": ["mean_squared_error", "mean_absolute_error"]},
        weighted_metrics={"output_a": "mean_squared_error"},
    )
    x, y1, _ = _data()
    assert _history_keys(model, x, y1) == sorted(
        [
            "loss",
            "mean_absolute_error",
            "mean_squared_error",
            "weighted_mean_squared_error",
        ]
    )


_LIST_KEYS = [
    "loss",
    "output_a_loss",
    "output_a_mean_squared_error",
    "output_b_accuracy",
    "output_b_loss",
    "output_b_mean_squared_error",
]


def test_functional_list_outputs_list_losses(keras):
    model = _multi_outputs_list(keras)
    x, y1, y2 = _data()
    model.compile(
        optimizer="sgd",
        loss=["mean_squared_error", "binary_crossentropy"],
        metrics=["mean_squared_error", ["mean_squared_error", "accuracy"]],
        loss_weights=[0.1, 2],
    )
    assert _history_keys(model, x, (y1, y2)) == sorted(_LIST_KEYS)


def test_functional_list_outputs_list_losses_abbr(keras):
    model = _multi_outputs_list(keras)
    x, y1, y2 = _data()
    model.compile(
        optimizer="sgd",
        loss=["mse", "bce"],
        metrics=[["bce", "mse", "mae"], ["mse", "acc"]],
        loss_weights=[0.1, 2],
    )
    assert _history_keys(model, x, (y1, y2)) == sorted(
        [
            "loss",
            "output_a_loss",
            "output_a_bce",
            "output_a_mae",
            "output_a_mse",
            "output_b_acc",
            "output_b_loss",
            "output_b_mse",
        ]
    )


def test_functional_list_outputs_nested_list_losses(keras):
    model = _multi_outputs_list(keras)
    x, y1, y2 = _data()
    model.compile(
        optimizer="sgd",
        loss=["mean_squared_error", ["binary_crossentropy"]],
        metrics=["mean_squared_error", ["mean_squared_error", "accuracy"]],
        loss_weights=[0.1, 2],
    )
    assert _history_keys(model, x, (y1, y2)) == sorted(_LIST_KEYS)


_WEIGHTED_KEYS = sorted(
    _LIST_KEYS
    + [
        "output_a_weighted_mean_squared_error",
        "output_b_weighted_accuracy",
        "output_b_weighted_mean_squared_error",
    ]
)


def test_functional_dict_outputs_dict_losses(keras):
    model = _multi_outputs_dict(keras)
    x, y1, y2 = _data()
    model.compile(
        optimizer="sgd",
        loss={"output_a": "mean_squared_error", "output_b": ["binary_crossentropy"]},
        metrics={
            "output_a": ["mean_squared_error"],
            "output_b": ["mean_squared_error", "accuracy"],
        },
        weighted_metrics={
            "output_a": ["mean_squared_error"],
            "output_b": ["mean_squared_error", "accuracy"],
        },
    )
    outputs = model.predict(x, verbose=0)
    assert isinstance(outputs, dict)
    assert outputs["output_a"].shape == (8, 1) and outputs["output_b"].shape == (8, 1)
    assert _history_keys(model, x, {"output_a": y1, "output_b": y2}) == _WEIGHTED_KEYS


def test_functional_dict_outputs_dict_losses_with_undefined_loss(keras):
    model = _multi_outputs_dict(keras)
    x, y1, y2 = _data()
    model.compile(
        optimizer="sgd",
        loss={"output_b": ["binary_crossentropy"]},
        metrics={"output_b": ["mean_squared_error", "accuracy"]},
        weighted_metrics={"output_b": ["mean_squared_error", "accuracy"]},
    )
    outputs = model.predict(x, verbose=0)
    assert isinstance(outputs, dict)
    assert outputs["output_a"].shape == (8, 1) and outputs["output_b"].shape == (8, 1)
    assert _history_keys(model, x, {"output_a": y1, "output_b": y2}) == sorted(
        [
            "loss",
            "output_b_accuracy",
            "output_b_mean_squared_error",
            "output_b_weighted_accuracy",
            "output_b_weighted_mean_squared_error",
        ]
    )


def test_functional_list_outputs_dict_losses_metrics(keras):
    model = _multi_outputs_list(keras)
    x, y1, y2 = _data()
    model.compile(
        optimizer="sgd",
        loss={"output_a": "mean_squared_error", "output_b": "binary_crossentropy"},
        metrics={
            "output_a": ["mean_squared_error"],
            "output_b": ["mean_squared_error", "accuracy"],
        },
        weighted_metrics={
            "output_a": ["mean_squared_error"],
            "output_b": ["mean_squared_error", "accuracy"],
        },
    )
    outputs = model.predict(x, verbose=0)
    assert isinstance(outputs, list)
    assert outputs[0].shape == (8, 1) and outputs[1].shape == (8, 1)
    assert _history_keys(model, x, (y1, y2)) == _WEIGHTED_KEYS


def test_functional_list_outputs_dict_losses_metrics_uniq_weighted(keras):
    model = _multi_outputs_list(keras)
    x, y1, y2 = _data()
    model.compile(
        optimizer="sgd",
        loss={"output_a": "mean_squared_error", "output_b": "binary_crossentropy"},
        metrics={
            "output_a": ["mean_squared_error"],
            "output_b": ["mean_squared_error"],
        },
        weighted_metrics={"output_a": ["mean_squared_error"], "output_b": ["accuracy"]},
    )
    # A metric only in weighted_metrics keeps its plain name.
    assert _history_keys(model, x, (y1, y2)) == sorted(
        [
            "loss",
            "output_a_loss",
            "output_a_mean_squared_error",
            "output_a_weighted_mean_squared_error",
            "output_b_accuracy",
            "output_b_loss",
            "output_b_mean_squared_error",
        ]
    )


def test_functional_list_outputs_dict_losses_partial_metrics(keras):
    model = _multi_outputs_list(keras)
    x, y1, y2 = _data()
    model.compile(
        optimizer="sgd",
        loss={"output_a": "mean_squared_error", "output_b": "binary_crossentropy"},
        metrics={"output_b": ["mean_squared_error", "accuracy"]},
    )
    assert _history_keys(model, x, (y1, y2)) == sorted(
        [
            "loss",
            "output_a_loss",
            "output_b_accuracy",
            "output_b_loss",
            "output_b_mean_squared_error",
        ]
    )


def test_functional_dict_outputs_with_single_tensor(keras):
    x_in = keras.Input(shape=(3,), name="input_a")
    output = keras.layers.Dense(1, name="output_a")(x_in)
    model = keras.Model(x_in, {"output_a": output, "output_b": output})
    x, y1, y2 = _data()
    assert len(model.outputs) == 2
    model.compile(
        optimizer="sgd",
        loss={"output_a": "mean_squared_error", "output_b": "binary_crossentropy"},
    )
    assert _history_keys(model, x, (y1, y2)) == [
        "loss",
        "output_a_loss",
        "output_b_loss",
    ]


def test_functional_list_outputs_with_custom_compute_loss(keras):
    class MyModel(keras.Model):
        def __init__(self):
            inputs = keras.Input(shape=(3,), name="inputs")
            outputs = keras.layers.Dense(1, name="a")(inputs)
            super().__init__(inputs=inputs, outputs=outputs)

        def compute_loss(self, x, y, y_pred, sample_weight=None, **kwargs):
            return super().compute_loss(
                x=x, y=y, y_pred=[y_pred, y_pred], sample_weight=sample_weight, **kwargs
            )

    model = MyModel()
    x, y1, y2 = _data()
    assert len(model.outputs) == 1
    model.compile(optimizer="sgd", loss=["mean_squared_error", "binary_crossentropy"])
    assert _history_keys(model, x, (y1, y2)) == sorted(
        ["binary_crossentropy_loss", "loss", "mean_squared_error_loss"]
    )


def test_functional_list_outputs_dict_losses_invalid_keys(keras):
    model = _multi_outputs_list(keras)
    x, y1, y2 = _data()
    model.compile(
        optimizer="sgd",
        loss={"output_a": "mean_squared_error", "output_c": "binary_crossentropy"},
    )
    with pytest.raises(ValueError, match="Expected keys"):
        model.fit(x, (y1, y2), batch_size=2, epochs=1, verbose=0)


def test_functional_list_outputs_dict_losses_no_output_names(keras):
    model = _multi_outputs_list(keras, names=False)
    x, y1, y2 = _data()
    model.compile(optimizer="sgd", loss={"output_a": "mean_squared_error"})
    with pytest.raises(ValueError, match="Expected keys"):
        model.fit(x, (y1, y2), batch_size=2, epochs=1, verbose=0)


@pytest.mark.parametrize("dict_outputs", [False, True])
def test_functional_dict_metrics_invalid_keys(keras, dict_outputs):
    model = _multi_outputs_dict(keras) if dict_outputs else _multi_outputs_list(keras)
    x, y1, y2 = _data()
    model.compile(
        optimizer="sgd",
        loss={"output_a": "mean_squared_error", "output_b": "binary_crossentropy"},
        metrics={"output_c": ["mean_squared_error", "accuracy"]},
    )
    with pytest.raises(ValueError, match="(?s)Invalid `metrics`.*output_c"):
        model.fit(x, (y1, y2), batch_size=2, epochs=1, verbose=0)


def test_functional_dict_outputs_dict_losses_invalid_keys(keras):
    model = _multi_outputs_dict(keras)
    x, y1, y2 = _data()
    model.compile(
        optimizer="sgd",
        loss={"output_a": "mean_squared_error", "output_c": "binary_crossentropy"},
    )
    with pytest.raises(
        KeyError,
        match="in the `loss` argument, can't be found in either the model's output",
    ):
        model.fit(x, (y1, y2), batch_size=2, epochs=1, verbose=0)


def test_functional_list_outputs_invalid_nested_list_losses(keras):
    model = _multi_outputs_list(keras)
    x, y1, y2 = _data()
    model.compile(
        optimizer="sgd",
        loss=["mean_squared_error", ["mean_squared_error", "binary_crossentropy"]],
    )
    assert _history_keys(model, x, (y1, y2)) == [
        "loss",
        "output_a_loss",
        "output_b_loss",
    ]


def test_layers_setter(keras):
    model = keras.Model()
    with pytest.raises(AttributeError, match="`Model.layers` attribute is reserved"):
        model.layers = [keras.layers.Dense(4)]


def _optional_inputs_model(keras):
    class OptionalInputLayer(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def call(self, x, o=None):
            return self.dense(x if o is None else x + o)

    x = keras.Input((2,), name="x")
    o = keras.Input((2,), name="o", optional=True)
    return keras.Model({"x": x, "o": o}, OptionalInputLayer()(x, o))


@pytest.mark.parametrize("is_optional_none", [True, False])
def test_functional_optional_inputs(keras, is_optional_none):
    model = _optional_inputs_model(keras)
    x = np.ones((2, 2), "float32")
    o = None if is_optional_none else np.ones((2, 2), "float32")
    y_true = np.ones((2, 2), "float32")
    model.compile(loss="mse", optimizer="adam")
    model.fit(x={"x": x, "o": o}, y=y_true, verbose=0)
    model.evaluate(x={"x": x, "o": o}, y=y_true, verbose=0)
    assert model.predict(x={"x": x, "o": o}, verbose=0).shape == (2, 2)


@pytest.mark.parametrize("is_optional_none", [True, False])
def test_functional_optional_inputs_generator(keras, is_optional_none):
    model = _optional_inputs_model(keras)
    x = np.ones((2, 2), "float32")
    o = None if is_optional_none else np.ones((2, 2), "float32")
    y_true = np.ones((2, 2), "float32")

    def data_generator(with_y=True):
        for _ in range(4):
            yield ({"x": x, "o": o},) + ((y_true,) if with_y else ())

    model.compile(loss="mse", optimizer="adam")
    model.fit(data_generator(), verbose=0)
    model.evaluate(data_generator(), verbose=0)
    assert model.predict(data_generator(with_y=False), verbose=0).shape == (8, 2)
