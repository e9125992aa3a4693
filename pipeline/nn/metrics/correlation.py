"""Correlation metrics: ``PearsonCorrelation`` and ``ConcordanceCorrelation``.

Each sample's coefficient is computed along ``axis``; the metric is their
(weighted) mean over the samples seen.

Example:
    >>> m = PearsonCorrelation()
    >>> m.update_state([[1.0, 2.0, 3.0]], [[2.0, 4.0, 6.0]])
    >>> round(float(m.result()), 4)
    1.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.metrics.base import same_rank, to_numpy
from pipeline.nn.metrics.reduction import MeanMetricWrapper

_EPSILON = 1e-7


def _pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    p = to_numpy(y_pred)
    if p.dtype.kind != "f":
        p = p.astype(np.float32)
    return same_rank(to_numpy(y_true).astype(p.dtype), p)


def pearson_correlation(y_true: Any, y_pred: Any, axis: int = -1) -> np.ndarray:
    """Pearson's correlation coefficient of each sample along ``axis``.

    Example:
        >>> pearson_correlation([[1.0, 2.0, 3.0]], [[3.0, 2.0, 1.0]]).round(4).tolist()
        [-1.0]
    """
    t, p = _pair(y_true, y_pred)
    t = t - np.mean(t, axis=axis, keepdims=True)
    p = p - np.mean(p, axis=axis, keepdims=True)
    t = t / np.std(t, axis=axis, keepdims=True)
    p = p / np.std(p, axis=axis, keepdims=True)
    return np.mean(t * p, axis=axis)


def concordance_correlation(y_true: Any, y_pred: Any, axis: int = -1) -> np.ndarray:
    """Lin's concordance correlation coefficient of each sample along ``axis``.

    As in Keras 3.15, the cross term centres both factors on the mean of
    ``y_pred``: ``mean(2 (y_true - mean(y_pred)) (y_pred - mean(y_pred)) /
    (var(y_true) + var(y_pred) + (mean(y_true) - mean(y_pred))² + ε))``.

    Example:
        >>> concordance_correlation([[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]]).round(4)
        array([1.])
    """
    t, p = _pair(y_true, y_pred)
    t_mean = np.mean(t, axis=axis, keepdims=True)
    p_mean = np.mean(p, axis=axis, keepdims=True)
    t_var = np.var(t - t_mean, axis=axis, keepdims=True)
    p_var = np.var(p - p_mean, axis=axis, keepdims=True)
    cross = (t - p_mean) * (p - p_mean)
    norm = t_var + p_var + np.square(t_mean - p_mean)
    return np.mean(2 * cross / (norm + np.asarray(_EPSILON, t.dtype)), axis=axis)


class _AxisWrapper(MeanMetricWrapper):
    """A wrapper of a correlation function with ``axis`` in its config."""

    _direction = "up"
    _fn_of: Any = None

    def __init__(self, name: str, dtype: Any = None, axis: int = -1) -> None:
        super().__init__(type(self)._fn_of, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class PearsonCorrelation(_AxisWrapper):
    """The mean Pearson correlation between labels and predictions.

    Args:
        name: Default "pearson_correlation".
        dtype: Default "float32".
        axis: the axis along which each coefficient is computed. Default -1.

    Example:
        >>> m = PearsonCorrelation()
        >>> round(m([[1.0, 2.0, 3.0]], [[3.0, 2.0, 1.0]]).item(), 4)
        -1.0
    """

    _fn_of = staticmethod(pearson_correlation)

    def __init__(
        self, name: str = "pearson_correlation", dtype: Any = None, axis: int = -1
    ) -> None:
        super().__init__(name=name, dtype=dtype, axis=axis)


class ConcordanceCorrelation(_AxisWrapper):
    """The mean concordance correlation between labels and predictions.

    Args:
        name: Default "concordance_correlation".
        dtype: Default "float32".
        axis: the axis along which each coefficient is computed. Default -1.

    Example:
        >>> m = ConcordanceCorrelation()
        >>> round(m([[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]]).item(), 4)
        1.0
    """

    _fn_of = staticmethod(concordance_correlation)

    def __init__(
        self, name: str = "concordance_correlation", dtype: Any = None, axis: int = -1
    ) -> None:
        super().__init__(name=name, dtype=dtype, axis=axis)
