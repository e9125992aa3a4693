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
from pipeline.nn.metrics.auc import AUC
from pipeline.nn.metrics.base import Mean, MeanMetricWrapper, Metric
from pipeline.nn.metrics.confusion import Precision, Recall
from pipeline.nn.metrics.regression import (
    MeanAbsoluteError,
    MeanSquaredError,
    RootMeanSquaredError,
    mean_absolute_error,
    mean_squared_error,
)

__all__ = [
    "AUC",
    "Accuracy",
    "BinaryAccuracy",
    "CategoricalAccuracy",
    "Mean",
    "MeanAbsoluteError",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "Metric",
    "Precision",
    "Recall",
    "RootMeanSquaredError",
    "SparseCategoricalAccuracy",
    "SparseTopKCategoricalAccuracy",
    "TopKCategoricalAccuracy",
    "accuracy",
    "binary_accuracy",
    "categorical_accuracy",
    "deserialize",
    "get",
    "get_metric",
    "mean_absolute_error",
    "mean_squared_error",
    "serialize",
    "sparse_categorical_accuracy",
    "sparse_top_k_categorical_accuracy",
    "top_k_categorical_accuracy",
]

_CLASSES = {
    c.__name__: c
    for c in (
        AUC,
        Accuracy,
        BinaryAccuracy,
        CategoricalAccuracy,
        Mean,
        MeanAbsoluteError,
        MeanSquaredError,
        Precision,
        Recall,
        RootMeanSquaredError,
        SparseCategoricalAccuracy,
        SparseTopKCategoricalAccuracy,
        TopKCategoricalAccuracy,
    )
}
_FUNCTIONS = {
    f.__name__: f
    for f in (
        accuracy,
        binary_accuracy,
        categorical_accuracy,
        sparse_categorical_accuracy,
        top_k_categorical_accuracy,
        sparse_top_k_categorical_accuracy,
        mean_squared_error,
        mean_absolute_error,
    )
}
_ALIASES = {
    "mse": mean_squared_error,
    "MSE": mean_squared_error,
    "mae": mean_absolute_error,
    "MAE": mean_absolute_error,
    "auc": AUC,
    "precision": Precision,
    "recall": Recall,
    "rmse": RootMeanSquaredError,
    "root_mean_squared_error": RootMeanSquaredError,
}

_BY_NAME: dict[str, Any] = {**_ALIASES, **_FUNCTIONS, **_CLASSES}


def get(identifier: Any) -> Any:
    """A metric object or function from a name, a config dict, or itself.

    Class names ("AUC", "Precision") give a new instance with defaults; function
    names and aliases ("mse", "binary_accuracy") give the function.

    Names not built in are looked up in ``load_model``'s ``custom_objects`` and
    in the `saving_registry`; nothing else is searched.

    Raises:
        UnregisteredObjectError: (a ``ValueError``) when ``identifier`` names
            nothing known.

    Example:
        >>> get("mse").__name__, type(get("AUC")).__name__
        ('mean_squared_error', 'AUC')
    """
    if isinstance(identifier, Metric) or (
        callable(identifier) and not isinstance(identifier, type)
    ):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
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


def serialize(metric: Metric) -> dict[str, Any]:
    """``{"class_name", "config"}`` of a built-in metric.

    Example:
        >>> serialize(AUC())["class_name"]
        'AUC'
    """
    return {"class_name": type(metric).__name__, "config": metric.get_config()}


def deserialize(config: dict[str, Any]) -> Metric:
    """The metric described by ``serialize``'s output.

    Example:
        >>> deserialize(serialize(Precision(thresholds=0.7))).thresholds
        [0.7]
    """
    return saving_registry.build("metric", config, _CLASSES)
