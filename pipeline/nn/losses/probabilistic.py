"""Probabilistic losses: KL divergence, Poisson and the crossentropies.

Example:
    >>> round(float(BinaryCrossentropy()([[1.0]], [[0.5]])), 4)
    0.6931
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.losses.functions import (
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
    kl_divergence,
    poisson,
)
from pipeline.nn.losses.loss import Loss, LossFunctionWrapper
from pipeline.nn.losses.regression import _SUM_OVER_BATCH, _Plain
from pipeline.nn.ops.loss_functions import (
    binary_crossentropy,
    categorical_crossentropy,
    ignored_class_mask,
    sparse_categorical_crossentropy,
)
from pipeline.nn.tensor import Tensor


class KLDivergence(_Plain):
    """``sum(y_true · log(y_true / y_pred), axis=-1)`` (both clipped to ``[ε, 1]``).

    Example:
        >>> round(float(KLDivergence()([[0.5, 0.5]], [[0.25, 0.75]])), 4)
        0.1438
    """

    def __init__(
        self,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "kl_divergence",
        dtype: Any = None,
    ) -> None:
        super().__init__(kl_divergence, reduction, name, dtype)


class Poisson(_Plain):
    """``mean(y_pred - y_true · log(y_pred + ε), axis=-1)`` per sample.

    Example:
        >>> float(Poisson()([[0.0]], [[2.0]]))
        2.0
    """

    def __init__(
        self, reduction: Any = _SUM_OVER_BATCH, name: str = "poisson", dtype: Any = None
    ) -> None:
        super().__init__(poisson, reduction, name, dtype)


class _Crossentropy(LossFunctionWrapper):
    """A wrapper that keeps its keyword arguments as attributes and config."""

    def __init__(
        self, fn: Any, reduction: Any, name: str, dtype: Any, **kwargs: Any
    ) -> None:
        super().__init__(fn, reduction, name, dtype, **kwargs)
        for key, value in kwargs.items():
            setattr(self, key, value)

    def get_config(self) -> dict[str, Any]:
        return {**Loss.get_config(self), **self._fn_kwargs}


class BinaryCrossentropy(_Crossentropy):
    """Binary crossentropy, averaged over ``axis``.

    Args:
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: labels move towards 0.5 by this much. Defaults to 0.
        axis: the axis averaged over. Defaults to -1.
        reduction, name, dtype: as `Loss`.

    Raises:
        ValueError: when labels and predictions differ in shape.

    Example:
        >>> round(float(BinaryCrossentropy(from_logits=True)([[1.0]], [[0.0]])), 4)
        0.6931
    """

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "binary_crossentropy",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            binary_crossentropy,
            reduction,
            name,
            dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class BinaryFocalCrossentropy(_Crossentropy):
    """Binary crossentropy scaled by ``(1 - p_t)^gamma``, which favours hard examples.

    Args:
        apply_class_balancing: weigh positives ``alpha``, negatives
            ``1 - alpha``. Defaults to False.
        alpha: the balancing weight. Defaults to 0.25.
        gamma: the focusing exponent. Defaults to 2.0.
        from_logits, label_smoothing, axis: as `BinaryCrossentropy`.
        reduction, name, dtype: as `Loss`.

    Example:
        >>> round(float(BinaryFocalCrossentropy()([[1.0]], [[0.5]])), 4)
        0.1733
    """

    def __init__(
        self,
        apply_class_balancing: bool = False,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "binary_focal_crossentropy",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            binary_focal_crossentropy,
            reduction,
            name,
            dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalCrossentropy(_Crossentropy):
    """Categorical crossentropy over one-hot (or soft) labels.

    Args:
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: labels move towards ``1 / classes`` by this much.
            Defaults to 0.
        axis: the class axis. Defaults to -1.
        reduction, name, dtype: as `Loss`.

    Raises:
        ValueError: when labels and predictions differ in shape.

    Example:
        >>> round(float(CategoricalCrossentropy()([[0.0, 1.0]], [[0.5, 0.5]])), 4)
        0.6931
    """

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "categorical_crossentropy",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            categorical_crossentropy,
            reduction,
            name,
            dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalFocalCrossentropy(_Crossentropy):
    """Categorical crossentropy scaled by ``alpha · (1 - p)^gamma``.

    Args:
        alpha: the weighting factor. Defaults to 0.25.
        gamma: the focusing exponent. Defaults to 2.0.
        from_logits, label_smoothing, axis: as `CategoricalCrossentropy`.
        reduction, name, dtype: as `Loss`.

    Example:
        >>> round(float(CategoricalFocalCrossentropy()([[0.0, 1.0]], [[0.5, 0.5]])), 4)
        0.0433
    """

    def __init__(
        self,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "categorical_focal_crossentropy",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            categorical_focal_crossentropy,
            reduction,
            name,
            dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(_Crossentropy):
    """Categorical crossentropy over integer labels.

    Args:
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        ignore_class: a label whose entries count for nothing: their loss is 0,
            they get no gradient, and the ``"sum_over_batch_size"`` mean runs
            over the other entries only (Keras 3's mask). Defaults to None.
        reduction, name, dtype: as `Loss`.
        axis: the class axis; only -1 (the last) is supported, as in Keras's
            TensorFlow backend. Defaults to -1.

    Example:
        >>> round(float(SparseCategoricalCrossentropy()([1], [[0.5, 0.5]])), 4)
        0.6931
        >>> loss = SparseCategoricalCrossentropy(ignore_class=0)
        >>> round(float(loss([1, 0], [[0.5, 0.5], [0.9, 0.1]])), 4)
        0.6931
    """

    def __init__(
        self,
        from_logits: bool = False,
        ignore_class: Any = None,
        reduction: Any = _SUM_OVER_BATCH,
        axis: int = -1,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            sparse_categorical_crossentropy,
            reduction,
            name,
            dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )

    def _call_with_mask(self, y_true: Tensor, y_pred: Tensor) -> tuple[Tensor, Any]:
        values = self.call(y_true, y_pred)
        return values, ignored_class_mask(y_true, y_pred, self.ignore_class)

    def get_config(self) -> dict[str, Any]:
        config = Loss.get_config(self)
        return {
            **config,
            "from_logits": self.from_logits,
            "ignore_class": self.ignore_class,
        }


class CategoricalGeneralizedCrossEntropy(_Crossentropy):
    """The generalized crossentropy ``(1 - p^q) / q`` over integer labels.

    It is robust to noisy labels: ``q`` near 0 behaves as crossentropy,
    ``q = 1`` as mean absolute error.

    Args:
        q: the exponent, in ``(0, 1)``. Defaults to 0.5.
        reduction, name, dtype: as `Loss`.

    Raises:
        ValueError: when ``q`` is not in ``(0, 1)``.

    Example:
        >>> loss = CategoricalGeneralizedCrossEntropy()
        >>> round(float(loss([1], [[0.75, 0.25]])), 4)
        1.0
    """

    def __init__(
        self,
        q: float = 0.5,
        reduction: Any = _SUM_OVER_BATCH,
        name: str = "categorical_generalized_cross_entropy",
        dtype: Any = None,
    ) -> None:
        if not 0 < q < 1:
            raise ValueError(f"q must be in the interval (0, 1). Received: q={q}")
        super().__init__(
            categorical_generalized_cross_entropy, reduction, name, dtype, q=q
        )
