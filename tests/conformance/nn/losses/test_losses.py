"""Keras 3's losses/losses_test.py cases for the regression losses, in our words:
MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
MeanSquaredLogarithmicError, CosineSimilarity, Huber and LogCosh.

(The probabilistic, hinge and segmentation cases are in the sibling files.)
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import to_array

Y_TRUE = np.array([[1, 9, 2], [-5, -2, 6]])
Y_PRED = np.array([[4, 8, 12], [8, 1, 3]], dtype="float32")
ROW_WEIGHTS = np.array([[1.2], [3.4]])
STEP_TRUE = np.asarray([1, 9, 2, -5, -2, 6]).reshape(2, 3, 1)
STEP_PRED = np.asarray([4, 8, 12, 8, 1, 3]).reshape(2, 3, 1)
STEP_WEIGHTS = np.array([3, 6, 5, 0, 4, 2]).reshape((2, 3))

# Keras's expected values: (unweighted, scalar 2.3, row weights, timestep weights,
# mean_with_sample_weight with row weights, places).
MEAN_ERRORS = {
    "MeanSquaredError": (
        49.5,
        113.85,
        767.8 / 6,
        97.833336,
        (110 / 3 * 1.2 + 187 / 3 * 3.4) / (1.2 + 3.4),
        3,
    ),
    "MeanAbsoluteError": (
        5.5,
        12.65,
        81.4 / 6,
        13.833333,
        (14 / 3 * 1.2 + 19 / 3 * 3.4) / (1.2 + 3.4),
        3,
    ),
    "MeanAbsolutePercentageError": (211.8518, 487.259, 422.8888, 694.4444, 183.865, 3),
    "MeanSquaredLogarithmicError": (1.4370, 3.3051, 3.7856, 2.647374, 1.646, 3),
}
NAMES = list(MEAN_ERRORS)


def almost(actual, desired, decimal=3):
    """Keras's ``assertAlmostEqual``: equal to ``decimal`` places."""
    np.testing.assert_almost_equal(
        to_array(actual), np.asarray(desired), decimal=decimal
    )


@pytest.mark.parametrize(
    "cls_name, name",
    [
        ("MeanSquaredError", "mymse"),
        ("MeanAbsoluteError", "myname"),
        ("MeanAbsolutePercentageError", "mymape"),
        ("MeanSquaredLogarithmicError", "mysloge"),
    ],
)
def test_config(keras, check_serialization, cls_name, name):
    check_serialization(getattr(keras.losses, cls_name)(name=name))


def test_mse_function_keeps_one_value_per_sample(keras):
    loss = keras.losses.mean_squared_error(
        np.array([4, 8, 12]), np.array([[3], [0], [1]])
    )
    assert to_array(loss).shape == (3,)


@pytest.mark.parametrize("cls_name", NAMES[:3])
def test_all_correct_unweighted(keras, cls_name):
    y_true = np.array([[4, 8, 12], [8, 1, 3]])
    almost(getattr(keras.losses, cls_name)()(y_true, y_true), 0.0)


@pytest.mark.parametrize("cls_name", NAMES)
def test_unweighted(keras, cls_name):
    almost(getattr(keras.losses, cls_name)()(Y_TRUE, Y_PRED), MEAN_ERRORS[cls_name][0])


@pytest.mark.parametrize("cls_name", NAMES)
def test_scalar_weighted(keras, cls_name):
    loss = getattr(keras.losses, cls_name)()(Y_TRUE, Y_PRED, sample_weight=2.3)
    almost(loss, MEAN_ERRORS[cls_name][1])


@pytest.mark.parametrize("cls_name", NAMES)
def test_sample_weighted(keras, cls_name):
    loss = getattr(keras.losses, cls_name)()(Y_TRUE, Y_PRED, sample_weight=ROW_WEIGHTS)
    almost(loss, MEAN_ERRORS[cls_name][2])


@pytest.mark.parametrize("cls_name", NAMES)
def test_timestep_weighted(keras, cls_name):
    loss = getattr(keras.losses, cls_name)()(
        STEP_TRUE, STEP_PRED, sample_weight=STEP_WEIGHTS
    )
    almost(loss, MEAN_ERRORS[cls_name][3])


@pytest.mark.parametrize("cls_name", NAMES)
def test_zero_weighted(keras, cls_name):
    almost(getattr(keras.losses, cls_name)()(Y_TRUE, Y_PRED, sample_weight=0), 0.0)


@pytest.mark.parametrize(
    "cls_name, expected",
    [
        ("MeanSquaredError", [84.3333, 143.3666]),
        ("MeanAbsoluteError", [10.7333, 14.5666]),
        ("MeanAbsolutePercentageError", [621.8518, 352.6666]),
    ],
)
def test_no_reduction(keras, cls_name, expected):
    loss = getattr(keras.losses, cls_name)(reduction=None)(
        Y_TRUE, Y_PRED, sample_weight=2.3
    )
    almost(loss, expected)


@pytest.mark.parametrize(
    "cls_name, expected",
    [("MeanSquaredError", 227.69998), ("MeanAbsoluteError", 25.29999)],
)
def test_sum_reduction(keras, cls_name, expected):
    loss = getattr(keras.losses, cls_name)(reduction="sum")(
        Y_TRUE, Y_PRED, sample_weight=2.3
    )
    almost(loss, expected)


@pytest.mark.parametrize("cls_name", NAMES)
def test_mean_with_sample_weight_reduction(keras, cls_name):
    loss = getattr(keras.losses, cls_name)(reduction="mean_with_sample_weight")
    almost(loss(Y_TRUE, Y_PRED, sample_weight=ROW_WEIGHTS), MEAN_ERRORS[cls_name][4])


# CosineSimilarity ------------------------------------------------------------

COS_TRUE = np.asarray([[1, 9, 2], [-5, -2, 6]], dtype=np.float32)
COS_PRED = np.asarray([[4, 8, 12], [8, 1, 3]], dtype=np.float32)


def _l2_normalized(x, axis):
    return x / np.sqrt(
        np.maximum(np.sum(np.square(x), axis=axis, keepdims=True), 1e-12)
    )


def _cosines(y_true, y_pred, axis):
    return np.sum(
        _l2_normalized(y_true, axis) * _l2_normalized(y_pred, axis), axis=axis
    )


def test_cosine_similarity_config(keras):
    loss = keras.losses.CosineSimilarity(axis=2, reduction="sum", name="cosine_loss")
    assert loss.name == "cosine_loss"
    assert loss.reduction == "sum"
    assert loss.get_config() == {"name": "cosine_loss", "reduction": "sum"}


@pytest.mark.parametrize(
    "weight",
    [None, 2.3, np.asarray([1.2, 3.4])],
    ids=["unweighted", "scalar_weighted", "sample_weighted"],
)
def test_cosine_similarity_weighted(keras, weight):
    loss = keras.losses.CosineSimilarity()(COS_TRUE, COS_PRED, sample_weight=weight)
    scale = 1.0 if weight is None else weight
    almost(loss, -np.mean(_cosines(COS_TRUE, COS_PRED, 1) * scale))


def test_cosine_similarity_timestep_weighted(keras):
    y_true, y_pred = COS_TRUE.reshape((2, 3, 1)), COS_PRED.reshape((2, 3, 1))
    weights = np.asarray([3, 6, 5, 0, 4, 2]).reshape((2, 3))
    loss = keras.losses.CosineSimilarity()(y_true, y_pred, sample_weight=weights)
    almost(loss, -np.mean(_cosines(y_true, y_pred, 2) * weights))


def test_cosine_similarity_zero_weighted(keras):
    almost(keras.losses.CosineSimilarity()(COS_TRUE, COS_PRED, sample_weight=0), 0.0)


def test_cosine_similarity_axis(keras):
    loss = keras.losses.CosineSimilarity(axis=1)(COS_TRUE, COS_PRED)
    almost(loss, -np.mean(_cosines(COS_TRUE, COS_PRED, 1)))


# Huber -----------------------------------------------------------------------

H_PRED = np.array([[0.9, 0.2, 0.2], [0.8, 0.4, 0.6]])
H_TRUE = np.array([[1.0, 0.0, 1.0], [1.0, 0.0, 0.0]])


def _huber(y_true, y_pred, delta=1.0):
    error = np.abs(y_pred - y_true)
    small = np.minimum(error, delta)
    return 0.5 * small * small + delta * (error - small)


def test_huber_config(keras):
    loss = keras.losses.Huber(reduction="sum", name="huber")
    assert (loss.name, loss.reduction) == ("huber", "sum")
    assert loss.get_config() == {"name": "huber", "reduction": "sum"}


def test_huber_all_correct(keras):
    almost(keras.losses.Huber()(H_TRUE, H_TRUE), 0.0)


def test_huber_unweighted(keras):
    almost(keras.losses.Huber()(H_TRUE, H_PRED), np.sum(_huber(H_TRUE, H_PRED)) / 6)


def test_huber_scalar_weighted_twice(keras):
    loss = keras.losses.Huber()
    first = loss(H_TRUE, H_PRED, sample_weight=2.3)
    almost(first, 2.3 * np.sum(_huber(H_TRUE, H_PRED)) / 6)
    almost(first, loss(H_TRUE, H_PRED, sample_weight=2.3))


def test_huber_sample_weighted(keras):
    loss = keras.losses.Huber()(H_TRUE, H_PRED, sample_weight=np.array([[1.2], [3.4]]))
    weights = np.asarray([1.2, 1.2, 1.2, 3.4, 3.4, 3.4]).reshape((2, 3))
    almost(loss, np.sum(_huber(H_TRUE, H_PRED) * weights) / 6)


def test_huber_timestep_weighted(keras):
    y_pred, y_true = H_PRED.reshape((2, 3, 1)), H_TRUE.reshape((2, 3, 1))
    weights = np.array([3, 6, 5, 0, 4, 2]).reshape((2, 3, 1))
    loss = keras.losses.Huber()(y_true, y_pred, sample_weight=weights)
    almost(loss, np.sum(_huber(y_true, y_pred) * weights) / 6)


def test_huber_zero_weighted(keras):
    almost(keras.losses.Huber()(H_TRUE, H_PRED, sample_weight=0), 0.0)


def test_huber_non_default_delta(keras):
    loss = keras.losses.Huber(delta=0.8)(H_TRUE, H_PRED, sample_weight=2.3)
    almost(loss, 2.3 * np.sum(_huber(H_TRUE, H_PRED, 0.8)) / 6)


# LogCosh ---------------------------------------------------------------------

L_TRUE = np.asarray([[1, 9, 2], [-5, -2, 6]], dtype=np.float32)
L_PRED = np.asarray([[4, 8, 12], [8, 1, 3]], dtype=np.float32)


def _log_cosh(y_true, y_pred):
    error = y_pred - y_true
    return np.log((np.exp(error) + np.exp(-error)) / 2)


def test_log_cosh_config(keras):
    loss = keras.losses.LogCosh(reduction="sum", name="logcosh_loss")
    assert (loss.name, loss.reduction) == ("logcosh_loss", "sum")
    assert loss.get_config() == {"name": "logcosh_loss", "reduction": "sum"}


def test_log_cosh_unweighted(keras):
    almost(
        keras.losses.LogCosh()(L_TRUE, L_PRED), np.sum(_log_cosh(L_TRUE, L_PRED)) / 6
    )


def test_log_cosh_scalar_weighted_twice(keras):
    loss = keras.losses.LogCosh()
    first = loss(L_TRUE, L_PRED, sample_weight=2.3)
    almost(first, 2.3 * np.sum(_log_cosh(L_TRUE, L_PRED)) / 6)
    almost(first, loss(L_TRUE, L_PRED, sample_weight=2.3))


def test_log_cosh_sample_weighted(keras):
    loss = keras.losses.LogCosh()(L_TRUE, L_PRED, sample_weight=np.asarray([1.2, 3.4]))
    weights = np.asarray([1.2, 1.2, 1.2, 3.4, 3.4, 3.4]).reshape((2, 3))
    almost(loss, np.sum(_log_cosh(L_TRUE, L_PRED) * weights) / 6)


def test_log_cosh_timestep_weighted(keras):
    y_true, y_pred = STEP_TRUE, STEP_PRED
    weights = np.array([3, 6, 5, 0, 4, 2]).reshape((2, 3, 1))
    loss = keras.losses.LogCosh()(y_true, y_pred, sample_weight=weights)
    almost(loss, np.sum(_log_cosh(y_true, y_pred) * weights) / 6)


def test_log_cosh_zero_weighted(keras):
    almost(keras.losses.LogCosh()(L_TRUE, L_PRED, sample_weight=0), 0.0)
