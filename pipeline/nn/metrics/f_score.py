"""F-scores: ``FBetaScore`` and ``F1Score`` for multi-class and multi-label data.

Predictions become 0/1 first: above ``threshold``, or (without one) equal to
their row's maximum (and non-zero). Per-class true positives, false positives,
false negatives and supports are accumulated (or global sums with
``average="micro"``).

Example:
    >>> import numpy as np
    >>> m = F1Score(threshold=0.5)
    >>> m.update_state(np.array([[1, 0, 1], [0, 1, 0]]),
    ...                np.array([[0.8, 0.3, 0.6], [0.1, 0.9, 0.7]]))
    >>> [round(float(x), 4) for x in m.result()]
    [1.0, 1.0, 0.6667]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.metrics.base import Metric, to_numpy

_EPSILON = 1e-7
_AVERAGES = (None, "micro", "macro", "weighted")
_COUNTS = ("true_positives", "false_positives", "false_negatives")


def _check(average: Any, beta: Any, threshold: Any) -> None:
    if average not in _AVERAGES:
        raise ValueError(
            "Invalid `average` argument value. Expected one of: "
            "{None, 'micro', 'macro', 'weighted'}. "
            f"Received: average={average}"
        )
    if not isinstance(beta, float):
        raise ValueError(
            "Invalid `beta` argument value. It should be a Python float. "
            f"Received: beta={beta} of type '{type(beta)}'"
        )
    if beta <= 0.0:
        raise ValueError(
            f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}"
        )
    if threshold is None:
        return
    if not isinstance(threshold, float):
        raise ValueError(
            "Invalid `threshold` argument value. It should be a Python float. "
            f"Received: threshold={threshold} of type '{type(threshold)}'"
        )
    if threshold > 1.0 or threshold <= 0.0:
        raise ValueError(
            "Invalid `threshold` argument value. It should verify "
            f"0 < threshold <= 1. Received: threshold={threshold}"
        )


class FBetaScore(Metric):
    """The F-beta score ``(1 + β²) P R / (β² P + R)`` per class, or averaged.

    Args:
        average: None (one score per class), "micro" (global counts),
            "macro" (mean of class scores) or "weighted" (class scores
            weighted by their number of true labels). Default None.
        beta: the weight of recall relative to precision; a positive float.
            Default 1.0.
        threshold: a float in (0, 1]: predictions above it are positive;
            None: each row's largest non-zero prediction is. Default None.
        name: Default "fbeta_score".
        dtype: Default "float32".

    Example:
        >>> import numpy as np
        >>> m = FBetaScore(beta=2.0, threshold=0.5, average="micro")
        >>> y_true = np.array([[1, 0], [1, 1]])
        >>> m.update_state(y_true, np.array([[0.9, 0.2], [0.1, 0.8]]))
        >>> round(float(m.result()), 4)
        0.7143
    """

    _direction = "up"

    def __init__(
        self,
        average: str | None = None,
        beta: float = 1.0,
        threshold: float | None = None,
        name: str = "fbeta_score",
        dtype: Any = None,
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        _check(average, beta, threshold)
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, t_shape: tuple, p_shape: tuple) -> None:
        if len(p_shape) != 2 or len(t_shape) != 2:
            raise ValueError(
                "FBetaScore expects 2D inputs with shape (batch_size, output_dim). "
                f"Received input shapes: y_pred.shape={p_shape} and "
                f"y_true.shape={t_shape}."
            )
        shape = () if self.average == "micro" else (p_shape[-1],)
        for name in (*_COUNTS, "intermediate_weights"):
            variable = self.add_variable(shape, "zeros", self.dtype, name=name)
            setattr(self, name, variable)
        self._built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the batch's (weighted) per-class counts."""
        t = to_numpy(y_true).astype(self.dtype)
        p = to_numpy(y_pred).astype(self.dtype)
        if not self._built:
            self._build(t.shape, p.shape)
        if self.threshold is None:
            top = np.max(p, axis=-1, keepdims=True)
            p = ((p >= top) & (np.abs(p) > 1e-9)).astype(self.dtype)
        else:
            p = (p > self.threshold).astype(self.dtype)
        w = None if sample_weight is None else to_numpy(sample_weight, self.dtype)

        def total(values: np.ndarray) -> np.ndarray:
            if w is not None:
                values = values * w[:, None]
            return np.sum(values, axis=self.axis)

        self.true_positives.assign_add(total(p * t))
        self.false_positives.assign_add(total(p * (1 - t)))
        self.false_negatives.assign_add(total((1 - p) * t))
        self.intermediate_weights.assign_add(total(t))

    def result(self) -> Any:
        """The score per class, or its average; 0 before any update."""
        if not self._built:
            return np.asarray(0.0, self.dtype)[()]
        tp, fp = self.true_positives.value, self.false_positives.value
        fn = self.false_negatives.value
        precision = tp / (tp + fp + _EPSILON)
        recall = tp / (tp + fn + _EPSILON)
        b2 = self.beta**2
        score = (1 + b2) * precision * recall / (b2 * precision + recall + _EPSILON)
        if self.average == "weighted":
            support = self.intermediate_weights.value
            score = np.sum(score * support / (np.sum(support) + _EPSILON))
        elif self.average is not None:
            score = np.mean(score)
        return np.asarray(score, self.dtype)[()]

    def get_config(self) -> dict[str, Any]:
        """Name, dtype, ``average``, ``beta`` and ``threshold``.

        Example:
            >>> FBetaScore(beta=0.5).get_config()["beta"]
            0.5
        """
        return {
            **super().get_config(),
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
        }


class F1Score(FBetaScore):
    """The F1 score: the harmonic mean of precision and recall (β = 1).

    Args:
        average: None, "micro", "macro" or "weighted" (see `FBetaScore`).
        threshold: a float in (0, 1], or None for each row's maximum.
        name: Default "f1_score".
        dtype: Default "float32".

    Example:
        >>> import numpy as np
        >>> m = F1Score(average="macro", threshold=0.5)
        >>> y_true = np.array([[1, 0], [0, 1]])
        >>> m.update_state(y_true, np.array([[0.9, 0.2], [0.7, 0.8]]))
        >>> round(float(m.result()), 4)
        0.8333
    """

    def __init__(
        self,
        average: str | None = None,
        threshold: float | None = None,
        name: str = "f1_score",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype
        )

    def get_config(self) -> dict[str, Any]:
        """`FBetaScore`'s config without ``beta``.

        Example:
            >>> "beta" in F1Score().get_config()
            False
        """
        config = super().get_config()
        del config["beta"]
        return config
