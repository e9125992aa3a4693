"""Keras 3's probabilistic-metric cases (metrics/probabilistic_metrics_test.py),
ported."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_keras import assert_close


def _kld_data():
    y_pred = np.asarray([0.4, 0.9, 0.12, 0.36, 0.3, 0.4], np.float32).reshape((2, 3))
    y_true = np.asarray([0.5, 0.8, 0.12, 0.7, 0.43, 0.8], np.float32).reshape((2, 3))
    return y_true, y_pred, y_true * np.log(y_true / y_pred)


def test_kld_config(keras):
    obj = keras.metrics.KLDivergence(name="kld", dtype="int32")
    assert obj.name == "kld"
    assert obj.dtype == "int32"
    obj2 = keras.metrics.KLDivergence.from_config(obj.get_config())
    assert obj2.name == "kld"
    assert obj2.dtype == "int32"


def test_kld_unweighted(keras):
    y_true, y_pred, expected = _kld_data()
    obj = keras.metrics.KLDivergence()
    obj.update_state(y_true, y_pred)
    assert_close(obj.result(), np.sum(expected) / 2, atol=1e-3)


def test_kld_weighted(keras):
    y_true, y_pred, expected = _kld_data()
    weights = np.asarray([1.2, 3.4], np.float32).reshape((2, 1))
    result = keras.metrics.KLDivergence()(y_true, y_pred, sample_weight=weights)
    full = np.asarray([1.2, 1.2, 1.2, 3.4, 3.4, 3.4], np.float32).reshape((2, 3))
    assert_close(result, np.sum(expected * full) / (1.2 + 3.4), atol=1e-3)


def _poisson_data():
    y_pred = np.asarray([1, 9, 2, 5, 2, 6], np.float32).reshape((2, 3))
    y_true = np.asarray([4, 8, 12, 8, 1, 3], np.float32).reshape((2, 3))
    return y_true, y_pred, y_pred - y_true * np.log(y_pred)


def test_poisson_config(keras, cases):
    cases.round_trip(keras, keras.metrics.Poisson(name="poisson"))


def test_poisson_unweighted(keras):
    y_true, y_pred, expected = _poisson_data()
    obj = keras.metrics.Poisson()
    obj.update_state(y_true, y_pred)
    assert_close(obj.result(), np.sum(expected) / 6, atol=1e-3)


def test_poisson_weighted(keras):
    y_true, y_pred, expected = _poisson_data()
    weights = np.asarray([1.2, 3.4], np.float32).reshape((2, 1))
    result = keras.metrics.Poisson()(y_true, y_pred, sample_weight=weights)
    full = np.asarray([1.2, 1.2, 1.2, 3.4, 3.4, 3.4], np.float32).reshape((2, 3))
    assert_close(result, np.sum(expected * full) / np.sum(full), atol=1e-3)


def test_bce_config(keras, cases):
    metric = keras.metrics.BinaryCrossentropy(
        name="bce", dtype="int32", label_smoothing=0.2
    )
    cases.round_trip(keras, metric)


_BCE_TRUE = np.array([1, 0, 1, 0]).reshape([2, 2])
_BCE_PRED = np.array([1, 1, 1, 0], dtype=np.float32).reshape([2, 2])
_BCE_LOGIT_TRUE = np.array([[1, 0, 1], [0, 1, 1]])
_BCE_LOGITS = np.array([[10.0, -10.0, 10.0], [10.0, 10.0, -10.0]])


@pytest.mark.parametrize(
    ("from_logits", "weights", "expected"),
    [
        (False, None, 3.9855),
        (True, None, 3.333),
        (False, [1.5, 2.0], 3.4162),
        (True, [2.0, 2.5], 3.7037),
    ],
    ids=["unweighted", "unweighted_with_logits", "weighted", "weighted_from_logits"],
)
def test_bce(keras, from_logits, weights, expected):
    obj = keras.metrics.BinaryCrossentropy(from_logits=from_logits)
    y_true, y_pred = (
        (_BCE_LOGIT_TRUE, _BCE_LOGITS) if from_logits else (_BCE_TRUE, _BCE_PRED)
    )
    w = None if weights is None else np.array(weights)
    assert_close(obj(y_true, y_pred, sample_weight=w), expected, atol=1e-3)


def test_bce_label_smoothing(keras):
    obj = keras.metrics.BinaryCrossentropy(from_logits=True, label_smoothing=0.1)
    result = obj(np.array((1, 0, 1)), np.array((10.0, -10.0, -10.0)))
    assert_close(result, (10.0 + 5.0 * 0.1) / 3.0, atol=1e-3)


def test_cce_config(keras, cases):
    metric = keras.metrics.CategoricalCrossentropy(
        name="cce", dtype="int32", label_smoothing=0.2
    )
    cases.round_trip(keras, metric)


_CCE_TRUE = np.array([[0, 1, 0], [0, 0, 1]])
_PROBS = np.array([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
_LOGITS = np.array([[1, 9, 0], [1, 8, 1]], dtype=np.float32)
_CASES = [
    (False, None, 1.176),
    (True, None, 3.5011),
    (False, [1.5, 2.0], 1.338),
    (True, [1.5, 2.0], 4.0012),
]
_IDS = ["unweighted", "unweighted_from_logits", "weighted", "weighted_from_logits"]


@pytest.mark.parametrize(("from_logits", "weights", "expected"), _CASES, ids=_IDS)
def test_cce(keras, from_logits, weights, expected):
    obj = keras.metrics.CategoricalCrossentropy(from_logits=from_logits)
    y_pred = _LOGITS if from_logits else _PROBS
    w = None if weights is None else np.array(weights)
    assert_close(obj(_CCE_TRUE, y_pred, sample_weight=w), expected, atol=1e-3)


def test_cce_label_smoothing(keras):
    obj = keras.metrics.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)
    assert_close(obj(_CCE_TRUE, _LOGITS), 3.667, atol=1e-3)


def test_scce_config(keras, cases):
    metric = keras.metrics.SparseCategoricalCrossentropy(name="scce", dtype="int32")
    cases.round_trip(keras, metric)


@pytest.mark.parametrize(("from_logits", "weights", "expected"), _CASES, ids=_IDS)
def test_scce(keras, from_logits, weights, expected):
    obj = keras.metrics.SparseCategoricalCrossentropy(from_logits=from_logits)
    y_pred = _LOGITS if from_logits else _PROBS
    w = None if weights is None else np.array(weights)
    assert_close(obj(np.array([1, 2]), y_pred, sample_weight=w), expected, atol=1e-3)


_IGNORE_PROBS = np.array([[0.8, 0.1, 0.1], [0.05, 0.95, 0], [0.1, 0.8, 0.1]])


def test_scce_ignore_class(keras):
    obj = keras.metrics.SparseCategoricalCrossentropy(ignore_class=0)
    assert_close(obj(np.array([0, 1, 2]), _IGNORE_PROBS), 0.78462, atol=1e-3)


def test_scce_ignore_class_weighted(keras):
    obj = keras.metrics.SparseCategoricalCrossentropy(ignore_class=0)
    weights = np.array([0.5, 1.5, 2.0])
    result = obj(np.array([0, 1, 2]), _IGNORE_PROBS, sample_weight=weights)
    assert_close(result, 1.33774646, atol=1e-3)


def test_scce_ignore_class_from_logits(keras):
    obj = keras.metrics.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)
    logits = np.array([[10, 1, 1], [1, 9, 0], [1, 8, 1]], dtype=np.float32)
    assert_close(obj(np.array([0, 1, 2]), logits), 2.33409, atol=1e-3)
