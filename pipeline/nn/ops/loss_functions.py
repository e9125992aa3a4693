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


def squeeze_or_expand_to_same_rank(
    x1: Any, x2: Any, expand_rank_1: bool = True
) -> tuple:
    """Brings two tensors whose ranks differ by one to the same rank (Keras's rule).

    The operand with the extra trailing axis of size 1 loses it, unless the
    other is rank 1 (and ``expand_rank_1``): that one gains the axis instead.

    Example:
        >>> a, b = squeeze_or_expand_to_same_rank([1.0, 2.0], [[1.0], [2.0]])
        >>> a.shape, b.shape
        ((2, 1), (2, 1))
    """
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    if x1.ndim == x2.ndim + 1 and x1.shape[-1] == 1:
        if x2.ndim == 1 and expand_rank_1:
            x2 = expand_dims(x2, -1)
        else:
            x1 = squeeze(x1, -1)
    elif x2.ndim == x1.ndim + 1 and x2.shape[-1] == 1:
        if x1.ndim == 1 and expand_rank_1:
            x1 = expand_dims(x1, -1)
        else:
            x2 = squeeze(x2, -1)
    return x1, x2


def float_pair(
    y_true: Any, y_pred: Any, same_rank: bool = True
) -> tuple[Tensor, Tensor]:
    """``y_pred`` as a float tensor and ``y_true`` cast to its dtype, brought to
    the same rank by `squeeze_or_expand_to_same_rank` when ``same_rank``."""
    y_pred = convert_to_tensor(y_pred)
    if y_pred.dtype.kind != "f":
        y_pred = cast(y_pred, "float32")
    y_true = convert_to_tensor(y_true)
    if y_true.dtype != y_pred.dtype:
        y_true = cast(y_true, y_pred.dtype)
    if same_rank:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return y_true, y_pred


def check_same_shape(target: Tensor, output: Tensor) -> None:
    """Keras's check of ``binary``/``categorical_crossentropy``'s operands.

    Raises:
        ValueError: when the ranks or the shapes differ.

    Example:
        >>> check_same_shape(convert_to_tensor([[1.0]]), convert_to_tensor([1.0]))
        Traceback (most recent call last):
        ...
        ValueError: Arguments `target` and `output` must have the same rank (ndim). Received: target.shape=(1, 1), output.shape=(1,)
    """  # noqa: E501
    seen = f"Received: target.shape={target.shape}, output.shape={output.shape}"
    if target.ndim != output.ndim:
        raise ValueError(
            f"Arguments `target` and `output` must have the same rank (ndim). {seen}"
        )
    if target.shape != output.shape:
        raise ValueError(
            f"Arguments `target` and `output` must have the same shape. {seen}"
        )


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
    y_true, y_pred = float_pair(y_true, y_pred)
    return mean(square(subtract(y_true, y_pred)), axis=-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(|y_true - y_pred|, axis=-1)``.

    Example:
        >>> mean_absolute_error([[1.0, 3.0]], [[0.0, 1.0]]).numpy().tolist()
        [1.5]
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    return mean(abs(subtract(y_true, y_pred)), axis=-1)


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Tensor:
    """``mean(0.5e² if |e| <= delta else delta·|e| - 0.5·delta², axis=-1)``.

    Example:
        >>> huber([[0.0, 0.0]], [[0.5, 3.0]]).numpy().tolist()
        [1.3125]
    """
    y_true, y_pred = float_pair(y_true, y_pred)
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
    y_true, y_pred = float_pair(y_true, y_pred, same_rank=False)
    if label_smoothing:
        y_true = add(multiply(y_true, 1.0 - label_smoothing), 0.5 * label_smoothing)
    return mean(binary_elementwise(y_true, y_pred, from_logits), axis=axis)


def binary_elementwise(
    y_true: Tensor, y_pred: Tensor, from_logits: bool = False
) -> Tensor:
    """The elementwise binary crossentropy (``keras.ops.binary_crossentropy``).

    A sigmoid output is read through its logits; probabilities are clipped to
    ``[ε, 1 - ε]``.

    Raises:
        ValueError: when ``y_true`` and ``y_pred`` differ in shape.

    Example:
        >>> t = convert_to_tensor([0.0])
        >>> round(float(binary_elementwise(t, convert_to_tensor([0.5]))[0]), 4)
        0.6931
    """
    check_same_shape(y_true, y_pred)
    y_pred, from_logits = _logits(y_pred, from_logits)
    if from_logits:
        return sigmoid_cross_entropy_with_logits(y_true, y_pred)
    p = clip(y_pred, EPSILON, 1.0 - EPSILON)
    bce = add(
        multiply(y_true, log(p)),
        multiply(subtract(1.0, y_true), log(subtract(1.0, p))),
    )
    return negative(bce)


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
    y_true, y_pred = float_pair(y_true, y_pred, same_rank=False)
    if isinstance(axis, bool):
        raise ValueError(
            f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis)}"
        )
    check_same_shape(y_true, y_pred)
    if label_smoothing:
        classes = y_true.shape[-1]
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
    if y_pred.dtype.kind != "f":
        y_pred = cast(y_pred, "float32")
    if axis not in (-1, y_pred.ndim - 1):
        raise ValueError(f"Only axis=-1 is currently supported. Received: axis={axis}")
    labels = _sparse_labels(y_true, y_pred)
    valid = None
    if ignore_class is not None:
        valid = labels != int(ignore_class)
        labels = backend.xp().where(valid, labels, 0)
        y_pred = where(backend.xp().expand_dims(valid, -1), y_pred, 0.0)
    y_pred, from_logits = _logits(y_pred, from_logits)
    if not from_logits:
        y_pred = log(clip(y_pred, EPSILON, 1.0 - EPSILON))
    result = sparse_softmax_cross_entropy_with_logits(labels, y_pred)
    return result if valid is None else where(valid, result, 0.0)


def _sparse_labels(y_true: Any, y_pred: Tensor) -> Any:
    """Integer labels of the prediction's rank minus one (Keras's checks)."""
    labels = to_array(y_true).astype("int64")
    if labels.ndim == y_pred.ndim and labels.shape[-1:] == (1,):
        labels = labels.reshape(labels.shape[:-1])
    seen = f"Received: target.shape={labels.shape}, output.shape={y_pred.shape}"
    if y_pred.ndim < 1:
        raise ValueError(f"Argument `output` must be at least rank 1. {seen}")
    if labels.ndim != y_pred.ndim - 1:
        raise ValueError(
            f"Argument `output` must have rank (ndim) `target.ndim - 1`. {seen}"
        )
    if labels.shape != y_pred.shape[:-1]:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape up until the "
            f"last dimension: {seen}"
        )
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
