"""Metric-learning losses: the Circle loss over embeddings.

Example:
    >>> import numpy as np
    >>> emb = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> round(float(Circle()([0, 0, 1], emb)), 3)
    3.201
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn import ops
from pipeline.nn.losses.loss import Loss, LossFunctionWrapper
from pipeline.nn.ops.loss_functions import float_pair
from pipeline.nn.tensor import Tensor


def _pair_masks(query: Any, keys: Any, remove_diagonal: bool) -> tuple:
    """Positive (same label) and negative (other label) pairs, query × key."""
    query, keys = np.asarray(query).reshape(-1, 1), np.asarray(keys).reshape(-1, 1)
    positive = query == keys.T
    negative = ~positive
    if remove_diagonal:
        positive &= ~np.eye(query.size, keys.size, dtype=bool)
    return positive, negative


def _masked_logsumexp(x: Tensor, mask: np.ndarray) -> Tensor:
    """``log(sum(exp(x)))`` per row over the kept entries; -inf for a row
    with none (its gradient stays finite: 0)."""
    empty = ~mask.any(axis=1)
    values = x.numpy()
    top = np.where(mask, values, -np.inf).max(axis=1, initial=-np.inf)
    top = np.where(empty, 0.0, top).astype(values.dtype)[:, None]
    total = ops.sum(ops.where(mask, ops.exp(ops.subtract(x, top)), 0.0), axis=1)
    total = ops.where(empty, 1.0, total)
    result = ops.add(ops.log(total), top[:, 0])
    return ops.where(empty, -np.inf, result)


def circle(
    y_true: Any,
    y_pred: Any,
    ref_labels: Any = None,
    ref_embeddings: Any = None,
    remove_diagonal: bool = True,
    gamma: float = 80,
    margin: float = 0.4,
) -> Tensor:
    """The Circle loss of each embedding against the reference embeddings.

    Pairs with one label are pulled to cosine distance 0, pairs with different
    labels pushed past 1, each weighted by how far it is from its optimum. The
    result carries a mask (``_keras_mask``) of the positive losses, which the
    reductions of `Loss` honour.

    Args:
        y_true: integer labels, shape ``(batch,)``.
        y_pred: L2-normalized embeddings, shape ``(batch, dim)``.
        ref_labels: labels of the references. Defaults to ``y_true``.
        ref_embeddings: the references. Defaults to ``y_pred``.
        remove_diagonal: leave out the pair of an embedding with itself.
            Defaults to True.
        gamma: the scale. Defaults to 80.
        margin: the relaxation margin. Defaults to 0.4.

    Example:
        >>> emb = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
        >>> [round(float(v), 3) for v in circle([0, 0, 1], emb)]
        [0.0, 6.402, 0.0]
    """
    labels, y_pred = float_pair(y_true, y_pred, same_rank=False)
    labels = labels.numpy().astype("int32")
    refs = y_pred if ref_embeddings is None else ops.cast(ref_embeddings, y_pred.dtype)
    ref_labels = (
        labels if ref_labels is None else np.asarray(ref_labels).astype("int32")
    )
    distance = ops.subtract(1.0, ops.matmul(y_pred, ops.transpose(refs)))
    distance = ops.maximum(distance, 0.0)
    positive, negative = _pair_masks(labels, ref_labels, remove_diagonal)
    pos_weight = ops.maximum(ops.multiply(ops.add(distance, margin), positive), 0.0)
    neg_weight = ops.maximum(
        ops.multiply(ops.subtract(1 + margin, distance), negative), 0.0
    )
    pos = ops.multiply(-gamma, ops.multiply(pos_weight, ops.subtract(margin, distance)))
    neg = ops.multiply(
        gamma, ops.multiply(neg_weight, ops.subtract(1 - margin, distance))
    )
    both = ops.add(_masked_logsumexp(pos, positive), _masked_logsumexp(neg, negative))
    loss = ops.softplus(both)
    loss._keras_mask = loss.numpy() > 0
    return loss


class Circle(LossFunctionWrapper):
    """The Circle loss (Sun et al., 2020) over a batch of L2-normalized embeddings.

    Args:
        gamma: the scale. Defaults to 80.0.
        margin: the relaxation margin. Defaults to 0.4.
        remove_diagonal: leave out each embedding's pair with itself.
            Defaults to True.
        reduction, name, dtype: as `Loss`. The mean reductions average over
            the positive losses only (Keras's mask).

    Example:
        >>> emb = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
        >>> round(float(Circle(reduction="sum")([0, 0, 1], emb)), 3)
        6.402
    """

    def __init__(
        self,
        gamma: float = 80.0,
        margin: float = 0.4,
        remove_diagonal: bool = True,
        reduction: Any = "sum_over_batch_size",
        name: str = "circle",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            circle, reduction, name, dtype,
            gamma=gamma, margin=margin, remove_diagonal=remove_diagonal,
        )  # fmt: skip
        self.gamma, self.margin, self.remove_diagonal = gamma, margin, remove_diagonal

    def get_config(self) -> dict[str, Any]:
        extra = {"gamma": self.gamma, "margin": self.margin}
        return {
            **Loss.get_config(self),
            **extra,
            "remove_diagonal": self.remove_diagonal,
        }
