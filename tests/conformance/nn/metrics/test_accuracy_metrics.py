"""Keras 3's accuracy-metric cases (metrics/accuracy_metrics_test.py), ported."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_keras import assert_close


def _check_config(keras, cls_name, name, **kwargs):
    cls = getattr(keras.metrics, cls_name)
    obj = cls(name=name, dtype="float32", **kwargs)
    assert obj.name == name
    assert len(obj.variables) == 2
    assert obj.dtype == "float32"
    config = obj.get_config()
    assert config["name"] == name
    assert config["dtype"] == "float32"
    obj2 = cls.from_config(config)
    assert obj2.name == name
    assert len(obj2.variables) == 2
    assert obj2.dtype == "float32"
    return config, obj2


@pytest.mark.parametrize(
    ("cls_name", "name"),
    [
        ("Accuracy", "accuracy"),
        ("BinaryAccuracy", "binary_accuracy"),
        ("CategoricalAccuracy", "categorical_accuracy"),
        ("SparseCategoricalAccuracy", "sparse_categorical_accuracy"),
    ],
)
def test_config(keras, cls_name, name):
    _check_config(keras, cls_name, name)


@pytest.mark.parametrize(
    ("y_true", "y_pred", "weights", "expected"),
    [
        ([[1], [2], [3], [4]], [[0], [2], [3], [4]], None, 0.75),
        ([[1], [2], [3], [4]], [[0], [2], [3], [4]], [1, 1, 0, 0], 0.5),
        ([1, 2, 3, 4], [0, 2, 3, 4], [1, 1, 0, 0], 0.5),
        ([[1, 2], [3, 4]], [[0, 2], [3, 4]], [[1, 0], [0, 1]], 0.5),
        ([[1, 2], [3, 4]], [[0, 2], [3, 4]], [[1, 0]], 0.5),
    ],
    ids=["unweighted", "weighted", "rank_1", "nd_weights", "nd_broadcast_weights"],
)
def test_accuracy(keras, y_true, y_pred, weights, expected):
    obj = keras.metrics.Accuracy(name="accuracy", dtype="float32")
    w = None if weights is None else np.array(weights)
    obj.update_state(np.array(y_true), np.array(y_pred), sample_weight=w)
    assert_close(obj.result(), expected, atol=1e-3)


@pytest.mark.parametrize(
    ("y_true", "y_pred", "weights", "expected"),
    [
        ([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], None, 0.75),
        ([1, 1, 0, 0], [[0.98], [1], [0], [0.6]], None, 0.75),
        ([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], [1, 0, 0, 1], 0.5),
        ([1, 1, 0, 0], [0.98, 1, 0, 0.6], [1, 0, 0, 1], 0.5),
        ([[1, 1], [0, 0]], [[0.98, 1], [0, 0.6]], [[1, 0], [0, 1]], 0.5),
        ([[1, 1], [0, 0]], [[0.98, 1], [0, 0.6]], [[1, 0]], 1.0),
    ],
    ids=[
        "unweighted",
        "broadcast",
        "weighted",
        "rank_1",
        "nd_weights",
        "nd_broadcast_weights",
    ],
)
def test_binary_accuracy(keras, y_true, y_pred, weights, expected):
    obj = keras.metrics.BinaryAccuracy(name="binary_accuracy", dtype="float32")
    w = None if weights is None else np.array(weights)
    obj.update_state(np.array(y_true), np.array(y_pred), sample_weight=w)
    assert_close(obj.result(), expected, atol=1e-3)


def test_binary_accuracy_threshold(keras):
    low = keras.metrics.BinaryAccuracy(
        name="binary_accuracy", dtype="float32", threshold=0.3
    )
    high = keras.metrics.BinaryAccuracy(
        name="binary_accuracy", dtype="float32", threshold=0.9
    )
    y_true = np.array([[1], [1], [0], [0]])
    y_pred = np.array([[0.98], [0.5], [0.1], [0.2]])
    low.update_state(y_true, y_pred)
    high.update_state(y_true, y_pred)
    assert_close(low.result(), 1.0)
    assert_close(high.result(), 0.75)


@pytest.mark.parametrize(("weights", "expected"), [(None, 0.5), ([0.7, 0.3], 0.3)])
def test_categorical_accuracy(keras, weights, expected):
    obj = keras.metrics.CategoricalAccuracy(
        name="categorical_accuracy", dtype="float32"
    )
    y_true = np.array([[0, 0, 1], [0, 1, 0]])
    y_pred = np.array([[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    w = None if weights is None else np.array(weights)
    obj.update_state(y_true, y_pred, sample_weight=w)
    assert_close(obj.result(), expected, atol=1e-3)


@pytest.mark.parametrize(("weights", "expected"), [(None, 0.5), ([0.7, 0.3], 0.3)])
def test_sparse_categorical_accuracy(keras, weights, expected):
    obj = keras.metrics.SparseCategoricalAccuracy(
        name="sparse_categorical_accuracy", dtype="float32"
    )
    y_true = np.array([[2], [1]])
    y_pred = np.array([[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
    w = None if weights is None else np.array(weights)
    obj.update_state(y_true, y_pred, sample_weight=w)
    assert_close(obj.result(), expected, atol=1e-3)


_EYE3 = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]


@pytest.mark.parametrize(
    ("y_true", "y_pred"),
    [
        (
            np.array([[0], [1], [2]]),
            np.array([[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.05, 0.05, 0.9]]),
        ),
        (np.array([0, 1], np.int64), np.array([[0.9, 0.1], [0.1, 0.9]], np.float32)),
        (np.array([[0], [1], [2]]), np.array(_EYE3)),
        (
            np.array([0, 1, 2], np.int32),
            np.array([[0.9, 0.1, 0.0], [0.0, 0.9, 0.1], [0.1, 0.0, 0.9]], np.float64),
        ),
        (np.array([[0], [1]]), np.array([[0.9, 0.1], [0.1, 0.9]])),
        (np.array([2, 1, 0], np.int32), np.array(_EYE3[::-1], np.float32)),
    ],
    ids=[
        "squeeze_y_true",
        "cast_y_pred_dtype",
        "squeeze_y_true_shape",
        "cast_y_pred_to_match_y_true_dtype",
        "reshape_matches_to_original_y_true_shape",
        "matching_shapes_without_squeeze",
    ],
)
def test_sparse_categorical_accuracy_all_correct(keras, y_true, y_pred):
    obj = keras.metrics.SparseCategoricalAccuracy(
        name="sparse_categorical_accuracy", dtype="float32"
    )
    obj.update_state(y_true, y_pred)
    assert_close(obj.result(), 1.0, atol=1e-4)


def test_sparse_categorical_accuracy_reshape_matches(keras):
    obj = keras.metrics.SparseCategoricalAccuracy(
        name="sparse_categorical_accuracy", dtype="float32"
    )
    y_true = np.array([[0], [0]], dtype=np.int64)
    y_pred = np.array([[[0.9, 0.1, 0.0], [0.8, 0.15, 0.05]]], dtype=np.float32)
    obj.update_state(y_true, y_pred)
    np.testing.assert_allclose(
        np.broadcast_to(np.asarray(obj.result()), (2,)), [1.0, 1.0], atol=1e-6
    )


def test_top_k_config(keras):
    config, obj2 = _check_config(
        keras, "TopKCategoricalAccuracy", "top_k_categorical_accuracy", k=1
    )
    assert config["k"] == 1
    assert obj2.k == 1


@pytest.mark.parametrize(("weights", "expected"), [(None, 0.5), ([0.7, 0.3], 0.3)])
def test_top_k(keras, weights, expected):
    obj = keras.metrics.TopKCategoricalAccuracy(
        k=1, name="top_k_categorical_accuracy", dtype="float32"
    )
    y_true = np.array([[0, 0, 1], [0, 1, 0]])
    y_pred = np.array([[0.1, 0.9, 0.8], [0.05, 0.95, 0]], dtype="float32")
    w = None if weights is None else np.array(weights)
    obj.update_state(y_true, y_pred, sample_weight=w)
    assert_close(obj.result(), expected, atol=1e-3)


def test_sparse_top_k_config(keras):
    config, obj2 = _check_config(
        keras,
        "SparseTopKCategoricalAccuracy",
        "sparse_top_k_categorical_accuracy",
        k=1,
    )
    assert config["k"] == 1
    assert obj2.k == 1
    assert not obj2.from_sorted_ids


def test_sparse_top_k_config_from_sorted_ids(keras):
    obj = keras.metrics.SparseTopKCategoricalAccuracy(
        k=1,
        name="sparse_top_k_categorical_accuracy",
        dtype="float32",
        from_sorted_ids=True,
    )
    config = obj.get_config()
    assert config["from_sorted_ids"]
    assert keras.metrics.SparseTopKCategoricalAccuracy.from_config(
        config
    ).from_sorted_ids


@pytest.mark.parametrize(("weights", "expected"), [(None, 0.5), ([0.7, 0.3], 0.3)])
def test_sparse_top_k(keras, weights, expected):
    obj = keras.metrics.SparseTopKCategoricalAccuracy(
        k=1, name="sparse_top_k_categorical_accuracy", dtype="float32"
    )
    y_pred = np.array([[0.1, 0.9, 0.8], [0.05, 0.95, 0]], dtype="float32")
    w = None if weights is None else np.array(weights)
    obj.update_state(np.array([2, 1]), y_pred, sample_weight=w)
    assert_close(obj.result(), expected, atol=1e-3)


@pytest.mark.parametrize(("weights", "expected"), [(None, 0.5), ([0.7, 0.3], 0.3)])
def test_sparse_top_k_from_sorted_ids(keras, weights, expected):
    obj = keras.metrics.SparseTopKCategoricalAccuracy(
        k=1,
        name="sparse_top_k_categorical_accuracy",
        dtype="float32",
        from_sorted_ids=True,
    )
    w = None if weights is None else np.array(weights)
    obj.update_state(
        np.array([2, 1]), np.array([[1, 0, 3], [1, 2, 3]]), sample_weight=w
    )
    assert_close(obj.result(), expected, atol=1e-3)
