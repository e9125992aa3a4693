"""TensorFlow's reductions (``tf.reduce_sum``, ``tf.argmax``, ...) over ``pl.nn``.

Part of the top-level names of `pipeline.tensor_api`: TF's argument names and
defaults (``argmax`` over axis 0 as int64, integer means truncated, integer
sums keeping their type).

Example:
    >>> reduce_sum([[1, 2], [3, 4]], axis=1).numpy().tolist()
    [3, 7]
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from pipeline.nn import ops
from pipeline.nn.tensor import Tensor

__all__ = [
    "argmax",
    "argmin",
    "reduce_max",
    "reduce_mean",
    "reduce_min",
    "reduce_sum",
]


def _as_tensor(value: Any) -> Tensor:
    return value if isinstance(value, Tensor) else ops.constant(value)


def _reduce(op: Any, x: Any, axis: Any, keepdims: builtins.bool) -> Tensor:
    if isinstance(axis, (list, tuple, np.ndarray)):
        axis = tuple(int(a) for a in axis)
    return op(x, axis=axis, keepdims=keepdims)


def reduce_sum(
    input_tensor: Any, axis: Any = None, keepdims: builtins.bool = False, name=None
) -> Tensor:
    """``tf.reduce_sum`` over ``axis`` (None: all axes).

    Example:
        >>> import pipeline as pl
        >>> pl.reduce_sum([[1, 2], [3, 4]], axis=0).numpy().tolist()
        [4, 6]
    """
    x = _as_tensor(input_tensor)
    total = _reduce(ops.sum, x, axis, keepdims)
    # numpy widens int32 sums to int64; TF keeps the input's type
    return total if total.dtype == x.dtype else ops.cast(total, x.dtype)


def reduce_mean(
    input_tensor: Any, axis: Any = None, keepdims: builtins.bool = False, name=None
) -> Tensor:
    """``tf.reduce_mean``; an integer input gives TF's truncated integer mean.

    Example:
        >>> import pipeline as pl
        >>> pl.reduce_mean([1.0, 2.0]).numpy().tolist(), pl.reduce_mean([1, 2]).numpy()
        (1.5, array(1, dtype=int32))
    """
    x = _as_tensor(input_tensor)
    if np.issubdtype(x.dtype, np.integer):
        total = np.sum(x.numpy(), axis=_axis(axis), keepdims=keepdims)
        count = x.numpy().size // builtins.max(np.asarray(total).size, 1)
        return Tensor(np.asarray(np.trunc(total / count), dtype=x.dtype))
    return _reduce(ops.mean, x, axis, keepdims)


def _axis(axis: Any) -> Any:
    if isinstance(axis, (list, tuple, np.ndarray)):
        return tuple(int(a) for a in axis)
    return axis


def reduce_max(
    input_tensor: Any, axis: Any = None, keepdims: builtins.bool = False, name=None
) -> Tensor:
    """``tf.reduce_max``.

    Example:
        >>> import pipeline as pl
        >>> pl.reduce_max([[1, 5], [3, 4]], axis=1).numpy().tolist()
        [5, 4]
    """
    return _reduce(ops.max, input_tensor, axis, keepdims)


def reduce_min(
    input_tensor: Any, axis: Any = None, keepdims: builtins.bool = False, name=None
) -> Tensor:
    """``tf.reduce_min``.

    Example:
        >>> import pipeline as pl
        >>> pl.reduce_min([[1, 5], [3, 4]]).numpy().tolist()
        1
    """
    return _reduce(ops.min, input_tensor, axis, keepdims)


def argmax(
    input: Any,  # noqa: A002  (TensorFlow's name)
    axis: int | None = None,
    output_type: Any = np.int64,
    name: str | None = None,
) -> Tensor:
    """``tf.math.argmax``: ``axis=None`` means axis 0, as in TF; int64 by default.

    Example:
        >>> import pipeline as pl
        >>> pl.argmax([[1, 9], [7, 2]]).numpy().tolist()
        [1, 0]
    """
    return ops.cast(ops.argmax(input, axis=0 if axis is None else axis), output_type)


def argmin(
    input: Any,  # noqa: A002
    axis: int | None = None,
    output_type: Any = np.int64,
    name: str | None = None,
) -> Tensor:
    """``tf.math.argmin``: ``axis=None`` means axis 0, as in TF.

    Example:
        >>> import pipeline as pl
        >>> pl.argmin([3, 1, 2]).numpy().tolist()
        1
    """
    return ops.cast(ops.argmin(input, axis=0 if axis is None else axis), output_type)
