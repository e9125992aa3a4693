"""Keras 3's Metric base-class cases (metrics/metric_test.py), ported.

The example metric is written with numpy in place of ``keras.ops``.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from conformance_keras import assert_close, to_array


def _example_class(keras):
    class ExampleMetric(keras.metrics.Metric):
        def __init__(self, name="mean_square_error", dtype=None):
            super().__init__(name=name, dtype=dtype)
            self.sum = self.add_variable(
                name="sum", shape=(), initializer=keras.initializers.Zeros()
            )
            self.total = self.add_variable(
                name="total",
                shape=(),
                initializer=keras.initializers.Zeros(),
                dtype="int32",
            )

        def update_state(self, y_true, y_pred):
            y_true = np.asarray(y_true, dtype=self.dtype)
            y_pred = np.asarray(y_pred, dtype=self.dtype)
            self.sum.assign(to_array(self.sum) + np.sum((y_true - y_pred) ** 2))
            self.total.assign(to_array(self.total) + y_true.shape[0])

        def result(self):
            total = to_array(self.total).astype(self.dtype)
            return to_array(self.sum) / (total + np.asarray(1e-7, self.dtype))

        def reset_state(self):
            self.sum.assign(0)
            self.total.assign(0)

    return ExampleMetric


def _batches(y_true, y_pred, size=8):
    for b in range(0, len(y_true) // size + 1):
        yield y_true[b * size : (b + 1) * size], y_pred[b * size : (b + 1) * size]


def test_end_to_end_flow(keras):
    metric = _example_class(keras)(name="mse")
    assert metric.name == "mse"
    assert len(metric.variables) == 2
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.random((20, 3)), rng.random((20, 3))
    for t, p in _batches(y_true, y_pred):
        metric.update_state(t, p)
    assert_close(metric.total, 20)
    assert_close(metric.result(), np.sum((y_true - y_pred) ** 2) / 20, atol=1e-5)
    metric.reset_state()
    assert float(to_array(metric.result())) == 0.0


def test_variables_have_names(keras):
    metric = _example_class(keras)(name="mse")
    assert [v.name for v in metric.variables] == ["sum", "total"]


def test_stateless_update_state(keras):
    metric = _example_class(keras)(name="mse")
    original = [to_array(v).copy() for v in metric.variables]
    rng = np.random.default_rng(1)
    y_true, y_pred = rng.random((20, 3)), rng.random((20, 3))
    values = metric.variables
    for t, p in _batches(y_true, y_pred):
        values = metric.stateless_update_state(values, t, p)
    assert_close(metric.variables[0], original[0])
    assert_close(metric.variables[1], original[1])
    metric.variables[0].assign(values[0])
    metric.variables[1].assign(values[1])
    assert_close(metric.total, 20)
    assert_close(metric.result(), np.sum((y_true - y_pred) ** 2) / 20, atol=1e-5)


def test_stateless_result(keras):
    metric = _example_class(keras)(name="mse")
    result = metric.stateless_result([np.float32(12.0), np.int32(3)])
    assert_close(result, 4.0, atol=1e-5)


def test_stateless_reset_state(keras):
    metric = _example_class(keras)(name="mse")
    rng = np.random.default_rng(2)
    metric.update_state(rng.random((20, 3)), rng.random((20, 3)))
    values = metric.stateless_reset_state()
    assert len(values) == 2
    assert float(to_array(values[0])) == 0
    assert float(to_array(values[1])) == 0


def test_variable_tracking(keras):
    cls = _example_class(keras)
    metric = cls(name="mse")
    metric.more_vars = [keras.Variable(0.0), keras.Variable(1.0)]
    assert len(metric.variables) == 4
    metric = cls(name="mse")
    metric.more_vars = {"a": keras.Variable(0.0), "b": keras.Variable(1.0)}
    assert len(metric.variables) == 4
    metric = cls(name="mse")
    metric.more_vars = {"a": [keras.Variable(0.0), keras.Variable(1.0)]}
    assert len(metric.variables) == 4


def test_submetric_tracking(keras):
    cls = _example_class(keras)
    metric = cls(name="mse")
    metric.submetric = cls(name="submse")
    assert len(metric.variables) == 4
    metric = cls(name="mse")
    metric.submetrics = [cls(name="submse1"), cls(name="submse2")]
    assert len(metric.variables) == 6
    metric = cls(name="mse")
    metric.submetrics = {"1": cls(name="submse1"), "2": cls(name="submse2")}
    assert len(metric.variables) == 6
    metric = cls(name="mse")
    metric.submetric = cls(name="submse")
    metric.submetric.submetric = cls(name="subsubmse")
    assert len(metric.variables) == 6


def test_serialization(keras, cases):
    cls = _example_class(keras)
    revived = cases.round_trip(
        keras, cls(name="mse"), custom_objects={"ExampleMetric": cls}
    )
    assert revived.name == "mse"


def test_pickle(keras):
    metric = keras.metrics.get("mse")
    reloaded = pickle.loads(pickle.dumps(metric))
    assert isinstance(reloaded, keras.metrics.MeanSquaredError)


def test_pickle_keeps_variable_names(keras):
    metric = keras.metrics.MeanSquaredError()
    reloaded = pickle.loads(pickle.dumps(metric))
    assert [v.name for v in reloaded.variables] == ["total", "count"]


def test_get_method(keras):
    m = keras.metrics
    assert isinstance(m.get("mse"), m.MeanSquaredError)
    assert isinstance(m.get("mean_squared_error"), m.MeanSquaredError)
    assert isinstance(m.get("categorical_accuracy"), m.CategoricalAccuracy)
    assert m.get(None) is None
    with pytest.raises(ValueError):
        m.get("typo")


def test_dtype_arg(keras):
    metric = _example_class(keras)(name="mse", dtype="float16")
    assert metric.name == "mse"
    assert len(metric.variables) == 2
    assert metric.dtype == "float16"
    # A variable made without a dtype gets floatx (float32), not the metric's.
    assert to_array(metric.variables[0]).dtype == np.float32
    assert to_array(metric.variables[1]).dtype == np.int32
    rng = np.random.default_rng(3)
    y_true, y_pred = rng.random((10, 3)), rng.random((10, 3))
    metric.update_state(y_true, y_pred)
    assert_close(metric.result(), np.sum((y_true - y_pred) ** 2) / 10, atol=1e-2)
    with pytest.raises(AttributeError):
        metric.dtype = "bfloat16"
