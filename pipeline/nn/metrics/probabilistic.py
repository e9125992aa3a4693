"""Probabilistic metrics: KL divergence, Poisson and the three crossentropies.

Each is the (weighted) mean of a per-sample value computed in float32 on the
host, with Keras's clipping of probabilities to ``[ε, 1 - ε]`` (ε = 1e-7).

Example:
    >>> import numpy as np
    >>> m = BinaryCrossentropy(from_logits=True)
    >>> m.update_state([[1.0, 0.0]], [[10.0, -10.0]]); round(float(m.result()), 4)
    0.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.metrics.base import same_rank, to_numpy
from pipeline.nn.metrics.reduction import (
    FixedFunctionWrapper,
    Mean,
    MeanMetricWrapper,
    masked_weight,
)

_EPS = np.float32(1e-7)
_F32 = np.float32


def _pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    p = to_numpy(y_pred, _F32)
    t = to_numpy(y_true, _F32)
    return same_rank(t, p)


def kl_divergence(y_true: Any, y_pred: Any) -> np.ndarray:
    """``sum(y_true * log(y_true / y_pred), axis=-1)``, both clipped to [ε, 1].

    Example:
        >>> round(float(kl_divergence([[0.5, 0.5]], [[0.25, 0.75]])[0]), 4)
        0.1438
    """
    t, p = _pair(y_true, y_pred)
    t, p = np.clip(t, _EPS, 1), np.clip(p, _EPS, 1)
    return np.sum(t * np.log(t / p), axis=-1)


def poisson(y_true: Any, y_pred: Any) -> np.ndarray:
    """``mean(y_pred - y_true * log(y_pred + ε), axis=-1)``.

    Example:
        >>> round(float(poisson([[1.0]], [[1.0]])[0]), 4)
        1.0
    """
    t, p = _pair(y_true, y_pred)
    return np.mean(p - t * np.log(p + _EPS), axis=-1)


def binary_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0
) -> np.ndarray:
    """The mean binary crossentropy over the last axis.

    Example:
        >>> round(float(binary_crossentropy([[1.0]], [[0.5]])[0]), 4)
        0.6931
    """
    t, p = _pair(y_true, y_pred)
    if label_smoothing:
        t = t * _F32(1.0 - label_smoothing) + _F32(0.5 * label_smoothing)
    if from_logits:
        values = np.maximum(p, 0) - p * t + np.log1p(np.exp(-np.abs(p)))
    else:
        p = np.clip(p, _EPS, _F32(1) - _EPS)
        values = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    return np.mean(values, axis=-1)


def _log_probs(p: np.ndarray, from_logits: bool, axis: int) -> np.ndarray:
    if from_logits:
        shifted = p - np.max(p, axis=axis, keepdims=True)
        return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    p = p / np.sum(p, axis=axis, keepdims=True)
    return np.log(np.clip(p, _EPS, _F32(1) - _EPS))


def categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> np.ndarray:
    """``-sum(y_true * log(p), axis)`` with one-hot (or soft) labels.

    Example:
        >>> round(float(categorical_crossentropy([[0, 1]], [[0.5, 0.5]])[0]), 4)
        0.6931
    """
    t, p = to_numpy(y_true, _F32), to_numpy(y_pred, _F32)
    if label_smoothing:
        classes = _F32(p.shape[axis])
        t = t * _F32(1.0 - label_smoothing) + _F32(label_smoothing) / classes
    return -np.sum(t * _log_probs(p, from_logits, axis), axis=axis)


def sparse_categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    ignore_class: int | None = None,
    axis: int = -1,
) -> np.ndarray:
    """``-log(p[label])`` with integer labels; 0 where the label is ``ignore_class``.

    Example:
        >>> round(float(sparse_categorical_crossentropy([1], [[0.5, 0.5]])[0]), 4)
        0.6931
    """
    return _sparse_values(y_true, y_pred, from_logits, ignore_class, axis)[0]


def _sparse_values(y_true, y_pred, from_logits, ignore_class, axis):
    p = to_numpy(y_pred, _F32)
    t = to_numpy(y_true)
    if t.ndim == p.ndim and t.shape[-1] == 1:
        t = t[..., 0]
    t = t.astype(np.int64)
    valid = None if ignore_class is None else t != ignore_class
    if valid is not None:
        t = np.where(valid, t, 0)
    log_p = np.moveaxis(_log_probs(p, from_logits, axis), axis, -1)
    values = -np.take_along_axis(log_p, t[..., None], axis=-1)[..., 0]
    if valid is not None:
        values = np.where(valid, values, _F32(0))
    return values, valid


class KLDivergence(FixedFunctionWrapper):
    """The mean Kullback-Leibler divergence from ``y_pred`` to ``y_true``.

    Args:
        name: Default "kl_divergence".
        dtype: Default "float32".

    Example:
        >>> m = KLDivergence(); m.update_state([[0.5, 0.5]], [[0.25, 0.75]])
        >>> round(float(m.result()), 4)
        0.1438
    """

    _direction = "down"
    _fn_of = staticmethod(kl_divergence)


class Poisson(FixedFunctionWrapper):
    """The mean Poisson deviance term ``y_pred - y_true * log(y_pred)``.

    Args:
        name: Default "poisson".
        dtype: Default "float32".

    Example:
        >>> m = Poisson(); m.update_state([[1.0]], [[1.0]]); round(float(m.result()), 4)
        1.0
    """

    _direction = "down"
    _fn_of = staticmethod(poisson)


class BinaryCrossentropy(MeanMetricWrapper):
    """The mean binary crossentropy (labels 0 and 1).

    Args:
        name: Default "binary_crossentropy".
        dtype: Default "float32".
        from_logits: predictions are logits. Default False.
        label_smoothing: squeeze labels towards 0.5 by this much. Default 0.

    Example:
        >>> m = BinaryCrossentropy(); m.update_state([[1.0]], [[0.5]])
        >>> round(float(m.result()), 4)
        0.6931
    """

    _direction = "down"

    def __init__(
        self,
        name: str = "binary_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
    ) -> None:
        super().__init__(
            binary_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing

    def get_config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
        }


class CategoricalCrossentropy(MeanMetricWrapper):
    """The mean crossentropy with one-hot labels.

    Args:
        name: Default "categorical_crossentropy".
        dtype: Default "float32".
        from_logits: predictions are logits. Default False.
        label_smoothing: mix labels with the uniform distribution. Default 0.
        axis: the class axis. Default -1.

    Example:
        >>> m = CategoricalCrossentropy(); m.update_state([[0, 1]], [[0.5, 0.5]])
        >>> round(float(m.result()), 4)
        0.6931
    """

    _direction = "down"

    def __init__(
        self,
        name: str = "categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
        axis: int = -1,
    ) -> None:
        super().__init__(
            categorical_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The mean crossentropy with integer labels.

    Samples labelled ``ignore_class`` count 0; with ``sample_weight`` their
    weight is dropped too (Keras's masking of the per-sample values).

    Args:
        name: Default "sparse_categorical_crossentropy".
        dtype: Default "float32".
        from_logits: predictions are logits. Default False.
        ignore_class: a label value to leave out. Default None.
        axis: the class axis. Default -1.

    Example:
        >>> m = SparseCategoricalCrossentropy(); m.update_state([1], [[0.5, 0.5]])
        >>> round(float(m.result()), 4)
        0.6931
    """

    _direction = "down"

    def __init__(
        self,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        ignore_class: int | None = None,
        axis: int = -1,
    ) -> None:
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the batch's per-sample crossentropies."""
        mask = getattr(y_pred, "_keras_mask", None)
        values, valid = _sparse_values(
            y_true, y_pred, self.from_logits, self.ignore_class, self.axis
        )
        weight = masked_weight(sample_weight, mask, self.dtype)
        if weight is not None and valid is not None:
            weight = masked_weight(weight, valid, self.dtype)
        Mean.update_state(self, values, sample_weight=weight)

    def get_config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "ignore_class": self.ignore_class,
            "axis": self.axis,
        }
