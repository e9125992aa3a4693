"""Accuracy metrics: per-sample functions and their ``Mean`` wrappers.

Example:
    >>> import numpy as np
    >>> sparse_categorical_accuracy(np.array([1, 0]),
    ...                             np.array([[0.2, 0.8], [0.4, 0.6]])).tolist()
    [1.0, 0.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.metrics.base import same_rank, to_numpy
from pipeline.nn.metrics.reduction import MeanMetricWrapper

_F32 = np.float32


def accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1.0 where ``y_pred`` equals ``y_true`` exactly, else 0.0.

    Example:
        >>> accuracy([1, 2, 3], [1, 2, 4]).tolist()
        [1.0, 1.0, 0.0]
    """
    t, p = same_rank(to_numpy(y_true), to_numpy(y_pred))
    return (t == p).astype(_F32)


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> np.ndarray:
    """1.0 where ``(y_pred > threshold)`` equals the 0/1 label, elementwise.

    Example:
        >>> binary_accuracy([[1], [0]], [[0.7], [0.6]]).tolist()
        [[1.0], [0.0]]
    """
    p = to_numpy(y_pred)
    t = to_numpy(y_true).astype(p.dtype if p.dtype.kind == "f" else _F32)
    t, p = same_rank(t, p)
    return (t == (p > threshold).astype(t.dtype)).astype(_F32)


def categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1.0 where ``argmax(y_pred)`` equals ``argmax(y_true)`` (one-hot labels).

    Example:
        >>> categorical_accuracy([[0, 1], [1, 0]], [[0.1, 0.9], [0.3, 0.7]]).tolist()
        [1.0, 0.0]
    """
    t = to_numpy(y_true)
    p = to_numpy(y_pred)
    return (np.argmax(t, axis=-1) == np.argmax(p, axis=-1)).astype(_F32)


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1.0 where ``argmax(y_pred)`` equals the integer label.

    Labels of shape ``(n, 1)`` are squeezed and the result keeps that shape.

    Example:
        >>> sparse_categorical_accuracy([[2], [0]], [[0, 0, 1], [0, 1, 0]]).tolist()
        [[1.0], [0.0]]
    """
    t = to_numpy(y_true)
    p = to_numpy(y_pred)
    shape = t.shape
    squeezed = t.ndim == p.ndim and t.shape[-1] == 1
    if squeezed:
        t = t[..., 0]
    matches = (t == np.argmax(p, axis=-1).astype(t.dtype)).astype(_F32)
    return matches.reshape(shape) if squeezed else matches


def _in_top_k(labels: np.ndarray, p: np.ndarray, k: int) -> np.ndarray:
    target = np.take_along_axis(p, labels[..., None].astype(np.int64), axis=-1)
    return (np.sum(p > target, axis=-1) < k).astype(_F32)


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> np.ndarray:
    """1.0 where the true class (one-hot) is among the ``k`` largest predictions.

    Example:
        >>> top_k_categorical_accuracy([[0, 0, 1]], [[0.5, 0.3, 0.2]], k=2).tolist()
        [0.0]
    """
    return _in_top_k(np.argmax(to_numpy(y_true), axis=-1), to_numpy(y_pred), k)


def sparse_top_k_categorical_accuracy(
    y_true: Any, y_pred: Any, k: int = 5, from_sorted_ids: bool = False
) -> np.ndarray:
    """1.0 where the integer label is among the ``k`` largest predictions.

    With ``from_sorted_ids``, ``y_pred`` holds class ids sorted by decreasing
    score (as ``top_k`` returns them): 1.0 where the label is among the first
    ``k`` of them.

    Example:
        >>> sparse_top_k_categorical_accuracy([1], [[0.5, 0.3, 0.2]], k=2).tolist()
        [1.0]
        >>> sparse_top_k_categorical_accuracy(
        ...     [2], [[1, 0, 2]], k=2, from_sorted_ids=True).tolist()
        [0.0]
    """
    t = to_numpy(y_true)
    p = to_numpy(y_pred)
    if t.ndim == p.ndim and t.shape[-1] == 1:
        t = t[..., 0]
    if from_sorted_ids:
        hits = np.any(p[..., :k] == t[..., None].astype(p.dtype), axis=-1)
        return hits.astype(_F32)
    return _in_top_k(t, p, k)


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly.

    Example:
        >>> m = Accuracy(); m.update_state([1, 2], [1, 3]); float(m.result())
        0.5
    """

    _direction = "up"

    def __init__(self, name: str = "accuracy", dtype: Any = None) -> None:
        super().__init__(accuracy, name=name, dtype=dtype)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class BinaryAccuracy(MeanMetricWrapper):
    """How often ``y_pred > threshold`` matches the binary label.

    Args:
        name: Default "binary_accuracy".
        dtype: Default "float32".
        threshold: Default 0.5.

    Example:
        >>> m = BinaryAccuracy(); m.update_state([1, 0], [0.9, 0.2]); float(m.result())
        1.0
    """

    _direction = "up"

    def __init__(
        self, name: str = "binary_accuracy", dtype: Any = None, threshold: float = 0.5
    ) -> None:
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the arg-max prediction matches the one-hot label.

    Example:
        >>> m = CategoricalAccuracy()
        >>> m.update_state([[0, 1]], [[0.4, 0.6]]); float(m.result())
        1.0
    """

    _direction = "up"

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None) -> None:
        super().__init__(categorical_accuracy, name=name, dtype=dtype)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the arg-max prediction matches the integer label.

    Example:
        >>> m = SparseCategoricalAccuracy()
        >>> m.update_state([1, 0], [[0.4, 0.6], [0.3, 0.7]]); float(m.result())
        0.5
    """

    _direction = "up"

    def __init__(
        self, name: str = "sparse_categorical_accuracy", dtype: Any = None
    ) -> None:
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label is among the top ``k`` predictions.

    Example:
        >>> m = TopKCategoricalAccuracy(k=1)
        >>> m.update_state([[0, 1]], [[0.4, 0.6]]); float(m.result())
        1.0
    """

    _direction = "up"

    def __init__(
        self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype: Any = None
    ) -> None:
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the top ``k`` predictions.

    Args:
        k: how many top predictions count. Default 5.
        name: Default "sparse_top_k_categorical_accuracy".
        dtype: Default "float32".
        from_sorted_ids: ``y_pred`` holds class ids sorted by decreasing
            score rather than scores. Default False.

    Example:
        >>> m = SparseTopKCategoricalAccuracy(k=1)
        >>> m.update_state([0], [[0.4, 0.6]]); float(m.result())
        0.0
    """

    _direction = "up"

    def __init__(
        self,
        k: int = 5,
        name: str = "sparse_top_k_categorical_accuracy",
        dtype: Any = None,
        from_sorted_ids: bool = False,
    ) -> None:
        super().__init__(
            sparse_top_k_categorical_accuracy,
            name=name,
            dtype=dtype,
            k=k,
            from_sorted_ids=from_sorted_ids,
        )
        self.k = k
        self.from_sorted_ids = from_sorted_ids

    def get_config(self) -> dict[str, Any]:
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
