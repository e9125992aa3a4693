"""Keras 3's AUC cases (metrics/confusion_metrics_test.py: AUCTest and
MultiAUCTest), ported. Logits are computed with numpy instead of ``keras.ops``.

In the single-label data with ``num_thresholds=3`` (thresholds
``[-1e-7, 0.5, 1 + 1e-7]``) the counts are tp = [2, 1, 0], fp = [2, 0, 0],
fn = [0, 1, 2], tn = [0, 2, 2]; with weights [1, 2, 3, 4] they are
tp = [7, 4, 0], fp = [3, 0, 0], fn = [0, 3, 7], tn = [0, 3, 3].
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from conformance_keras import assert_close, to_array

Y_PRED = np.array([0, 0.5, 0.3, 0.9], dtype="float32")
Y_PRED_ML = np.array([[0.0, 0.4], [0.5, 0.7], [0.3, 0.2], [0.9, 0.3]], dtype="float32")
Y_TRUE = np.array([0, 0, 1, 1])
Y_TRUE_ML = np.array([[0, 0], [1, 1], [1, 1], [1, 0]])
WEIGHTS = [1, 2, 3, 4]


def _logits(p):
    return -np.log(1.0 / (p + 1e-12) - 1.0)


def _name(value):
    """An AUC curve or summation method as text (Keras keeps enums)."""
    return str(getattr(value, "value", value)).lower()


def _check_attributes(auc, num_thresholds, curve, method):
    assert auc.name == "auc_1"
    assert len(auc.variables) == 4
    assert auc.num_thresholds == num_thresholds
    assert _name(auc.curve) == curve
    assert _name(auc.summation_method) == method


def test_config(keras):
    kwargs = dict(
        num_thresholds=100,
        curve="PR",
        summation_method="majoring",
        name="auc_1",
        dtype="float64",
        multi_label=True,
        num_labels=2,
        from_logits=True,
    )
    auc = keras.metrics.AUC(**kwargs)
    auc.update_state(Y_TRUE_ML, Y_PRED_ML)
    _check_attributes(auc, 100, "pr", "majoring")
    assert auc.dtype == "float64"
    assert auc.multi_label
    assert auc.num_labels == 2
    old = auc.get_config()
    assert "thresholds" not in old
    assert old == json.loads(json.dumps(old))
    auc2 = keras.metrics.AUC.from_config(auc.get_config())
    auc2.update_state(Y_TRUE_ML, Y_PRED_ML)
    _check_attributes(auc2, 100, "pr", "majoring")
    assert auc2.multi_label
    assert auc2.num_labels == 2
    new = auc2.get_config()
    assert "thresholds" not in new
    assert old == new
    assert_close(auc.thresholds, auc2.thresholds)


def test_config_manual_thresholds(keras):
    auc = keras.metrics.AUC(
        num_thresholds=None,
        curve="PR",
        summation_method="majoring",
        name="auc_1",
        thresholds=[0.3, 0.5],
    )
    auc.update_state(Y_TRUE, Y_PRED)
    _check_attributes(auc, 4, "pr", "majoring")
    assert_close(auc.thresholds, [0.0, 0.3, 0.5, 1.0], atol=1e-6)
    old = auc.get_config()
    assert old == json.loads(json.dumps(old))
    auc2 = keras.metrics.AUC.from_config(auc.get_config())
    auc2.update_state(Y_TRUE, Y_PRED)
    _check_attributes(auc2, 4, "pr", "majoring")
    assert old == auc2.get_config()
    assert_close(auc.thresholds, auc2.thresholds)


def test_variables_are_named_counts(keras):
    auc = keras.metrics.AUC(num_thresholds=3)
    names = sorted(v.name for v in auc.variables)
    assert names == [
        "false_negatives",
        "false_positives",
        "true_negatives",
        "true_positives",
    ]
    auc.update_state(Y_TRUE, Y_PRED, sample_weight=WEIGHTS)
    assert_close(auc.true_positives, [7, 4, 0])
    assert_close(auc.false_positives, [3, 0, 0])
    assert_close(auc.false_negatives, [0, 3, 7])
    assert_close(auc.true_negatives, [0, 3, 3])


def test_unweighted_all_correct(keras):
    assert float(to_array(keras.metrics.AUC()(Y_TRUE, Y_TRUE))) == 1


def test_unweighted(keras):
    result = keras.metrics.AUC(num_thresholds=3)(Y_TRUE, Y_PRED)
    assert_close(result, 0.75, atol=1e-3, rtol=1e-3)


def test_unweighted_from_logits(keras):
    auc = keras.metrics.AUC(num_thresholds=3, from_logits=True)
    assert_close(auc(Y_TRUE, _logits(Y_PRED)), 0.75, atol=1e-3, rtol=1e-3)


def test_manual_thresholds(keras):
    auc = keras.metrics.AUC(num_thresholds=2, thresholds=[0.5])
    assert auc.num_thresholds == 3
    assert_close(auc.thresholds, [0.0, 0.5, 1.0], atol=1e-6)
    assert_close(auc(Y_TRUE, Y_PRED), 0.75, atol=1e-3, rtol=1e-3)


@pytest.mark.parametrize(
    ("curve", "method", "expected"),
    [
        ("ROC", "interpolation", 0.7855),
        ("ROC", "majoring", 1.0),
        ("ROC", "minoring", 0.571),
        ("PR", "majoring", 1 * 0.429 + 1 * 0.571),
        ("PR", "minoring", 0.7 * 0.429),
        ("PR", "interpolation", 2.416 / 7 + 4 / 7),
        ("PRGAIN", "majoring", 1.0),
        ("PRGAIN", "minoring", 0.0),
        ("PRGAIN", "interpolation", 0.5),
    ],
)
def test_weighted(keras, curve, method, expected):
    auc = keras.metrics.AUC(num_thresholds=3, curve=curve, summation_method=method)
    result = auc(Y_TRUE, Y_PRED, sample_weight=WEIGHTS)
    assert_close(result, expected, atol=1e-3, rtol=1e-3)


def test_weighted_pr_interpolation_negative_weights(keras):
    auc = keras.metrics.AUC(num_thresholds=3, curve="PR")
    result = auc(Y_TRUE, Y_PRED, sample_weight=[-1, -2, -3, -4])
    assert_close(result, 0.0, atol=1e-3)


def test_prgain_interpolation(keras):
    auc = keras.metrics.AUC(num_thresholds=3, curve="PRGAIN")
    y_true = np.array([0, 0, 0, 1, 0, 1, 0, 1, 1, 1])
    y_pred = np.array([0.1, 0.2, 0.3, 0.3, 0.4, 0.4, 0.6, 0.6, 0.8, 0.9])
    expected = 0.666666 * 0.333333 + 0.333333 * 0.833333
    assert_close(auc(y_true, y_pred), expected, atol=1e-3, rtol=1e-3)


def test_invalid_num_thresholds(keras):
    with pytest.raises(
        ValueError, match="Argument `num_thresholds` must be an integer > 1"
    ):
        keras.metrics.AUC(num_thresholds=-1)
    with pytest.raises(
        ValueError, match="Argument `num_thresholds` must be an integer > 1."
    ):
        keras.metrics.AUC(num_thresholds=1)


def test_invalid_curve(keras):
    with pytest.raises(ValueError, match='Invalid AUC curve value: "Invalid".'):
        keras.metrics.AUC(curve="Invalid")


def test_invalid_summation_method(keras):
    with pytest.raises(
        ValueError, match='Invalid AUC summation method value: "Invalid".'
    ):
        keras.metrics.AUC(summation_method="Invalid")


def test_extra_dims(keras):
    logits = np.array(
        [
            [[-10.0, 10.0, -10.0], [10.0, -10.0, 10.0]],
            [[-12.0, 12.0, -12.0], [12.0, -12.0, 12.0]],
        ],
        dtype=np.float32,
    )
    probs = (1.0 / (1.0 + np.exp(logits))).astype(np.float32)
    labels = np.array([[[1, 0, 0], [1, 0, 0]], [[0, 1, 1], [0, 1, 1]]], dtype=np.int64)
    assert float(to_array(keras.metrics.AUC()(labels, probs))) == 0.5


# MultiAUCTest: thresholds [-1e-7, 0.25, 0.5, 0.75, 1 + 1e-7].
M_PRED = np.array([[0, 0.5, 0.3, 0.9], [0.1, 0.2, 0.3, 0.4]], dtype="float32").T
M_GOOD = np.array([[0, 0, 1, 1], [0, 0, 1, 1]]).T
M_BAD = np.array([[0, 0, 1, 1], [1, 1, 0, 0]]).T


@pytest.mark.parametrize("multi_label", [True, False])
def test_multi_unweighted_all_correct(keras, multi_label):
    auc = keras.metrics.AUC(multi_label=multi_label)
    assert float(to_array(auc(M_GOOD, M_GOOD))) == 1


@pytest.mark.parametrize("from_logits", [False, True])
def test_multi_unweighted(keras, from_logits):
    auc = keras.metrics.AUC(num_thresholds=5, multi_label=True, from_logits=from_logits)
    y_pred = _logits(M_PRED) if from_logits else M_PRED
    assert_close(auc(M_GOOD, y_pred), (0.875 + 1.0) / 2.0, atol=1e-3, rtol=1e-3)


def test_multi_sample_weight_flat(keras):
    auc = keras.metrics.AUC(num_thresholds=5, multi_label=False)
    result = auc(M_GOOD, M_PRED, sample_weight=[1, 2, 3, 4])
    expected = 1.0 - (0.3333 * (1.0 - 0.2857) / 2.0)
    assert_close(result, expected, atol=1e-3, rtol=1e-3)


def test_multi_full_sample_weight_flat(keras):
    auc = keras.metrics.AUC(num_thresholds=5, multi_label=False)
    result = auc(M_GOOD, M_PRED, sample_weight=np.arange(4 * 2).reshape(4, 2))
    expected = 1.0 - (0.3333 * (1.0 - 0.2727) / 2.0)
    assert_close(result, expected, atol=1e-3, rtol=1e-3)


def test_multi_label_weights(keras):
    auc = keras.metrics.AUC(
        num_thresholds=5, multi_label=True, label_weights=[0.75, 0.25]
    )
    expected = (0.875 * 0.75 + 1.0 * 0.25) / (0.75 + 0.25)
    assert_close(auc(M_GOOD, M_PRED), expected, atol=1e-3, rtol=1e-3)


def test_multi_label_weights_flat(keras):
    auc = keras.metrics.AUC(
        num_thresholds=5, multi_label=False, label_weights=[0.75, 0.25]
    )
    expected = 1.0 - ((1.0 - 0.375) * 0.375 / 2.0)
    assert_close(auc(M_GOOD, M_PRED), expected, atol=1e-2, rtol=1e-2)


@pytest.mark.parametrize("from_logits", [False, True])
def test_multi_unweighted_flat(keras, from_logits):
    auc = keras.metrics.AUC(
        num_thresholds=5, multi_label=False, from_logits=from_logits
    )
    y_pred = _logits(M_PRED) if from_logits else M_PRED
    assert_close(auc(M_GOOD, y_pred), 1.0 - (3.0 / 32.0), atol=1e-3, rtol=1e-3)


def test_multi_manual_thresholds(keras):
    auc = keras.metrics.AUC(num_thresholds=2, thresholds=[0.5], multi_label=True)
    assert auc.num_thresholds == 3
    assert_close(auc.thresholds, [0.0, 0.5, 1.0], atol=1e-6)
    assert_close(auc(M_GOOD, M_PRED), (0.75 + 0.5) / 2.0, atol=1e-3, rtol=1e-3)


def test_multi_weighted_roc_interpolation(keras):
    auc = keras.metrics.AUC(num_thresholds=5, multi_label=True)
    result = auc(M_GOOD, M_PRED, sample_weight=WEIGHTS)
    assert_close(result, 1.0 - 0.5 * 0.43 * 0.67, atol=1e-1, rtol=1e-1)


def test_multi_pr_interpolation_unweighted(keras):
    auc = keras.metrics.AUC(num_thresholds=5, curve="PR", multi_label=True)
    good = auc(M_GOOD, M_PRED)
    assert_close(good, (0.91667 + 1.0) / 2.0, atol=1e-1, rtol=1e-1)
    bad = auc(M_BAD, M_PRED)
    assert_close(bad, (0.91667 + 0.5) / 2.0, atol=1e-1, rtol=1e-1)


def test_multi_pr_interpolation(keras):
    auc = keras.metrics.AUC(num_thresholds=5, curve="PR", multi_label=True)
    good = auc(M_GOOD, M_PRED, sample_weight=WEIGHTS)
    assert_close(good, (0.939 + 1.0) / 2.0, atol=1e-1, rtol=1e-1)


def test_multi_keras_model_compiles(keras):
    inputs = keras.Input(shape=(10,), batch_size=1)
    output = keras.layers.Dense(3, activation="sigmoid")(inputs)
    model = keras.Model(inputs=inputs, outputs=output)
    model.compile(
        optimizer="adam",
        loss="binary_crossentropy",
        metrics=[keras.metrics.AUC(multi_label=True)],
    )


def test_multi_reset_state(keras):
    auc = keras.metrics.AUC(num_thresholds=5, multi_label=True)
    auc(M_GOOD, M_PRED)
    auc.reset_state()
    assert_close(auc.true_positives, np.zeros((5, 2)))
