"""Regression metrics: mean squared/absolute error and their root.

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

from pipeline.nn.metrics.base import Mean, MeanMetricWrapper, same_rank, to_numpy


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
