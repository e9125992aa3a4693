"""Regression metrics: squared, absolute, percentage, logarithmic and log-cosh
errors, the root mean squared error and cosine similarity.

Example:
    >>> import numpy as np
    >>> m = RootMeanSquaredError()
    >>> m.update_state(np.array([0.0, 0.0]), np.array([3.0, 4.0]))
    >>> round(float(m.result()), 4)
    3.5355
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.metrics.base import same_rank, to_numpy
from pipeline.nn.metrics.reduction import FixedFunctionWrapper, Mean, MeanMetricWrapper


def _pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    p = to_numpy(y_pred)
    if p.dtype.kind != "f":
        p = p.astype(np.float32)
    t = to_numpy(y_true).astype(p.dtype)
    return same_rank(t, p)


def mean_squared_error(y_true: Any, y_pred: Any) -> np.ndarray:
    """``mean((y_true - y_pred)², axis=-1)``, one value per sample.

    Example:
        >>> mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]]).tolist()
        [0.5]
    """
    t, p = _pair(y_true, y_pred)
    return np.mean(np.square(t - p), axis=-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> np.ndarray:
    """``mean(|y_true - y_pred|, axis=-1)``, one value per sample.

    Example:
        >>> mean_absolute_error([[0.0, 1.0]], [[2.0, 1.0]]).tolist()
        [1.0]
    """
    t, p = _pair(y_true, y_pred)
    return np.mean(np.abs(t - p), axis=-1)


class MeanSquaredError(MeanMetricWrapper):
    """The mean of the per-sample mean squared errors.

    Example:
        >>> m = MeanSquaredError(); m.update_state([[1.0]], [[3.0]]); float(m.result())
        4.0
    """

    _direction = "down"

    def __init__(self, name: str = "mean_squared_error", dtype: Any = None) -> None:
        super().__init__(mean_squared_error, name=name, dtype=dtype)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsoluteError(MeanMetricWrapper):
    """The mean of the per-sample mean absolute errors.

    Example:
        >>> m = MeanAbsoluteError(); m.update_state([[1.0]], [[3.0]]); float(m.result())
        2.0
    """

    _direction = "down"

    def __init__(self, name: str = "mean_absolute_error", dtype: Any = None) -> None:
        super().__init__(mean_absolute_error, name=name, dtype=dtype)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class RootMeanSquaredError(Mean):
    """``sqrt`` of the (weighted) mean squared error over everything seen.

    Example:
        >>> m = RootMeanSquaredError()
        >>> m.update_state([[0.0], [0.0]], [[3.0], [5.0]]); float(m.result())
        4.123105525970459
    """

    _direction = "down"

    def __init__(
        self, name: str = "root_mean_squared_error", dtype: Any = None
    ) -> None:
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the batch's squared errors.

        Example:
            >>> m = RootMeanSquaredError(); m.update_state([1.0], [2.0])
            >>> float(m.result())
            1.0
        """
        t, p = _pair(y_true, y_pred)
        super().update_state(np.square(p - t), sample_weight=sample_weight)

    def result(self) -> np.float32:
        """The root of the mean squared error.

        Example:
            >>> float(RootMeanSquaredError().result())
            0.0
        """
        return np.sqrt(super().result())


_EPSILON = 1e-7


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> np.ndarray:
    """``100 * mean(|y_true - y_pred| / max(|y_true|, ε), axis=-1)``.

    Example:
        >>> mean_absolute_percentage_error([[2.0, 4.0]], [[1.0, 4.0]]).tolist()
        [25.0]
    """
    t, p = _pair(y_true, y_pred)
    ratio = np.abs((t - p) / np.maximum(np.abs(t), np.asarray(_EPSILON, t.dtype)))
    return 100.0 * np.mean(ratio, axis=-1)


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> np.ndarray:
    """``mean((log(1 + y_pred) - log(1 + y_true))², axis=-1)`` (inputs floored at ε).

    Example:
        >>> round(float(mean_squared_logarithmic_error([[0.0]], [[np.e - 1]])[0]), 4)
        1.0
    """
    t, p = _pair(y_true, y_pred)
    eps = np.asarray(_EPSILON, t.dtype)
    diff = np.log(np.maximum(p, eps) + 1.0) - np.log(np.maximum(t, eps) + 1.0)
    return np.mean(np.square(diff), axis=-1)


def log_cosh(y_true: Any, y_pred: Any) -> np.ndarray:
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``, computed stably.

    Example:
        >>> round(float(log_cosh([[0.0]], [[1.0]])[0]), 4)
        0.4338
    """
    t, p = _pair(y_true, y_pred)
    x = p - t
    return np.mean(x + np.logaddexp(0.0, -2.0 * x) - np.log(2.0).astype(x.dtype), -1)


def _l2_normalize(x: np.ndarray, axis: int) -> np.ndarray:
    square_sum = np.sum(np.square(x), axis=axis, keepdims=True)
    return x / np.sqrt(np.maximum(square_sum, np.asarray(1e-12, x.dtype)))


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> np.ndarray:
    """The cosine of the angle between ``y_true`` and ``y_pred`` along ``axis``.

    Example:
        >>> cosine_similarity([[1.0, 0.0]], [[1.0, 1.0]]).round(4).tolist()
        [0.7071]
    """
    t, p = _pair(y_true, y_pred)
    return np.sum(_l2_normalize(t, axis) * _l2_normalize(p, axis), axis=axis)


class MeanAbsolutePercentageError(FixedFunctionWrapper):
    """The mean of the per-sample mean absolute percentage errors.

    Args:
        name: Default "mean_absolute_percentage_error".
        dtype: Default "float32".

    Example:
        >>> m = MeanAbsolutePercentageError()
        >>> m.update_state([[2.0, 4.0]], [[1.0, 4.0]]); float(m.result())
        25.0
    """

    _direction = "down"
    _fn_of = staticmethod(mean_absolute_percentage_error)


class MeanSquaredLogarithmicError(FixedFunctionWrapper):
    """The mean of the per-sample mean squared logarithmic errors.

    Args:
        name: Default "mean_squared_logarithmic_error".
        dtype: Default "float32".

    Example:
        >>> m = MeanSquaredLogarithmicError()
        >>> m.update_state([[0.0]], [[np.e - 1]]); round(float(m.result()), 4)
        1.0
    """

    _direction = "down"
    _fn_of = staticmethod(mean_squared_logarithmic_error)


class LogCoshError(FixedFunctionWrapper):
    """The mean of the per-sample mean ``log(cosh(error))``.

    Args:
        name: Default "logcosh".
        dtype: Default "float32".

    Example:
        >>> m = LogCoshError(); m.update_state([[0.0]], [[1.0]])
        >>> m.name, round(float(m.result()), 4)
        ('logcosh', 0.4338)
    """

    _direction = "down"
    _fn_of = staticmethod(log_cosh)

    def __init__(self, name: str = "logcosh", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """The mean cosine similarity between labels and predictions along ``axis``.

    Args:
        name: Default "cosine_similarity".
        dtype: Default "float32".
        axis: the axis of the vectors. Default -1.

    Example:
        >>> m = CosineSimilarity(); m.update_state([[0.0, 1.0]], [[1.0, 1.0]])
        >>> round(float(m.result()), 4)
        0.7071
    """

    _direction = "up"

    def __init__(
        self, name: str = "cosine_similarity", dtype: Any = None, axis: int = -1
    ) -> None:
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}
