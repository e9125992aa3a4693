"""The ``Loss`` base class and its reduction, with Keras 3's rules.

Calling a loss object converts both arguments to its ``dtype`` (float32 by
default), runs ``call`` (the unreduced loss), then merges the prediction's mask
(``y_pred._keras_mask``) and the mask of the loss values into
``sample_weight`` and reduces:

* ``"sum_over_batch_size"`` / ``"mean"``: the weighted sum over the number of
  loss entries (a mask makes it the number of kept entries);
* ``"sum"``: the weighted sum;
* ``"mean_with_sample_weight"``: the weighted sum over the sum of the weights;
* ``"none"`` / None: the weighted values, unreduced.

Weights and masks are brought to the rank of the values as Keras does: a
trailing axis of size 1 is squeezed, or one is added to a rank-1 operand.

Example:
    >>> import numpy as np
    >>> class Squared(Loss):
    ...     def call(self, y_true, y_pred):
    ...         return (y_true - y_pred) ** 2
    >>> float(Squared()(np.array([1.0, 0.0]), np.array([0.0, 0.0])))
    0.5
    >>> float(Squared(reduction="sum")([1.0, 3.0], [0.0, 0.0], sample_weight=[1, 0]))
    1.0
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from typing import Any

import numpy as np

from pipeline.nn import ops
from pipeline.nn.losses.functions import FUNCTIONS
from pipeline.nn.ops.loss_functions import squeeze_or_expand_to_same_rank
from pipeline.nn.tensor import Tensor

_NAME_COUNTS: defaultdict[str, itertools.count] = defaultdict(itertools.count)
REDUCTIONS = (
    "sum_over_batch_size",
    "sum",
    "mean",
    "mean_with_sample_weight",
    "none",
    None,
)


def standardize_reduction(reduction: Any) -> Any:
    """``reduction`` itself when it is one Keras allows.

    Raises:
        ValueError: for any other value.

    Example:
        >>> standardize_reduction("sum")
        'sum'
    """
    if reduction not in REDUCTIONS:
        raise ValueError(
            "Invalid value for argument `reduction`. Expected one of "
            f"{set(REDUCTIONS)}. Received: reduction={reduction}"
        )
    return reduction


def _fit_weight(values: Tensor, weight: Tensor) -> tuple[Tensor, Tensor]:
    """Keras's rank adjustment; where Keras could not broadcast the result, the
    weight is read from the batch axis instead (trailing axes added)."""
    values, weight = squeeze_or_expand_to_same_rank(values, weight)
    try:
        np.broadcast_shapes(values.shape, weight.shape)
    except ValueError:
        while weight.ndim < values.ndim:
            weight = ops.expand_dims(weight, -1)
    return values, weight


def _divide_no_nan(x: Tensor, y: Any) -> Tensor:
    """``x / y``, or 0 when ``y`` is 0 (``y`` is a constant: a count or the
    sum of the sample weights)."""
    divisor = x.dtype.type(y.numpy() if isinstance(y, Tensor) else y)
    if divisor == 0:
        return ops.multiply(x, x.dtype.type(0))
    return ops.divide(x, divisor)


def apply_mask(sample_weight: Any, mask: Any, dtype: Any, reduction: Any) -> Any:
    """``sample_weight`` with ``mask`` merged in (Keras's ``apply_mask``).

    Under a mean reduction kept entries weigh ``total / kept`` so that the mean
    runs over kept entries only (0 when none is kept); otherwise 1. Dropped
    entries weigh 0.

    Example:
        >>> apply_mask(None, [True, False], "float32", "sum").numpy().tolist()
        [1.0, 0.0]
    """
    if mask is None:
        return sample_weight
    kept = ops.cast(mask, dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        count = float(np.sum(kept.numpy()))
        scale = kept.numpy().size / count if count else 0.0
        kept = ops.multiply(kept, np.dtype(dtype).type(scale))
    if sample_weight is None:
        return kept
    kept, sample_weight = squeeze_or_expand_to_same_rank(
        kept, ops.cast(sample_weight, dtype)
    )
    return ops.multiply(sample_weight, kept)


def reduce_values(
    values: Any, sample_weight: Any = None, reduction: Any = "sum_over_batch_size"
) -> Tensor:
    """Reduces already weighted ``values`` as ``reduction`` says.

    A scalar or empty ``values`` comes back as is. ``sample_weight`` is only the
    divisor of ``"mean_with_sample_weight"``.

    Example:
        >>> float(reduce_values([1.0, 3.0]))
        2.0
    """
    values = ops.convert_to_tensor(values)
    if reduction in (None, "none") or values.shape in ((), (0,)):
        return values
    total = ops.sum(values)
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return _divide_no_nan(total, ops.sum(sample_weight))
    return _divide_no_nan(total, math.prod(values.shape))


def reduce_weighted_values(
    values: Any,
    sample_weight: Any = None,
    mask: Any = None,
    reduction: Any = "sum_over_batch_size",
    dtype: Any = None,
) -> Tensor:
    """Merges ``mask`` into ``sample_weight``, weights ``values`` and reduces.

    Example:
        >>> float(reduce_weighted_values([1.0, 3.0, 9.0], mask=[True, True, False]))
        2.0
    """
    reduction = standardize_reduction(reduction)
    values = _as_dtype(values, dtype)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        sample_weight = ops.cast(sample_weight, values.dtype)
        values, sample_weight = _fit_weight(values, sample_weight)
        values = ops.multiply(values, sample_weight)
    return reduce_values(values, sample_weight, reduction)


def _as_dtype(x: Any, dtype: Any) -> Tensor:
    """``x`` as a tensor of ``dtype`` (a tensor is cast, keeping its gradient)."""
    if isinstance(x, Tensor):
        return x if dtype is None or x.dtype == np.dtype(dtype) else ops.cast(x, dtype)
    return ops.convert_to_tensor(np.asarray(x), dtype)


def _standardize_dtype(dtype: Any) -> str:
    name = getattr(dtype, "name", dtype) or "float32"
    if str(name) not in ("float16", "float32", "float64"):
        raise ValueError(
            f"Invalid value for argument `dtype`. Expected a float dtype "
            f"('float16', 'float32' or 'float64'). Received: dtype={dtype}"
        )
    return str(name)


class Loss:
    """Base class of losses: subclasses implement ``call(y_true, y_pred)``.

    ``call`` returns the unreduced loss (usually one value per sample); calling
    the object converts the inputs to ``dtype``, applies the mask of
    ``y_pred`` and ``sample_weight``, and the reduction (see the module
    docstring).

    Args:
        name: the loss name. Defaults to the class name in snake case.
        reduction: ``"sum_over_batch_size"`` (default), ``"sum"``, ``"mean"``,
            ``"mean_with_sample_weight"``, ``"none"`` or None.
        dtype: the dtype of the computation: ``"float32"`` (default),
            ``"float16"`` or ``"float64"``.

    Example:
        >>> class Zero(Loss):
        ...     def call(self, y_true, y_pred):
        ...         return ops.mean(ops.multiply(y_pred, 0.0), axis=-1)
        >>> loss = Zero()
        >>> float(loss([[1.0]], [[2.0]])), loss.name
        (0.0, 'zero')
    """

    def __init__(
        self,
        name: str | None = None,
        reduction: Any = "sum_over_batch_size",
        dtype: Any = None,
    ) -> None:
        self.name = name or _auto_name(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype = _standardize_dtype(dtype)

    @property
    def dtype(self) -> str:
        """The dtype of the computation (read-only)."""
        return self._dtype

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        """The unreduced loss; subclasses implement it."""
        raise NotImplementedError

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        in_mask = getattr(y_pred, "_keras_mask", None)
        y_pred = _as_dtype(y_pred, self.dtype)
        y_true = _as_dtype(y_true, self.dtype)
        values, out_mask = self._call_with_mask(y_true, y_pred)
        mask = _merge_masks(in_mask, out_mask)
        return reduce_weighted_values(
            values, sample_weight, mask, self.reduction, self.dtype
        )

    def _call_with_mask(self, y_true: Tensor, y_pred: Tensor) -> tuple[Tensor, Any]:
        values = self.call(y_true, y_pred)
        return values, getattr(values, "_keras_mask", None)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments (Keras 3's keys).

        Example:
            >>> Loss(name="l").get_config()
            {'name': 'l', 'reduction': 'sum_over_batch_size'}
        """
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Loss:
        """Rebuilds a loss from :meth:`get_config`.

        Example:
            >>> Loss.from_config({"name": "m"}).name
            'm'
        """
        return cls(**config)


def _merge_masks(first: Any, second: Any) -> Any:
    if first is None or second is None:
        return second if first is None else first
    return np.logical_and(np.asarray(first, bool), np.asarray(second, bool))


def _auto_name(class_name: str) -> str:
    """Keras's default name: the class name in snake case, then ``_1``, ``_2``..."""
    snake = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", class_name)
    snake = re.sub(r"([a-z])([A-Z])", r"\1_\2", snake).lower()
    count = next(_NAME_COUNTS[snake])
    return snake if count == 0 else f"{snake}_{count}"


class LossFunctionWrapper(Loss):
    """A loss object around a function ``fn(y_true, y_pred, **kwargs)``.

    ``call`` first brings ``y_true`` and ``y_pred`` to the same rank (a
    trailing axis of size 1 squeezed or added, as Keras does).

    Args:
        fn: the loss function.
        reduction, name, dtype: as `Loss` (``name`` defaults to the function's).
        **kwargs: passed to ``fn`` on every call.

    Example:
        >>> from pipeline.nn.ops import mean_absolute_error
        >>> float(LossFunctionWrapper(mean_absolute_error)([[1.0]], [[3.0]]))
        2.0
    """

    def __init__(
        self,
        fn: Any,
        reduction: Any = "sum_over_batch_size",
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name or getattr(fn, "__name__", None), reduction, dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict[str, Any]:
        """`Loss.get_config` plus the function's name and keyword arguments.

        Example:
            >>> from pipeline.nn.ops import huber
            >>> LossFunctionWrapper(huber, delta=2.0).get_config()["delta"]
            2.0
        """
        return {
            **super().get_config(),
            "fn": getattr(self.fn, "__name__", None),
            **self._fn_kwargs,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Loss:
        """Rebuilds the wrapper; ``fn`` must name a built-in loss function.

        Example:
            >>> LossFunctionWrapper.from_config({"fn": "poisson"}).fn.__name__
            'poisson'
        """
        config = dict(config)
        if cls is LossFunctionWrapper:
            name = config.pop("fn", None)
            if name not in FUNCTIONS:
                raise ValueError(
                    f"Could not interpret loss function identifier: fn={name!r}"
                )
            return cls(FUNCTIONS[name], **config)
        config.pop("fn", None)
        return cls(**config)

    def __repr__(self) -> str:
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"
