"""Keras 3's IoU-metric cases (metrics/iou_metrics_test.py), ported."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_keras import assert_close, to_array

_THIRD = (1 / (2 + 2 - 1) + 1 / (2 + 2 - 1)) / 2
_W_0_1 = (0.2 / (0.6 + 0.5 - 0.2) + 0.1 / (0.4 + 0.5 - 0.1)) / 2


def test_iou_config(keras):
    obj = keras.metrics.IoU(
        num_classes=2, target_class_ids=[1, 0], name="iou_class_1_0"
    )
    assert obj.name == "iou_class_1_0"
    assert obj.num_classes == 2
    assert obj.target_class_ids == [1, 0]
    obj2 = keras.metrics.IoU.from_config(obj.get_config())
    assert obj2.name == "iou_class_1_0"
    assert obj2.num_classes == 2
    assert obj2.target_class_ids == [1, 0]


def test_iou_unweighted(keras):
    obj = keras.metrics.IoU(num_classes=2, target_class_ids=[0, 1])
    assert_close(obj([0, 0, 1, 1], [0, 1, 0, 1]), _THIRD, atol=1e-3, rtol=1e-3)


def test_iou_weighted(keras):
    obj = keras.metrics.IoU(num_classes=2, target_class_ids=[1, 0], dtype="float32")
    result = obj(
        np.array([0, 0, 1, 1]),
        np.array([0, 1, 0, 1], dtype=np.float32),
        sample_weight=np.array([0.2, 0.3, 0.4, 0.1]),
    )
    expected = (0.1 / (0.4 + 0.5 - 0.1) + 0.2 / (0.6 + 0.5 - 0.2)) / 2
    assert_close(result, expected, atol=1e-3, rtol=1e-3)


@pytest.mark.parametrize("cls_name", ["IoU", "MeanIoU"])
def test_multi_dim_input(keras, cls_name):
    if cls_name == "IoU":
        obj = keras.metrics.IoU(num_classes=2, target_class_ids=[0, 1], dtype="float32")
    else:
        obj = keras.metrics.MeanIoU(num_classes=2, dtype="float32")
    result = obj(
        np.array([[0, 0], [1, 1]]),
        np.array([[0, 1], [0, 1]], dtype=np.float32),
        sample_weight=np.array([[0.2, 0.3], [0.4, 0.1]]),
    )
    assert_close(result, _W_0_1, atol=1e-3, rtol=1e-3)


def _make(keras, cls_name, **kwargs):
    if cls_name == "IoU":
        return keras.metrics.IoU(num_classes=2, target_class_ids=[0, 1], **kwargs)
    if cls_name == "BinaryIoU":
        return keras.metrics.BinaryIoU(target_class_ids=[0, 1], **kwargs)
    return keras.metrics.MeanIoU(num_classes=2, **kwargs)


@pytest.mark.parametrize("cls_name", ["IoU", "BinaryIoU", "MeanIoU"])
def test_zero_valid_entries(keras, cls_name):
    assert_close(_make(keras, cls_name).result(), 0, atol=1e-3)


@pytest.mark.parametrize(
    ("cls_name", "y_pred"),
    [("IoU", [1.0]), ("BinaryIoU", [0.6]), ("MeanIoU", [1.0])],
)
def test_zero_and_non_zero_entries(keras, cls_name, y_pred):
    kwargs = {"threshold": 0.5} if cls_name == "BinaryIoU" else {}
    obj = _make(keras, cls_name, **kwargs)
    result = obj(np.array([1]), np.array(y_pred, dtype=np.float32))
    assert_close(result, 1.0, atol=1e-3, rtol=1e-3)


@pytest.mark.parametrize(
    ("cls_name", "y_true", "y_pred"),
    [
        ("IoU", [0, 2], [0, 1]),
        ("IoU", [0, 1], [0, 2]),
        ("IoU", [-1, 0], [0, 0]),
        ("IoU", [0, 1], [-1, 1]),
        ("MeanIoU", [0, 3], [0, 1]),
        ("MeanIoU", [0, -1], [0, 1]),
    ],
    ids=[
        "iou_out_of_range_y_true",
        "iou_out_of_range_y_pred",
        "iou_negative_y_true",
        "iou_negative_y_pred",
        "mean_out_of_range",
        "mean_negative",
    ],
)
def test_out_of_range_ignored(keras, cls_name, y_true, y_pred):
    obj = _make(keras, cls_name)
    obj.update_state(y_true, y_pred)
    assert_close(obj.result(), 1.0, atol=1e-3, rtol=1e-3)


def test_iou_absent_class_contributes_zero(keras):
    obj = keras.metrics.IoU(num_classes=4, target_class_ids=[0, 1, 2, 3])
    assert_close(obj([0, 0, 1, 1], [0, 1, 0, 1]), _THIRD, atol=1e-3, rtol=1e-3)


def test_compilation(keras):
    metric = keras.metrics.MeanIoU(num_classes=2, ignore_class=0)
    model = keras.Sequential([keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="mse", metrics=[metric])
    model.fit(np.array([[1.0, 1.0]]), np.array([[1.0, 0.0]]), verbose=0)


def test_binary_config(keras):
    obj = keras.metrics.BinaryIoU(
        target_class_ids=[1, 0], threshold=0.1, name="iou_class_1_0"
    )
    assert obj.name == "iou_class_1_0"
    assert obj.threshold == pytest.approx(0.1)
    assert obj.target_class_ids == [1, 0]
    obj2 = keras.metrics.BinaryIoU.from_config(obj.get_config())
    assert obj2.name == "iou_class_1_0"
    assert obj2.threshold == pytest.approx(0.1)
    assert obj2.target_class_ids == [1, 0]


def test_binary_different_thresholds_weighted(keras):
    y_true, y_pred = [0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7]
    obj = keras.metrics.BinaryIoU(
        target_class_ids=[0, 1], threshold=0.3, dtype="float32"
    )
    result = obj(y_true, y_pred, sample_weight=np.array([0.2, 0.3, 0.4, 0.1]))
    assert_close(result, _W_0_1, atol=1e-3, rtol=1e-3)
    obj = keras.metrics.BinaryIoU(
        target_class_ids=[0, 1], threshold=0.5, dtype="float32"
    )
    result = obj(y_true, y_pred, sample_weight=np.array([0.1, 0.2, 0.4, 0.3]))
    expected = (0.5 / (0.5 + 0.7 - 0.5) + 0.3 / (0.5 + 0.3 - 0.3)) / 2
    assert_close(result, expected, atol=1e-3, rtol=1e-3)


def test_binary_different_thresholds_unweighted(keras):
    y_true, y_pred = [0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7]
    obj = keras.metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    assert_close(obj(y_true, y_pred), _THIRD, atol=1e-3, rtol=1e-3)
    obj = keras.metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.5)
    expected = (2 / (2 + 3 - 2) + 1 / (2 + 1 - 1)) / 2
    assert_close(obj(y_true, y_pred), expected, atol=1e-3, rtol=1e-3)


def test_binary_multi_dim_input(keras):
    obj = keras.metrics.BinaryIoU(
        target_class_ids=[0, 1], threshold=0.4, dtype="float32"
    )
    result = obj(
        np.array([[0, 1], [0, 1]], dtype=np.float32),
        np.array([[0.1, 0.7], [0.9, 0.3]]),
        sample_weight=np.array([[0.2, 0.3], [0.4, 0.1]]),
    )
    expected = (0.2 / (0.6 + 0.3 - 0.2) + 0.3 / (0.4 + 0.7 - 0.3)) / 2
    assert_close(result, expected, atol=1e-3, rtol=1e-3)


def test_mean_config(keras):
    obj = keras.metrics.MeanIoU(num_classes=2, name="mean_iou")
    assert obj.name == "mean_iou"
    assert obj.num_classes == 2
    obj2 = keras.metrics.MeanIoU.from_config(obj.get_config())
    assert obj2.name == "mean_iou"
    assert obj2.num_classes == 2


def test_mean_unweighted(keras):
    obj = keras.metrics.MeanIoU(num_classes=2)
    assert_close(obj([0, 0, 1, 1], [0, 1, 0, 1]), _THIRD, atol=1e-3, rtol=1e-3)


@pytest.mark.parametrize("ignore", [255, -1])
def test_mean_unweighted_ignore_class(keras, ignore):
    obj = keras.metrics.MeanIoU(num_classes=3, ignore_class=ignore)
    result = obj([0, 1, 2, ignore], [0, 1, 1, 1])
    expected = (1 / (1 + 1 - 1) + 1 / (2 + 1 - 1) + 0 / (0 + 1 - 0)) / 3
    assert_close(result, expected, atol=1e-3, rtol=1e-3)


def test_mean_weighted(keras):
    obj = keras.metrics.MeanIoU(num_classes=2, dtype="float32")
    result = obj(
        np.array([0, 0, 1, 1]),
        np.array([0, 1, 0, 1], dtype=np.float32),
        sample_weight=np.array([0.2, 0.3, 0.4, 0.1]),
    )
    assert_close(result, _W_0_1, atol=1e-3, rtol=1e-3)


def test_mean_weighted_ignore_class(keras):
    obj = keras.metrics.MeanIoU(num_classes=2, ignore_class=-1, dtype="float32")
    result = obj(
        np.array([0, 0, 1, -1]),
        np.array([0, 1, 0, 1], dtype=np.float32),
        sample_weight=np.array([0.2, 0.3, 0.4, 0.1]),
    )
    expected = (0.2 / (0.6 + 0.5 - 0.2) + 0.0 / (0.3 + 0.4 - 0.0)) / 2
    assert_close(result, expected, atol=1e-3, rtol=1e-3)


def test_mean_absent_class_contributes_zero(keras):
    obj = keras.metrics.MeanIoU(num_classes=3)
    assert_close(obj([0, 0, 0, 0], [0, 0, 0, 0]), 1.0, atol=1e-3, rtol=1e-3)


_START = np.array(
    [
        [18729664, 18728760, 18731196],
        [18727297, 18726105, 18728071],
        [18727917, 18717835, 18723155],
    ]
)


def _big_chunk(keras, dtype):
    rng = np.random.RandomState(14)
    y_true = rng.choice([0, 1, 2], size=(10, 530, 530))
    probs = rng.rand(10, 530, 530, 3)
    y_pred = np.argmax(probs / probs.sum(axis=-1, keepdims=True), axis=-1)
    metric = keras.metrics.MeanIoU(num_classes=3, dtype=dtype)
    metric.total_cm = metric.add_variable(
        name="total_confusion_matrix",
        shape=(3, 3),
        initializer=_START,
        dtype=dtype or "int64",
    )
    metric.update_state(y_true, y_pred)
    cells = np.bincount(y_true.reshape(-1) * 3 + y_pred.reshape(-1), minlength=9)
    return to_array(metric.total_cm), cells.reshape(3, 3) + _START


@pytest.mark.slow
def test_mean_big_chunk(keras):
    got, exact = _big_chunk(keras, None)
    assert np.array_equal(got, exact)
    got, exact = _big_chunk(keras, "float32")
    assert not np.array_equal(got, exact)


def test_mean_user_warning_float_weight(keras):
    obj = keras.metrics.MeanIoU(num_classes=3)
    with pytest.warns(Warning, match=r"weight.*float.*int.*casting"):
        obj([0, 1, 1, 0], [0, 1, 1, 1], sample_weight=np.array([0.2, 0.3, 0.4, 0.1]))


_OH_TRUE = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]])
_OH_PRED = np.array(
    [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]]
)


def test_one_hot_iou_unweighted(keras):
    obj = keras.metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 2])
    expected = (0 / (1 + 2 - 0) + 1 / (3 + 1 - 1)) / 2
    assert_close(obj(_OH_TRUE, _OH_PRED), expected, atol=1e-3, rtol=1e-3)


def test_one_hot_iou_weighted(keras):
    obj = keras.metrics.OneHotIoU(
        num_classes=3, target_class_ids=[0, 2], dtype="float32"
    )
    result = obj(_OH_TRUE, _OH_PRED, sample_weight=[0.1, 0.2, 0.3, 0.4])
    expected = (0 / (0.3 + 0.6 - 0) + 0.1 / (0.7 + 0.1 - 0.1)) / 2
    assert_close(result, expected, atol=1e-3, rtol=1e-3)


def test_one_hot_mean_iou_unweighted(keras):
    obj = keras.metrics.OneHotMeanIoU(num_classes=3)
    expected = (0 + 0 + 1 / (3 + 1 - 1)) / 3
    assert_close(obj(_OH_TRUE, _OH_PRED), expected, atol=1e-3, rtol=1e-3)


def test_one_hot_mean_iou_weighted(keras):
    y_true = np.concatenate([_OH_TRUE, [[1, 0, 0]]])
    y_pred = np.concatenate([_OH_PRED, [[0.6, 0.2, 0.2]]])
    expected = (0.1 / (0.4 + 0.6 - 0.1) + 0 + 0.1 / (0.6 + 0.1 - 0.1)) / 3
    obj = keras.metrics.OneHotMeanIoU(num_classes=3, dtype="float32")
    result = obj(y_true, y_pred, sample_weight=[0.1, 0.2, 0.3, 0.3, 0.1])
    assert_close(result, expected, atol=1e-3, rtol=1e-3)
    obj_int = keras.metrics.OneHotMeanIoU(num_classes=3)
    result_int = obj_int(y_true, y_pred, sample_weight=[1, 2, 3, 3, 1])
    assert_close(result_int, expected, atol=1e-3, rtol=1e-3)
