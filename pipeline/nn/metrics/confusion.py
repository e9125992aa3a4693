"""Confusion-matrix metrics: Precision and Recall (AUC lives in ``auc``).

A prediction counts as positive at threshold ``t`` when ``y_pred > t``. Counts are
accumulated for every threshold at once by sorting: O(n log T) per batch.

Example:
    >>> import numpy as np
    >>> m = Recall(thresholds=[0.3, 0.6])
    >>> m.update_state([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> m.result().tolist()
    [1.0, 0.5]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.metrics.base import Metric, divide_no_nan, to_numpy

_NEG_INF = -1e10


def positive_counts(
    weights: np.ndarray, y_pred: np.ndarray, thresholds: np.ndarray
) -> np.ndarray:
    """For each threshold, the sum of ``weights`` where ``y_pred > threshold``.

    Args:
        weights: shape ``(n,)`` or ``(n, labels)``.
        y_pred: same shape as ``weights``.
        thresholds: increasing, shape ``(T,)``.

    Returns:
        Shape ``(T,)`` or ``(T, labels)``, float64.

    Example:
        >>> positive_counts(np.ones(3), np.array([0.1, 0.5, 0.9]),
        ...                 np.array([0.0, 0.5, 1.0])).tolist()
        [3.0, 1.0, 0.0]
    """
    t = len(thresholds)
    above = np.searchsorted(thresholds, y_pred, side="left")  # thresholds < pred
    if weights.ndim == 1:
        hist = np.bincount(above, weights=weights, minlength=t + 1)
        return np.cumsum(hist[::-1])[::-1][1:]
    out = np.empty((t, weights.shape[1]))
    for j in range(weights.shape[1]):
        out[:, j] = positive_counts(weights[:, j], y_pred[:, j], thresholds)
    return out


def _weights_like(sample_weight: Any, shape: tuple[int, ...]) -> np.ndarray:
    if sample_weight is None:
        return np.ones(shape, np.float64)
    w = to_numpy(sample_weight, np.float64)
    while w.ndim < len(shape):
        w = w[..., None]
    return np.broadcast_to(w, shape)


def _thresholds_list(thresholds: Any, default: float) -> list[float]:
    if thresholds is None:
        return [default]
    if np.ndim(thresholds) == 0:
        return [float(thresholds)]
    return [float(t) for t in thresholds]


class _PrecisionRecall(Metric):
    """Shared state of Precision and Recall: true positives and one other count."""

    _direction = "up"

    _other = "false_positives"

    def __init__(
        self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else _NEG_INF
        self.thresholds = _thresholds_list(thresholds, default)
        n = len(self.thresholds)
        self.true_positives = self.add_variable((n,), "true_positives")
        self.other = self.add_variable((n,), self._other)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        t = to_numpy(y_true, np.float64)
        p = to_numpy(y_pred, np.float64)
        if t.shape != p.shape and t.size == p.size:
            t = t.reshape(p.shape)
        w = _weights_like(sample_weight, p.shape)
        if self.top_k is not None:
            kth = np.sort(p, axis=-1)[..., -self.top_k][..., None]
            p = np.where(p >= kth, p, -np.inf)
        if self.class_id is not None:
            t, p, w = (
                t[..., self.class_id],
                p[..., self.class_id],
                w[..., self.class_id],
            )
        t, p, w = t.ravel() != 0, p.ravel(), w.ravel()
        order = np.argsort(self.thresholds)
        thr = np.asarray(self.thresholds)[order]
        tp = positive_counts(w * t, p, thr)
        if self._other == "false_positives":
            other = positive_counts(w * ~t, p, thr)
        else:
            other = np.sum(w * t) - tp
        self.true_positives[order] += tp.astype(self.dtype)
        self.other[order] += other.astype(self.dtype)

    def result(self) -> Any:
        value = divide_no_nan(self.true_positives, self.true_positives + self.other)
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }


class Precision(_PrecisionRecall):
    """``TP / (TP + FP)``: how many predicted positives are real.

    Args:
        thresholds: one float or a list (then ``result`` is a list). Default 0.5.
        top_k: count only the ``top_k`` largest predictions of each row.
        class_id: evaluate a single class (column).
        name: Default "precision".
        dtype: Default "float32".

    Example:
        >>> m = Precision(); m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> round(float(m.result()), 4)
        0.6667
    """

    _other = "false_positives"

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Accumulate true and false positives."""
        super().update_state(y_true, y_pred, sample_weight)


class Recall(_PrecisionRecall):
    """``TP / (TP + FN)``: how many real positives are found.

    Args:
        thresholds: one float or a list (then ``result`` is a list). Default 0.5.
        top_k: count only the ``top_k`` largest predictions of each row.
        class_id: evaluate a single class (column).
        name: Default "recall".
        dtype: Default "float32".

    Example:
        >>> m = Recall(); m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> round(float(m.result()), 4)
        0.6667
    """

    _other = "false_negatives"

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Accumulate true positives and false negatives."""
        super().update_state(y_true, y_pred, sample_weight)
