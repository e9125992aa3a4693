"""Keras 3's losses/losses_test.py cases for KLDivergence, Poisson and the
binary and categorical crossentropies (plain and focal), in our words."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close, to_array


def almost(actual, desired, decimal=3):
    """Keras's ``assertAlmostEqual``: equal to ``decimal`` places."""
    np.testing.assert_almost_equal(to_array(actual), np.asarray(desired), decimal)


# KLDivergence and Poisson ----------------------------------------------------

K_PRED = np.asarray([0.4, 0.9, 0.12, 0.36, 0.3, 0.4], np.float32).reshape((2, 3))
K_TRUE = np.asarray([0.5, 0.8, 0.12, 0.7, 0.43, 0.8], np.float32).reshape((2, 3))
P_PRED = np.asarray([1, 9, 2, 5, 2, 6], np.float32).reshape((2, 3))
P_TRUE = np.asarray([4, 8, 12, 8, 1, 3], np.float32).reshape((2, 3))
ROWS = np.asarray([1.2, 1.2, 1.2, 3.4, 3.4, 3.4], np.float32).reshape((2, 3))


def _kld(y_true, y_pred):
    return y_true * np.log(y_true / y_pred)


def _poisson(y_true, y_pred):
    return y_pred - y_true * np.log(y_pred)


@pytest.mark.parametrize(
    "cls_name, name", [("KLDivergence", "kld"), ("Poisson", "poisson")]
)
def test_config(keras, cls_name, name):
    loss = getattr(keras.losses, cls_name)(reduction="sum", name=name)
    assert (loss.name, loss.reduction) == (name, "sum")


def test_kld_unweighted_and_scalar_weighted(keras):
    loss = keras.losses.KLDivergence()
    almost(loss(K_TRUE, K_PRED), np.sum(_kld(K_TRUE, K_PRED)) / 2)
    first = loss(K_TRUE, K_PRED, sample_weight=2.3)
    almost(first, 2.3 * np.sum(_kld(K_TRUE, K_PRED)) / 2)
    almost(first, loss(K_TRUE, K_PRED, sample_weight=2.3))


def test_kld_sample_weighted(keras):
    weights = np.asarray([1.2, 3.4], np.float32).reshape((2, 1))
    loss = keras.losses.KLDivergence()(K_TRUE, K_PRED, sample_weight=weights)
    almost(loss, np.sum(_kld(K_TRUE, K_PRED) * ROWS) / 2)


def test_kld_timestep_weighted(keras):
    y_true, y_pred = K_TRUE.reshape(2, 3, 1), K_PRED.reshape(2, 3, 1)
    weights = np.asarray([3, 6, 5, 0, 4, 2]).reshape(2, 3)
    loss = keras.losses.KLDivergence()(y_true, y_pred, sample_weight=weights)
    per_step = np.sum(_kld(y_true, y_pred), axis=-1)
    almost(loss, np.sum(per_step * weights) / 6)


def test_kld_zero_weighted(keras):
    almost(keras.losses.KLDivergence()(K_TRUE, K_PRED, sample_weight=0), 0.0)


def test_poisson_unweighted_and_scalar_weighted(keras):
    loss = keras.losses.Poisson()
    almost(loss(P_TRUE, P_PRED), np.sum(_poisson(P_TRUE, P_PRED)) / 6)
    first = loss(P_TRUE, P_PRED, sample_weight=2.3)
    almost(first, 2.3 * np.sum(_poisson(P_TRUE, P_PRED)) / 6)
    almost(first, loss(P_TRUE, P_PRED, sample_weight=2.3))


def test_poisson_sample_weighted(keras):
    weights = np.asarray([1.2, 3.4]).reshape((2, 1))
    loss = keras.losses.Poisson()(P_TRUE, P_PRED, sample_weight=weights)
    almost(loss, np.sum(_poisson(P_TRUE, P_PRED) * ROWS) / 6)


def test_poisson_timestep_weighted(keras):
    y_true, y_pred = P_TRUE.reshape(2, 3, 1), P_PRED.reshape(2, 3, 1)
    weights = np.asarray([3, 6, 5, 0, 4, 2]).reshape(2, 3, 1)
    loss = keras.losses.Poisson()(y_true, y_pred, sample_weight=weights.reshape((2, 3)))
    almost(loss, np.sum(_poisson(y_true, y_pred) * weights) / 6)


def test_poisson_zero_weighted(keras):
    almost(keras.losses.Poisson()(P_TRUE, P_PRED, sample_weight=0), 0.0)


# BinaryCrossentropy ----------------------------------------------------------

EYE = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype="float32")
B_TRUE = np.array([1, 0, 1, 0]).reshape([2, 2])
B_PRED = np.array([1, 1, 1, 0], dtype="float32").reshape([2, 2])
BL_TRUE = np.array([[1, 0, 1], [0, 1, 1]])
BL_LOGITS = np.array([[10.0, -10.0, 10.0], [10.0, 10.0, -10.0]])
MISMATCH_TRUE = np.array([[0], [1], [2]])
PROBS = np.array([[0.9, 0.05, 0.05], [0.5, 0.89, 0.6], [0.05, 0.01, 0.94]])


def test_bce_config(keras, check_serialization):
    check_serialization(keras.losses.BinaryCrossentropy(name="bce", axis=-1))


def test_bce_all_correct_unweighted(keras):
    almost(keras.losses.BinaryCrossentropy()(EYE, EYE), 0.0)
    logits = np.where(EYE == 1, 10.0, -10.0)
    almost(keras.losses.BinaryCrossentropy(from_logits=True)(EYE, logits), 0.0)


def test_bce_unweighted(keras):
    y_pred = np.array([[0.9, 0.1, 0.2], [0.3, 0.8, 0.1], [0.1, 0.2, 0.7]], "float32")
    assert_close(keras.losses.BinaryCrossentropy()(EYE, y_pred), 0.20046903)
    almost(keras.losses.BinaryCrossentropy()(B_TRUE, B_PRED), 3.98559)
    loss = keras.losses.BinaryCrossentropy(from_logits=True)(BL_TRUE, BL_LOGITS)
    almost(loss, 3.3333)


def test_bce_scalar_weighted(keras):
    almost(keras.losses.BinaryCrossentropy()(B_TRUE, B_PRED, sample_weight=2.3), 9.1668)
    loss = keras.losses.BinaryCrossentropy(from_logits=True)
    almost(loss(BL_TRUE, BL_LOGITS, sample_weight=2.3), 7.666)


def test_bce_sample_weighted(keras):
    weights = np.array([1.2, 3.4]).reshape((2, 1))
    loss = keras.losses.BinaryCrossentropy()(B_TRUE, B_PRED, sample_weight=weights)
    almost(loss, 4.7827)
    loss = keras.losses.BinaryCrossentropy(from_logits=True)
    almost(loss(BL_TRUE, BL_LOGITS, sample_weight=np.array([4, 3])), 10.0)


def test_bce_no_reduction(keras):
    loss = keras.losses.BinaryCrossentropy(from_logits=True, reduction=None)
    assert_close(loss(BL_TRUE, BL_LOGITS), [0.0, 6.666], atol=1e-3)


def test_bce_label_smoothing(keras):
    loss = keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1)
    almost(loss(np.array([[1, 0, 1]]), np.array([[10.0, -10.0, -10.0]])), 10.5 / 3.0)


def test_bce_shape_mismatch(keras):
    with pytest.raises(ValueError, match="must have the same shape"):
        keras.losses.BinaryCrossentropy()(MISMATCH_TRUE, PROBS)


# CategoricalCrossentropy -----------------------------------------------------

C_TRUE = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
C_PRED = PROBS.astype("float32")
C_LOGITS = np.array([[8.0, 1.0, 1.0], [0.0, 9.0, 1.0], [2.0, 3.0, 5.0]])
C_WEIGHTS = np.array([[1.2], [3.4], [5.6]]).reshape((3, 1))


def test_cce_config(keras, check_serialization):
    check_serialization(keras.losses.CategoricalCrossentropy(name="cce", axis=-1))


def test_cce_all_correct_unweighted(keras):
    y_true = C_TRUE.astype("int64")
    almost(keras.losses.CategoricalCrossentropy()(y_true, EYE), 0.0)
    logits = np.array([[10.0, 0.0, 0.0], [0.0, 10.0, 0.0], [0.0, 0.0, 10.0]])
    almost(keras.losses.CategoricalCrossentropy(from_logits=True)(y_true, logits), 0.0)


def test_cce_unweighted(keras):
    almost(keras.losses.CategoricalCrossentropy()(C_TRUE, C_PRED), 0.3239)
    loss = keras.losses.CategoricalCrossentropy(from_logits=True)
    almost(loss(C_TRUE, C_LOGITS), 0.0573)


def test_cce_scalar_weighted(keras):
    loss = keras.losses.CategoricalCrossentropy()
    almost(loss(C_TRUE, C_PRED, sample_weight=2.3), 0.7449)
    loss = keras.losses.CategoricalCrossentropy(from_logits=True)
    almost(loss(C_TRUE, C_LOGITS, sample_weight=2.3), 0.1317)


def test_cce_sample_weighted(keras):
    loss = keras.losses.CategoricalCrossentropy()
    almost(loss(C_TRUE, C_PRED, sample_weight=C_WEIGHTS), 1.0696)
    loss = keras.losses.CategoricalCrossentropy(from_logits=True)
    almost(loss(C_TRUE, C_LOGITS, sample_weight=C_WEIGHTS), 0.31829)


def test_cce_no_reduction(keras):
    loss = keras.losses.CategoricalCrossentropy(from_logits=True, reduction=None)
    assert_close(loss(C_TRUE, C_LOGITS), (0.001822, 0.000459, 0.169846))


@pytest.mark.parametrize("case", ["label_smoothing", "label_smoothing_ndarray"])
def test_cce_label_smoothing(keras, case):
    loss = keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)
    value = loss(np.asarray([[1, 0, 0]]), np.asarray([[100.0, -100.0, -100.0]]))
    almost(value, 400.0 * 0.1 / 3.0)


def test_cce_shape_mismatch(keras):
    with pytest.raises(ValueError, match="must have the same shape"):
        keras.losses.CategoricalCrossentropy()(MISMATCH_TRUE, PROBS)
