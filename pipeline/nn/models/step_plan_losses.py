"""The losses a step plan computes itself, in the general path's op order.

Each function returns ``(y_pred, loss, grad)``: what the metrics see, the mean
loss (a 0-d float32 array, as the loss object returns it) and the gradient of
the loss with respect to the model's output value (the logits for a softmax
output). Every array operation is the one the general path's ops run, on the
same operands and in the same order, so the results are bit-identical.

Example:
    >>> import numpy as np
    >>> _, loss, grad = mean_squared_error(np.zeros((2, 1), np.float32),
    ...                                    np.ones((2, 1), np.float32))
    >>> float(loss), grad.ravel().tolist()
    (1.0, [1.0, 1.0])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.losses.loss import LossFunctionWrapper
from pipeline.nn.losses.probabilistic import SparseCategoricalCrossentropy
from pipeline.nn.losses.regression import MeanSquaredError
from pipeline.nn.ops.loss_functions import (
    mean_squared_error as mse_function,
)
from pipeline.nn.ops.loss_functions import (
    sparse_categorical_crossentropy,
)

_F32 = np.dtype(np.float32)
_MEANS = ("sum_over_batch_size", "mean")


def loss_kind(loss: Any) -> tuple[str, bool] | None:
    """``("scce", from_logits)`` or ``("mse", False)`` for a loss the plan
    computes (float32, mean reduction, no other option), else None.

    Example:
        >>> loss_kind(MeanSquaredError())
        ('mse', False)
        >>> loss_kind(SparseCategoricalCrossentropy(ignore_class=0)) is None
        True
    """
    kinds = (SparseCategoricalCrossentropy, MeanSquaredError, LossFunctionWrapper)
    if (
        type(loss) not in kinds
        or loss.dtype != "float32"
        or loss.reduction not in _MEANS
    ):
        return None
    kwargs = dict(loss._fn_kwargs)
    if loss.fn is mse_function:
        return None if kwargs else ("mse", False)
    if loss.fn is not sparse_categorical_crossentropy:
        return None
    from_logits = bool(kwargs.pop("from_logits", False))
    if kwargs.pop("ignore_class", None) is not None or kwargs.pop("axis", -1) != -1:
        return None
    return None if kwargs else ("scce", from_logits)


def _mean_seed(values: Any) -> tuple[Any, Any]:
    """The mean of ``values`` (``sum`` then ``divide``) and the gradient its
    backward hands on: ``1 / n`` from the divide, broadcast by the sum."""
    count = _F32.type(values.shape[0])
    loss = np.asarray(values.sum(axis=(0,))) / count
    return loss, np.ones_like(loss) / count


def softmax_crossentropy(logits: Any, labels: Any) -> tuple[Any, Any, Any]:
    """The softmax, the mean sparse crossentropy and its gradient wrt the
    logits (the ``softmax`` op, then the fused sparse softmax crossentropy op;
    backward: the seed times ``softmax - onehot``).

    Example:
        >>> p, loss, grad = softmax_crossentropy(np.zeros((1, 2), np.float32),
        ...                                      np.array([1]))
        >>> p.tolist(), round(float(loss), 4), grad.tolist()
        ([[0.5, 0.5]], 0.6931, [[0.5, -0.5]])
    """
    n = logits.shape[0]
    rows = np.arange(n)
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    total = e.sum(axis=-1, keepdims=True)
    p = e / total
    picked = z[rows, labels].reshape(total.shape)
    loss, seed = _mean_seed((np.log(total) - picked)[..., 0])
    grad = p.copy()
    grad[rows, labels] -= _F32.type(1)
    return p, loss, grad * seed


def mean_squared_error(y_true: Any, y_pred: Any) -> tuple[Any, Any, Any]:
    """``mean((y_true - y_pred)², axis=-1)`` averaged over the batch, and its
    gradient wrt ``y_pred`` (backward of ``subtract``, ``square``, ``mean``).

    Example:
        >>> _, loss, grad = mean_squared_error(np.ones((1, 2), np.float32),
        ...                                    np.zeros((1, 2), np.float32))
        >>> float(loss), grad.tolist()
        (1.0, [[-1.0, -1.0]])
    """
    d = y_true - y_pred
    loss, seed = _mean_seed((d * d).mean(axis=(1,)))
    rows = np.broadcast_to(seed, (d.shape[0],))
    per_entry = np.expand_dims(rows, (1,)) / _F32.type(d.shape[1])
    return y_pred, loss, -(np.broadcast_to(per_entry, d.shape) * 2 * d)
