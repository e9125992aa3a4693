"""Hinge metrics: ``Hinge``, ``SquaredHinge`` and ``CategoricalHinge``.

Labels of 0 and 1 are mapped to -1 and 1 first (as Keras does when every label
is 0 or 1); labels already in {-1, 1} are kept.

Example:
    >>> m = Hinge(); m.update_state([[1.0, 0.0]], [[0.5, -0.5]])
    >>> float(m.result())
    0.5
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.metrics.base import same_rank, to_numpy
from pipeline.nn.metrics.reduction import FixedFunctionWrapper

_F32 = np.float32


def _signed(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    p = to_numpy(y_pred, _F32)
    t = to_numpy(y_true, _F32)
    t, p = same_rank(t, p)
    if np.all((t == 0) | (t == 1)):
        t = 2.0 * t - 1.0
    return t, p


def hinge(y_true: Any, y_pred: Any) -> np.ndarray:
    """``mean(max(1 - y_true * y_pred, 0), axis=-1)``.

    Example:
        >>> hinge([[1.0, -1.0]], [[0.5, 0.5]]).tolist()
        [1.0]
    """
    t, p = _signed(y_true, y_pred)
    return np.mean(np.maximum(1.0 - t * p, 0.0), axis=-1)


def squared_hinge(y_true: Any, y_pred: Any) -> np.ndarray:
    """``mean(max(1 - y_true * y_pred, 0)², axis=-1)``.

    Example:
        >>> squared_hinge([[1.0, -1.0]], [[0.5, 0.5]]).tolist()
        [1.25]
    """
    t, p = _signed(y_true, y_pred)
    return np.mean(np.square(np.maximum(1.0 - t * p, 0.0)), axis=-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> np.ndarray:
    """``max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)``.

    Example:
        >>> categorical_hinge([[0.0, 1.0]], [[0.3, 0.8]]).round(4).tolist()
        [0.5]
    """
    p = to_numpy(y_pred, _F32)
    t = to_numpy(y_true, _F32)
    positive = np.sum(t * p, axis=-1)
    negative = np.max((1.0 - t) * p, axis=-1)
    return np.maximum(negative - positive + 1.0, 0.0)


class Hinge(FixedFunctionWrapper):
    """The mean hinge loss ``max(1 - y_true * y_pred, 0)``.

    Args:
        name: Default "hinge".
        dtype: Default "float32".

    Example:
        >>> m = Hinge(); m.update_state([[1.0, -1.0]], [[0.5, 0.5]])
        >>> float(m.result())
        1.0
    """

    _direction = "down"
    _fn_of = staticmethod(hinge)


class SquaredHinge(FixedFunctionWrapper):
    """The mean squared hinge loss.

    Args:
        name: Default "squared_hinge".
        dtype: Default "float32".

    Example:
        >>> m = SquaredHinge(); m.update_state([[1.0, -1.0]], [[0.5, 0.5]])
        >>> float(m.result())
        1.25
    """

    _direction = "down"
    _fn_of = staticmethod(squared_hinge)


class CategoricalHinge(FixedFunctionWrapper):
    """The mean categorical hinge loss (one-hot labels).

    Args:
        name: Default "categorical_hinge".
        dtype: Default "float32".

    Example:
        >>> m = CategoricalHinge(); m.update_state([[0.0, 1.0]], [[0.3, 0.8]])
        >>> round(float(m.result()), 4)
        0.5
    """

    _direction = "down"
    _fn_of = staticmethod(categorical_hinge)
