"""Keras 3's trainers/compile_utils_test cases, ported through the public API.

Keras's test drives its internal ``CompileMetrics``/``CompileLoss`` with given
predictions; here an echo model returns its input as the prediction, and
``evaluate`` (one batch per ``update_state`` of the original) reads the same
results.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close

Y_TRUE = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], "float32")
Y_PRED_1 = np.array([[0.4, 0.1], [0.2, 0.6], [0.6, 0.1]], "float32")
Y_PRED_2 = np.array([[0.3, 0.2], [0.1, 0.4], [0.2, 0.3]], "float32")
Y3_TRUE = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]], "float32")
Y3_PRED_1 = np.array([[0.4, 0.1, 0.3], [0.2, 0.6, 0.4], [0.6, 0.1, 0.8]], "float32")
Y3_PRED_2 = np.array([[0.3, 0.2, 0.1], [0.5, 0.4, 0.6], [0.1, 0.8, 0.7]], "float32")
SAMPLE_WEIGHT = np.array([1, 0.0, 1], "float32")


def echo(keras):
    class Echo(keras.Model):
        def call(self, x):
            return x

    return Echo()


def _twice(a, b):
    return np.concatenate([a, b])


def test_metrics_single_output_case(keras):
    model = echo(keras)
    model.compile(
        loss="mse",
        metrics=[keras.metrics.MeanSquaredError()],
        weighted_metrics=[keras.metrics.MeanSquaredError()],
    )
    result = model.evaluate(
        _twice(Y_PRED_1, Y_PRED_2),
        _twice(Y_TRUE, Y_TRUE),
        sample_weight=_twice(SAMPLE_WEIGHT, SAMPLE_WEIGHT),
        batch_size=3,
        return_dict=True,
        verbose=0,
    )
    assert_close(result["mean_squared_error"], 0.055833336)
    assert_close(result["weighted_mean_squared_error"], 0.0725)


def test_metrics_dict_output_case(keras):
    def per_output():
        return [
            keras.metrics.MeanSquaredError(),
            keras.metrics.MeanSquaredError(name="mse"),
        ]

    model = echo(keras)
    model.compile(
        loss={"output_1": "mse", "output_2": "mse"},
        metrics={"output_1": per_output(), "output_2": per_output()},
        weighted_metrics={"output_1": per_output(), "output_2": per_output()},
    )
    x = {
        "output_1": _twice(Y_PRED_1, Y_PRED_2),
        "output_2": _twice(Y3_PRED_1, Y3_PRED_2),
    }
    y = {"output_1": _twice(Y_TRUE, Y_TRUE), "output_2": _twice(Y3_TRUE, Y3_TRUE)}
    result = model.evaluate(
        x,
        y,
        sample_weight=_twice(SAMPLE_WEIGHT, SAMPLE_WEIGHT),
        batch_size=3,
        return_dict=True,
        verbose=0,
    )
    assert_close(result["output_1_mean_squared_error"], 0.055833336)
    assert_close(result["output_2_mean_squared_error"], 0.066666667)
    assert_close(result["output_1_mse"], 0.055833336)
    assert_close(result["output_2_mse"], 0.066666667)
    assert_close(result["output_1_weighted_mean_squared_error"], 0.0725)
    assert_close(result["output_2_weighted_mean_squared_error"], 0.090833336)
    assert_close(result["output_1_weighted_mse"], 0.0725)
    assert_close(result["output_2_weighted_mse"], 0.090833336)


def test_name_conversions(keras):
    model = echo(keras)
    model.compile(loss="mse", metrics=["acc", "accuracy", "mse"])
    result = model.evaluate(Y_PRED_1, Y_TRUE, return_dict=True, verbose=0)
    assert_close(result["acc"], 0.333333, atol=1e-6)
    assert_close(result["accuracy"], 0.333333, atol=1e-6)
    assert "mse" in result


def test_custom_metric_function(keras):
    def my_custom_metric(y_true, y_pred):
        return (y_true - y_pred) ** 2

    model = echo(keras)
    model.compile(loss="mse", metrics=[my_custom_metric])
    result = model.evaluate(Y_PRED_1, Y_TRUE, return_dict=True, verbose=0)
    assert list(result) == ["loss", "my_custom_metric"]


def test_dict_outputs_outputs_ordering(keras):
    model = echo(keras)
    model.compile(
        loss={"b": "mse", "a": "mse"},
        metrics={
            "b": keras.metrics.MeanAbsolutePercentageError(),
            "a": keras.metrics.MeanSquaredError(),
        },
    )
    x = {"a": np.full((3, 2), 2.0, "float32"), "b": np.zeros((3, 5), "float32")}
    y = {"a": np.ones((3, 2), "float32"), "b": np.ones((3, 5), "float32")}
    result = model.evaluate(x, y, return_dict=True, verbose=0)
    assert_close(result["a_mean_squared_error"], 1.0)
    assert_close(result["b_mean_absolute_percentage_error"], 100.0)


def test_loss_single_output_case(keras):
    model = echo(keras)
    model.compile(loss=keras.losses.MeanSquaredError())
    assert_close(model.evaluate(Y_PRED_1, Y_TRUE, verbose=0), 0.068333, atol=1e-5)


LIST_TRUE = [
    np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], "float32"),
    np.array([[0.7, 0.8], [0.9, 1.0], [1.1, 1.2]], "float32"),
]
LIST_PRED = [
    np.array([[1.2, 1.1], [1.0, 0.9], [0.8, 0.7]], "float32"),
    np.array([[0.6, 0.5], [0.4, 0.3], [0.2, 0.1]], "float32"),
]


@pytest.mark.parametrize("broadcast", [True, False])
def test_loss_list_output_case(keras, broadcast):
    model = echo(keras)
    model.compile(loss="mse" if broadcast else ["mse", "mse"])
    logs = model.evaluate(LIST_PRED, LIST_TRUE, return_dict=True, verbose=0)
    assert_close(logs["loss"], 0.953333, atol=1e-5)


@pytest.mark.parametrize("broadcast", [True, False])
def test_loss_dict_output_case(keras, broadcast):
    model = echo(keras)
    model.compile(loss="mse" if broadcast else {"a": "mse", "b": "mse"})
    x = {"a": LIST_PRED[0], "b": LIST_PRED[1]}
    y = {"a": LIST_TRUE[0], "b": LIST_TRUE[1]}
    sw = {"a": np.array([1.0, 2.0, 3.0]), "b": np.array([3.0, 2.0, 1.0])}
    logs = model.evaluate(x, y, sample_weight=sw, return_dict=True, verbose=0)
    assert_close(logs["loss"], 1.266666, atol=1e-5)


def test_per_output_losses_are_logged(keras):
    # not in Keras's file: what its evaluate logs for several losses
    inputs = keras.Input((2,))
    first = keras.layers.Dense(1, kernel_initializer="ones", name="d1")(inputs)
    second = keras.layers.Dense(1, kernel_initializer="zeros", name="d2")(inputs)
    model = keras.Model(inputs, [first, second])
    model.compile(loss=["mse", "mse"], loss_weights=[1, 2], metrics=[["mae"], []])
    x, y = np.ones((3, 2), "float32"), np.ones((3, 1), "float32")
    assert_close(model.evaluate(x, [y, y], verbose=0), [3.0, 1.0, 1.0, 1.0])
    logs = model.evaluate(x, [y, y], return_dict=True, verbose=0)
    assert sorted(logs) == ["d1_loss", "d1_mae", "d2_loss", "loss"]
    partial = keras.Model(inputs, [first, second])
    partial.compile(loss=["mse", None])
    assert list(partial.evaluate(x, [y, y], return_dict=True, verbose=0)) == ["loss"]


def _three_outputs(keras):
    class Three(keras.Model):
        def call(self, x):
            return [x * 0, x * 0 + 1, x * 0 + 2]

    return Three()


@pytest.mark.parametrize(
    "loss_conf",
    [
        ["mse", None, None],
        [None, "mse", None],
        [None, None, "mse"],
        [None, "mse", "mse"],
        ["mse", None, "mse"],
    ],
)
def test_y_true_partial_y_pred_span(keras, loss_conf):
    x = np.ones((320, 3), "float32")
    y_pred = [x * 0, x, x * 2]
    y_true = [y for y, loss in zip(y_pred, loss_conf, strict=True) if loss is not None]
    y_true = y_true[0] if len(y_true) == 1 else y_true
    model = _three_outputs(keras)
    model.compile(loss=loss_conf)
    logs = model.evaluate(x, y_true, return_dict=True, verbose=0)
    assert logs["loss"] == 0.0


def test_structure_mismatch(keras):
    model = echo(keras)
    model.compile(loss=["mse", "mse"])
    ones = np.array([[1.0]], "float32")
    with pytest.raises(ValueError, match="y_true and y_pred have different structures"):
        model.evaluate([ones, ones], [ones], verbose=0)


def test_list_loss_dict_data(keras):
    inputs = keras.Input((2,))
    b = keras.layers.Identity(name="b")(inputs)
    a = keras.layers.Identity(name="a")(inputs * 1.0)
    model = keras.Model(inputs, [b, a])
    model.compile(loss=["mse", "mae"])
    x = np.array([[0.6, 0.5], [0.4, 0.3], [0.2, 0.1]], "float32")
    y = {"a": LIST_TRUE[0], "b": LIST_TRUE[1]}
    logs = model.evaluate(x, y, return_dict=True, verbose=0)
    mse = np.mean((LIST_TRUE[1] - x) ** 2)
    mae = np.mean(np.abs(LIST_TRUE[0] - x))
    assert_close(logs["loss"], mse + mae, atol=1e-5)


def test_single_output_case_with_crossentropy_loss(keras):
    model = echo(keras)
    model.compile(loss="crossentropy")
    assert_close(model.evaluate(Y_PRED_1, Y_TRUE, verbose=0), 0.706595, atol=1e-5)


def test_list_output_case_metrics(keras):
    def pair():
        return [keras.metrics.MeanSquaredError(), keras.metrics.MeanSquaredError()]

    model = echo(keras)
    model.compile(
        loss=["mse", "mse"], metrics=[pair(), pair()], weighted_metrics=[pair(), pair()]
    )
    x = [_twice(Y_PRED_1, Y_PRED_2), _twice(Y3_PRED_1, Y3_PRED_2)]
    y = [_twice(Y_TRUE, Y_TRUE), _twice(Y3_TRUE, Y3_TRUE)]
    sw = _twice(SAMPLE_WEIGHT, SAMPLE_WEIGHT)
    result = model.evaluate(
        x, y, sample_weight=sw, batch_size=3, return_dict=True, verbose=0
    )
    values = sorted(
        round(float(v), 6) for k, v in result.items() if not k.endswith("loss")
    )
    # Keras's names for list outputs differ by backend naming; its values are
    # two of each: 0.055833 (output 1) and 0.066667 (output 2), weighted
    # 0.0725 and 0.090833
    assert_close(values, sorted([0.055833, 0.066667, 0.0725, 0.090833] * 2), atol=1e-6)
