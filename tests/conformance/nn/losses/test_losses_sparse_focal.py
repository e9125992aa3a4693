"""Keras 3's losses/losses_test.py cases for SparseCategoricalCrossentropy,
BinaryFocalCrossentropy and CategoricalFocalCrossentropy, in our words.

Where Keras's test branches on the backend, the TensorFlow branch is the one
stated here (``axis`` other than the last raises).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.conformance_keras import assert_close, to_array


def almost(actual, desired, decimal=3):
    """Keras's ``assertAlmostEqual``: equal to ``decimal`` places."""
    np.testing.assert_almost_equal(to_array(actual), np.asarray(desired), decimal)


EYE = np.eye(3, dtype="float32")
LABELS = np.array([[0], [1], [2]])
PROBS = np.array(
    [[0.9, 0.05, 0.05], [0.5, 0.89, 0.6], [0.05, 0.01, 0.94]], dtype="float32"
)
LOGITS = np.array([[8.0, 1.0, 1.0], [0.0, 9.0, 1.0], [2.0, 3.0, 5.0]])
WEIGHTS = np.array([[1.2], [3.4], [5.6]]).reshape((3, 1))
ONE_HOT = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]])


def test_scce_config(keras, check_serialization):
    check_serialization(keras.losses.SparseCategoricalCrossentropy(name="scce"))


def test_scce_all_correct_unweighted(keras):
    y_true = LABELS.astype("int64")
    almost(keras.losses.SparseCategoricalCrossentropy()(y_true, EYE), 0.0)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    almost(loss(y_true, EYE * 10.0), 0.0)


def test_scce_unweighted(keras):
    y_true = np.array([0, 1, 2])
    almost(keras.losses.SparseCategoricalCrossentropy()(y_true, PROBS), 0.3239)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    almost(loss(y_true, LOGITS), 0.0573)


def test_scce_scalar_weighted(keras):
    loss = keras.losses.SparseCategoricalCrossentropy()
    almost(loss(LABELS, PROBS, sample_weight=2.3), 0.7449)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    almost(loss(LABELS, LOGITS, sample_weight=2.3), 0.1317)


def test_scce_sample_weighted(keras):
    loss = keras.losses.SparseCategoricalCrossentropy()
    almost(loss(LABELS, PROBS, sample_weight=WEIGHTS), 1.0696)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    almost(loss(LABELS, LOGITS, sample_weight=WEIGHTS), 0.31829)


def test_scce_no_reduction(keras):
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)
    assert_close(loss(LABELS, LOGITS), (0.001822, 0.000459, 0.169846))


@pytest.mark.parametrize("y_true", [[[-1, 2]], [[[-1], [2]]]], ids=["flat", "trailing"])
def test_scce_ignore_class(keras, y_true):
    logits = np.array([[[0.854, 0.698, 0.598], [0.088, 0.86, 0.018]]])
    loss = keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, ignore_class=-1, reduction=None
    )
    assert_close(loss(np.array(y_true), logits), [[0.0, 1.480129]])


BIN_TRUE = np.array([[0, 1, 1, 0], [1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 1]])
MULTI_TRUE = np.array([[0, 1, 2, 0], [1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 1]])


def _one_hot(labels, classes):
    return np.eye(classes)[labels]


def test_scce_binary_segmentation(keras):
    y_pred = _one_hot(BIN_TRUE, 2)
    assert_close(keras.losses.SparseCategoricalCrossentropy()(BIN_TRUE, y_pred), 0.0)
    y_pred[0, 3] = [0.2, 0.8]
    y_pred[3, 3] = [0.6, 0.4]
    expected = (-np.log(0.2) - np.log(0.4)) / 16.0
    output = keras.losses.SparseCategoricalCrossentropy()(BIN_TRUE, y_pred)
    assert_close(output, expected)


def test_scce_multi_class_segmentation(keras):
    y_pred = _one_hot(MULTI_TRUE, 3)
    assert_close(keras.losses.SparseCategoricalCrossentropy()(MULTI_TRUE, y_pred), 0.0)
    y_pred[0, 3] = [0.2, 0.0, 0.8]
    y_pred[1, 0] = [0.7, 0.3, 0.0]
    y_pred[3, 2] = [0.5, 0.5, 0.0]
    expected = (-np.log(0.2) - np.log(0.3) - np.log(0.5)) / 16.0
    output = keras.losses.SparseCategoricalCrossentropy()(MULTI_TRUE, y_pred)
    assert_close(output, expected)


@pytest.mark.parametrize("labels, classes", [(BIN_TRUE, 2), (MULTI_TRUE, 3)],
                         ids=["binary", "multi_class"])  # fmt: skip
def test_scce_segmentation_different_axis(keras, labels, classes):
    y_pred = np.moveaxis(_one_hot(labels, classes), source=2, destination=0)
    message = re.escape("Only axis=-1 is currently supported. Received: axis=0")
    with pytest.raises(ValueError, match=message):
        keras.losses.SparseCategoricalCrossentropy(axis=0)(labels, y_pred)


# BinaryFocalCrossentropy -----------------------------------------------------

F_TRUE = np.asarray([1, 0, 1, 0]).reshape([2, 2])
F_PRED = np.asarray([0.9, 0.8, 0.7, 0.2], dtype=np.float32).reshape([2, 2])
FL_TRUE = np.array([[1, 1, 0], [0, 1, 0]], dtype="float32")
FL_LOGITS = np.array([[1.5, -2.7, 2.9], [-3.8, 1.2, -4.5]])


def test_bfce_config(keras, check_serialization):
    check_serialization(keras.losses.BinaryFocalCrossentropy(name="bfce"))


def test_bfce_all_correct_unweighted(keras):
    almost(keras.losses.BinaryFocalCrossentropy(gamma=1.5)(EYE, EYE), 0.0)
    logits = np.where(EYE == 1, 100.0, -100.0)
    loss = keras.losses.BinaryFocalCrossentropy(gamma=2.0, from_logits=True)
    almost(loss(EYE, logits), 0.0)


def test_bfce_unweighted(keras):
    almost(keras.losses.BinaryFocalCrossentropy(gamma=2.0)(F_TRUE, F_PRED), 0.268)
    loss = keras.losses.BinaryFocalCrossentropy(gamma=3.0, from_logits=True)
    almost(loss(FL_TRUE, FL_LOGITS), 0.799)


def test_bfce_scalar_weighted(keras):
    loss = keras.losses.BinaryFocalCrossentropy(gamma=2.0)
    almost(loss(F_TRUE, F_PRED, sample_weight=1.23), 0.3296)
    loss = keras.losses.BinaryFocalCrossentropy(gamma=3.0, from_logits=True)
    almost(loss(FL_TRUE, FL_LOGITS, sample_weight=3.21), 2.565)


def test_bfce_sample_weighted(keras):
    weights = np.array([1.2, 3.4]).reshape((2, 1))
    loss = keras.losses.BinaryFocalCrossentropy(gamma=2.0)
    almost(loss(F_TRUE, F_PRED, sample_weight=weights), 0.34415)
    loss = keras.losses.BinaryFocalCrossentropy(gamma=3.0, from_logits=True)
    almost(loss(FL_TRUE, FL_LOGITS, sample_weight=weights), 0.95977)


def test_bfce_no_reduction(keras):
    loss = keras.losses.BinaryFocalCrossentropy(gamma=2.0, reduction=None)
    assert_close(loss(F_TRUE, F_PRED), (0.515547, 0.020513))


# CategoricalFocalCrossentropy ------------------------------------------------


def test_cfce_config(keras, check_serialization):
    check_serialization(keras.losses.CategoricalFocalCrossentropy(name="cfce"))


def test_cfce_all_correct_unweighted(keras):
    y_true = ONE_HOT.astype("int64")
    loss = keras.losses.CategoricalFocalCrossentropy(alpha=0.25, gamma=2.0)
    almost(loss(y_true, EYE), 0.0)
    loss = keras.losses.CategoricalFocalCrossentropy(from_logits=True)
    almost(loss(y_true, EYE * 10.0), 0.0)


def test_cfce_unweighted(keras):
    almost(keras.losses.CategoricalFocalCrossentropy()(ONE_HOT, PROBS), 0.02059)
    loss = keras.losses.CategoricalFocalCrossentropy(from_logits=True)
    almost(loss(ONE_HOT, LOGITS), 0.000345)


def test_cfce_scalar_weighted(keras):
    loss = keras.losses.CategoricalFocalCrossentropy()
    almost(loss(ONE_HOT, PROBS, sample_weight=2.3), 0.047368)
    loss = keras.losses.CategoricalFocalCrossentropy(from_logits=True)
    almost(loss(ONE_HOT, LOGITS, sample_weight=2.3), 0.000794, 4)


def test_cfce_sample_weighted(keras):
    loss = keras.losses.CategoricalFocalCrossentropy()
    almost(loss(ONE_HOT, PROBS, sample_weight=WEIGHTS), 0.06987)
    loss = keras.losses.CategoricalFocalCrossentropy(from_logits=True)
    almost(loss(ONE_HOT, LOGITS, sample_weight=WEIGHTS), 0.001933)


def test_cfce_no_reduction(keras):
    loss = keras.losses.CategoricalFocalCrossentropy(from_logits=True, reduction=None)
    expected = (1.5096224e-09, 2.4136547e-11, 1.0360638e-03)
    assert_close(loss(ONE_HOT, LOGITS), expected)


def test_cfce_label_smoothing(keras):
    loss = keras.losses.CategoricalFocalCrossentropy(
        from_logits=True, label_smoothing=0.1
    )
    almost(loss(np.array([[1, 0, 0]]), np.array([[4.9, -0.5, 2.05]])), 0.06685)
