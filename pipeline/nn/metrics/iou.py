"""Intersection-over-union metrics: ``IoU``, ``BinaryIoU``, ``MeanIoU``,
``OneHotIoU`` and ``OneHotMeanIoU``.

Labels and predictions (class ids, or one-hot rows turned into ids) fill a
weighted confusion matrix ``total_cm`` (rows: labels, columns: predictions).
A class's IoU is ``tp / (row sum + column sum - tp)``; the result is the mean
over the target classes whose denominator is not zero. The accumulator's
dtype is the metric's, "int64" by default, as in Keras: weights are then cast
to integers (a warning says so for float weights).

Example:
    >>> m = MeanIoU(num_classes=2)
    >>> m.update_state([0, 0, 1, 1], [0, 1, 1, 1])
    >>> round(float(m.result()), 4)
    0.5833
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from pipeline.nn.metrics.base import Metric, to_numpy

_EPSILON = 1e-7


class IoU(Metric):
    """The mean IoU over ``target_class_ids``.

    Args:
        num_classes: the number of classes (the confusion matrix's size).
        target_class_ids: the classes whose IoUs are averaged.
        name: Default "io_u".
        dtype: the confusion matrix's dtype. Default "int64".
        ignore_class: a label value to leave out (e.g. -1 or 255). Default None.
        sparse_y_true: labels are class ids; else one-hot (arg-max taken).
        sparse_y_pred: predictions are class ids; else scores (arg-max taken).
        axis: the class axis of one-hot inputs. Default -1.

    Example:
        >>> m = IoU(num_classes=3, target_class_ids=[0])
        >>> m.update_state([0, 0, 2], [0, 2, 2]); round(float(m.result()), 4)
        0.5
    """

    _direction = "up"

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Any,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ) -> None:
        super().__init__(name=name, dtype=dtype or "int64")
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(
            (num_classes, num_classes),
            "zeros",
            self.dtype,
            name="total_confusion_matrix",
        )
        if max(target_class_ids) >= num_classes:
            raise ValueError(
                f"Target class id {max(target_class_ids)} is out of range, "
                f"which is [0, {num_classes})."
            )
        self.target_class_ids = list(target_class_ids)

    def _weights(self, sample_weight: Any, shape: tuple) -> np.ndarray:
        if sample_weight is None:
            return np.ones(shape, self.dtype)
        w = to_numpy(sample_weight)
        if w.dtype.kind == "f" and np.dtype(self.dtype).kind in "iu":
            warnings.warn(
                "You are passing weight as `float`, but dtype is `int`. This may "
                "result in an incorrect weight due to type casting. Consider "
                "using integer weights.",
                stacklevel=3,
            )
        return np.broadcast_to(w.astype(self.dtype).reshape(-1), shape)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the batch's weighted (label, prediction) pairs to ``total_cm``.

        Pairs with a label or prediction outside ``[0, num_classes)``, or a
        label equal to ``ignore_class``, are left out.
        """
        t, p = to_numpy(y_true), to_numpy(y_pred)
        if not self.sparse_y_true:
            t = np.argmax(t, axis=self.axis)
        if not self.sparse_y_pred:
            p = np.argmax(p, axis=self.axis)
        t = t.astype(self.dtype).reshape(-1).astype(np.int64)
        p = p.astype(self.dtype).reshape(-1).astype(np.int64)
        w = self._weights(sample_weight, t.shape)
        n = self.num_classes
        keep = (t >= 0) & (t < n) & (p >= 0) & (p < n)
        if self.ignore_class is not None:
            keep &= t != self.ignore_class
        cells = np.bincount(
            t[keep] * n + p[keep], weights=w[keep].astype(np.float64), minlength=n * n
        )
        batch = cells.reshape(n, n).astype(self.dtype)
        self.total_cm.assign(self.total_cm.value + batch)

    def result(self) -> Any:
        """The mean IoU over the target classes with a non-zero denominator."""
        cm = self.total_cm.value
        tp = np.diag(cm).astype(np.float32)
        denominator = (cm.sum(axis=0) + cm.sum(axis=1)).astype(np.float32) - tp
        ids = np.asarray(self.target_class_ids, np.int64)
        tp, denominator = tp[ids], denominator[ids]
        valid = denominator > 1e-9
        iou = np.where(valid, tp / (denominator + np.float32(_EPSILON)), 0.0)
        total = np.sum(iou) / (np.sum(valid) + np.float32(_EPSILON))
        return np.float32(total)

    def get_config(self) -> dict[str, Any]:
        """Name, dtype, classes, targets and input options.

        Example:
            >>> IoU(2, [1]).get_config()["target_class_ids"]
            [1]
        """
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class BinaryIoU(IoU):
    """IoU of two classes: a prediction >= ``threshold`` is class 1, else 0.

    Args:
        target_class_ids: [0], [1] or [0, 1]. Default (0, 1).
        threshold: Default 0.5.
        name: Default "binary_io_u".
        dtype: Default "int64".

    Example:
        >>> m = BinaryIoU(threshold=0.3)
        >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
        >>> round(float(m.result()), 4)
        0.3333
    """

    def __init__(
        self,
        target_class_ids: Any = (0, 1),
        threshold: float = 0.5,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(2, target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Threshold the predictions, then count as `IoU` does."""
        p = (to_numpy(y_pred, np.float32) >= self.threshold).astype(self.dtype)
        super().update_state(y_true, p, sample_weight)

    def get_config(self) -> dict[str, Any]:
        """``target_class_ids``, ``threshold``, name and dtype."""
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype,
        }


class MeanIoU(IoU):
    """The mean IoU over all ``num_classes`` classes.

    Args:
        num_classes: the number of classes.
        name: Default "mean_io_u".
        dtype: Default "int64".
        ignore_class: a label value to leave out. Default None.
        sparse_y_true: labels are class ids. Default True.
        sparse_y_pred: predictions are class ids. Default True.
        axis: the class axis of one-hot inputs. Default -1.

    Example:
        >>> m = MeanIoU(num_classes=2); m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> round(float(m.result()), 4)
        0.3333
    """

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ) -> None:
        super().__init__(
            num_classes,
            list(range(num_classes)),
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict[str, Any]:
        """`IoU`'s config without ``target_class_ids``."""
        config = super().get_config()
        del config["target_class_ids"]
        return config


class OneHotIoU(IoU):
    """`IoU` for one-hot labels and score predictions (arg-max of each).

    Args:
        num_classes: the number of classes.
        target_class_ids: the classes whose IoUs are averaged.
        name: Default "one_hot_io_u".
        dtype: Default "int64".
        ignore_class: a class id to leave out. Default None.
        sparse_y_pred: predictions are class ids. Default False.
        axis: the class axis. Default -1.

    Example:
        >>> m = OneHotIoU(num_classes=2, target_class_ids=[1])
        >>> m.update_state([[0, 1], [0, 1]], [[0.3, 0.7], [0.6, 0.4]])
        >>> round(float(m.result()), 4)
        0.5
    """

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Any,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ) -> None:
        super().__init__(
            num_classes,
            target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict[str, Any]:
        """`IoU`'s config without ``sparse_y_true``."""
        config = super().get_config()
        del config["sparse_y_true"]
        return config


class OneHotMeanIoU(MeanIoU):
    """`MeanIoU` for one-hot labels and score predictions (arg-max of each).

    Args:
        num_classes: the number of classes.
        name: Default "one_hot_mean_io_u".
        dtype: Default "int64".
        ignore_class: a class id to leave out. Default None.
        sparse_y_pred: predictions are class ids. Default False.
        axis: the class axis. Default -1.

    Example:
        >>> m = OneHotMeanIoU(num_classes=2)
        >>> m.update_state([[1, 0], [0, 1]], [[0.9, 0.1], [0.2, 0.8]])
        >>> round(float(m.result()), 4)
        1.0
    """

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ) -> None:
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict[str, Any]:
        """`MeanIoU`'s config without ``sparse_y_true``."""
        config = super().get_config()
        del config["sparse_y_true"]
        return config
