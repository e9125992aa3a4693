"""Per-sample loss functions with Keras 3's formulas (``keras.ops``/``keras.losses``).

Each returns one value per row. Probabilities are clipped to
``[1e-7, 1 - 1e-7]``; the output of a softmax or sigmoid is replaced by its logits
(Keras 3 does the same), so crossentropy on a ``Dense(..., "softmax")`` output is
computed from logits, without clipping.

Example:
    >>> from pipeline.nn import ops
    >>> mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]]).numpy().tolist()
    [0.5]
"""

from __future__ import annotations

from typing import Any

from pipeline.nn import backend
from pipeline.nn.ops._core import to_array
from pipeline.nn.ops.activation import (
    log_softmax,
    sparse_softmax_cross_entropy_with_logits,
)
from pipeline.nn.ops.arithmetic import (
    add,
    cast,
    clip,
    divide,
    multiply,
    subtract,
    where,
)
from pipeline.nn.ops.composite import (
    convert_to_tensor,
    sigmoid_cross_entropy_with_logits,
)
from pipeline.nn.ops.reduction import mean, sum
from pipeline.nn.ops.shape import expand_dims, squeeze
from pipeline.nn.ops.unary import abs, log, negative, square
from pipeline.nn.tensor import Tensor

EPSILON = 1e-7


def _pair(y_true: Any, y_pred: Any) -> tuple[Tensor, Tensor]:
    y_pred = convert_to_tensor(y_pred)
    if y_pred.dtype.kind != "f":
        y_pred = cast(y_pred, "float32")
    y_true = convert_to_tensor(y_true, y_pred.dtype)
    if y_true.ndim == y_pred.ndim - 1 and y_pred.shape[-1] == 1:
        y_true = expand_dims(y_true, -1)
    elif y_pred.ndim == y_true.ndim - 1 and y_true.shape[-1] == 1:
        y_true = squeeze(y_true, -1)
    return y_true, y_pred


def _logits(y_pred: Tensor, from_logits: bool) -> tuple[Tensor, bool]:
    if not from_logits and y_pred._keras_logits is not None:
        return y_pred._keras_logits, True
    return y_pred, from_logits


def mean_squared_error(y_true: Any, y_pred: Any) -> Tensor:
    """``mean((y_true - y_pred)², axis=-1)``.

    Example:
        >>> mean_squared_error([[1.0, 3.0]], [[0.0, 1.0]]).numpy().tolist()
        [2.5]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return mean(square(subtract(y_true, y_pred)), axis=-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(|y_true - y_pred|, axis=-1)``.

    Example:
        >>> mean_absolute_error([[1.0, 3.0]], [[0.0, 1.0]]).numpy().tolist()
        [1.5]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return mean(abs(subtract(y_true, y_pred)), axis=-1)


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Tensor:
    """``mean(0.5e² if |e| <= delta else delta·|e| - 0.5·delta², axis=-1)``.

    Example:
        >>> huber([[0.0, 0.0]], [[0.5, 3.0]]).numpy().tolist()
        [1.3125]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    error = subtract(y_pred, y_true)
    abs_error = abs(error)
    quadratic = multiply(0.5, square(error))
    linear = subtract(multiply(delta, abs_error), 0.5 * delta * delta)
    small = abs_error._array <= delta
    return mean(where(small, quadratic, linear), axis=-1)


def binary_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """Mean over ``axis`` of the elementwise binary crossentropy.

    Example:
        >>> round(float(binary_crossentropy([[1.0]], [[0.5]])[0]), 4)
        0.6931
    """
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        y_true = add(multiply(y_true, 1.0 - label_smoothing), 0.5 * label_smoothing)
    y_pred, from_logits = _logits(y_pred, from_logits)
    if from_logits:
        return mean(sigmoid_cross_entropy_with_logits(y_true, y_pred), axis=axis)
    p = clip(y_pred, EPSILON, 1.0 - EPSILON)
    bce = add(
        multiply(y_true, log(p)),
        multiply(subtract(1.0, y_true), log(subtract(1.0, p))),
    )
    return mean(negative(bce), axis=axis)


def categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """``-Σ y_true·log(p)`` over ``axis`` (p renormalized, then clipped).

    Example:
        >>> round(float(categorical_crossentropy([[0.0, 1.0]], [[0.5, 0.5]])[0]), 4)
        0.6931
    """
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        classes = y_pred.shape[axis]
        y_true = add(multiply(y_true, 1.0 - label_smoothing), label_smoothing / classes)
    y_pred, from_logits = _logits(y_pred, from_logits)
    if from_logits:
        log_p = log_softmax(y_pred, axis=axis)
    else:
        p = divide(y_pred, sum(y_pred, axis=axis, keepdims=True))
        log_p = log(clip(p, EPSILON, 1.0 - EPSILON))
    return negative(sum(multiply(y_true, log_p), axis=axis))


def sparse_categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    ignore_class: int | None = None,
    axis: int = -1,
) -> Tensor:
    """``-log_softmax(z)[label]`` with ``z`` the logits or ``log(clip(p))``.

    With ``ignore_class``, entries labelled that class get a loss of 0 (and no
    gradient); :func:`ignored_class_mask` tells the reduction which entries count.
    As in Keras 3, their predictions are zeroed first, so a softmax output is then
    read as probabilities (clipped), not through its logits.

    Example:
        >>> round(float(sparse_categorical_crossentropy([1], [[0.5, 0.5]])[0]), 4)
        0.6931
        >>> sparse_categorical_crossentropy([1, -1], [[0.5, 0.5]] * 2,
        ...                                 ignore_class=-1).numpy()[1]
        np.float32(0.0)
    """
    y_pred = convert_to_tensor(y_pred)
    labels = _sparse_labels(y_true, y_pred)
    valid = None
    if ignore_class is not None:
        valid = labels != int(ignore_class)
        labels = backend.xp().where(valid, labels, 0)
        y_pred = where(backend.xp().expand_dims(valid, axis), y_pred, 0.0)
    y_pred, from_logits = _logits(y_pred, from_logits)
    if not from_logits:
        y_pred = log(clip(y_pred, EPSILON, 1.0 - EPSILON))
    if axis not in (-1, y_pred.ndim - 1):
        raise ValueError(f"Only axis=-1 is currently supported. Received: axis={axis}")
    result = sparse_softmax_cross_entropy_with_logits(labels, y_pred)
    return result if valid is None else where(valid, result, 0.0)


def _sparse_labels(y_true: Any, y_pred: Tensor) -> Any:
    labels = to_array(y_true).astype("int64")
    if labels.ndim == y_pred.ndim:
        labels = labels.reshape(labels.shape[:-1])
    return labels


def ignored_class_mask(y_true: Any, y_pred: Any, ignore_class: int | None) -> Any:
    """The boolean mask of the entries whose label is not ``ignore_class``.

    It has the per-sample loss's shape; None when ``ignore_class`` is None.

    Example:
        >>> ignored_class_mask([[0], [2]], [[0.5, 0.5]] * 2, 2).tolist()
        [True, False]
    """
    if ignore_class is None:
        return None
    return _sparse_labels(y_true, convert_to_tensor(y_pred)) != int(ignore_class)
