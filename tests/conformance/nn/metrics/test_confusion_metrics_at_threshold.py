"""Keras 3's cases of the constrained-rate metrics (metrics/
confusion_metrics_test.py: SensitivityAtSpecificity, SpecificityAtSensitivity,
PrecisionAtRecall, RecallAtPrecision), ported. One-hot labels are built with
numpy instead of ``keras.ops``.
"""

from __future__ import annotations

import numpy as np
import pytest

P1 = [0.0, 0.1, 0.2, 0.3, 0.4, 0.01, 0.02, 0.25, 0.26, 0.26]
P2 = [0.0, 0.1, 0.2, 0.5, 0.6, 0.2, 0.5, 0.6, 0.8, 0.9]
P3 = [0.05, 0.1, 0.2, 0.3, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.9, 0.95]
L10 = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
L12 = [0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 1]
CLASSES = [
    ("SensitivityAtSpecificity", "specificity"),
    ("SpecificityAtSensitivity", "sensitivity"),
    ("PrecisionAtRecall", "recall"),
    ("RecallAtPrecision", "precision"),
]


def _value(x):
    return float(np.asarray(x.numpy() if hasattr(x, "numpy") else x))


@pytest.mark.parametrize(("cls_name", "attr"), CLASSES)
def test_config(keras, cls_name, attr):
    cls = getattr(keras.metrics, cls_name)
    obj = cls(0.4, num_thresholds=100, class_id=12, name="my_metric_1")
    assert obj.name == "my_metric_1"
    assert len(obj.variables) == 4
    assert getattr(obj, attr) == 0.4
    assert obj.num_thresholds == 100
    assert obj.class_id == 12
    obj2 = cls.from_config(obj.get_config())
    assert obj2.name == "my_metric_1"
    assert len(obj2.variables) == 4
    assert getattr(obj2, attr) == 0.4
    assert obj2.num_thresholds == 100
    assert obj2.class_id == 12


@pytest.mark.parametrize(("cls_name", "attr"), CLASSES)
def test_unweighted_all_correct(keras, cls_name, attr):
    obj = getattr(keras.metrics, cls_name)(0.7)
    inputs = np.random.default_rng(6).integers(0, 2, size=(100, 1))
    result = obj(inputs, inputs.astype("float32"))
    assert _value(result) == pytest.approx(1)


@pytest.mark.parametrize(
    ("cls_name", "target", "preds", "labels", "expected"),
    [
        (
            "SensitivityAtSpecificity",
            0.8,
            [0.0, 0.1, 0.2, 0.3, 0.4, 0.1, 0.45, 0.5, 0.8, 0.9],
            L10,
            0.8,
        ),
        ("SensitivityAtSpecificity", 0.4, P1, L10, 0.6),
        ("SpecificityAtSensitivity", 1.0, P1, L10, 0.2),
        ("SpecificityAtSensitivity", 0.4, P1, L10, 0.6),
        ("PrecisionAtRecall", 0.8, P2, L10, 2.0 / 3),
        ("PrecisionAtRecall", 0.6, P2, L10, 0.75),
        ("RecallAtPrecision", 0.75, P3, L12, 0.5),
        ("RecallAtPrecision", 2.0 / 3, P3, L12, 5.0 / 6),
        ("RecallAtPrecision", 2.0 / 3, [0.1, 0.2, 0.3, 0.9], [1, 1, 0, 0], 0.0),
    ],
    ids=[
        "sas_high_specificity",
        "sas_low_specificity",
        "sas_high_sensitivity",
        "sas_low_sensitivity",
        "par_high_recall",
        "par_low_recall",
        "rap_high_precision",
        "rap_low_precision",
        "rap_unachievable_precision",
    ],
)
def test_unweighted(keras, cls_name, target, preds, labels, expected):
    obj = getattr(keras.metrics, cls_name)(target)
    result = obj(np.array(labels), np.array(preds, dtype="float32"))
    assert _value(result) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("cls_name", "target", "preds", "labels", "expected"),
    [
        ("SensitivityAtSpecificity", 0.4, P1, [0, 0, 0, 0, 0, 2, 2, 2, 2, 2], 0.6),
        ("SpecificityAtSensitivity", 0.4, P1, [0, 0, 0, 0, 0, 2, 2, 2, 2, 2], 0.6),
        ("PrecisionAtRecall", 0.6, P2, [0, 0, 0, 0, 0, 2, 2, 2, 2, 2], 0.75),
        (
            "RecallAtPrecision",
            2.0 / 3,
            P3,
            [0, 2, 0, 0, 0, 2, 2, 0, 2, 2, 0, 2],
            5.0 / 6,
        ),
    ],
)
def test_unweighted_class_id(keras, cls_name, target, preds, labels, expected):
    # Keras's SensitivityAtSpecificity class_id case builds a
    # SpecificityAtSensitivity; both give 0.6 here.
    obj = getattr(keras.metrics, cls_name)(target, class_id=2)
    y_pred = np.array([preds] * 3).T
    y_true = np.eye(3, dtype="float32")[np.array(labels)]
    assert _value(obj(y_true, y_pred)) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("label_dtype", ["bool", "int32", "float32"])
@pytest.mark.parametrize(
    ("cls_name", "target", "preds", "labels", "weights", "expected"),
    [
        ("SensitivityAtSpecificity", 0.4, P1, L10, list(range(1, 11)), 0.675),
        ("SpecificityAtSensitivity", 0.4, P1, L10, list(range(1, 11)), 0.4),
        ("PrecisionAtRecall", 7.0 / 8, P2, L10, [2, 1, 2, 1, 2, 1, 2, 2, 1, 2], 0.7),
        (
            "RecallAtPrecision",
            0.75,
            [0.1, 0.2, 0.3, 0.5, 0.6, 0.9, 0.9],
            [0, 1, 0, 0, 0, 1, 1],
            [1, 2, 1, 2, 1, 2, 1],
            0.6,
        ),
    ],
)
def test_weighted(
    keras, cls_name, target, preds, labels, weights, expected, label_dtype
):
    obj = getattr(keras.metrics, cls_name)(target)
    y_true = np.array(labels).astype(label_dtype)
    result = obj(
        y_true, np.array(preds, dtype="float32"), sample_weight=np.array(weights)
    )
    assert _value(result) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(("cls_name", "attr"), CLASSES)
def test_invalid_target(keras, cls_name, attr):
    with pytest.raises(ValueError, match=rf"`{attr}` must be in the range \[0, 1\]."):
        getattr(keras.metrics, cls_name)(-1)


@pytest.mark.parametrize(("cls_name", "attr"), CLASSES)
def test_invalid_num_thresholds(keras, cls_name, attr):
    with pytest.raises(
        ValueError, match="Argument `num_thresholds` must be an integer > 0"
    ):
        getattr(keras.metrics, cls_name)(0.4, num_thresholds=-1)


def test_handles_sas_metrics(keras):
    # Keras's case compiles with loss="crossentropy", which Keras resolves to
    # binary crossentropy for these (5, 1) targets; that loss alias belongs to
    # the losses/compile side, so the binary loss is named here directly.
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    sas = keras.metrics.SpecificityAtSensitivity(0.5, name="sas")
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[sas])
    model.fit(np.ones((5, 1)), np.ones((5, 1)), verbose=0)


def test_end_to_end(keras):
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer="rmsprop", loss="mse", metrics=[keras.metrics.Precision()])
    model.fit(np.ones((5, 1)), np.ones((5, 1)), verbose=0)
