"""Keras 3's reduction-metric cases (metrics/reduction_metrics_test.py), ported.

Skipped: the ``compute_output_spec`` cases on ``KerasTensor`` (symbolic
backend internals).
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_keras import assert_close, is_keras

Y_TRUE = np.array([[0, 1, 0, 1, 0], [0, 0, 1, 1, 1], [1, 1, 1, 1, 0], [0, 0, 0, 0, 1]])
Y_PRED = np.array([[0, 0, 1, 1, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0], [1, 1, 1, 1, 1]])


def test_sum_config(keras):
    obj = keras.metrics.Sum(name="sum", dtype="float32")
    assert obj.name == "sum"
    assert len(obj.variables) == 1
    assert obj.dtype == "float32"
    obj2 = keras.metrics.Sum.from_config(obj.get_config())
    assert obj2.name == "sum"
    assert len(obj2.variables) == 1
    assert obj2.dtype == "float32"


@pytest.mark.parametrize(
    ("values", "weights", "expected"),
    [
        ([1, 3, 5, 7], None, 16.0),
        ([1, 3, 5, 7], [1, 1, 0, 0], 4.0),
        ([[1, 3], [5, 7]], [[1, 1], [1, 0]], 9.0),
        ([[1, 3], [5, 7]], [[1, 0]], 6.0),
    ],
    ids=["unweighted", "weighted", "weighted_nd", "weighted_nd_broadcast"],
)
def test_sum(keras, values, weights, expected):
    obj = keras.metrics.Sum(name="sum", dtype="float32")
    obj.update_state(values, sample_weight=weights)
    assert_close(obj.result(), expected, atol=1e-3)


def test_mean_config(keras):
    obj = keras.metrics.Mean(name="mean", dtype="float32")
    assert obj.name == "mean"
    assert len(obj.variables) == 2
    assert obj.dtype == "float32"
    obj2 = keras.metrics.Mean.from_config(obj.get_config())
    assert obj2.name == "mean"
    assert len(obj2.variables) == 2
    assert obj2.dtype == "float32"


@pytest.mark.parametrize(
    ("values", "weights", "expected"),
    [
        ([1, 3, 5, 7], None, 4.0),
        ([1, 3, 5, 7], [1, 1, 0, 0], 2.0),
        ([1, 3, 5, 7], [-1, -1, 0, 0], 2.0),
        ([[1, 3], [5, 7]], [[1, 1], [1, 0]], 3.0),
        ([[1, 3], [5, 7]], [[1, 0]], 3.0),
    ],
    ids=[
        "unweighted",
        "weighted",
        "negative_weights",
        "weighted_nd",
        "weighted_nd_broadcast",
    ],
)
def test_mean(keras, values, weights, expected):
    obj = keras.metrics.Mean(name="mean", dtype="float32")
    obj.update_state(values, sample_weight=weights)
    assert_close(obj.result(), expected, atol=1e-3)


def _mse(y_true, y_pred):
    return (y_true - y_pred) ** 2


@pytest.fixture
def registered_mse(keras):
    """``_mse`` registered for saving as "test>mse", in each library's way."""
    if is_keras(keras):
        register = keras.saving.register_keras_serializable
    else:
        register = keras.register_serializable
    return register(package="test", name="mse")(_mse)


def test_wrapper_config(keras, registered_mse):
    wrapper = keras.metrics.MeanMetricWrapper
    obj = wrapper(fn=registered_mse, name="mse", dtype="float32")
    assert obj.name == "mse"
    assert len(obj.variables) == 2
    assert obj.dtype == "float32"
    obj2 = keras.metrics.MeanMetricWrapper.from_config(obj.get_config())
    assert obj2.name == "mse"
    assert len(obj2.variables) == 2
    assert obj2.dtype == "float32"
    assert "fn" in obj2.get_config()
    obj2.update_state(Y_TRUE, Y_PRED)
    assert_close(obj2.result(), 0.5, atol=1e-5)


def test_wrapper_unweighted(keras):
    obj = keras.metrics.MeanMetricWrapper(fn=_mse, name="mse", dtype="float32")
    obj.update_state(Y_TRUE, Y_PRED)
    assert_close(obj.result(), 0.5, atol=1e-5)


def test_wrapper_weighted(keras):
    obj = keras.metrics.MeanMetricWrapper(fn=_mse, name="mse", dtype="float32")
    result = obj(Y_TRUE, Y_PRED, sample_weight=np.array([1.0, 1.5, 2.0, 2.5]))
    assert_close(result, 0.54285, atol=1e-5)


def test_wrapper_weighted_broadcast(keras):
    obj = keras.metrics.MeanMetricWrapper(fn=_mse, name="mse", dtype="float32")
    weights = np.array([[1.0, 0.0, 0.5, 0.0, 1.0]])
    assert_close(obj(Y_TRUE, Y_PRED, sample_weight=weights), 0.45, atol=1e-5)


def test_binary_accuracy_with_boolean_inputs(keras):
    inp = keras.Input(shape=(1,))
    model = keras.Model(inputs=inp, outputs=inp > 0.5)
    x = np.random.default_rng(4).random((32, 1))
    res = model.predict(x, verbose=0)
    metric = keras.metrics.BinaryAccuracy()
    metric.update_state(x > 0.5, res)
    assert float(np.asarray(metric.result())) == 1.0
