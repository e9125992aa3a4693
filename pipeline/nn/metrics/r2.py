"""``R2Score``: the coefficient of determination, per output or aggregated.

Example:
    >>> m = R2Score()
    >>> m.update_state([[1.0], [2.0], [3.0]], [[1.0], [2.0], [4.0]])
    >>> float(m.result())
    0.5
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from pipeline.nn.metrics.base import Metric, same_rank, to_numpy

_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """``1 - SS_res / SS_tot`` for each output column, from running sums.

    With ``num_regressors = p > 0`` the adjusted score
    ``1 - (1 - R²)(n - 1) / (n - p - 1)`` is returned, where ``n`` counts the
    label entries seen (as Keras counts them); when ``p >= n - 1`` a warning is
    given and the plain score returned.

    Args:
        class_aggregation: None (one score per column), "uniform_average"
            (their mean) or "variance_weighted_average" (weighted by each
            column's total sum of squares). Default "uniform_average".
        num_regressors: the number of independent variables. Default 0.
        name: Default "r2_score".
        dtype: Default "float32".

    Example:
        >>> m = R2Score(class_aggregation=None)
        >>> m.update_state([[0.0, 1.0], [2.0, 3.0]], [[0.0, 1.0], [2.0, 2.0]])
        >>> m.result().tolist()
        [1.0, 0.5]
    """

    _direction = "up"

    def __init__(
        self,
        class_aggregation: str | None = "uniform_average",
        num_regressors: int = 0,
        name: str = "r2_score",
        dtype: Any = None,
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError(
                "Invalid value for argument `class_aggregation`. Expected "
                f"one of {list(_AGGREGATIONS)}. "
                f"Received: class_aggregation={class_aggregation}"
            )
        if num_regressors < 0:
            raise ValueError(
                "Invalid value for argument `num_regressors`. Expected a value "
                f">= 0. Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), name="num_samples")
        self._built = False

    def _build(self, t_shape: tuple, p_shape: tuple) -> None:
        if len(p_shape) != 2 or len(t_shape) != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). "
                f"Received input shapes: y_pred.shape={p_shape} and "
                f"y_true.shape={t_shape}."
            )
        n = p_shape[-1]
        self.squared_sum = self.add_variable(shape=(n,), name="squared_sum")
        self.sum = self.add_variable(shape=(n,), name="sum")
        self.total_mse = self.add_variable(shape=(n,), name="residual")
        self.count = self.add_variable(shape=(n,), name="count")
        self._built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the batch's weighted sums, squared sums and squared residuals."""
        t, p = same_rank(to_numpy(y_true, self.dtype), to_numpy(y_pred, self.dtype))
        if not self._built:
            self._build(t.shape, p.shape)
        w = np.asarray(1 if sample_weight is None else to_numpy(sample_weight))
        if w.ndim == 1:
            w = w[:, None]
        w = np.broadcast_to(w, t.shape).astype(t.dtype)
        self.sum.assign_add(np.sum(t * w, axis=0))
        self.squared_sum.assign_add(np.sum(t * t * w, axis=0))
        self.total_mse.assign_add(np.sum((t - p) ** 2 * w, axis=0))
        self.count.assign_add(np.sum(w, axis=0))
        self.num_samples.assign_add(t.size)

    def _raw(self) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = self.sum.value / self.count.value
            total = self.squared_sum.value - self.sum.value * mean
            raw = 1 - self.total_mse.value / total
        return np.where(np.isinf(raw), 0.0, raw).astype(self.dtype), total

    def result(self) -> Any:
        """The (aggregated, possibly adjusted) score; NaN before any update."""
        if not self._built:
            return np.asarray(np.nan, self.dtype)[()]
        raw, total = self._raw()
        if self.class_aggregation == "uniform_average":
            score = np.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = np.sum(total * raw) / np.sum(total)
        else:
            score = raw
        n, k = float(self.num_samples), self.num_regressors
        if k and k > n - 1:
            warnings.warn(
                "More independent predictors than datapoints in adjusted R2 "
                "score. Falling back to standard R2 score.",
                stacklevel=2,
            )
        elif k and k == n - 1:
            warnings.warn(
                "Division by zero in Adjusted R2 score. "
                "Falling back to standard R2 score.",
                stacklevel=2,
            )
        elif k:
            score = 1.0 - (1.0 - score) * (n - 1.0) / (n - k - 1.0)
        return np.asarray(score, self.dtype)[()]

    def get_config(self) -> dict[str, Any]:
        """Name, dtype, ``class_aggregation`` and ``num_regressors``.

        Example:
            >>> R2Score(num_regressors=2).get_config()["num_regressors"]
            2
        """
        return {
            **super().get_config(),
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }
