"""One rate at the best threshold that satisfies a constraint on another:
``SensitivityAtSpecificity``, ``SpecificityAtSensitivity``,
``PrecisionAtRecall`` and ``RecallAtPrecision``.

Each keeps the four confusion counts at ``num_thresholds`` thresholds evenly
spaced in [0, 1] (predictions are clipped to [0, 1]) and returns the largest
dependent rate among the thresholds whose constrained rate reaches the target
(0 when none does).

Example:
    >>> m = RecallAtPrecision(0.75)
    >>> m.update_state([0, 1, 1, 0], [0.1, 0.8, 0.6, 0.7])
    >>> float(m.result())
    0.5
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.metrics.base import Metric, divide_no_nan
from pipeline.nn.metrics.confusion import confusion_inputs, threshold_counts

_COUNTS = ("tp", "fp", "tn", "fn")
_NAMES = ("true_positives", "false_positives", "true_negatives", "false_negatives")


class _AtConstraint(Metric):
    """The four counts at evenly spaced thresholds, and the constrained maximum."""

    _direction = "up"
    _target = "value"

    def __init__(
        self,
        value: float,
        num_thresholds: int,
        class_id: int | None,
        name: str | None,
        dtype: Any,
    ) -> None:
        if value < 0 or value > 1:
            raise ValueError(
                f"Argument `{self._target}` must be in the range [0, 1]. "
                f"Received: {self._target}={value}"
            )
        if num_thresholds <= 0:
            raise ValueError(
                "Argument `num_thresholds` must be an integer > 0. "
                f"Received: num_thresholds={num_thresholds}"
            )
        super().__init__(name=name, dtype=dtype)
        setattr(self, self._target, value)
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
        else:
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
        for name_ in _NAMES:
            shape = (len(self.thresholds),)
            setattr(self, name_, self.add_variable(shape, "zeros", name=name_))

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the batch's four weighted counts at every threshold."""
        t, p, w = confusion_inputs(
            y_true, y_pred, sample_weight, class_id=self.class_id
        )
        if len(self.thresholds) > 1:
            p = np.clip(p, 0.0, 1.0)
        for kind, name_ in zip(_COUNTS, _NAMES, strict=True):
            getattr(self, name_).assign_add(
                threshold_counts(kind, t, p, w, self.thresholds)
            )

    def _rates(self) -> dict[str, np.ndarray]:
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        return {
            "recall": divide_no_nan(tp, tp + fn),
            "specificity": divide_no_nan(tn, tn + fp),
            "precision": divide_no_nan(tp, tp + fp),
        }

    def _best(self, constrained: str, dependent: str) -> Any:
        rates = self._rates()
        feasible = rates[constrained] >= self.value
        best = np.max(np.where(feasible, rates[dependent], 0.0), initial=0.0)
        return np.asarray(best, self.dtype)[()]

    def get_config(self) -> dict[str, Any]:
        """Name, dtype, ``class_id``, ``num_thresholds`` and the target value."""
        return {
            **super().get_config(),
            "class_id": self.class_id,
            "num_thresholds": self.num_thresholds,
            self._target: self.value,
        }


class SensitivityAtSpecificity(_AtConstraint):
    """The best sensitivity (recall) where specificity >= ``specificity``.

    Args:
        specificity: the target, in [0, 1].
        num_thresholds: thresholds evenly spaced in [0, 1]. Default 200.
        class_id: evaluate a single class (column). Default None.
        name: Default "sensitivity_at_specificity".
        dtype: Default "float32".

    Example:
        >>> m = SensitivityAtSpecificity(0.5)
        >>> m.update_state([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9])
        >>> float(m.result())
        1.0
    """

    _target = "specificity"

    def __init__(
        self,
        specificity: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(specificity, num_thresholds, class_id, name, dtype)

    def result(self) -> Any:
        """The constrained maximum (0 when no threshold qualifies)."""
        return self._best("specificity", "recall")


class SpecificityAtSensitivity(_AtConstraint):
    """The best specificity where sensitivity (recall) >= ``sensitivity``.

    Args:
        sensitivity: the target, in [0, 1].
        num_thresholds: thresholds evenly spaced in [0, 1]. Default 200.
        class_id: evaluate a single class (column). Default None.
        name: Default "specificity_at_sensitivity".
        dtype: Default "float32".

    Example:
        >>> m = SpecificityAtSensitivity(1.0)
        >>> m.update_state([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9])
        >>> float(m.result())
        0.5
    """

    _target = "sensitivity"

    def __init__(
        self,
        sensitivity: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)

    def result(self) -> Any:
        """The constrained maximum (0 when no threshold qualifies)."""
        return self._best("recall", "specificity")


class PrecisionAtRecall(_AtConstraint):
    """The best precision where recall >= ``recall``.

    Args:
        recall: the target, in [0, 1].
        num_thresholds: thresholds evenly spaced in [0, 1]. Default 200.
        class_id: evaluate a single class (column). Default None.
        name: Default "precision_at_recall".
        dtype: Default "float32".

    Example:
        >>> m = PrecisionAtRecall(1.0)
        >>> m.update_state([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9])
        >>> round(float(m.result()), 4)
        0.6667
    """

    _target = "recall"

    def __init__(
        self,
        recall: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(recall, num_thresholds, class_id, name, dtype)

    def result(self) -> Any:
        """The constrained maximum (0 when no threshold qualifies)."""
        return self._best("recall", "precision")


class RecallAtPrecision(_AtConstraint):
    """The best recall where precision >= ``precision``.

    Args:
        precision: the target, in [0, 1].
        num_thresholds: thresholds evenly spaced in [0, 1]. Default 200.
        class_id: evaluate a single class (column). Default None.
        name: Default "recall_at_precision".
        dtype: Default "float32".

    Example:
        >>> m = RecallAtPrecision(1.0)
        >>> m.update_state([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9])
        >>> float(m.result())
        0.5
    """

    _target = "precision"

    def __init__(
        self,
        precision: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(precision, num_thresholds, class_id, name, dtype)

    def result(self) -> Any:
        """The constrained maximum (0 when no threshold qualifies)."""
        return self._best("precision", "recall")
