"""Reduction metrics: ``Sum``, ``Mean`` and ``MeanMetricWrapper``.

Values of rank > 1 are first reduced to one value per sample (Keras's
``reduce_to_samplewise_values``); weights broadcast against the values.

Example:
    >>> s = Sum(); s.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> float(s.result())
    4.0
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from pipeline.nn import saving_registry
from pipeline.nn.metrics.base import (
    Metric,
    divide_no_nan,
    same_rank,
    to_numpy,
)

# Functions ``MeanMetricWrapper.from_config`` may name, filled by the package.
FUNCTIONS: dict[str, Callable[..., Any]] = {}


def samplewise(values: Any, sample_weight: Any, dtype: Any, reduce: Callable = np.mean):
    """Keras's reduction of ``values`` to one value per sample, times weights.

    Returns:
        ``(values, sample_weight)``: both 1-D (or 0-D), weights may be None.

    Example:
        >>> v, w = samplewise(np.ones((2, 3)), [1.0, 0.0], np.float32)
        >>> v.tolist(), w.tolist()
        ([1.0, 0.0], [1.0, 0.0])
    """
    values = np.asarray(values, dtype=dtype)
    if sample_weight is not None:
        weight = to_numpy(sample_weight, dtype)
        values, weight = same_rank(values, weight)
        if values.ndim > weight.ndim:
            values = reduce(values, axis=tuple(range(weight.ndim, values.ndim)))
        weight = np.broadcast_to(weight, values.shape)
        values = values * weight
        if weight.ndim > 1:
            weight = reduce(weight, axis=tuple(range(1, weight.ndim)))
        sample_weight = weight
    if values.ndim > 1:
        values = reduce(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


def masked_weight(sample_weight: Any, mask: Any, dtype: Any) -> Any:
    """``sample_weight`` times a boolean ``mask`` (the mask alone without weights).

    Example:
        >>> masked_weight([2.0, 2.0], np.array([True, False]), "float32").tolist()
        [2.0, 0.0]
    """
    if mask is None:
        return sample_weight
    mask = to_numpy(mask).astype(dtype)
    if sample_weight is None:
        return mask
    mask, weight = same_rank(mask, to_numpy(sample_weight, dtype))
    return weight * mask


class Sum(Metric):
    """The (weighted) sum of the values seen, in one variable ``total``.

    Example:
        >>> s = Sum(); s.update_state([[1, 3], [5, 7]], sample_weight=[[1, 0]])
        >>> float(s.result())
        6.0
    """

    def __init__(self, name: str = "sum", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="total"
        )

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        """Add a batch of values (and optional weights)."""
        values, _ = samplewise(to_numpy(values), sample_weight, self.dtype, np.sum)
        self.total.assign_add(np.sum(values, dtype=self.dtype))

    def result(self) -> Any:
        """The sum so far.

        Example:
            >>> float(Sum().result())
            0.0
        """
        return self.total.numpy()[()]


class Mean(Metric):
    """The (weighted) mean of the values seen: ``total / count``.

    Values of rank > 1 are first averaged to one value per sample; ``count`` adds
    the number of samples or the sum of ``sample_weight``.

    Example:
        >>> m = Mean()
        >>> m.update_state([1.0, 3.0], sample_weight=[1.0, 3.0])
        >>> float(m.result())
        2.5
    """

    def __init__(self, name: str = "mean", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="total"
        )
        self.count = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="count"
        )

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        """Add a batch of values (and optional weights).

        Example:
            >>> m = Mean(); m.update_state(np.float32(5.0)); float(m.result())
            5.0
        """
        values, weight = samplewise(to_numpy(values), sample_weight, self.dtype)
        self.total += values.sum(dtype=self.dtype)
        if weight is not None:
            self.count += np.sum(weight, dtype=self.dtype)
        else:
            self.count += values.shape[0] if values.ndim >= 1 else 1

    def result(self) -> Any:
        """``total / count`` (0 before any update).

        Example:
            >>> float(Mean().result())
            0.0
        """
        return divide_no_nan(self.total, self.count)[()]


class MeanMetricWrapper(Mean):
    """The mean of a per-sample function ``fn(y_true, y_pred, **kwargs)``.

    This is how plain functions given to ``compile(metrics=[...])`` (as the seed
    course's ``def rmse(y_true, y_pred)``) become metrics. A mask carried by
    ``y_pred`` (``_keras_mask``) zeroes the weight of masked entries.

    Args:
        fn: a function of ``(y_true, y_pred)`` returning per-sample values;
            it receives numpy arrays and may return numpy arrays or tensors.
        name: Default: ``fn.__name__``.
        dtype: Default "float32".
        **kwargs: extra keyword arguments for ``fn``.

    Example:
        >>> def abs_err(y_true, y_pred):
        ...     return np.abs(y_true - y_pred)
        >>> m = MeanMetricWrapper(abs_err)
        >>> m.update_state(np.array([1.0, 2.0]), np.array([2.0, 4.0]))
        >>> m.name, float(m.result())
        ('abs_err', 1.5)
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name or getattr(fn, "__name__", "metric"), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Evaluate ``fn`` on the batch and add its per-sample values.

        Example:
            >>> m = MeanMetricWrapper(lambda t, p: t == p, name="eq")
            >>> m.update_state(np.array([1, 2]), np.array([1, 3])); float(m.result())
            0.5
        """
        mask = getattr(y_pred, "_keras_mask", None)
        values = self._fn(to_numpy(y_true), to_numpy(y_pred), **self._fn_kwargs)
        weight = masked_weight(sample_weight, mask, self.dtype)
        super().update_state(to_numpy(values), sample_weight=weight)

    def get_config(self) -> dict[str, Any]:
        """``{"name", "dtype", "fn"}`` (the function's name) and its kwargs.

        Example:
            >>> MeanMetricWrapper(len, name="n").get_config()["fn"]
            'len'
        """
        fn_name = saving_registry.get_registered_name(self._fn) or getattr(
            self._fn, "__name__", repr(self._fn)
        )
        return {**super().get_config(), "fn": fn_name, **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> MeanMetricWrapper:
        """A wrapper from ``get_config()``: ``fn`` is looked up by name.

        The name resolves through ``custom_objects``, the registry and the
        metric functions of this package only.

        Example:
            >>> MeanMetricWrapper.from_config({"fn": "mean_squared_error"}).name
            'mean_squared_error'
        """
        config = dict(config)
        if "fn" not in config:
            return cls(**config)
        fn = config.pop("fn")
        if isinstance(fn, str):
            fn = saving_registry.resolve("metric function", fn, FUNCTIONS)
        return cls(fn, **config)


class FixedFunctionWrapper(MeanMetricWrapper):
    """A ``MeanMetricWrapper`` of the class's ``_fn_of``; config: name and dtype.

    Example:
        >>> class Err(FixedFunctionWrapper):
        ...     _fn_of = staticmethod(lambda t, p: np.abs(t - p))
        >>> m = Err(name="err"); m.update_state([1.0], [3.0]); float(m.result())
        2.0
    """

    _fn_of: Any = None

    def __init__(self, name: str | None = None, dtype: Any = None) -> None:
        fn = type(self)._fn_of
        super().__init__(fn, name=name or fn.__name__, dtype=dtype)

    def get_config(self) -> dict[str, Any]:
        """``{"name", "dtype"}``."""
        return {"name": self.name, "dtype": self.dtype}
