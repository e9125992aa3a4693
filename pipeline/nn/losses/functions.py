"""Loss functions with Keras 3's formulas beyond the ones in ``ops``.

Each takes ``(y_true, y_pred)`` and returns the unreduced loss: one value per
sample for most (a mean or sum over the last axis), one per sample or a scalar
for ``dice``/``tversky`` (as their ``axis`` says). They are differentiable with
respect to ``y_pred``.

Example:
    >>> round(float(mean_absolute_percentage_error([[2.0]], [[1.0]])[0]), 4)
    50.0
    >>> [round(float(v), 4) for v in hinge([[0.0, 1.0]], [[0.6, 0.4]])]
    [1.1]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn import ops
from pipeline.nn.ops import loss_functions
from pipeline.nn.ops.loss_functions import EPSILON, binary_elementwise, float_pair
from pipeline.nn.tensor import Tensor

_LOG_2 = float(np.log(2.0))


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Tensor:
    """``100 · mean(|y_true - y_pred| / max(|y_true|, ε), axis=-1)``.

    Example:
        >>> mean_absolute_percentage_error([[4.0, 1.0]], [[2.0, 1.0]]).numpy().tolist()
        [25.0]
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    scale = ops.maximum(ops.abs(y_true), EPSILON)
    diff = ops.abs(ops.divide(ops.subtract(y_true, y_pred), scale))
    return ops.multiply(100.0, ops.mean(diff, axis=-1))


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Tensor:
    """``mean((log(max(y_pred, ε) + 1) - log(max(y_true, ε) + 1))², axis=-1)``.

    Example:
        >>> round(float(mean_squared_logarithmic_error([[0.0]], [[np.e - 1]])[0]), 4)
        1.0
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    first = ops.log(ops.add(ops.maximum(y_pred, EPSILON), 1.0))
    second = ops.log(ops.add(ops.maximum(y_true, EPSILON), 1.0))
    return ops.mean(ops.square(ops.subtract(first, second)), axis=-1)


def _l2_normalize(x: Tensor, axis: Any) -> Tensor:
    squares = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return ops.divide(x, ops.sqrt(ops.maximum(squares, 1e-12)))


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """Minus the cosine similarity of the L2-normalized inputs along ``axis``.

    Example:
        >>> cosine_similarity([[0.0, 2.0]], [[0.0, 5.0]]).numpy().tolist()
        [-1.0]
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    product = ops.multiply(_l2_normalize(y_true, axis), _l2_normalize(y_pred, axis))
    return ops.negative(ops.sum(product, axis=axis))


def log_cosh(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``, computed without overflow.

    Example:
        >>> round(float(log_cosh([[0.0]], [[1.0]])[0]), 4)
        0.4338
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    x = ops.subtract(y_pred, y_true)
    value = ops.subtract(ops.add(x, ops.softplus(ops.multiply(x, -2.0))), _LOG_2)
    return ops.mean(value, axis=-1)


def kl_divergence(y_true: Any, y_pred: Any) -> Tensor:
    """``sum(y_true · log(y_true / y_pred), axis=-1)``, both clipped to ``[ε, 1]``.

    Example:
        >>> round(float(kl_divergence([[0.5, 0.5]], [[0.25, 0.75]])[0]), 4)
        0.1438
    """
    y_true, y_pred = float_pair(y_true, y_pred, same_rank=False)
    y_true = ops.clip(y_true, EPSILON, 1.0)
    y_pred = ops.clip(y_pred, EPSILON, 1.0)
    return ops.sum(ops.multiply(y_true, ops.log(ops.divide(y_true, y_pred))), axis=-1)


def poisson(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(y_pred - y_true · log(y_pred + ε), axis=-1)``.

    Example:
        >>> poisson([[0.0]], [[2.0]]).numpy().tolist()
        [2.0]
    """
    y_true, y_pred = float_pair(y_true, y_pred, same_rank=False)
    log_pred = ops.log(ops.add(y_pred, EPSILON))
    return ops.mean(ops.subtract(y_pred, ops.multiply(y_true, log_pred)), axis=-1)


def _hinge_labels(y_true: Tensor) -> Tensor:
    """Labels in {0, 1} become {-1, 1}; other labels are kept."""
    values = y_true.numpy()
    if np.all((values == 0) | (values == 1)):
        return ops.subtract(ops.multiply(y_true, 2.0), 1.0)
    return y_true


def _margin(y_true: Any, y_pred: Any) -> Tensor:
    y_true, y_pred = float_pair(y_true, y_pred, same_rank=False)
    signed = _hinge_labels(y_true)
    return ops.maximum(ops.subtract(1.0, ops.multiply(signed, y_pred)), 0.0)


def hinge(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(max(1 - y_true · y_pred, 0), axis=-1)``, labels 0/1 read as -1/1.

    Example:
        >>> hinge([[1.0, -1.0]], [[0.5, -2.0]]).numpy().tolist()
        [0.25]
    """
    return ops.mean(_margin(y_true, y_pred), axis=-1)


def squared_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(max(1 - y_true · y_pred, 0)², axis=-1)``, labels 0/1 read as -1/1.

    Example:
        >>> squared_hinge([[1.0, -1.0]], [[0.5, -2.0]]).numpy().tolist()
        [0.125]
    """
    return ops.mean(ops.square(_margin(y_true, y_pred)), axis=-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """``max(max((1 - y_true) · y_pred) - sum(y_true · y_pred) + 1, 0)`` per sample.

    Example:
        >>> [round(float(v), 4) for v in categorical_hinge([[0.0, 1.0]], [[0.6, 0.4]])]
        [1.2]
    """
    y_true, y_pred = float_pair(y_true, y_pred, same_rank=False)
    positive = ops.sum(ops.multiply(y_true, y_pred), axis=-1)
    negative = ops.max(ops.multiply(ops.subtract(1.0, y_true), y_pred), axis=-1)
    return ops.maximum(ops.add(ops.subtract(negative, positive), 1.0), 0.0)


def dice(y_true: Any, y_pred: Any, axis: Any = None) -> Tensor:
    """``1 - 2·sum(y_true · y_pred) / (sum(y_true) + sum(y_pred) + ε)`` over ``axis``.

    Args:
        y_true, y_pred: labels and predictions of one shape.
        axis: the axes summed over. Defaults to None (all: one scalar).

    Example:
        >>> round(float(dice([[1.0, 0.0]], [[1.0, 1.0]])), 4)
        0.3333
    """
    y_true, y_pred = float_pair(y_true, y_pred, same_rank=False)
    axis = _axes(axis)
    overlap = ops.sum(ops.multiply(y_true, y_pred), axis=axis)
    total = ops.add(
        ops.add(ops.sum(y_true, axis=axis), ops.sum(y_pred, axis=axis)), EPSILON
    )
    return ops.subtract(1.0, ops.divide(ops.multiply(2.0, overlap), total))


def tversky(
    y_true: Any, y_pred: Any, alpha: float = 0.5, beta: float = 0.5, axis: Any = None
) -> Tensor:
    """``1 - TP / (TP + alpha·FP + beta·FN + ε)`` with soft counts over ``axis``.

    Args:
        y_true, y_pred: labels and predictions of one shape.
        alpha: the weight of false positives. Defaults to 0.5.
        beta: the weight of false negatives. Defaults to 0.5.
        axis: the axes summed over. Defaults to None (all: one scalar).

    Example:
        >>> round(float(tversky([[1.0, 0.0]], [[1.0, 1.0]])), 4)
        0.3333
    """
    y_true, y_pred = float_pair(y_true, y_pred, same_rank=False)
    axis = _axes(axis)
    overlap = ops.sum(ops.multiply(y_true, y_pred), axis=axis)
    false_pos = ops.sum(ops.multiply(ops.subtract(1.0, y_pred), y_true), axis=axis)
    false_neg = ops.sum(ops.multiply(y_pred, ops.subtract(1.0, y_true)), axis=axis)
    weighted = ops.add(ops.multiply(false_pos, alpha), ops.multiply(false_neg, beta))
    return ops.subtract(
        1.0, ops.divide(overlap, ops.add(ops.add(overlap, weighted), EPSILON))
    )


def _smoothed(y_true: Tensor, label_smoothing: float, classes: float) -> Tensor:
    if not label_smoothing:
        return y_true
    return ops.add(
        ops.multiply(y_true, 1.0 - label_smoothing), label_smoothing / classes
    )


def binary_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """Binary crossentropy scaled by ``(1 - p_t)^gamma``, averaged over ``axis``.

    ``p_t`` is the predicted probability of the true label; with
    ``apply_class_balancing`` positives weigh ``alpha`` and negatives
    ``1 - alpha``.

    Example:
        >>> round(float(binary_focal_crossentropy([[1.0]], [[0.5]])[0]), 4)
        0.1733
    """
    y_true, y_pred = float_pair(y_true, y_pred, same_rank=False)
    y_true = _smoothed(y_true, label_smoothing, 2.0)
    if from_logits:
        y_pred = ops.sigmoid(y_pred)
    bce = binary_elementwise(y_true, y_pred)
    p_t = ops.add(
        ops.multiply(y_true, y_pred),
        ops.multiply(ops.subtract(1.0, y_true), ops.subtract(1.0, y_pred)),
    )
    focal = ops.multiply(ops.power(ops.subtract(1.0, p_t), gamma), bce)
    if apply_class_balancing:
        weight = ops.add(
            ops.multiply(y_true, alpha),
            ops.multiply(ops.subtract(1.0, y_true), 1.0 - alpha),
        )
        focal = ops.multiply(weight, focal)
    return ops.mean(focal, axis=axis)


def categorical_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """Categorical crossentropy scaled by ``alpha · (1 - p)^gamma``, summed on ``axis``.

    Example:
        >>> loss = categorical_focal_crossentropy([[0.0, 1.0]], [[0.5, 0.5]])
        >>> round(float(loss[0]), 4)
        0.0433
    """
    if isinstance(axis, bool):
        raise ValueError(
            f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis)}"
        )
    y_true, y_pred = float_pair(y_true, y_pred, same_rank=False)
    y_true = _smoothed(y_true, label_smoothing, float(y_true.shape[-1]))
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)
    output = ops.divide(y_pred, ops.sum(y_pred, axis=axis, keepdims=True))
    output = ops.clip(output, EPSILON, 1.0 - EPSILON)
    cce = ops.multiply(ops.negative(y_true), ops.log(output))
    factor = ops.multiply(ops.power(ops.subtract(1.0, output), gamma), alpha)
    return ops.sum(ops.multiply(factor, cce), axis=axis)


def categorical_generalized_cross_entropy(y_true: Any, y_pred: Any, q: float) -> Tensor:
    """The generalized crossentropy ``(1 - p^q) / q`` of the true class's probability.

    Robust to noisy labels: ``q`` near 0 approaches crossentropy, ``q = 1`` MAE.

    Args:
        y_true: integer labels, shape ``y_pred.shape[:-1]``.
        y_pred: class probabilities.
        q: the exponent, in ``(0, 1)``.

    Example:
        >>> loss = categorical_generalized_cross_entropy([1], [[0.75, 0.25]], 0.5)
        >>> round(float(loss[0]), 4)
        1.0
    """
    y_pred = ops.convert_to_tensor(y_pred)
    labels = np.asarray(ops.convert_to_numpy(y_true)).astype("int64")
    one_hot = np.eye(y_pred.shape[-1], dtype=y_pred.dtype)[labels]
    p = ops.sum(ops.multiply(y_pred, one_hot), axis=-1)
    return ops.divide(ops.subtract(1.0, ops.power(p, q)), q)


def _axes(axis: Any) -> Any:
    return tuple(axis) if isinstance(axis, list) else axis


FUNCTIONS: dict[str, Any] = {
    fn.__name__: fn
    for fn in (
        loss_functions.mean_squared_error,
        loss_functions.mean_absolute_error,
        mean_absolute_percentage_error,
        mean_squared_logarithmic_error,
        cosine_similarity,
        loss_functions.huber,
        log_cosh,
        kl_divergence,
        poisson,
        loss_functions.binary_crossentropy,
        binary_focal_crossentropy,
        loss_functions.categorical_crossentropy,
        categorical_focal_crossentropy,
        loss_functions.sparse_categorical_crossentropy,
        categorical_generalized_cross_entropy,
        hinge,
        squared_hinge,
        categorical_hinge,
        dice,
        tversky,
    )
}
ALIASES: dict[str, Any] = {
    "bce": loss_functions.binary_crossentropy,
    "BCE": loss_functions.binary_crossentropy,
    "kld": kl_divergence,
    "KLD": kl_divergence,
    "mae": loss_functions.mean_absolute_error,
    "MAE": loss_functions.mean_absolute_error,
    "mse": loss_functions.mean_squared_error,
    "MSE": loss_functions.mean_squared_error,
    "mape": mean_absolute_percentage_error,
    "MAPE": mean_absolute_percentage_error,
    "msle": mean_squared_logarithmic_error,
    "MSLE": mean_squared_logarithmic_error,
}
