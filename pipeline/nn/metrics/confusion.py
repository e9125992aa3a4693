"""Confusion-matrix metrics: Precision and Recall (the four counts live in
``confusion_counts``, AUC in ``auc``).

A prediction counts as positive at threshold ``t`` when ``y_pred > t``; a label
is positive when it is non-zero. Counts are accumulated for every threshold at
once by sorting: O(n log T) per batch.

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

from pipeline.nn.metrics.base import Metric, divide_no_nan, same_rank, to_numpy

NEG_INF = -1e10


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


def parse_thresholds(thresholds: Any, default: float) -> list[float]:
    """Keras's thresholds: a list, each in [0, 1]; ``default`` when None.

    Raises:
        ValueError: "Threshold values must be in [0, 1]" with the bad values.

    Example:
        >>> parse_thresholds(0.3, 0.5), parse_thresholds(None, 0.5)
        ([0.3], [0.5])
    """
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, list | tuple) else None
    if values is None:
        values = np.asarray(thresholds).reshape(-1).tolist()
    bad = [t for t in values if t is None or t < 0 or t > 1]
    if bad:
        raise ValueError(f"Threshold values must be in [0, 1]. Received: {bad}")
    return [float(t) if not isinstance(t, int) else t for t in values]


def keep_top_k(y_pred: np.ndarray, k: int) -> np.ndarray:
    """Exactly the ``k`` largest entries of each row; the rest become ``NEG_INF``.

    Ties go to the lower index, as ``top_k`` breaks them.

    Example:
        >>> keep_top_k(np.array([0.2, 0.1, 0.5, 0.0, 0.2]), 3).tolist()
        [0.2, -10000000000.0, 0.5, -10000000000.0, 0.2]
    """
    order = np.argsort(-y_pred, axis=-1, kind="stable")[..., :k]
    keep = np.zeros(y_pred.shape, bool)
    np.put_along_axis(keep, order, True, axis=-1)
    return np.where(keep, y_pred, NEG_INF)


def aligned(
    y_true: Any, y_pred: Any, sample_weight: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labels, predictions and weights as float64 arrays of one shape.

    A trailing axis of size 1 is squeezed or added to match ranks; weights of
    lower rank gain trailing axes, then broadcast.

    Raises:
        ValueError: when the shapes cannot be matched; the message names both.

    Example:
        >>> [a.shape for a in aligned([1, 0], [[0.3], [0.6]], 2.0)]
        [(2, 1), (2, 1), (2, 1)]
    """
    p, t = same_rank(to_numpy(y_pred, np.float64), to_numpy(y_true, np.float64))
    if t.shape != p.shape and t.size == p.size:
        t = t.reshape(p.shape)
    if t.shape != p.shape:
        raise ValueError(
            "`y_true` and `y_pred` must have the same shape. Received: "
            f"y_true.shape={t.shape}, y_pred.shape={p.shape}"
        )
    if sample_weight is None:
        return t, p, np.ones(p.shape)
    w = to_numpy(sample_weight, np.float64)
    while 0 < w.ndim < p.ndim:
        w = w[..., None]
    try:
        w = np.broadcast_to(w, p.shape)
    except ValueError:
        raise ValueError(
            "`sample_weight` must broadcast to the predictions' shape. Received: "
            f"sample_weight.shape={w.shape}, y_pred.shape={p.shape}"
        ) from None
    return t, p, w


def confusion_inputs(
    y_true: Any,
    y_pred: Any,
    sample_weight: Any,
    top_k: int | None = None,
    class_id: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flat ``(labels, predictions, weights)`` as Keras prepares them.

    Ranks are aligned, ``top_k`` keeps exactly k predictions per row and
    ``class_id`` keeps one column (``y_pred`` must then be 2-D or more).

    Example:
        >>> t, p, w = confusion_inputs([[1], [0]], [0.9, 0.2], [2.0, 1.0])
        >>> t.tolist(), p.tolist(), w.tolist()
        ([1.0, 0.0], [0.9, 0.2], [2.0, 1.0])
    """
    t, p, w = aligned(y_true, y_pred, sample_weight)
    if top_k is not None:
        p = keep_top_k(p, top_k)
    if class_id is not None:
        if p.ndim == 1:
            raise ValueError(
                "When class_id is provided, y_pred must be a 2D array with "
                f"shape (num_samples, num_classes), found shape: {p.shape}"
            )
        t, p, w = t[..., class_id], p[..., class_id], w[..., class_id]
    return t.ravel(), p.ravel(), np.ravel(w)


def threshold_counts(
    kind: str, t: np.ndarray, p: np.ndarray, w: np.ndarray, thresholds: list[float]
) -> np.ndarray:
    """The weighted ``kind`` count ("tp", "fp", "tn", "fn") at each threshold.

    Example:
        >>> threshold_counts("fn", np.array([1.0, 1.0]), np.array([0.2, 0.8]),
        ...                  np.ones(2), [0.5]).tolist()
        [1.0]
    """
    order = np.argsort(thresholds, kind="stable")
    thr = np.asarray(thresholds, np.float64)[order]
    positive = t != 0
    weights = w * (positive if kind in ("tp", "fn") else ~positive)
    above = positive_counts(weights, p, thr)
    counts = above if kind in ("tp", "fp") else np.sum(weights) - above
    out = np.empty_like(counts)
    out[order] = counts
    return out


class _PrecisionRecall(Metric):
    """Shared state of Precision and Recall: true positives and one other count."""

    _direction = "up"

    _other = "false_positives"

    def __init__(
        self,
        thresholds: Any = None,
        top_k: int | None = None,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = parse_thresholds(thresholds, default)
        n = len(self.thresholds)
        self.true_positives = self.add_variable(
            shape=(n,), initializer="zeros", name="true_positives"
        )
        other = self.add_variable(shape=(n,), initializer="zeros", name=self._other)
        setattr(self, self._other, other)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        t, p, w = confusion_inputs(
            y_true, y_pred, sample_weight, self.top_k, self.class_id
        )
        other = "fp" if self._other == "false_positives" else "fn"
        self.true_positives.assign_add(threshold_counts("tp", t, p, w, self.thresholds))
        getattr(self, self._other).assign_add(
            threshold_counts(other, t, p, w, self.thresholds)
        )

    def result(self) -> Any:
        tp = self.true_positives.value
        other = getattr(self, self._other).value
        value = divide_no_nan(tp, tp + other)
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

    Variables: ``true_positives`` and ``false_positives``, one entry per
    threshold.

    Args:
        thresholds: one float or a list (then ``result`` is a list), each in
            [0, 1]. Default 0.5 (no threshold with ``top_k``).
        top_k: count only the ``top_k`` largest predictions of each row
            (exactly k: ties go to the lower index).
        class_id: evaluate a single class (column); needs 2-D predictions.
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

    Variables: ``true_positives`` and ``false_negatives``, one entry per
    threshold.

    Args:
        thresholds: one float or a list (then ``result`` is a list), each in
            [0, 1]. Default 0.5 (no threshold with ``top_k``).
        top_k: count only the ``top_k`` largest predictions of each row
            (exactly k: ties go to the lower index).
        class_id: evaluate a single class (column); needs 2-D predictions.
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
