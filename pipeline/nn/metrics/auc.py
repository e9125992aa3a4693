"""AUC: area under the ROC or precision-recall curve, from confusion counts at
fixed thresholds, as Keras 3 approximates it.

Example:
    >>> import numpy as np
    >>> m = AUC(curve="PR")
    >>> m.update_state([0, 1, 1, 0], [0.2, 0.9, 0.7, 0.4])
    >>> round(float(m.result()), 3)
    1.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.metrics.base import Metric, divide_no_nan
from pipeline.nn.metrics.confusion import aligned, positive_counts

_EPSILON = 1e-7
_CURVES = ("ROC", "PR", "PRGAIN")
_SUMMATIONS = ("interpolation", "minoring", "majoring")
_COUNTS = ("true_positives", "true_negatives", "false_positives", "false_negatives")


def _check(curve: str, summation_method: str) -> tuple[str, str]:
    if str(curve).upper() not in _CURVES:
        raise ValueError(
            f'Invalid AUC curve value: "{curve}". Expected values are {list(_CURVES)}'
        )
    if str(summation_method).lower() not in _SUMMATIONS:
        raise ValueError(
            f'Invalid AUC summation method value: "{summation_method}". '
            f"Expected values are {list(_SUMMATIONS)}"
        )
    return str(curve).upper(), str(summation_method).lower()


def _thresholds(num_thresholds: Any, thresholds: Any) -> list[float]:
    if thresholds is not None:
        return sorted(float(t) for t in np.asarray(thresholds).reshape(-1))
    if num_thresholds is None or num_thresholds <= 1:
        raise ValueError(
            "Argument `num_thresholds` must be an integer > 1. "
            f"Received: num_thresholds={num_thresholds}"
        )
    return [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]


def _gains(c: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Recall gain and precision gain (Flach & Kull), clamped as Keras does."""
    tp, fp = c["true_positives"], c["false_positives"]
    fn, tn = c["false_negatives"], c["true_negatives"]
    scale = divide_no_nan(tp + fn, tn + fp)
    recall_gain = 1.0 - scale * divide_no_nan(fn, tp)
    precision_gain = 1.0 - scale * divide_no_nan(fp, tp)
    recall_gain = np.maximum(np.where(tp == 0, 0.0, recall_gain), 0.0)
    precision_gain = np.where(tp == 0, 1.0, precision_gain)
    return recall_gain, precision_gain


class AUC(Metric):
    """Approximate area under the ROC (default) or PR curve.

    Predictions are compared with ``num_thresholds`` thresholds: ``-ε``,
    ``i/(num_thresholds-1)`` for ``i = 1 .. num_thresholds-2``, and ``1+ε``
    (or the given ``thresholds`` between those two ends). ROC areas use the
    trapezoidal rule; PR areas with "interpolation" use Davis & Goadrich's
    interpolation of precision, as Keras does. The variables are
    ``true_positives``, ``true_negatives``, ``false_positives`` and
    ``false_negatives``, one entry per threshold (and label).

    Args:
        num_thresholds: Default 200 (ignored, may be None, with ``thresholds``).
        curve: "ROC", "PR" or "PRGAIN" (precision-recall gain). Default "ROC".
        summation_method: "interpolation", "minoring" or "majoring".
        name: Default "auc".
        dtype: Default "float32".
        thresholds: explicit thresholds in [0, 1] (overrides num_thresholds).
        multi_label: one curve per label column, then their (weighted) mean.
        num_labels: the number of label columns with ``multi_label``: the
            variables are then made at once, else on the first update.
        label_weights: per-label weights of that mean (multi_label only).
        from_logits: apply a sigmoid to predictions first.

    Example:
        >>> m = AUC(num_thresholds=3)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> float(m.result())
        0.75
    """

    _direction = "up"

    def __init__(
        self,
        num_thresholds: int | None = 200,
        curve: str = "ROC",
        summation_method: str = "interpolation",
        name: str | None = None,
        dtype: Any = None,
        thresholds: list[float] | None = None,
        multi_label: bool = False,
        num_labels: int | None = None,
        label_weights: Any = None,
        from_logits: bool = False,
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        self.curve, self.summation_method = _check(curve, summation_method)
        self._init_thresholds = thresholds
        inner = _thresholds(num_thresholds, thresholds)
        self.num_thresholds = len(inner) + 2
        self._thresholds = np.array([0.0 - _EPSILON] + inner + [1.0 + _EPSILON])
        ends = np.array([0.0] + inner + [1.0])
        self._evenly_spaced = len(ends) >= 3 and bool(
            np.allclose(ends, np.linspace(0.0, 1.0, len(ends)))
        )
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = (
            None if label_weights is None else np.asarray(label_weights, self.dtype)
        )
        self._from_logits = from_logits
        self._counts: dict[str, Any] | None = None
        if not multi_label or num_labels is not None:
            self._ensure_counts(num_labels if multi_label else None)

    @property
    def thresholds(self) -> list[float]:
        """The thresholds, including the two end points.

        Example:
            >>> [round(t, 3) for t in AUC(num_thresholds=3).thresholds]
            [-0.0, 0.5, 1.0]
        """
        return [float(t) for t in self._thresholds]

    def _ensure_counts(self, labels: int | None) -> dict[str, np.ndarray]:
        if self._counts is None:
            shape = (self.num_thresholds,) + (() if labels is None else (labels,))
            self._counts = {}
            for n in _COUNTS:
                self._counts[n] = self.add_variable(shape, "zeros", self.dtype, name=n)
                setattr(self, n, self._counts[n])
        return self._counts

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Accumulate the four confusion counts at every threshold.

        A non-zero label is positive. With evenly spaced thresholds (the
        default ones) predictions are first clipped to [0, 1], as Keras's
        bucketed counting does.
        """
        t, p, w = aligned(y_true, y_pred, sample_weight)
        t = (t != 0).astype(np.float64)
        if self._from_logits:
            p = 1.0 / (1.0 + np.exp(-p))
        if self._evenly_spaced:
            p = np.clip(p, 0.0, 1.0)
        if self.multi_label:
            t, p, w = (a.reshape(-1, p.shape[-1]) for a in (t, p, w))
        else:
            t, p, w = t.ravel(), p.ravel(), w.ravel()
            if self.label_weights is not None:
                w = w * np.resize(self.label_weights, w.shape)
        counts = self._ensure_counts(p.shape[1] if self.multi_label else None)
        pos, neg = w * t, w * (1.0 - t)
        tp = positive_counts(pos, p, self._thresholds)
        fp = positive_counts(neg, p, self._thresholds)
        counts["true_positives"].assign_add(tp)
        counts["false_positives"].assign_add(fp)
        counts["false_negatives"].assign_add(pos.sum(axis=0) - tp)
        counts["true_negatives"].assign_add(neg.sum(axis=0) - fp)

    def _average(self, per_threshold: np.ndarray) -> np.float32:
        total = per_threshold.sum(axis=0)
        if not self.multi_label:
            return np.float32(total)
        if self.label_weights is None:
            return np.float32(total.mean())
        return np.float32(
            divide_no_nan(
                np.sum(total * self.label_weights), np.sum(self.label_weights)
            )
        )

    def _interpolate_pr(self, c: dict[str, np.ndarray]) -> np.float32:
        tp, fp, fn = c["true_positives"], c["false_positives"], c["false_negatives"]
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = divide_no_nan(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        both = (p[:-1] > 0) & (p[1:] > 0)
        ratio = np.where(both, divide_no_nan(p[:-1], np.maximum(p[1:], 0)), 1.0)
        with np.errstate(divide="ignore"):
            log_ratio = np.log(ratio)
        terms = divide_no_nan(
            slope * (dtp + intercept * log_ratio), np.maximum(tp[1:] + fn[1:], 0)
        )
        return self._average(terms)

    def result(self) -> np.float32:
        """The area under the chosen curve (0 before any update).

        Example:
            >>> float(AUC().result())
            0.0
        """
        if self._counts is None:
            return np.float32(0.0)
        c = {k: v.value.astype(np.float64) for k, v in self._counts.items()}
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolate_pr(c)
        tp, fp = c["true_positives"], c["false_positives"]
        recall = divide_no_nan(tp, tp + c["false_negatives"])
        if self.curve == "ROC":
            x, y = divide_no_nan(fp, fp + c["true_negatives"]), recall
        elif self.curve == "PR":
            x, y = recall, divide_no_nan(tp, tp + fp)
        else:
            x, y = _gains(c)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:
            heights = np.maximum(y[:-1], y[1:])
        return self._average((x[:-1] - x[1:]) * heights)

    def reset_state(self) -> None:
        """Zero every count (their shape is kept)."""
        super().reset_state()

    def get_config(self) -> dict[str, Any]:
        """Keras's AUC config keys.

        Example:
            >>> AUC(curve="PR").get_config()["curve"]
            'PR'
        """
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": None
            if self.label_weights is None
            else self.label_weights.tolist(),
            "from_logits": self._from_logits,
        }
        if self._init_thresholds is not None:
            config["thresholds"] = self.thresholds[1:-1]
        return config
