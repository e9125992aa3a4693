"""Hinge losses (Hinge, SquaredHinge, CategoricalHinge) and the overlap losses
of segmentation (Dice, Tversky).

Example:
    >>> round(float(Hinge()([[0.0, 1.0]], [[0.6, 0.4]])), 4)
    1.1
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.losses.functions import (
    categorical_hinge,
    dice,
    hinge,
    squared_hinge,
    tversky,
)
from pipeline.nn.losses.loss import Loss, LossFunctionWrapper
from pipeline.nn.losses.regression import _SUM_OVER_BATCH, _Plain


class Hinge(_Plain):
    """``mean(max(1 - y_true · y_pred, 0), axis=-1)``; labels 0/1 are read as -1/1.

    Example:
        >>> round(float(Hinge(reduction="sum")([[0.0, 1.0], [0.0, 0.0]],
        ...                                    [[0.6, 0.4], [0.4, 0.6]])), 4)
        2.6
    """

    def __init__(
        self, reduction: Any = _SUM_OVER_BATCH, name: str = "hinge", dtype: Any = None
    ) -> None:
        super().__init__(hinge, reduction, name, dtype)


class SquaredHinge(_Plain):
    """``mean(max(1 - y_true · y_pred, 0)², axis=-1)``; labels 0/1 are read as -1/1.

    Example:
        >>> round(float(SquaredHinge()([[0.0, 1.0]], [[0.6, 0.4]])), 4)
        1.46
    """

    def __init__(
        self,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "squared_hinge",
        dtype: Any = None,
    ) -> None:
        super().__init__(squared_hinge, reduction, name, dtype)


class CategoricalHinge(_Plain):
    """``max(max((1 - y_true) · y_pred) - sum(y_true · y_pred) + 1, 0)`` per sample.

    Example:
        >>> round(float(CategoricalHinge()([[0.0, 1.0]], [[0.6, 0.4]])), 4)
        1.2
    """

    def __init__(
        self,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "categorical_hinge",
        dtype: Any = None,
    ) -> None:
        super().__init__(categorical_hinge, reduction, name, dtype)


class Dice(LossFunctionWrapper):
    """The Dice loss ``1 - 2·|y_true ∩ y_pred| / (|y_true| + |y_pred|)`` (soft counts).

    Args:
        reduction, name, dtype: as `Loss`.
        axis: the axes summed over. Defaults to None (all, one value).

    Example:
        >>> round(float(Dice()([[1.0, 0.0]], [[1.0, 1.0]])), 4)
        0.3333
    """

    def __init__(
        self,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "dice",
        axis: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(dice, reduction, name, dtype, axis=axis)
        self.axis = axis

    def get_config(self) -> dict[str, Any]:
        return {**Loss.get_config(self), "axis": self.axis}


class Tversky(LossFunctionWrapper):
    """The Tversky loss ``1 - TP / (TP + alpha·FP + beta·FN)`` (soft counts).

    Args:
        alpha: the weight of false positives. Defaults to 0.5.
        beta: the weight of false negatives. Defaults to 0.5.
        reduction, name, dtype: as `Loss`.
        axis: the axes summed over. Defaults to None (all, one value).

    Example:
        >>> loss = Tversky(alpha=0.2, beta=0.8)
        >>> round(float(loss([[1, 2], [1, 2]], [[4, 1], [6, 1]])), 4)
        -0.2963
    """

    def __init__(
        self,
        alpha: float = 0.5,
        beta: float = 0.5,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "tversky",
        axis: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(
            tversky, reduction, name, dtype, alpha=alpha, beta=beta, axis=axis
        )
        self.alpha, self.beta, self.axis = alpha, beta, axis

    def get_config(self) -> dict[str, Any]:
        return {
            **Loss.get_config(self),
            "alpha": self.alpha,
            "beta": self.beta,
            "axis": self.axis,
        }
