"""Metrics against scikit-learn, hand computations and values recorded once from
TensorFlow 2.21 / Keras 3.15.1 (``tf.keras.metrics``) on the same inputs."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import mean_absolute_error as sk_mae
from sklearn.metrics import precision_score, recall_score, roc_auc_score

from pipeline.nn import metrics


def _binary_inputs():
    rng = np.random.default_rng(7)
    y = (rng.random(40) < 0.4).astype(np.float32)
    p = np.clip(rng.random(40) * 0.6 + y * 0.3, 0, 1).astype(np.float32)
    w = rng.random(40).astype(np.float32)
    labels = (rng.random((30, 3)) < 0.5).astype(np.float32)
    preds = rng.random((30, 3)).astype(np.float32)
    yt = rng.normal(size=(30, 2)).astype(np.float32)
    yp = rng.normal(size=(30, 2)).astype(np.float32)
    sw = rng.random(30).astype(np.float32)
    assert p[0] == np.float32(0.16055957973003387)  # same draws as the recording
    return y, p, w, labels, preds, yt, yp, sw


Y, P, W, YM, PM, YT, YP, SW = _binary_inputs()


def _run(metric, *args, **kwargs):
    metric.update_state(*args, **kwargs)
    return np.asarray(metric.result()).tolist()


@pytest.mark.parametrize(
    ("make", "kwargs", "want"),
    [
        (lambda: metrics.AUC(), {}, 0.883631706237793),
        (lambda: metrics.AUC(curve="PR"), {}, 0.872747540473938),
        (lambda: metrics.AUC(curve="PR"), {"sample_weight": W}, 0.9184147119522095),
        (
            lambda: metrics.AUC(num_thresholds=20),
            {"sample_weight": W},
            0.9024547338485718,
        ),
        (
            lambda: metrics.AUC(
                curve="PR", summation_method="minoring", num_thresholds=10
            ),
            {},
            0.5544353723526001,
        ),
        (
            lambda: metrics.AUC(summation_method="majoring", num_thresholds=10),
            {},
            0.928388774394989,
        ),
        (lambda: metrics.AUC(thresholds=[0.3, 0.5, 0.6]), {}, 0.8810741305351257),
    ],
)
def test_auc_matches_keras(make, kwargs, want):
    assert _run(make(), Y, P, **kwargs) == pytest.approx(want, rel=1e-5)


def test_multi_label_and_flattened_auc_match_keras():
    assert _run(metrics.AUC(multi_label=True), YM, PM) == pytest.approx(
        0.45504745841026306, rel=1e-5
    )
    lw = metrics.AUC(multi_label=True, label_weights=[1, 2, 3])
    assert _run(lw, YM, PM) == pytest.approx(0.49187779426574707, rel=1e-5)
    assert _run(metrics.AUC(), YM, PM) == pytest.approx(0.45499998331069946, rel=1e-5)


def test_roc_auc_equals_sklearn_when_every_prediction_has_its_own_bin():
    rng = np.random.default_rng(3)
    bins = rng.choice(199, size=80, replace=False)
    preds = (bins + 0.5) / 199
    labels = (rng.random(80) < preds).astype(np.float32)
    m = metrics.AUC()
    m.update_state(labels[:40], preds[:40])
    m.update_state(labels[40:], preds[40:])
    assert float(m.result()) == pytest.approx(roc_auc_score(labels, preds), rel=1e-6)


def test_precision_recall_match_sklearn_and_keras():
    assert _run(metrics.Precision(), Y, P) == pytest.approx(precision_score(Y, P > 0.5))
    assert _run(metrics.Recall(), Y, P) == pytest.approx(recall_score(Y, P > 0.5))
    got = _run(metrics.Precision(thresholds=[0.3, 0.5, 0.7]), Y, P, sample_weight=W)
    np.testing.assert_allclose(
        got, [0.6657710075378418, 0.8237952589988708, 1.0], rtol=1e-5
    )
    got = _run(metrics.Recall(thresholds=[0.3, 0.5, 0.7]), Y, P, sample_weight=W)
    np.testing.assert_allclose(
        got, [1.0, 0.6884787678718567, 0.1926511824131012], rtol=1e-5
    )


def test_precision_recall_top_k_and_class_id_match_keras():
    assert _run(metrics.Precision(top_k=1), YM, PM) == pytest.approx(
        0.4000000059604645, rel=1e-6
    )
    assert _run(metrics.Recall(top_k=2), YM, PM) == pytest.approx(
        0.699999988079071, rel=1e-6
    )
    assert _run(metrics.Precision(class_id=1), YM, PM) == pytest.approx(
        0.4375, rel=1e-6
    )
    rec = metrics.Recall(class_id=2, thresholds=0.4)
    assert _run(rec, YM, PM) == pytest.approx(0.6153846383094788, rel=1e-6)


def test_regression_metrics_match_keras_and_sklearn():
    assert _run(metrics.RootMeanSquaredError(), YT, YP) == pytest.approx(
        1.2785216569900513, rel=1e-5
    )
    rmse_w = _run(metrics.RootMeanSquaredError(), YT, YP, sample_weight=SW)
    assert rmse_w == pytest.approx(1.2572486400604248, rel=1e-5)
    mse_w = _run(metrics.MeanSquaredError(), YT, YP, sample_weight=SW)
    assert mse_w == pytest.approx(1.580674171447754, rel=1e-5)
    mae_w = _run(metrics.MeanAbsoluteError(), YT, YP, sample_weight=SW)
    assert mae_w == pytest.approx(1.046804666519165, rel=1e-5)
    assert _run(metrics.MeanAbsoluteError(), YT, YP) == pytest.approx(
        sk_mae(YT, YP), rel=1e-5
    )


def test_accumulates_across_batches_and_resets():
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(np.array([0, 1]), np.array([[0.9, 0.1], [0.8, 0.2]]))
    m.update_state(np.array([[1]]), np.array([[0.1, 0.9]]))
    assert float(m.result()) == pytest.approx(2 / 3)
    m.reset_state()
    assert float(m.result()) == 0.0


def test_accuracy_functions_by_hand():
    assert metrics.binary_accuracy(
        np.array([[1.0], [0.0]]), np.array([[0.5], [0.2]])
    ).tolist() == [[0.0], [1.0]]
    assert metrics.categorical_accuracy(np.eye(3), np.eye(3)[[0, 2, 1]]).tolist() == [
        1.0,
        0.0,
        0.0,
    ]
    assert metrics.top_k_categorical_accuracy(
        np.eye(3), np.array([[0.1, 0.5, 0.4]] * 3), k=2
    ).tolist() == [0.0, 1.0, 1.0]
    weighted = metrics.BinaryAccuracy()
    weighted.update_state([1, 1, 0], [0.9, 0.1, 0.1], sample_weight=[1.0, 3.0, 1.0])
    assert float(weighted.result()) == pytest.approx(2 / 5)


@pytest.mark.parametrize(
    ("y_true", "y_pred", "cls"),
    [
        (np.zeros((4,)), np.zeros((4, 3)), metrics.SparseCategoricalAccuracy),
        (np.zeros((4, 1)), np.zeros((4, 3)), metrics.SparseCategoricalAccuracy),
        (np.zeros((4, 3)), np.zeros((4, 3)), metrics.CategoricalAccuracy),
        (np.zeros((4, 1)), np.zeros((4, 1)), metrics.BinaryAccuracy),
        (np.zeros((4,)), np.zeros((4, 1)), metrics.BinaryAccuracy),
    ],
)
def test_accuracy_resolves_like_keras_compile(y_true, y_pred, cls):
    metric = metrics.get_metric("accuracy", y_true, y_pred)
    assert type(metric) is cls and metric.name == "accuracy"
    assert metrics.get_metric("acc", y_true, y_pred).name == "acc"


def test_custom_function_metric_like_the_seed_course():
    def rmse(y_true, y_pred):
        return np.sqrt(np.mean(np.square(y_pred - y_true), axis=-1))

    metric = metrics.get_metric(rmse, np.zeros((2, 1)), np.zeros((2, 1)))
    metric.update_state(np.array([[0.0], [0.0]]), np.array([[3.0], [1.0]]))
    assert metric.name == "rmse" and float(metric.result()) == pytest.approx(2.0)


def test_names_and_get():
    assert metrics.get_metric("mse", np.zeros(2), np.zeros(2)).name == "mse"
    assert (
        metrics.get_metric(metrics.AUC(name="my_auc"), np.zeros(2), np.zeros(2)).name
        == "my_auc"
    )
    assert (
        metrics.AUC().name == "auc"
        and metrics.RootMeanSquaredError().name == "root_mean_squared_error"
    )
    assert isinstance(metrics.get("Precision"), metrics.Precision)
    with pytest.raises(ValueError, match="Could not interpret metric"):
        metrics.get("no_such_metric")
    auc = metrics.deserialize(
        metrics.serialize(metrics.AUC(curve="PR", num_thresholds=50))
    )
    assert auc.curve == "PR" and auc.num_thresholds == 50


def test_mean_weighted_like_the_keras_loss_tracker():
    # fit's loss: the mean of per-batch losses weighted by batch size
    tracker = metrics.Mean(name="loss")
    tracker.update_state(2.0, sample_weight=8)
    tracker.update_state(5.0, sample_weight=2)
    assert float(tracker.result()) == pytest.approx((16 + 10) / 10)


def test_metric_variables_are_named_host_accumulators():
    cases = {
        metrics.Mean(): ["total", "count"],
        metrics.Sum(): ["total"],
        metrics.Precision(): ["true_positives", "false_positives"],
        metrics.Recall(): ["true_positives", "false_negatives"],
        metrics.TruePositives(): ["accumulator"],
        metrics.R2Score(): ["num_samples"],
    }
    for metric, names in cases.items():
        assert [v.name for v in metric.variables] == names, metric
    m = metrics.Mean()
    m.update_state([1.0, 3.0])
    total = m.variables[0]
    assert type(total.numpy()) is np.ndarray and float(total.numpy()) == 4.0
    # arithmetic gives plain numpy values, never a second accumulator
    assert not isinstance(total + 1, metrics.MetricVariable)
    assert type(m.variables[0][None] * 2) is np.ndarray
    assert float(total) == 4.0


def test_pickled_metric_keeps_variable_names_and_values():
    import pickle

    m = metrics.Precision(thresholds=[0.3, 0.6])
    m.update_state([1, 0, 1], [0.9, 0.5, 0.4])
    back = pickle.loads(pickle.dumps(m))
    assert [v.name for v in back.variables] == ["true_positives", "false_positives"]
    np.testing.assert_allclose(back.result(), m.result())


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("bce", metrics.BinaryCrossentropy),
        ("mape", metrics.MeanAbsolutePercentageError),
        ("msle", metrics.MeanSquaredLogarithmicError),
        ("kl_divergence", metrics.KLDivergence),
        ("poisson", metrics.Poisson),
        ("log_cosh_error", metrics.LogCoshError),
        ("cosine_similarity", metrics.CosineSimilarity),
        ("true_positives", metrics.TruePositives),
        ("FalseNegatives", metrics.FalseNegatives),
        ("squared_hinge", metrics.SquaredHinge),
        ("r2_score", metrics.R2Score),
        ("sum", metrics.Sum),
        ("f1_score", metrics.F1Score),
        ("pearson_correlation", metrics.PearsonCorrelation),
    ],
)
def test_get_and_serialize_the_new_names(name, cls):
    metric = metrics.get(name)
    assert type(metric) is cls
    back = metrics.deserialize(metrics.serialize(metric))
    assert type(back) is cls and back.get_config() == metric.get_config()
    compiled = metrics.get_metric(name, np.zeros((2, 1)), np.zeros((2, 1)))
    assert type(compiled) is cls and compiled.name == name


@pytest.mark.parametrize(
    "make",
    [
        lambda: metrics.RecallAtPrecision(0.8, num_thresholds=7),
        lambda: metrics.IoU(num_classes=3, target_class_ids=[0, 2]),
        lambda: metrics.FBetaScore(average="macro", beta=0.5, threshold=0.4),
    ],
)
def test_serialize_metrics_with_required_arguments(make):
    metric = make()
    back = metrics.deserialize(metrics.serialize(metric))
    assert type(back) is type(metric) and back.get_config() == metric.get_config()


def test_wrapper_from_config_resolves_only_known_functions():
    back = metrics.MeanMetricWrapper.from_config(
        {"fn": "mean_absolute_percentage_error", "name": "m"}
    )
    back.update_state([[2.0]], [[1.0]])
    assert float(back.result()) == pytest.approx(50.0)
    with pytest.raises(ValueError, match="os.system"):
        metrics.MeanMetricWrapper.from_config({"fn": "os.system", "name": "m"})


def test_wrapper_drops_entries_masked_on_the_predictions():
    from pipeline import nn

    y_pred = nn.constant([[1.0], [5.0]])
    y_pred._keras_mask = np.array([True, False])
    m = metrics.MeanAbsoluteError()
    m.update_state(np.array([[0.0], [0.0]]), y_pred)
    assert float(m.result()) == pytest.approx(1.0)


def test_auc_binarizes_labels_and_clips_predictions_like_keras():
    # Values recorded from Keras 3.15.1 (TensorFlow backend) on these inputs:
    # a soft label 0.4 counts as positive, -0.5 and 1.5 are clipped to [0, 1].
    roc = metrics.AUC(num_thresholds=3)
    assert float(roc([0, 1, 1, 0.4], [-0.5, 0.7, 1.5, 0.2])) == pytest.approx(
        0.8333333730697632, rel=1e-6
    )
    pr = metrics.AUC(num_thresholds=5, curve="PR")
    got = pr([0, 1, 1, 0.4, 0], [-0.5, 0.7, 1.5, 0.2, 0.6])
    assert float(got) == pytest.approx(0.8007864952087402, rel=1e-6)


@pytest.mark.parametrize(
    "make",
    [metrics.Precision, metrics.Recall, metrics.TruePositives, metrics.AUC],
)
def test_confusion_metrics_name_mismatched_shapes(make):
    with pytest.raises(ValueError, match=r"y_true.shape=\(3,\), y_pred.shape=\(2,\)"):
        make().update_state([0, 1, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match=r"sample_weight.shape=\(2,\)"):
        make().update_state([0, 1, 1], [0.1, 0.2, 0.3], sample_weight=[1.0, 2.0])
