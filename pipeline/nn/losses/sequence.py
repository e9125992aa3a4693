"""The CTC (connectionist temporal classification) loss of sequence labelling.

The negative log-likelihood of the label sequence under all alignments of the
logits' time steps, computed by the forward-backward recursion in log space on
the host; its gradient with respect to the logits is exact.

Example:
    >>> import numpy as np
    >>> round(float(ctc(np.array([[1]]), np.zeros((1, 1, 2)))[0]), 4)
    0.6931
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn import ops
from pipeline.nn.losses.loss import Loss, LossFunctionWrapper
from pipeline.nn.ops._core import apply
from pipeline.nn.tensor import Tensor

_BLANK = 0


def _extended(labels: np.ndarray) -> np.ndarray:
    """The label sequence with a blank before, between and after its labels."""
    ext = np.full(2 * labels.size + 1, _BLANK, dtype=np.int64)
    ext[1::2] = labels
    return ext


def _forward(lp: np.ndarray, ext: np.ndarray) -> np.ndarray:
    """Log-probabilities of the prefixes ending in each state, emission included."""
    steps, states = lp.shape[0], ext.size
    alpha = np.full((steps, states), -np.inf)
    alpha[0, :2] = lp[0, ext[:2]]
    # A label state may be entered from the previous label's state, past the
    # blank between them, unless the two labels are equal (TF's dense rule: a
    # label equal to the blank's id is still a label state).
    skip = np.zeros(states, bool)
    skip[3::2] = ext[3::2] != ext[1:-2:2]
    for t in range(1, steps):
        prev = alpha[t - 1]
        paths = np.full((3, states), -np.inf)
        paths[0] = prev
        paths[1, 1:] = prev[:-1]
        paths[2, 2:] = prev[:-2]
        paths[2, ~skip] = -np.inf
        alpha[t] = np.logaddexp.reduce(paths, axis=0) + lp[t, ext]
    return alpha


def _one_sequence(lp: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """The loss of one sequence and its gradient with respect to ``lp``."""
    ext = _extended(labels)
    alpha = _forward(lp, ext)
    # The backward pass is the forward pass of the reversed problem.
    beta = _forward(lp[::-1], ext[::-1])[::-1, ::-1]
    log_p = np.logaddexp.reduce(alpha[-1, -2:]) if ext.size > 1 else alpha[-1, -1]
    grad = np.zeros_like(lp)
    if not np.isfinite(log_p):
        return np.inf, grad
    occupancy = np.exp(alpha + beta - lp[:, ext] - log_p)
    np.add.at(grad.T, ext, -occupancy.T)
    return -log_p, grad


def _ctc_from_log_probs(labels: np.ndarray, log_probs: Tensor) -> Tensor:
    lp = log_probs.numpy().astype(np.float64)
    losses, grads = [], []
    for row, seq in zip(lp, labels, strict=True):
        loss, grad = _one_sequence(row, seq[: int(np.count_nonzero(seq))])
        losses.append(loss)
        grads.append(grad)
    grad_all = np.stack(grads).astype(log_probs.dtype)
    value = np.asarray(losses, dtype=log_probs.dtype)
    return apply(value, [log_probs], lambda g: [g[:, None, None] * grad_all])


def ctc(y_true: Any, y_pred: Any) -> Tensor:
    """The CTC loss of each sequence; 0 in ``y_true`` is the blank (padding).

    Args:
        y_true: integer labels, shape ``(batch_size, max_length)``; each row's
            labels are its first ``count_nonzero(row)`` entries.
        y_pred: unnormalized logits, shape ``(batch_size, steps, num_classes)``.

    Returns:
        The loss of each sequence, shape ``(batch_size,)``.

    Raises:
        ValueError: when ``y_true`` is not rank 2 or ``y_pred`` not rank 3.

    Example:
        >>> round(float(ctc(np.array([[1, 1]]), np.zeros((1, 3, 2)))[0]), 4)
        2.0794
    """
    y_true, y_pred = ops.convert_to_tensor(y_true), ops.convert_to_tensor(y_pred)
    if y_true.ndim != 2:
        raise ValueError(
            "Targets `y_true` are expected to be a tensor of shape `(batch_size, "
            f"max_length)` in integer format. Received: y_true.shape={y_true.shape}"
        )
    if y_pred.ndim != 3:
        raise ValueError(
            "Logits `y_pred` are expected to be a tensor of shape `(batch_size, "
            f"max_length, num_classes)`. Received: y_pred.shape={y_pred.shape}"
        )
    if y_pred.dtype.kind != "f":
        y_pred = ops.cast(y_pred, "float32")
    labels = y_true.numpy().astype(np.int64)
    return _ctc_from_log_probs(labels, ops.log_softmax(y_pred, axis=-1))


class CTC(LossFunctionWrapper):
    """The CTC loss of sequence labelling (label 0 is the blank).

    Args:
        reduction, name, dtype: as `Loss`.

    Example:
        >>> round(float(CTC()(np.array([[1]]), np.zeros((1, 1, 2)))), 4)
        0.6931
    """

    def __init__(
        self,
        reduction: Any = "sum_over_batch_size",
        name: str = "ctc",
        dtype: Any = None,
    ) -> None:
        super().__init__(ctc, reduction, name, dtype)

    def get_config(self) -> dict[str, Any]:
        return Loss.get_config(self)
