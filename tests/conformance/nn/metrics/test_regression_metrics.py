"""Keras 3's regression-metric cases (metrics/regression_metrics_test.py), ported."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_keras import assert_close

Y_TRUE = np.array([[0, 1, 0, 1, 0], [0, 0, 1, 1, 1], [1, 1, 1, 1, 0], [0, 0, 0, 0, 1]])
Y_PRED = np.array([[0, 0, 1, 1, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0], [1, 1, 1, 1, 1]])
WEIGHTS = np.array([1.0, 1.5, 2.0, 2.5])


def test_mean_squared_error(keras):
    obj = keras.metrics.MeanSquaredError()
    obj.update_state(Y_TRUE, Y_PRED)
    assert_close(obj.result(), 0.5, atol=1e-5)
    obj = keras.metrics.MeanSquaredError()
    assert_close(obj(Y_TRUE, Y_PRED, sample_weight=WEIGHTS), 0.54285, atol=1e-5)


def _cosine_data(axis=1):
    y_true = np.asarray([[1, 9, 2], [-5, -2, 6]], dtype=np.float32)
    y_pred = np.asarray([[4, 8, 12], [8, 1, 3]], dtype=np.float32)

    def unit(x):
        norm = np.sum(np.square(x), axis=axis, keepdims=True)
        return x / np.sqrt(np.maximum(norm, 1e-12))

    expected = np.sum(unit(y_true) * unit(y_pred), axis=(axis,))
    return y_true, y_pred, expected


def test_cosine_config(keras):
    obj = keras.metrics.CosineSimilarity(axis=2, name="my_cos", dtype="int32")
    assert obj.name == "my_cos"
    assert obj.dtype == "int32"
    obj2 = keras.metrics.CosineSimilarity.from_config(obj.get_config())
    assert obj2.name == "my_cos"
    assert obj2.dtype == "int32"


def test_cosine_unweighted(keras):
    y_true, y_pred, expected = _cosine_data()
    result = keras.metrics.CosineSimilarity()(y_true, y_pred)
    assert float(np.asarray(result)) == pytest.approx(np.mean(expected), abs=1e-3)


def test_cosine_weighted(keras):
    y_true, y_pred, expected = _cosine_data()
    weights = np.asarray([1.2, 3.4])
    result = keras.metrics.CosineSimilarity()(y_true, y_pred, sample_weight=weights)
    want = np.sum(expected * weights) / np.sum(weights)
    assert float(np.asarray(result)) == pytest.approx(want, abs=1e-3)


def test_cosine_axis(keras):
    y_true, y_pred, expected = _cosine_data(axis=1)
    result = keras.metrics.CosineSimilarity(axis=1)(y_true, y_pred)
    assert float(np.asarray(result)) == pytest.approx(np.mean(expected), abs=1e-3)


@pytest.mark.parametrize(
    ("cls_name", "name"),
    [
        ("MeanAbsoluteError", "my_mae"),
        ("MeanAbsolutePercentageError", "my_mape"),
        ("MeanSquaredLogarithmicError", "my_msle"),
        ("RootMeanSquaredError", "rmse"),
        ("LogCoshError", "logcosh"),
    ],
)
def test_config(keras, cls_name, name):
    cls = getattr(keras.metrics, cls_name)
    obj = cls(name=name, dtype="int32")
    assert obj.name == name
    assert obj.dtype == "int32"
    obj2 = cls.from_config(obj.get_config())
    assert obj2.name == name
    assert obj2.dtype == "int32"


def test_mean_absolute_error(keras):
    obj = keras.metrics.MeanAbsoluteError()
    obj.update_state(Y_TRUE, Y_PRED)
    assert_close(obj.result(), 0.5, atol=1e-5)
    obj = keras.metrics.MeanAbsoluteError()
    assert_close(obj(Y_TRUE, Y_PRED, sample_weight=WEIGHTS), 0.54285, atol=1e-5)


def test_mean_absolute_percentage_error(keras):
    y_pred = Y_PRED.astype("float32")
    obj = keras.metrics.MeanAbsolutePercentageError()
    assert_close(obj(Y_TRUE, y_pred), 35e7, atol=1e-5)
    obj = keras.metrics.MeanAbsolutePercentageError()
    assert_close(obj(Y_TRUE, y_pred, sample_weight=WEIGHTS), 40e7, atol=1e-5)


def test_mean_squared_logarithmic_error(keras):
    obj = keras.metrics.MeanSquaredLogarithmicError()
    obj.update_state(Y_TRUE, Y_PRED)
    assert_close(obj.result(), 0.24022, atol=1e-5)
    obj = keras.metrics.MeanSquaredLogarithmicError()
    assert_close(obj(Y_TRUE, Y_PRED, sample_weight=WEIGHTS), 0.26082, atol=1e-5)


def test_root_mean_squared_error(keras):
    obj = keras.metrics.RootMeanSquaredError()
    obj.update_state(np.array([2, 4, 6]), np.array([1, 3, 2]))
    assert_close(obj.result(), np.sqrt(6), atol=1e-3)
    obj = keras.metrics.RootMeanSquaredError()
    result = obj(
        np.array([2, 4, 6, 8]),
        np.array([1, 3, 2, 3]),
        sample_weight=np.array([0, 1, 0, 1]),
    )
    assert_close(result, np.sqrt(13), atol=1e-3)


def _logcosh_data():
    y_true = np.asarray([[1, 9, 2], [-5, -2, 6]], dtype=np.float32)
    y_pred = np.asarray([[4, 8, 12], [8, 1, 3]], dtype=np.float32)
    error = y_pred - y_true
    return y_true, y_pred, np.log((np.exp(error) + np.exp(-error)) / 2)


def test_logcosh_unweighted(keras):
    y_true, y_pred, expected = _logcosh_data()
    obj = keras.metrics.LogCoshError()
    obj.update_state(y_true, y_pred)
    assert_close(obj.result(), np.sum(expected) / 6, atol=1e-3)


def test_logcosh_weighted(keras):
    y_true, y_pred, expected = _logcosh_data()
    obj = keras.metrics.LogCoshError(dtype="float32")
    result = obj(y_true, y_pred, sample_weight=np.array([[1.2], [3.4]]))
    weights = np.asarray([1.2, 1.2, 1.2, 3.4, 3.4, 3.4]).reshape((2, 3))
    assert_close(result, np.sum(expected * weights) / np.sum(weights), atol=1e-3)


def _r2(keras, y_true, y_pred, weights, aggregation, regressors, expected):
    r2 = keras.metrics.R2Score(aggregation, regressors, dtype="float32")
    r2.update_state(y_true, y_pred, weights)
    assert_close(r2.result(), expected, atol=1e-6)


def test_r2_config(keras):
    obj = keras.metrics.R2Score(
        class_aggregation=None, num_regressors=2, dtype="float32"
    )
    assert obj.class_aggregation is None
    assert obj.num_regressors == 2
    assert obj.dtype == "float32"
    obj2 = keras.metrics.R2Score.from_config(obj.get_config())
    assert obj2.class_aggregation is None
    assert obj2.num_regressors == 2
    assert obj2.dtype == "float32"


@pytest.mark.parametrize(
    ("aggregation", "regressors", "expected"),
    [
        (None, 0, [0.37, -1.295, 0.565]),
        ("uniform_average", 0, -0.12),
        ("variance_weighted_average", 0, -0.12),
    ],
)
def test_r2_sklearn_comparison(keras, aggregation, regressors, expected):
    y_true = [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    y_pred = [[0.4, 0.5, 0.6], [0.1, 0.2, 0.3], [0.5, 0.8, 0.2]]
    _r2(keras, y_true, y_pred, None, aggregation, regressors, expected)


@pytest.mark.parametrize(
    ("aggregation", "regressors", "expected"),
    [
        (None, 0, [0.17305559, -8.836666, -0.521]),
        (None, 1, [0.054920673, -10.241904, -0.7382858]),
        (None, 2, [-0.10259259, -12.115555, -1.0280001]),
        ("uniform_average", 0, -3.0615367889404297),
        ("uniform_average", 1, -3.641756534576416),
        ("uniform_average", 2, -4.415382385253906),
        ("variance_weighted_average", 0, -1.3710224628448486),
        ("variance_weighted_average", 1, -1.7097399234771729),
        ("variance_weighted_average", 2, -2.161363363265991),
    ],
)
def test_r2_tfa_comparison(keras, aggregation, regressors, expected):
    y_true = [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    y_pred = [[0.4, 0.9, 1.6], [0.1, 1.2, 0.6], [1.5, 0.8, 0.6]]
    weights = [0.8, 0.1, 0.4]
    _r2(keras, y_true, y_pred, weights, aggregation, regressors, expected)


def test_r2_errors(keras):
    with pytest.raises(
        ValueError, match="Invalid value for argument `class_aggregation`"
    ):
        keras.metrics.R2Score(class_aggregation="wrong")
    with pytest.raises(ValueError, match="Invalid value for argument `num_regressors`"):
        keras.metrics.R2Score(num_regressors=-1)
    r2 = keras.metrics.R2Score()
    with pytest.raises(ValueError, match="expects 2D inputs with shape"):
        r2.update_state([0.0, 1.0], [0.0, 1.0])
