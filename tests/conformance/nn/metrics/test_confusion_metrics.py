"""Keras 3's confusion-metric cases (metrics/confusion_metrics_test.py), ported:
the four counts, Precision and Recall. AUC's cases are in
test_confusion_metrics_auc.py, the constrained-rate metrics' cases in
test_confusion_metrics_at_threshold.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_keras import assert_close

Y_TRUE = np.array(((0, 1, 0, 1, 0), (0, 0, 1, 1, 1), (1, 1, 1, 1, 0), (0, 0, 0, 0, 1)))
Y_PRED = np.array(((0, 0, 1, 1, 0), (1, 1, 1, 1, 1), (0, 1, 0, 1, 0), (1, 1, 1, 1, 1)))
T_PRED = np.array(
    (
        (0.9, 0.2, 0.8, 0.1),
        (0.2, 0.9, 0.7, 0.6),
        (0.1, 0.2, 0.4, 0.3),
        (0, 1, 0.7, 0.3),
    )
)
T_TRUE = np.array(((0, 1, 1, 0), (1, 0, 0, 0), (0, 0, 0, 0), (1, 1, 1, 1)))
COUNTS = ["FalsePositives", "FalseNegatives", "TrueNegatives", "TruePositives"]


@pytest.mark.parametrize("cls_name", COUNTS)
def test_count_config(keras, cls_name):
    cls = getattr(keras.metrics, cls_name)
    obj = cls(name="my_count", thresholds=[0.4, 0.9])
    assert obj.name == "my_count"
    assert len(obj.variables) == 1
    assert obj.thresholds == [0.4, 0.9]
    obj2 = cls.from_config(obj.get_config())
    assert obj2.name == "my_count"
    assert len(obj2.variables) == 1
    assert obj2.thresholds == [0.4, 0.9]


@pytest.mark.parametrize(
    ("cls_name", "unweighted", "weighted"),
    [
        ("FalsePositives", 7.0, 14.0),
        ("FalseNegatives", 3.0, 5.0),
        ("TrueNegatives", 3.0, 4.0),
        ("TruePositives", 7.0, 12.0),
    ],
)
def test_count(keras, cls_name, unweighted, weighted):
    obj = getattr(keras.metrics, cls_name)()
    obj.update_state(Y_TRUE, Y_PRED)
    assert_close(obj.result(), unweighted)
    obj = getattr(keras.metrics, cls_name)()
    result = obj(Y_TRUE, Y_PRED, sample_weight=np.array((1.0, 1.5, 2.0, 2.5)))
    assert_close(result, weighted)


@pytest.mark.parametrize(
    ("cls_name", "expected"),
    [
        ("FalsePositives", [7.0, 4.0, 2.0]),
        ("FalseNegatives", [1.0, 4.0, 6.0]),
        ("TrueNegatives", [2.0, 5.0, 7.0]),
        ("TruePositives", [6.0, 3.0, 1.0]),
    ],
)
def test_count_unweighted_with_thresholds(keras, cls_name, expected):
    obj = getattr(keras.metrics, cls_name)(thresholds=[0.15, 0.5, 0.85])
    obj.update_state(T_TRUE, T_PRED)
    assert_close(obj.result(), expected)


@pytest.mark.parametrize(
    ("cls_name", "weights", "expected"),
    [
        (
            "FalsePositives",
            (
                (1.0, 2.0, 3.0, 5.0),
                (7.0, 11.0, 13.0, 17.0),
                (19.0, 23.0, 29.0, 31.0),
                (5.0, 15.0, 10.0, 0),
            ),
            [125.0, 42.0, 12.0],
        ),
        ("FalseNegatives", ((3.0,), (5.0,), (7.0,), (4.0,)), [4.0, 16.0, 23.0]),
        ("TrueNegatives", ((0.0, 2.0, 3.0, 5.0),), [5.0, 15.0, 23.0]),
        ("TruePositives", 37.0, [222.0, 111.0, 37.0]),
    ],
)
def test_count_weighted_with_thresholds(keras, cls_name, weights, expected):
    obj = getattr(keras.metrics, cls_name)(thresholds=[0.15, 0.5, 0.85])
    assert_close(obj(T_TRUE, T_PRED, sample_weight=weights), expected)


@pytest.mark.parametrize("cls_name", COUNTS + ["Precision", "Recall"])
def test_threshold_limit(keras, cls_name):
    cls = getattr(keras.metrics, cls_name)
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]. "):
        cls(thresholds=[-1, 0.5, 2])
    with pytest.raises(ValueError, match=r"Received: \[-1, 2\]"):
        cls(thresholds=[-1, 0.5, 2])
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]. "):
        cls(thresholds=[None])
    with pytest.raises(ValueError, match=r"Received: \[None\]"):
        cls(thresholds=[None])


@pytest.mark.parametrize(
    ("cls_name", "other"),
    [("Precision", "false_positives"), ("Recall", "false_negatives")],
)
def test_precision_recall_config(keras, cls_name, other):
    cls = getattr(keras.metrics, cls_name)
    obj = cls(name="my_metric", thresholds=[0.4, 0.9], top_k=15, class_id=12)
    assert obj.name == "my_metric"
    assert len(obj.variables) == 2
    assert [v.name for v in obj.variables] == ["true_positives", other]
    assert obj.thresholds == [0.4, 0.9]
    assert obj.top_k == 15
    assert obj.class_id == 12
    obj2 = cls.from_config(obj.get_config())
    assert obj2.name == "my_metric"
    assert len(obj2.variables) == 2
    assert obj2.thresholds == [0.4, 0.9]
    assert obj2.top_k == 15
    assert obj2.class_id == 12


def _value(x):
    return float(np.asarray(x.numpy() if hasattr(x, "numpy") else x).reshape(-1)[0])


@pytest.mark.parametrize("cls_name", ["Precision", "Recall"])
def test_unweighted(keras, cls_name):
    obj = getattr(keras.metrics, cls_name)()
    result = obj(np.array([0, 1, 1, 0]), np.array([1, 0, 1, 0]))
    assert _value(result) == pytest.approx(0.5)


@pytest.mark.parametrize("cls_name", ["Precision", "Recall"])
def test_unweighted_all_incorrect(keras, cls_name):
    obj = getattr(keras.metrics, cls_name)(thresholds=[0.5])
    inputs = np.random.default_rng(5).integers(0, 2, size=(100, 1))
    assert _value(obj(1 - inputs, inputs)) == pytest.approx(0)


@pytest.mark.parametrize("cls_name", ["Precision", "Recall"])
def test_div_by_zero(keras, cls_name):
    obj = getattr(keras.metrics, cls_name)()
    assert _value(obj(np.array([0, 0, 0, 0]), np.array([0, 0, 0, 0]))) == 0


@pytest.mark.parametrize("cls_name", ["Precision", "Recall"])
def test_unweighted_with_threshold(keras, cls_name):
    obj = getattr(keras.metrics, cls_name)(thresholds=[0.5, 0.7])
    result = obj(np.array([0, 1, 1, 0]), np.array([1, 0, 0.6, 0]))
    assert_close(result, [0.5, 0.0], atol=1e-6)


def test_precision_weighted(keras):
    obj = keras.metrics.Precision()
    y_pred = np.array([[1, 0, 1, 0], [1, 0, 1, 0]])
    y_true = np.array([[0, 1, 1, 0], [1, 0, 0, 1]])
    result = obj(y_true, y_pred, sample_weight=np.array([[1, 2, 3, 4], [4, 3, 2, 1]]))
    assert _value(result) == pytest.approx((3.0 + 4.0) / ((1.0 + 3.0) + (4.0 + 2.0)))


def test_recall_weighted(keras):
    obj = keras.metrics.Recall()
    y_pred = np.array([[1, 0, 1, 0], [0, 1, 0, 1]])
    y_true = np.array([[0, 1, 1, 0], [1, 0, 0, 1]])
    result = obj(y_true, y_pred, sample_weight=np.array([[1, 2, 3, 4], [4, 3, 2, 1]]))
    assert _value(result) == pytest.approx((3.0 + 1.0) / ((2.0 + 3.0) + (4.0 + 1.0)))


_TW_TRUE = np.array([[0, 1], [1, 0]])
_TW_PRED = np.array([[1, 0], [0.6, 0]], dtype="float32")


@pytest.mark.parametrize(
    ("cls_name", "weights", "expected"),
    [
        ("Precision", [[4, 0], [3, 1]], 3.0 / 7.0),
        ("Recall", [[1, 4], [3, 2]], 3.0 / 7.0),
    ],
)
def test_weighted_with_threshold(keras, cls_name, weights, expected):
    obj = getattr(keras.metrics, cls_name)(thresholds=[0.5, 1.0])
    weights = np.array(weights, dtype="float32")
    result = obj(_TW_TRUE, _TW_PRED, sample_weight=weights)
    assert_close(result, [expected, 0], atol=1e-3)


@pytest.mark.parametrize(
    ("cls_name", "weights"),
    [("Precision", [[4, 0], [3, 1]]), ("Recall", [[1, 4], [3, 2]])],
)
def test_multiple_updates(keras, cls_name, weights):
    obj = getattr(keras.metrics, cls_name)(thresholds=[0.5, 1.0])
    weights = np.array(weights, dtype="float32")
    for _ in range(2):
        obj.update_state(_TW_TRUE, _TW_PRED, sample_weight=weights)
    assert_close(obj.result(), [6.0 / 14.0, 0], atol=1e-3)


@pytest.mark.parametrize(
    ("cls_name", "expected"), [("Precision", 1 / 3), ("Recall", 0.5)]
)
def test_unweighted_top_k(keras, cls_name, expected):
    obj = getattr(keras.metrics, cls_name)(top_k=3)
    result = obj(np.array([0, 1, 1, 0, 0]), np.array([0.2, 0.1, 0.5, 0, 0.2]))
    assert _value(result) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("cls_name", "expected"),
    [
        ("Precision", ((2 + 5) + (3 + 3)) / ((1 + 2 + 5) + (3 + 3 + 3))),
        ("Recall", ((2 + 5) + (3 + 3)) / ((4 + 2 + 5) + (3 + 3 + 3 + 3))),
    ],
)
def test_weighted_top_k(keras, cls_name, expected):
    obj = getattr(keras.metrics, cls_name)(top_k=3)
    obj(
        np.array([[0, 1, 1, 0, 1]]),
        np.array([[0.2, 0.1, 0.4, 0, 0.2]]),
        sample_weight=np.array([[1, 4, 2, 3, 5]]),
    )
    result = obj(
        np.array([1, 0, 1, 1, 1]),
        np.array([0.2, 0.6, 0.4, 0.2, 0.2]),
        sample_weight=np.array(3),
    )
    assert _value(result) == pytest.approx(expected)


@pytest.mark.parametrize("cls_name", ["Precision", "Recall"])
def test_unweighted_class_id_should_throw_error_1d(keras, cls_name):
    obj = getattr(keras.metrics, cls_name)(class_id=2)
    with pytest.raises(
        ValueError,
        match=r"When class_id is provided, y_pred must be a 2D array "
        r"with shape \(num_samples, num_classes\), found shape:.*",
    ):
        obj(np.array([0, 1, 1, 0, 0]), np.array([0.2, 0.1, 0.6, 0, 0.2]))


@pytest.mark.parametrize(
    ("cls_name", "other"),
    [("Precision", "false_positives"), ("Recall", "false_negatives")],
)
def test_unweighted_class_id_multiclass(keras, cls_name, other):
    obj = getattr(keras.metrics, cls_name)(class_id=1)
    y_pred = np.array(
        [
            [0.1, 0.2, 0.7],
            [0.5, 0.3, 0.2],
            [0.2, 0.6, 0.2],
            [0.7, 0.2, 0.1],
            [0.1, 0.1, 0.8],
        ]
    )
    y_true = np.eye(3)[[2, 0, 1, 0, 2]]
    assert _value(obj(y_true, y_pred)) == pytest.approx(1.0)
    assert _value(obj.true_positives) == pytest.approx(1.0)
    assert _value(getattr(obj, other)) == pytest.approx(0.0)


def test_precision_top_k_and_threshold(keras):
    obj = keras.metrics.Precision(thresholds=0.7, top_k=2)
    result = obj(np.array([0, 1, 1, 0, 1]), np.array([0.2, 0.8, 0.6, 0, 0.2]))
    assert _value(result) == pytest.approx(1)
    assert _value(obj.true_positives) == pytest.approx(1)
    assert _value(obj.false_positives) == pytest.approx(0)


def test_recall_top_k_and_threshold(keras):
    obj = keras.metrics.Recall(thresholds=0.7, top_k=2)
    result = obj(np.array([1, 1, 1, 0, 1]), np.array([0.2, 0.8, 0.6, 0, 0.2]))
    assert _value(result) == pytest.approx(0.25)
    assert _value(obj.true_positives) == pytest.approx(1)
    assert _value(obj.false_negatives) == pytest.approx(3)


@pytest.mark.parametrize(
    ("cls_name", "y_true", "expected"),
    [("Precision", [[1, 0, 0, 0]], 0.5), ("Recall", [[1, 0, 1, 0]], 0.5)],
)
def test_top_k_keeps_exactly_k_of_tied_values(keras, cls_name, y_true, expected):
    # Four entries tie at 0.5; top_k=2 keeps the first two (indices 0 and 1),
    # not all four: precision 1/2 (not 1/4), recall 1/2 (not 2/2).
    obj = getattr(keras.metrics, cls_name)(top_k=2)
    result = obj(np.array(y_true), np.array([[0.5, 0.5, 0.5, 0.5]]))
    assert _value(result) == pytest.approx(expected)
