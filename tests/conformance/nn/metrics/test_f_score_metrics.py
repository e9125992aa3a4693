"""Keras 3's F-score cases (metrics/f_score_metrics_test.py), ported.

Skipped: ``test_undefined_output_dim_raises_value_error`` (a ``None`` output
dimension exists only for symbolic shapes; Keras's case calls the private
``_build``). The rank check is reached through ``update_state``.
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_keras import assert_close

AVERAGES = ["micro", "macro", "weighted"]
BETAS = [0.5, 1.0, 2.0]
Y_PRED_3 = [[0.7, 0.7, 0.7], [1, 0, 0], [0.9, 0.8, 0]]
Y_TRUE_6 = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 0, 0], [0, 0, 1]]
Y_PRED_6 = [
    [0.9, 0.1, 0],
    [0.2, 0.6, 0.2],
    [0, 0, 1],
    [0.4, 0.3, 0.3],
    [0, 0.9, 0.1],
    [0, 0, 1],
]


def _run(keras, y_true, y_pred, weights, average, beta, threshold, expected):
    fbeta = keras.metrics.FBetaScore(average, beta, threshold, dtype="float32")
    fbeta.update_state(np.array(y_true), np.array(y_pred), weights)
    assert_close(fbeta.result(), expected, atol=1e-6, rtol=1e-6)


def test_config(keras):
    obj = keras.metrics.FBetaScore(
        beta=0.5, threshold=0.3, average=None, dtype="float32"
    )
    assert (obj.beta, obj.average, obj.threshold, obj.dtype) == (
        0.5,
        None,
        0.3,
        "float32",
    )
    obj2 = keras.metrics.FBetaScore.from_config(obj.get_config())
    assert (obj2.beta, obj2.average, obj2.threshold, obj2.dtype) == (
        0.5,
        None,
        0.3,
        "float32",
    )


@pytest.mark.parametrize("beta", BETAS)
@pytest.mark.parametrize("average", AVERAGES)
def test_fbeta_perfect_score(keras, average, beta):
    y_true = [[1, 1, 1], [1, 0, 0], [1, 1, 0]]
    _run(keras, y_true, Y_PRED_3, None, average, beta, 0.66, 1.0)


@pytest.mark.parametrize("beta", BETAS)
@pytest.mark.parametrize("average", AVERAGES)
def test_fbeta_worst_score(keras, average, beta):
    y_true = [[0, 0, 0], [0, 1, 0], [0, 0, 1]]
    _run(keras, y_true, Y_PRED_3, None, average, beta, 0.66, 0.0)


@pytest.mark.parametrize(
    ("average", "beta", "expected"),
    [
        (None, 0.5, [0.71428573, 0.5, 0.833334]),
        (None, 1.0, [0.8, 0.5, 0.6666667]),
        (None, 2.0, [0.9090904, 0.5, 0.555556]),
        ("micro", 0.5, 0.6666667),
        ("micro", 1.0, 0.6666667),
        ("micro", 2.0, 0.6666667),
        ("macro", 0.5, 0.6825397),
        ("macro", 1.0, 0.6555555),
        ("macro", 2.0, 0.6548822),
        ("weighted", 0.5, 0.6825397),
        ("weighted", 1.0, 0.6555555),
        ("weighted", 2.0, 0.6548822),
    ],
)
def test_fbeta_random_score(keras, average, beta, expected):
    y_true = [[0, 0, 1], [1, 1, 0], [1, 1, 1]]
    _run(keras, y_true, Y_PRED_3, None, average, beta, 0.66, expected)


@pytest.mark.parametrize(
    ("average", "beta", "expected"),
    [
        (None, 0.5, [0.9090904, 0.555556, 1.0]),
        (None, 1.0, [0.8, 0.6666667, 1.0]),
        (None, 2.0, [0.71428573, 0.833334, 1.0]),
        ("micro", 0.5, 0.833334),
        ("micro", 1.0, 0.833334),
        ("micro", 2.0, 0.833334),
        ("macro", 0.5, 0.821549),
        ("macro", 1.0, 0.822222),
        ("macro", 2.0, 0.849206),
        ("weighted", 0.5, 0.880471),
        ("weighted", 1.0, 0.844445),
        ("weighted", 2.0, 0.829365),
    ],
)
def test_fbeta_random_score_none(keras, average, beta, expected):
    _run(keras, Y_TRUE_6, Y_PRED_6, None, average, beta, None, expected)


_W1 = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
_W2 = [1.0, 0.0, 1.0, 1.0, 0.0, 1.0]
_W3 = [0.5, 1.0, 1.0, 1.0, 0.5, 1.0]


@pytest.mark.parametrize(
    ("average", "beta", "weights", "expected"),
    [
        (None, 0.5, _W1, [0.909091, 0.555556, 1.0]),
        (None, 0.5, _W2, [1.0, 0.0, 1.0]),
        (None, 0.5, _W3, [0.9375, 0.714286, 1.0]),
        (None, 1.0, _W1, [0.8, 0.666667, 1.0]),
        (None, 1.0, _W2, [1.0, 0.0, 1.0]),
        (None, 1.0, _W3, [0.857143, 0.8, 1.0]),
        (None, 2.0, _W1, [0.714286, 0.833333, 1.0]),
        (None, 2.0, _W2, [1.0, 0.0, 1.0]),
        (None, 2.0, _W3, [0.789474, 0.909091, 1.0]),
        ("micro", 0.5, _W1, 0.833333),
        ("micro", 0.5, _W2, 1.0),
        ("micro", 0.5, _W3, 0.9),
        ("micro", 1.0, _W1, 0.833333),
        ("micro", 1.0, _W2, 1.0),
        ("micro", 1.0, _W3, 0.9),
        ("micro", 2.0, _W1, 0.833333),
        ("micro", 2.0, _W2, 1.0),
        ("micro", 2.0, _W3, 0.9),
        ("macro", 0.5, _W1, 0.821549),
        ("macro", 0.5, _W2, 0.666667),
        ("macro", 0.5, _W3, 0.883929),
        ("macro", 1.0, _W1, 0.822222),
        ("macro", 1.0, _W2, 0.666667),
        ("macro", 1.0, _W3, 0.885714),
        ("macro", 2.0, _W1, 0.849206),
        ("macro", 2.0, _W2, 0.666667),
        ("macro", 2.0, _W3, 0.899522),
        ("weighted", 0.5, _W1, 0.880471),
        ("weighted", 0.5, _W2, 1.0),
        ("weighted", 0.5, _W3, 0.917857),
        ("weighted", 1.0, _W1, 0.844444),
        ("weighted", 1.0, _W2, 1.0),
        ("weighted", 1.0, _W3, 0.902857),
        ("weighted", 2.0, _W1, 0.829365),
        ("weighted", 2.0, _W2, 1.0),
        ("weighted", 2.0, _W3, 0.897608),
    ],
)
def test_fbeta_weighted_random_score_none(keras, average, beta, weights, expected):
    _run(keras, Y_TRUE_6, Y_PRED_6, np.array(weights), average, beta, None, expected)


def test_invalid_average_raises_value_error(keras):
    message = (
        "Invalid `average` argument value. Expected one of: "
        r"\{None, 'micro', 'macro', 'weighted'\}. "
        "Received: average=invalid_average"
    )
    with pytest.raises(ValueError, match=message):
        keras.metrics.FBetaScore(
            average="invalid_average", beta=1.0, threshold=None, dtype="float32"
        )


@pytest.mark.parametrize("beta", [1, "1.0", None], ids=["integer", "string", "none"])
def test_beta_type_raises_value_error(keras, beta):
    with pytest.raises(
        ValueError, match="Invalid `beta` argument value. It should be a Python float."
    ):
        keras.metrics.FBetaScore(
            average="macro", beta=beta, threshold=None, dtype="float32"
        )


@pytest.mark.parametrize("beta", [0.0, -1.0, -0.5])
def test_beta_not_positive_raises_value_error(keras, beta):
    message = f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}"
    with pytest.raises(ValueError, match=message):
        keras.metrics.FBetaScore(
            average="macro", beta=beta, threshold=None, dtype="float32"
        )


@pytest.mark.parametrize(
    ("threshold", "type_name"), [(1, "int"), ("0.5", "str")], ids=["int", "string"]
)
def test_threshold_type_raises_value_error(keras, threshold, type_name):
    message = (
        "Invalid `threshold` argument value. It should be a Python float. "
        f"Received: threshold={threshold} of type '<class '{type_name}'>'"
    )
    with pytest.raises(ValueError, match=message):
        keras.metrics.FBetaScore(
            average="macro", beta=1.0, threshold=threshold, dtype="float32"
        )


@pytest.mark.parametrize("threshold", [1.1, 0.0, -0.5])
def test_threshold_range_raises_value_error(keras, threshold):
    message = (
        "Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
        f"Received: threshold={threshold}"
    )
    with pytest.raises(ValueError, match=message):
        keras.metrics.FBetaScore(
            average="macro", beta=1.0, threshold=threshold, dtype="float32"
        )


def test_non_2d_input_shapes_raises_value_error(keras):
    fbeta = keras.metrics.FBetaScore(beta=1.0, dtype="float32")
    message = (
        r"FBetaScore expects 2D inputs with shape \(batch_size, output_dim\)\. "
        r"Received input shapes: y_pred\.shape=\(2, 3, 4\) and "
        r"y_true\.shape=\(2, 3, 4\)\."
    )
    with pytest.raises(ValueError, match=message):
        fbeta.update_state(np.zeros((2, 3, 4)), np.zeros((2, 3, 4)))


def test_f1_config(keras):
    config = keras.metrics.F1Score(dtype="float32").get_config()
    assert "beta" not in config
    f1 = keras.metrics.F1Score.from_config(config)
    assert f1.average is None
    assert f1.dtype == "float32"


def test_f1_correctness(keras):
    f1 = keras.metrics.F1Score()
    fbeta = keras.metrics.FBetaScore(beta=1.0)
    fbeta.update_state(np.array(Y_TRUE_6), np.array(Y_PRED_6))
    f1.update_state(np.array(Y_TRUE_6), np.array(Y_PRED_6))
    assert_close(fbeta.result(), f1.result(), atol=1e-6)
