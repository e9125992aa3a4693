"""Keras 3's losses/loss_test.py cases, in our words: the ``Loss`` base class's
reductions, masks (``y_pred._keras_mask``), sample weights, rank adjustment,
dtypes and ``losses.get``.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from tests.conformance_keras import assert_close, to_array

Y_TRUE = np.array([1.0, 0.0, 1.0, 0.0])
Y_PRED = np.array([0.1, 0.2, 0.3, 0.4])
WEIGHTS = np.array([0.4, 0.3, 0.2, 0.1])
MASK = np.array([True, False, True, True])
KEPT_TRUE = np.array([1.0, 1.0, 0.0])
KEPT_PRED = np.array([0.1, 0.3, 0.4])
KEPT_WEIGHTS = np.array([0.4, 0.2, 0.1])


@pytest.fixture
def squared(keras):
    """A ``keras.losses.Loss`` subclass whose ``call`` is ``(y_true - y_pred)**2``."""

    class SquaredDifference(keras.losses.Loss):
        def call(self, y_true, y_pred):
            return (y_true - y_pred) ** 2

    return SquaredDifference


def _masked(keras, values, mask):
    """``values`` as a tensor carrying ``mask`` as its ``_keras_mask``."""
    tensor = keras.ops.convert_to_tensor(values)
    tensor._keras_mask = keras.ops.convert_to_tensor(mask)
    return tensor


def _dtype(value):
    return str(to_array(value).dtype)


def test_reduction_none_sum_and_mean(squared):
    loss = squared(reduction=None)(Y_TRUE, Y_PRED)
    assert _dtype(loss) == "float32"
    assert_close(loss, (Y_TRUE - Y_PRED) ** 2)
    loss = squared(reduction="sum")(Y_TRUE, Y_PRED)
    assert _dtype(loss) == "float32"
    assert_close(loss, np.sum((Y_TRUE - Y_PRED) ** 2))
    loss = squared(reduction="sum_over_batch_size")(Y_TRUE, Y_PRED)
    assert _dtype(loss) == "float32"
    assert_close(loss, np.sum((Y_TRUE - Y_PRED) ** 2) / 4)


def test_unknown_reduction_raises(squared):
    with pytest.raises(ValueError, match="Invalid value for argument"):
        squared(reduction="abc")


def test_mask_keeps_the_unmasked_entries(keras, squared):
    y_pred = _masked(keras, Y_PRED, MASK)
    loss = squared()(Y_TRUE, y_pred)
    assert _dtype(loss) == "float32"
    assert_close(loss, np.sum((KEPT_TRUE - KEPT_PRED) ** 2) / 3)


def test_everything_masked_gives_zero_not_nan(keras, squared):
    y_pred = _masked(keras, Y_PRED, np.zeros(4, bool))
    loss = squared()(Y_TRUE, y_pred)
    assert _dtype(loss) == "float32"
    assert_close(loss, 0.0)


def test_sample_weight(squared):
    loss = squared()(Y_TRUE, Y_PRED, sample_weight=WEIGHTS)
    assert _dtype(loss) == "float32"
    assert_close(loss, np.sum(WEIGHTS * (Y_TRUE - Y_PRED) ** 2) / 4)


def test_all_zero_weights_give_zero_not_nan(squared):
    loss = squared()(Y_TRUE, Y_PRED, sample_weight=np.zeros(4))
    assert _dtype(loss) == "float32"
    assert_close(loss, 0.0)


def test_mask_and_sample_weight(keras, squared):
    y_pred = _masked(keras, Y_PRED, MASK)
    loss = squared()(Y_TRUE, y_pred, sample_weight=WEIGHTS)
    assert _dtype(loss) == "float32"
    expected = np.sum(KEPT_WEIGHTS * (KEPT_TRUE - KEPT_PRED) ** 2) / 3
    assert_close(loss, expected)


def test_mask_and_sample_weight_rank2_duplicate_rows(keras, squared):
    rank1 = squared()(Y_TRUE, _masked(keras, Y_PRED, MASK), sample_weight=WEIGHTS)
    twice = lambda a: np.tile(a[None], (2, 1))  # noqa: E731
    y_pred = _masked(keras, twice(Y_PRED), twice(MASK))
    rank2 = squared()(twice(Y_TRUE), y_pred, sample_weight=twice(WEIGHTS))
    assert_close(rank1, rank2)


@pytest.mark.parametrize("uprank", ["mask", "sample_weight", "ys"])
def test_rank_adjustment(keras, squared, uprank):
    mask, weights, y_true, y_pred = MASK, WEIGHTS, Y_TRUE, Y_PRED
    if uprank == "mask":
        mask = mask[:, None]
    elif uprank == "sample_weight":
        weights = weights[:, None]
    else:
        y_true, y_pred = y_true[:, None], y_pred[:, None]
    loss = squared()(y_true, _masked(keras, y_pred, mask), sample_weight=weights)
    assert _dtype(loss) == "float32"
    expected = np.sum(KEPT_WEIGHTS * (KEPT_TRUE - KEPT_PRED) ** 2) / 3
    assert_close(loss, expected)


def test_mixed_dtypes(squared):
    weights = WEIGHTS.astype("float64")
    y_true = Y_TRUE.astype("int32")
    y_pred = Y_PRED.astype("float32")
    loss = squared()(y_true, y_pred, sample_weight=weights)
    assert _dtype(loss) == "float32"
    assert_close(loss, np.sum(weights * (y_true - y_pred) ** 2) / 4)


def test_pickle_of_a_loss_function(keras):
    loss = pickle.loads(pickle.dumps(keras.losses.get("mse")))
    assert loss == keras.losses.mean_squared_error


def test_get(keras):
    assert keras.losses.get("mse") == keras.losses.mean_squared_error
    assert keras.losses.get(None) is None
    with pytest.raises(ValueError):
        keras.losses.get("typo")


def test_dtype_argument_float16(squared):
    loss = squared(dtype="float16")(Y_TRUE.astype("float32"), Y_PRED.astype("float32"))
    assert _dtype(loss) == "float16"


def test_dtype_is_read_only(squared):
    loss = squared(dtype="float16")
    with pytest.raises(AttributeError):
        loss.dtype = "bfloat16"
