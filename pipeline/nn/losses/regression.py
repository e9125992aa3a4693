"""Regression losses: MSE, MAE, MAPE, MSLE, cosine similarity, Huber, log-cosh.

Example:
    >>> float(MeanSquaredError()([[0.0, 1.0]], [[1.0, 1.0]]))
    0.5
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.losses.functions import (
    cosine_similarity,
    log_cosh,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
)
from pipeline.nn.losses.loss import Loss, LossFunctionWrapper
from pipeline.nn.ops.loss_functions import (
    huber,
    mean_absolute_error,
    mean_squared_error,
)

_SUM_OVER_BATCH = "sum_over_batch_size"


class _Plain(LossFunctionWrapper):
    """A wrapper whose config is `Loss`'s (name and reduction only)."""

    def get_config(self) -> dict[str, Any]:
        return Loss.get_config(self)


class MeanSquaredError(_Plain):
    """``mean((y_true - y_pred)², axis=-1)`` per sample.

    Example:
        >>> float(MeanSquaredError()([[0.0]], [[2.0]]))
        4.0
    """

    def __init__(
        self,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "mean_squared_error",
        dtype: Any = None,
    ) -> None:
        super().__init__(mean_squared_error, reduction, name, dtype)


class MeanAbsoluteError(_Plain):
    """``mean(|y_true - y_pred|, axis=-1)`` per sample.

    Example:
        >>> float(MeanAbsoluteError()([[0.0]], [[2.0]]))
        2.0
    """

    def __init__(
        self,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "mean_absolute_error",
        dtype: Any = None,
    ) -> None:
        super().__init__(mean_absolute_error, reduction, name, dtype)


class MeanAbsolutePercentageError(_Plain):
    """``100 · mean(|y_true - y_pred| / max(|y_true|, ε), axis=-1)`` per sample.

    Example:
        >>> float(MeanAbsolutePercentageError()([[4.0]], [[3.0]]))
        25.0
    """

    def __init__(
        self,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "mean_absolute_percentage_error",
        dtype: Any = None,
    ) -> None:
        super().__init__(mean_absolute_percentage_error, reduction, name, dtype)


class MeanSquaredLogarithmicError(_Plain):
    """``mean((log(y_pred + 1) - log(y_true + 1))², axis=-1)`` (inputs floored at ε).

    Example:
        >>> round(float(MeanSquaredLogarithmicError()([[0.0]], [[1.0]])), 4)
        0.4805
    """

    def __init__(
        self,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "mean_squared_logarithmic_error",
        dtype: Any = None,
    ) -> None:
        super().__init__(mean_squared_logarithmic_error, reduction, name, dtype)


class CosineSimilarity(_Plain):
    """Minus the cosine similarity along ``axis`` (-1 when the vectors agree).

    Args:
        axis: the axis of the vectors. Defaults to -1. (As in Keras, the config
            holds only ``name`` and ``reduction``.)
        reduction, name, dtype: as `Loss`.

    Example:
        >>> float(CosineSimilarity()([[0.0, 1.0]], [[0.0, 3.0]]))
        -1.0
    """

    def __init__(
        self,
        axis: int = -1,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "cosine_similarity",
        dtype: Any = None,
    ) -> None:
        super().__init__(cosine_similarity, reduction, name, dtype, axis=axis)


class Huber(_Plain):
    """Huber loss: quadratic within ``delta`` of the target, linear beyond.

    Args:
        delta: the threshold. Defaults to 1.0. (As in Keras, the config holds
            only ``name`` and ``reduction``.)
        reduction, name, dtype: as `Loss`.

    Example:
        >>> float(Huber()([[0.0]], [[3.0]]))
        2.5
    """

    def __init__(
        self,
        delta: float = 1.0,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "huber_loss",
        dtype: Any = None,
    ) -> None:
        super().__init__(huber, reduction, name, dtype, delta=delta)


class LogCosh(_Plain):
    """``mean(log(cosh(y_pred - y_true)), axis=-1)`` per sample.

    Example:
        >>> round(float(LogCosh()([[0.0]], [[1.0]])), 4)
        0.4338
    """

    def __init__(
        self,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "log_cosh",
        dtype: Any = None,
    ) -> None:
        super().__init__(log_cosh, reduction, name, dtype)
