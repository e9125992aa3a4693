"""Metrics with Keras 3's names, defaults and ``Metric`` API, on host numpy.

``compile(metrics=[...])`` should resolve each entry with
:func:`get_metric(identifier, y_true, y_pred) <get_metric>`, which returns a
``Metric`` named as Keras names it ("accuracy" picks binary, categorical or
sparse categorical accuracy from the shapes, as Keras does; a plain function
``def rmse(y_true, y_pred)`` becomes a ``MeanMetricWrapper`` named "rmse").

Example:
    >>> import numpy as np
    >>> m = get_metric("accuracy", np.array([0, 2]), np.zeros((2, 3)))
    >>> type(m).__name__, m.name
    ('SparseCategoricalAccuracy', 'accuracy')
"""

from __future__ import annotations

from typing import Any

from pipeline.nn import saving_registry
from pipeline.nn.metrics import reduction
from pipeline.nn.metrics.accuracy import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from pipeline.nn.metrics.at_threshold import (
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
from pipeline.nn.metrics.auc import AUC
from pipeline.nn.metrics.base import Metric, MetricVariable, snake_case
from pipeline.nn.metrics.confusion import Precision, Recall
from pipeline.nn.metrics.confusion_counts import (
    FalseNegatives,
    FalsePositives,
    TrueNegatives,
    TruePositives,
)
from pipeline.nn.metrics.correlation import (
    ConcordanceCorrelation,
    PearsonCorrelation,
    concordance_correlation,
    pearson_correlation,
)
from pipeline.nn.metrics.f_score import F1Score, FBetaScore
from pipeline.nn.metrics.hinge import (
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    hinge,
    squared_hinge,
)
from pipeline.nn.metrics.iou import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from pipeline.nn.metrics.probabilistic import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from pipeline.nn.metrics.r2 import R2Score
from pipeline.nn.metrics.reduction import Mean, MeanMetricWrapper, Sum
from pipeline.nn.metrics.regression import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
    cosine_similarity,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)

_CLASS_LIST = (
    BinaryIoU,
    IoU,
    MeanIoU,
    OneHotIoU,
    OneHotMeanIoU,
    F1Score,
    FBetaScore,
    ConcordanceCorrelation,
    PearsonCorrelation,
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    AUC,
    Accuracy,
    BinaryAccuracy,
    BinaryCrossentropy,
    CategoricalAccuracy,
    CategoricalCrossentropy,
    CategoricalHinge,
    CosineSimilarity,
    FalseNegatives,
    FalsePositives,
    Hinge,
    KLDivergence,
    LogCoshError,
    Mean,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanMetricWrapper,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    Precision,
    R2Score,
    Recall,
    RootMeanSquaredError,
    SparseCategoricalAccuracy,
    SparseCategoricalCrossentropy,
    SparseTopKCategoricalAccuracy,
    SquaredHinge,
    Sum,
    TopKCategoricalAccuracy,
    TrueNegatives,
    TruePositives,
)
_FUNCTION_LIST = (
    concordance_correlation,
    pearson_correlation,
    accuracy,
    binary_accuracy,
    binary_crossentropy,
    categorical_accuracy,
    categorical_crossentropy,
    categorical_hinge,
    cosine_similarity,
    hinge,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_accuracy,
    sparse_categorical_crossentropy,
    sparse_top_k_categorical_accuracy,
    squared_hinge,
    top_k_categorical_accuracy,
)

__all__ = [
    "AUC",
    "Accuracy",
    "BinaryAccuracy",
    "BinaryCrossentropy",
    "BinaryIoU",
    "CategoricalAccuracy",
    "CategoricalCrossentropy",
    "CategoricalHinge",
    "ConcordanceCorrelation",
    "CosineSimilarity",
    "F1Score",
    "FBetaScore",
    "FalseNegatives",
    "FalsePositives",
    "Hinge",
    "IoU",
    "KLDivergence",
    "LogCoshError",
    "Mean",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanIoU",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Metric",
    "MetricVariable",
    "OneHotIoU",
    "OneHotMeanIoU",
    "PearsonCorrelation",
    "Poisson",
    "Precision",
    "PrecisionAtRecall",
    "R2Score",
    "Recall",
    "RecallAtPrecision",
    "RootMeanSquaredError",
    "SensitivityAtSpecificity",
    "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy",
    "SparseTopKCategoricalAccuracy",
    "SpecificityAtSensitivity",
    "SquaredHinge",
    "Sum",
    "TopKCategoricalAccuracy",
    "TrueNegatives",
    "TruePositives",
    "accuracy",
    "binary_accuracy",
    "binary_crossentropy",
    "categorical_accuracy",
    "categorical_crossentropy",
    "categorical_hinge",
    "concordance_correlation",
    "cosine_similarity",
    "deserialize",
    "get",
    "get_metric",
    "hinge",
    "kl_divergence",
    "log_cosh",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "pearson_correlation",
    "poisson",
    "serialize",
    "sparse_categorical_accuracy",
    "sparse_categorical_crossentropy",
    "sparse_top_k_categorical_accuracy",
    "squared_hinge",
    "top_k_categorical_accuracy",
]

_CLASSES = {c.__name__: c for c in _CLASS_LIST}
_FUNCTIONS = {f.__name__: f for f in _FUNCTION_LIST}
reduction.FUNCTIONS.update(_FUNCTIONS)
# Keras's table: class names, their snake-cased names, and short aliases.
_BY_NAME: dict[str, Any] = {
    **_CLASSES,
    **{snake_case(name): c for name, c in _CLASSES.items()},
    "bce": BinaryCrossentropy,
    "BCE": BinaryCrossentropy,
    "mse": MeanSquaredError,
    "MSE": MeanSquaredError,
    "mae": MeanAbsoluteError,
    "MAE": MeanAbsoluteError,
    "mape": MeanAbsolutePercentageError,
    "MAPE": MeanAbsolutePercentageError,
    "msle": MeanSquaredLogarithmicError,
    "MSLE": MeanSquaredLogarithmicError,
    "rmse": RootMeanSquaredError,
}


def get(identifier: Any) -> Any:
    """A metric from a name, a config dict, a function, or itself; None for None.

    Names are Keras's: class names ("AUC"), their snake-cased forms
    ("mean_squared_error", "auc") and the aliases "mse", "mae", "mape",
    "msle", "bce"; each gives a new instance with defaults. Names not built in
    are looked up in ``load_model``'s ``custom_objects`` and in the
    `saving_registry`; nothing else is searched.

    Raises:
        UnregisteredObjectError: (a ``ValueError``) when ``identifier`` names
            nothing known.

    Example:
        >>> type(get("mse")).__name__, type(get("AUC")).__name__, get(None)
        ('MeanSquaredError', 'AUC', None)
    """
    if identifier is None:
        return None
    if isinstance(identifier, Metric) or (
        callable(identifier) and not isinstance(identifier, type)
    ):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    found = saving_registry.resolve("metric", identifier, _BY_NAME)
    return found() if isinstance(found, type) else found


def _is_binary_or_sparse(y_true: Any, y_pred: Any) -> tuple[bool, bool]:
    t_shape, p_shape = tuple(y_true.shape), tuple(y_pred.shape)
    is_binary = len(p_shape) > 0 and p_shape[-1] == 1
    is_sparse = len(t_shape) < len(p_shape) or (
        len(t_shape) > 0 and t_shape[-1] == 1 and p_shape[-1] > 1
    )
    return is_binary, is_sparse


def get_metric(identifier: Any, y_true: Any, y_pred: Any) -> Metric:
    """The ``Metric`` that ``compile(metrics=[identifier])`` uses, named as Keras.

    Args:
        identifier: a name, a ``Metric``, a function, or a config dict.
        y_true: a batch of labels (only its shape is used).
        y_pred: a batch of predictions (only its shape is used).

    Returns:
        A ``Metric``; its ``name`` is ``identifier`` for strings, else the
        object's name (a function's ``__name__``).

    Example:
        >>> import numpy as np
        >>> def rmse(y_true, y_pred):
        ...     return np.sqrt(np.mean((y_true - y_pred) ** 2, axis=-1))
        >>> get_metric(rmse, np.zeros((2, 1)), np.zeros((2, 1))).name
        'rmse'
    """
    if str(identifier).lower() in ("accuracy", "acc"):
        is_binary, is_sparse = _is_binary_or_sparse(y_true, y_pred)
        if is_binary:
            metric: Any = BinaryAccuracy(name=str(identifier))
        elif is_sparse:
            metric = SparseCategoricalAccuracy(name=str(identifier))
        else:
            metric = CategoricalAccuracy(name=str(identifier))
    else:
        metric = get(identifier)
    if isinstance(identifier, str):
        name = identifier
    else:
        name = getattr(metric, "name", None) or getattr(metric, "__name__", "metric")
    if not isinstance(metric, Metric):
        metric = MeanMetricWrapper(metric)
    metric.name = name
    return metric


def serialize(metric: Any) -> Any:
    """``{"class_name", "config"}`` of a metric; a function's registered name.

    Example:
        >>> serialize(AUC())["class_name"], serialize(mean_squared_error)
        ('AUC', 'mean_squared_error')
    """
    if not isinstance(metric, Metric):
        return saving_registry.get_registered_name(metric) or metric.__name__
    name = saving_registry.get_registered_name(type(metric)) or type(metric).__name__
    return {"class_name": name, "config": metric.get_config()}


def deserialize(config: Any, custom_objects: dict[str, Any] | None = None) -> Any:
    """The metric described by ``serialize``'s output.

    Args:
        config: a ``{"class_name", "config"}`` dict or a name.
        custom_objects: extra classes and functions by name.

    Example:
        >>> deserialize(serialize(Precision(thresholds=0.7))).thresholds
        [0.7]
    """
    if custom_objects is not None:
        with saving_registry.load_scope(custom_objects, safe_mode=True):
            return deserialize(config)
    if isinstance(config, str):
        return saving_registry.resolve("metric", config, {**_FUNCTIONS, **_CLASSES})
    return saving_registry.build("metric", config, _CLASSES)
