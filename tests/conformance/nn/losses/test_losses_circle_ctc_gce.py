"""Keras 3's losses/losses_test.py cases for Circle, CTC and
CategoricalGeneralizedCrossEntropy, in our words."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close, to_array


def almost(actual, desired, decimal=3):
    """Keras's ``assertAlmostEqual``: equal to ``decimal`` places."""
    np.testing.assert_almost_equal(to_array(actual), np.asarray(desired), decimal)


LABELS = np.array([1, 1, 2, 2, 3])
EMBEDDINGS = np.array(
    [
        [0.70014004, -0.42008403, 0.14002801, 0.56011203],
        [0.17609018, 0.70436073, -0.52827054, 0.44022545],
        [-0.34050261, 0.25537696, -0.68100522, 0.59587957],
        [0.32163376, -0.75047877, 0.53605627, -0.21442251],
        [0.51261459, -0.34174306, 0.17087153, 0.76892189],
    ]
)
REF_LABELS = np.array([1, 1, 2, 2, 3, 4])
REF_EMBEDDINGS = np.array(
    [
        [0.40824829, -0.54433105, 0.27216553, 0.68041382],
        [0.76376261, 0.10910895, -0.54554473, 0.32732684],
        [-0.74420841, 0.24806947, 0.49613894, -0.3721042],
        [0.52981294, -0.13245324, 0.79471941, -0.26490647],
        [0.54554473, -0.32732684, 0.10910895, 0.76376261],
        [-0.27216553, 0.68041382, 0.40824829, -0.54433105],
    ]
)
WEIGHTS = np.array([2.0, 2.0, 1.0, 1.0, 0.5])


def test_circle_config(keras, check_serialization):
    check_serialization(keras.losses.Circle(name="mycircle", gamma=80.0, margin=0.4))


def test_circle_correctness(keras):
    almost(keras.losses.Circle(gamma=80.0, margin=0.4)(LABELS, EMBEDDINGS), 188.3883)
    almost(keras.losses.Circle(gamma=256, margin=0.25)(LABELS, EMBEDDINGS), 652.7617)
    loss = keras.losses.circle(
        LABELS,
        EMBEDDINGS,
        ref_labels=REF_LABELS,
        ref_embeddings=REF_EMBEDDINGS,
        gamma=80.0,
        margin=0.4,
        remove_diagonal=False,
    )
    assert_close(loss, (61.5844, 94.3465, 276.9344, 90.9873, 48.8963))


def test_circle_correctness_weighted(keras):
    loss = keras.losses.Circle(gamma=80.0, margin=0.4)
    almost(loss(LABELS, EMBEDDINGS, sample_weight=WEIGHTS), 244.91918)


def test_circle_no_reduction(keras):
    loss = keras.losses.Circle(gamma=80.0, margin=0.4, reduction=None)
    expected = [82.9116, 36.7942, 92.4590, 52.6798, 0.0, 0.0]
    assert_close(loss(REF_LABELS, REF_EMBEDDINGS), expected)


def test_circle_sum_reduction(keras):
    loss = keras.losses.Circle(gamma=80.0, margin=0.4, reduction="sum")
    almost(loss(REF_LABELS, REF_EMBEDDINGS), 264.845)


def test_circle_mean_with_sample_weight_reduction(keras):
    loss = keras.losses.Circle(
        gamma=80.0, margin=0.4, reduction="mean_with_sample_weight"
    )
    almost(loss(LABELS, EMBEDDINGS, sample_weight=WEIGHTS), 163.27948)


# CategoricalGeneralizedCrossEntropy -------------------------------------------


def _gce(probabilities, q):
    return (1 - np.power(np.asarray(probabilities), q)) / q


@pytest.mark.parametrize("kwargs", [{}, {"q": 0.1}], ids=["default", "q0.1"])
def test_gce_config(keras, check_serialization, kwargs):
    check_serialization(
        keras.losses.CategoricalGeneralizedCrossEntropy(name="gce", **kwargs)
    )


@pytest.mark.parametrize(
    "y_pred, true_probabilities",
    [
        ([[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]], [0.7, 0.8, 0.6, 0.6]),
        (
            [[0.7, 0.3, 0.0], [0.2, 0.2, 0.6], [0.6, 0.4, 0.0], [0.2, 0.2, 0.6]],
            [0.7, 0.2, 0.6, 0.2],
        ),
    ],
    ids=["binary", "multi_class"],
)
def test_gce_basic_correctness(keras, y_pred, true_probabilities):
    y_true = np.array([0, 1, 0, 1])
    y_pred = np.array(y_pred)
    loss = keras.losses.CategoricalGeneralizedCrossEntropy()
    assert_close(loss(y_true, y_pred), _gce(true_probabilities, 0.5).mean())
    loss = keras.losses.CategoricalGeneralizedCrossEntropy(q=0.8)
    assert_close(loss(y_true, y_pred), _gce(true_probabilities, 0.8).mean())


BIN_TRUE = np.array([[0, 1, 1, 0], [1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 1]])
MULTI_TRUE = np.array([[0, 1, 2, 0], [1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 1]])


def test_gce_binary_segmentation(keras):
    y_pred = np.eye(2)[BIN_TRUE]
    loss = keras.losses.CategoricalGeneralizedCrossEntropy(q=0.5)
    assert_close(loss(BIN_TRUE, y_pred), 0.0)
    y_pred[0, 3] = [0.2, 0.8]
    y_pred[3, 3] = [0.6, 0.4]
    assert_close(loss(BIN_TRUE, y_pred), _gce([0.2, 0.4], 0.5).sum() / 16.0)


def test_gce_multi_class_segmentation(keras):
    y_pred = np.eye(3)[MULTI_TRUE]
    loss = keras.losses.CategoricalGeneralizedCrossEntropy(q=0.5)
    assert_close(loss(MULTI_TRUE, y_pred), 0.0)
    y_pred[0, 3] = [0.2, 0.0, 0.8]
    y_pred[1, 0] = [1.0, 0.0, 0.0]
    y_pred[3, 2] = [0.5, 0.5, 0.0]
    assert_close(loss(MULTI_TRUE, y_pred), _gce([0.2, 0.0, 0.5], 0.5).sum() / 16.0)


# CTC ---------------------------------------------------------------------------

CTC_LOGITS = (np.arange(24).reshape((2, 4, 3)).astype("float32") - 12) / 100
CTC_LABELS = np.array([[1, 2, 1, 0], [1, 2, 0, 2]])


def test_ctc_config(keras, check_serialization):
    check_serialization(keras.losses.CTC(name="myctc"))


def test_ctc_correctness(keras):
    assert_close(keras.losses.CTC()(CTC_LABELS, CTC_LOGITS), 2.448645)
