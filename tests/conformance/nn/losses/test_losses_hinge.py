"""Keras 3's losses/losses_test.py cases for Hinge, SquaredHinge,
CategoricalHinge, Dice and Tversky, in our words."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close, to_array

Y_TRUE = np.array([[0.0, 1.0], [0.0, 0.0]])
Y_PRED = np.array([[0.6, 0.4], [0.4, 0.6]])

# Keras's values: (sum_over_batch_size, sum, none, weighted [1, 0]: mean, sum, none)
HINGES = {
    "Hinge": (1.3, 2.6, [1.1, 1.5], 0.55, 1.1, [1.1, 0.0]),
    "SquaredHinge": (1.86, 3.72, [1.46, 2.26], 0.73, 1.46, [1.46, 0.0]),
    "CategoricalHinge": (1.4, 2.8, [1.2, 1.6], 0.6, 1.2, [1.2, 0.0]),
}


def almost(actual, desired, decimal=3):
    """Keras's ``assertAlmostEqual``: equal to ``decimal`` places."""
    np.testing.assert_almost_equal(to_array(actual), np.asarray(desired), decimal)


@pytest.mark.parametrize("cls_name", list(HINGES))
def test_unweighted(keras, cls_name):
    cls, expected = getattr(keras.losses, cls_name), HINGES[cls_name]
    almost(cls(reduction="sum_over_batch_size")(Y_TRUE, Y_PRED), expected[0])
    almost(cls(reduction="sum")(Y_TRUE, Y_PRED), expected[1])
    assert_close(cls(reduction=None)(Y_TRUE, Y_PRED), expected[2])
    with pytest.raises(ValueError, match="Invalid value for argument"):
        cls(reduction="abc")


@pytest.mark.parametrize("cls_name", list(HINGES))
def test_weighted(keras, cls_name):
    cls, expected = getattr(keras.losses, cls_name), HINGES[cls_name]
    weights = [1, 0]
    loss = cls(reduction="sum_over_batch_size")(Y_TRUE, Y_PRED, sample_weight=weights)
    almost(loss, expected[3])
    almost(cls(reduction="sum")(Y_TRUE, Y_PRED, sample_weight=weights), expected[4])
    almost(cls(reduction=None)(Y_TRUE, Y_PRED, sample_weight=weights), expected[5])


@pytest.mark.parametrize("cls_name", list(HINGES))
def test_zero_weighted(keras, cls_name):
    loss = getattr(keras.losses, cls_name)()(Y_TRUE, Y_PRED, sample_weight=0.0)
    assert float(to_array(loss)) == 0.0


# Dice and Tversky ------------------------------------------------------------

SMALL_TRUE = np.array([[1, 2], [1, 2]])
SMALL_PRED = np.array([[4, 1], [6, 1]])
SEG_TRUE = np.array([[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1]])
SEG_PRED = np.array([[0, 1, 0, 1], [1, 0, 1, 1], [0, 1, 0, 1], [1, 0, 1, 1]])
AXIS_TRUE = np.array(
    [[[[1.0], [1.0]], [[0.0], [0.0]]], [[[1.0], [1.0]], [[0.0], [0.0]]]]
)
AXIS_PRED = np.array(
    [[[[0.0], [1.0]], [[0.0], [1.0]]], [[[0.4], [0.0]], [[0.0], [0.9]]]]
)


@pytest.mark.parametrize(
    "cls_name, name", [("Dice", "mydice"), ("Tversky", "mytversky")]
)
def test_config(keras, check_serialization, cls_name, name):
    check_serialization(getattr(keras.losses, cls_name)(name=name))


@pytest.mark.parametrize("cls_name", ["Dice", "Tversky"])
def test_correctness(keras, cls_name):
    output = getattr(keras.losses, cls_name)()(SMALL_TRUE, SMALL_PRED)
    assert_close(output, -0.55555546)


@pytest.mark.parametrize("cls_name", ["Dice", "Tversky"])
def test_binary_segmentation(keras, cls_name):
    assert_close(getattr(keras.losses, cls_name)()(SEG_TRUE, SEG_PRED), 0.77777773)


@pytest.mark.parametrize("cls_name", ["Dice", "Tversky"])
def test_binary_segmentation_with_axis(keras, cls_name):
    loss = getattr(keras.losses, cls_name)(axis=(1, 2, 3), reduction=None)
    assert_close(loss(AXIS_TRUE, AXIS_PRED), [0.5, 0.75757575])


def test_tversky_custom_coefficients(keras):
    loss = keras.losses.Tversky(alpha=0.2, beta=0.8)
    assert_close(loss(SMALL_TRUE, SMALL_PRED), -0.29629636)


def test_tversky_binary_segmentation_custom_coefficients(keras):
    loss = keras.losses.Tversky(alpha=0.2, beta=0.8)
    assert_close(loss(SEG_TRUE, SEG_PRED), 0.7916667)


def test_tversky_binary_segmentation_custom_coefficients_with_axis(keras):
    loss = keras.losses.Tversky(alpha=0.2, beta=0.8, axis=(1, 2, 3), reduction=None)
    assert_close(loss(AXIS_TRUE, AXIS_PRED), [0.5, 0.7222222])
