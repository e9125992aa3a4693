"""Loss objects and functions with Keras 3's names, formulas and reductions.

A loss object's ``call(y_true, y_pred)`` is the per-sample loss (one value per
row); calling the object applies ``sample_weight`` and the reduction:
``"sum_over_batch_size"`` (default: weighted sum / number of entries), ``"sum"``,
``"mean"`` (same as sum_over_batch_size), ``"mean_with_sample_weight"`` (weighted
sum / sum of weights) or ``"none"``/None.

Example:
    >>> from pipeline.nn import losses
    >>> float(losses.MeanSquaredError()([[0.0, 1.0]], [[1.0, 1.0]]))
    0.5
    >>> losses.get("mse") is losses.mean_squared_error
    True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.nn import ops, saving_registry
from pipeline.nn.ops.loss_functions import (
    binary_crossentropy,
    categorical_crossentropy,
    huber,
    ignored_class_mask,
    mean_absolute_error,
    mean_squared_error,
    sparse_categorical_crossentropy,
)
from pipeline.nn.tensor import Tensor

_REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none")


def reduce_values(
    values: Any,
    sample_weight: Any = None,
    reduction: Any = "sum_over_batch_size",
    mask: Any = None,
) -> Tensor:
    """Applies ``sample_weight`` (broadcast from the batch axis), ``mask`` and
    ``reduction``.

    A boolean ``mask`` of ``values``'s shape drops entries as Keras 3 does: with
    ``"sum_over_batch_size"`` the sum is divided by the number of kept entries
    (0 if none is kept), with ``"mean_with_sample_weight"`` by their weights.

    Example:
        >>> float(reduce_values([1.0, 3.0], [1.0, 0.0]))
        0.5
        >>> float(reduce_values([1.0, 3.0, 0.0], mask=[True, True, False]))
        2.0
    """
    values = ops.convert_to_tensor(values)
    weight = None
    if sample_weight is not None:
        weight = _to_rank(ops.convert_to_tensor(sample_weight, values.dtype), values)
    if mask is not None:
        scaled = _mask_weight(ops.convert_to_tensor(mask), values.dtype, reduction)
        weight = scaled if weight is None else ops.multiply(weight, scaled)
    if weight is not None:
        values = ops.multiply(values, weight)
    if reduction in (None, "none"):
        return values
    total = ops.sum(values)
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and weight is not None:
        return ops.divide(total, ops.sum(weight))
    size = 1
    for n in values.shape:
        size *= n
    return ops.divide(total, values.dtype.type(max(size, 1)))


def _to_rank(weight: Tensor, values: Tensor) -> Tensor:
    while weight.ndim > values.ndim and weight.shape[-1] == 1:
        weight = ops.squeeze(weight, -1)
    while weight.ndim < values.ndim:
        weight = ops.expand_dims(weight, -1)
    return weight


def _mask_weight(mask: Tensor, dtype: Any, reduction: Any) -> Tensor:
    """Keras 3's mask weights: kept entries weigh ``total / kept`` under a mean
    reduction (so the mean runs over kept entries only), 1 otherwise; dropped 0.
    """
    kept = ops.cast(mask, dtype)
    if reduction not in ("mean", "sum_over_batch_size"):
        return kept
    total = dtype.type(max(int(kept.numpy().size), 1))
    count = float(ops.sum(kept))
    scale = dtype.type(total / dtype.type(count)) if count else dtype.type(0)
    return ops.multiply(kept, scale)


class Loss:
    """Base class: subclasses implement ``call(y_true, y_pred)`` (per sample).

    Args:
        name: the loss name.
        reduction: see the module docstring. Defaults to ``"sum_over_batch_size"``.
        dtype: unused (float32 computations follow the inputs).

    Example:
        >>> class Zero(Loss):
        ...     def call(self, y_true, y_pred):
        ...         return ops.mean(ops.multiply(y_pred, 0.0), axis=-1)
        >>> float(Zero()([[1.0]], [[2.0]]))
        0.0
    """

    def __init__(
        self,
        name: str | None = None,
        reduction: Any = "sum_over_batch_size",
        dtype: Any = None,
    ) -> None:
        if reduction not in _REDUCTIONS and reduction is not None:
            raise ValueError(
                f"Invalid value for argument `reduction`. Expected one of "
                f"{_REDUCTIONS}. Received: reduction={reduction!r}"
            )
        self.name = name or type(self).__name__
        self.reduction = reduction
        self.dtype = dtype

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        raise NotImplementedError

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        return reduce_values(self.call(y_true, y_pred), sample_weight, self.reduction)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments (Keras 3's keys).

        Example:
            >>> MeanSquaredError().get_config()
            {'name': 'mean_squared_error', 'reduction': 'sum_over_batch_size'}
        """
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Loss:
        """Rebuilds from :meth:`get_config`.

        Example:
            >>> MeanSquaredError.from_config({"name": "m"}).name
            'm'
        """
        return cls(**config)


class LossFunctionWrapper(Loss):
    """A loss object around a per-sample function ``fn(y_true, y_pred, **kwargs)``.

    Example:
        >>> float(LossFunctionWrapper(mean_absolute_error)([[1.0]], [[3.0]]))
        2.0
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        reduction: Any = "sum_over_batch_size",
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name or getattr(fn, "__name__", "loss"), reduction)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), **self._fn_kwargs}


class MeanSquaredError(LossFunctionWrapper):
    """``mean((y_true - y_pred)²)``.

    Example:
        >>> float(MeanSquaredError()([[0.0]], [[2.0]]))
        4.0
    """

    def __init__(
        self,
        reduction: Any = "sum_over_batch_size",
        name: str = "mean_squared_error",
        dtype: Any = None,
    ) -> None:
        super().__init__(mean_squared_error, reduction, name)


class MeanAbsoluteError(LossFunctionWrapper):
    """``mean(|y_true - y_pred|)``.

    Example:
        >>> float(MeanAbsoluteError()([[0.0]], [[2.0]]))
        2.0
    """

    def __init__(
        self,
        reduction: Any = "sum_over_batch_size",
        name: str = "mean_absolute_error",
        dtype: Any = None,
    ) -> None:
        super().__init__(mean_absolute_error, reduction, name)


class Huber(LossFunctionWrapper):
    """Huber loss with threshold ``delta`` (default 1.0).

    Example:
        >>> float(Huber()([[0.0]], [[3.0]]))
        2.5
    """

    def __init__(
        self,
        delta: float = 1.0,
        reduction: Any = "sum_over_batch_size",
        name: str = "huber_loss",
        dtype: Any = None,
    ) -> None:
        super().__init__(huber, reduction, name, delta=delta)

    def get_config(self) -> dict[str, Any]:
        return Loss.get_config(self)


class BinaryCrossentropy(LossFunctionWrapper):
    """Binary crossentropy (probabilities, or logits with ``from_logits=True``).

    Example:
        >>> round(float(BinaryCrossentropy()([[1.0]], [[0.5]])), 4)
        0.6931
    """

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: Any = "sum_over_batch_size",
        name: str = "binary_crossentropy",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            binary_crossentropy,
            reduction,
            name,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalCrossentropy(LossFunctionWrapper):
    """Categorical crossentropy over one-hot (or soft) labels.

    Example:
        >>> round(float(CategoricalCrossentropy()([[0.0, 1.0]], [[0.5, 0.5]])), 4)
        0.6931
    """

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: Any = "sum_over_batch_size",
        name: str = "categorical_crossentropy",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            categorical_crossentropy,
            reduction,
            name,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Categorical crossentropy over integer labels.

    Args:
        from_logits: whether ``y_pred`` holds logits. Default False.
        ignore_class: a label whose entries count for nothing: their loss is 0,
            they get no gradient, and the ``"sum_over_batch_size"`` mean runs over
            the other entries only (Keras 3's mask). Default None.
        reduction, name, dtype: as ``Loss``.

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
        reduction: Any = "sum_over_batch_size",
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            sparse_categorical_crossentropy,
            reduction,
            name,
            from_logits=from_logits,
            ignore_class=ignore_class,
        )
        self.ignore_class = ignore_class

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        mask = ignored_class_mask(y_true, y_pred, self.ignore_class)
        values = self.call(y_true, y_pred)
        return reduce_values(values, sample_weight, self.reduction, mask)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
huber_loss = huber

_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "mean_squared_error": mean_squared_error, "mse": mean_squared_error,
    "MSE": mean_squared_error, "mean_absolute_error": mean_absolute_error,
    "mae": mean_absolute_error, "MAE": mean_absolute_error, "huber": huber,
    "huber_loss": huber, "binary_crossentropy": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
}  # fmt: skip
_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        MeanSquaredError,
        MeanAbsoluteError,
        Huber,
        BinaryCrossentropy,
        CategoricalCrossentropy,
        SparseCategoricalCrossentropy,
    )
}


def get(identifier: Any) -> Any:
    """A loss function (snake_case name) or object (class name, config, callable).

    Names not built in are looked up in ``load_model``'s ``custom_objects`` and
    in the `saving_registry`; nothing else is searched.

    Raises:
        UnregisteredObjectError: (a ``ValueError``) for an unknown identifier.

    Example:
        >>> type(get("Huber")).__name__, get("mae") is mean_absolute_error
        ('Huber', True)
    """
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, dict):
        return saving_registry.build("loss", identifier, _CLASSES)
    if isinstance(identifier, str) and identifier in _FUNCTIONS:
        return _FUNCTIONS[identifier]
    found = saving_registry.resolve("loss", identifier, _CLASSES)
    return found() if isinstance(found, type) else found


def serialize(loss: Any) -> Any:
    """A name or config dict for a built-in loss (None for custom ones).

    Example:
        >>> serialize(mean_squared_error), serialize(Huber())["class_name"]
        ('mean_squared_error', 'Huber')
    """
    for name, fn in _FUNCTIONS.items():
        if fn is loss:
            return name
    if type(loss) in _CLASSES.values():
        config = loss.get_config()
        if isinstance(loss, Huber):
            config["delta"] = loss._fn_kwargs["delta"]
        return {"class_name": type(loss).__name__, "config": config}
    return None
