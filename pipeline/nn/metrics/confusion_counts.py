"""The four confusion counts as metrics: ``TruePositives``, ``FalsePositives``,
``TrueNegatives`` and ``FalseNegatives``.

Each keeps one variable, ``accumulator``, with the (weighted) count at every
threshold; ``result`` is that count (a list when several thresholds are given).

Example:
    >>> m = FalsePositives(thresholds=[0.15, 0.5])
    >>> m.update_state([0, 0, 1], [0.2, 0.7, 0.9])
    >>> m.result().tolist()
    [2.0, 1.0]
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.metrics.base import Metric
from pipeline.nn.metrics.confusion import (
    confusion_inputs,
    parse_thresholds,
    threshold_counts,
)


class _ConfusionCount(Metric):
    """One confusion count at one or more thresholds."""

    _kind = "tp"

    def __init__(self, thresholds: Any = None, name: str | None = None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = parse_thresholds(thresholds, 0.5)
        self.accumulator = self.add_variable(
            shape=(len(self.thresholds),), initializer="zeros", name="accumulator"
        )

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the batch's weighted count at each threshold."""
        t, p, w = confusion_inputs(y_true, y_pred, sample_weight)
        self.accumulator.assign_add(
            threshold_counts(self._kind, t, p, w, self.thresholds)
        )

    def result(self) -> Any:
        """The count (one value for one threshold, else one per threshold)."""
        value = self.accumulator.numpy()
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self) -> dict[str, Any]:
        """``{"name", "dtype", "thresholds"}`` (thresholds as given)."""
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionCount):
    """The (weighted) number of positive labels predicted positive.

    Args:
        thresholds: one float or a list in [0, 1]; a prediction is positive
            above it. Default 0.5.
        name: Default "true_positives".
        dtype: Default "float32".

    Example:
        >>> m = TruePositives(); m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> float(m.result())
        2.0
    """

    _kind = "tp"


class FalsePositives(_ConfusionCount):
    """The (weighted) number of negative labels predicted positive.

    Args:
        thresholds: one float or a list in [0, 1]; a prediction is positive
            above it. Default 0.5.
        name: Default "false_positives".
        dtype: Default "float32".

    Example:
        >>> m = FalsePositives(); m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
        >>> float(m.result())
        2.0
    """

    _kind = "fp"


class TrueNegatives(_ConfusionCount):
    """The (weighted) number of negative labels predicted negative.

    Args:
        thresholds: one float or a list in [0, 1]; a prediction is positive
            above it. Default 0.5.
        name: Default "true_negatives".
        dtype: Default "float32".

    Example:
        >>> m = TrueNegatives(); m.update_state([0, 1, 0, 0], [1, 1, 0, 0])
        >>> float(m.result())
        2.0
    """

    _kind = "tn"


class FalseNegatives(_ConfusionCount):
    """The (weighted) number of positive labels predicted negative.

    Args:
        thresholds: one float or a list in [0, 1]; a prediction is positive
            above it. Default 0.5.
        name: Default "false_negatives".
        dtype: Default "float32".

    Example:
        >>> m = FalseNegatives(); m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
        >>> float(m.result())
        2.0
    """

    _kind = "fn"
