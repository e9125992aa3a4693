"""Keras 3's hinge-metric cases (metrics/hinge_metrics_test.py), ported."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_keras import assert_close


@pytest.mark.parametrize(
    ("cls_name", "name"),
    [
        ("Hinge", "hinge"),
        ("SquaredHinge", "squared_hinge"),
        ("CategoricalHinge", "cat_hinge"),
    ],
)
def test_config(keras, cls_name, name):
    cls = getattr(keras.metrics, cls_name)
    obj = cls(name=name, dtype="int32")
    assert obj.name == name
    assert obj.dtype == "int32"
    obj2 = cls.from_config(obj.get_config())
    assert obj2.name == name
    assert len(obj2.variables) == 2
    assert obj2.dtype == "int32"


_PRED = np.array([[-0.3, 0.2, -0.1, 1.6], [-0.25, -1.0, 0.5, 0.6]])


def test_hinge_unweighted(keras):
    obj = keras.metrics.Hinge()
    obj.update_state(np.array([[0.0, 1.0, 0.0, 1.0], [0.0, 0.0, 1.0, 1.0]]), _PRED)
    assert_close(obj.result(), 0.506, atol=1e-3)


def test_hinge_weighted(keras):
    y_true = np.array([[-1, 1, -1, 1], [-1, -1, 1, 1]])
    result = keras.metrics.Hinge()(y_true, _PRED, sample_weight=np.array([1.5, 2.0]))
    assert_close(result, 0.493, atol=1e-3)


def test_squared_hinge_unweighted(keras):
    obj = keras.metrics.SquaredHinge()
    obj.update_state(np.array([[0, 1, 0, 1], [0, 0, 1, 1]], dtype="float32"), _PRED)
    assert_close(obj.result(), 0.364, atol=1e-3)


def test_squared_hinge_weighted(keras):
    y_true = np.array([[-1, 1, -1, 1], [-1, -1, 1, 1]], dtype="float32")
    obj = keras.metrics.SquaredHinge()
    assert_close(
        obj(y_true, _PRED, sample_weight=np.array([1.5, 2.0])), 0.347, atol=1e-3
    )


_CAT_TRUE = np.array(
    ((0, 1, 0, 1, 0), (0, 0, 1, 1, 1), (1, 1, 1, 1, 0), (0, 0, 0, 0, 1)),
    dtype="float32",
)
_CAT_PRED = np.array(
    ((0, 0, 1, 1, 0), (1, 1, 1, 1, 1), (0, 1, 0, 1, 0), (1, 1, 1, 1, 1)),
    dtype="float32",
)


def test_categorical_hinge_unweighted(keras):
    obj = keras.metrics.CategoricalHinge()
    obj.update_state(_CAT_TRUE, _CAT_PRED)
    assert_close(obj.result(), 0.5, atol=1e-5)


def test_categorical_hinge_weighted(keras):
    obj = keras.metrics.CategoricalHinge()
    weights = np.array((1.0, 1.5, 2.0, 2.5))
    assert_close(obj(_CAT_TRUE, _CAT_PRED, sample_weight=weights), 0.5, atol=1e-5)
