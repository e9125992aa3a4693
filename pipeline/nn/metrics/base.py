"""The Keras 3 ``Metric`` API on host numpy state: ``Metric``, ``Mean``,
``MeanMetricWrapper``.

Metrics keep float32 numpy accumulators, so they are cheap and never touch the
accelerator: inputs (tensors, numpy or cupy arrays) are copied to the host. The
training loop calls ``update_state(y_true, y_pred, sample_weight=None)`` per
batch, reads ``result()`` for the logs and calls ``reset_state()`` per epoch.

Example:
    >>> m = Mean()
    >>> m.update_state([1.0, 2.0, 3.0]); float(m.result())
    2.0
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from pipeline.nn import backend


def to_numpy(x: Any, dtype: Any = None) -> np.ndarray:
    """A host numpy array of a tensor, backend array or array-like.

    Example:
        >>> to_numpy([1, 2], np.float32).dtype
        dtype('float32')
    """
    if hasattr(x, "numpy"):
        x = x.numpy()
    elif backend.get().is_array(x):
        x = backend.to_numpy(x)
    return np.asarray(x, dtype=dtype)


def snake_case(name: str) -> str:
    """Keras's snake-casing of a class name.

    Example:
        >>> snake_case("RootMeanSquaredError"), snake_case("AUC")
        ('root_mean_squared_error', 'auc')
    """
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def same_rank(x1: np.ndarray, x2: np.ndarray, expand_rank_1: bool = True):
    """Squeeze or expand a trailing axis of size 1 when ranks differ by one.

    Example:
        >>> [a.shape for a in same_rank(np.zeros((4, 1)), np.zeros(4))]
        [(4, 1), (4, 1)]
    """
    if x1.ndim == x2.ndim + 1 and x1.shape[-1] == 1:
        if x2.ndim == 1 and expand_rank_1:
            x2 = x2[..., None]
        else:
            x1 = x1[..., 0]
    elif x2.ndim == x1.ndim + 1 and x2.shape[-1] == 1:
        if x1.ndim == 1 and expand_rank_1:
            x1 = x1[..., None]
        else:
            x2 = x2[..., 0]
    return x1, x2


def divide_no_nan(a: Any, b: Any) -> Any:
    """``a / b``, and 0 where ``b`` is 0.

    Example:
        >>> float(divide_no_nan(np.float32(1), np.float32(0)))
        0.0
    """
    a = np.asarray(a)
    b = np.asarray(b)
    safe = np.where(b == 0, np.ones_like(b), b)
    return np.where(b == 0, np.zeros_like(a / safe), a / safe)


class Metric:
    """Base class of stateful metrics.

    Subclasses create their accumulators in ``__init__`` with ``add_variable``
    and define ``update_state`` and ``result``; ``reset_state`` zeroes (or
    re-initializes) every accumulator.

    Args:
        name: the key of this metric in logs. Default: the snake-cased class name.
        dtype: the accumulators' dtype. Default "float32".

    Example:
        >>> class Count(Metric):
        ...     def __init__(self, name="count"):
        ...         super().__init__(name=name)
        ...         self.n = self.add_variable((), "n")
        ...     def update_state(self, y_true, y_pred, sample_weight=None):
        ...         self.n += len(y_true)
        ...     def result(self):
        ...         return self.n[()]
        >>> c = Count(); c.update_state([1, 2], [1, 2]); float(c.result())
        2.0
    """

    def __init__(self, name: str | None = None, dtype: Any = None) -> None:
        self.name = name or snake_case(type(self).__name__)
        self.dtype = np.dtype(dtype or "float32").name
        self._state: list[tuple[str, np.ndarray, float]] = []

    def add_variable(
        self, shape: Any, name: str, initializer: float = 0.0, dtype: Any = None
    ) -> np.ndarray:
        """A new accumulator array, reset to ``initializer`` by ``reset_state``.

        Example:
            >>> Metric(name="m").add_variable((2,), "tp").tolist()
            [0.0, 0.0]
        """
        array = np.full(shape, initializer, dtype=dtype or self.dtype)
        self._state.append((name, array, initializer))
        return array

    @property
    def variables(self) -> list[np.ndarray]:
        """The accumulator arrays, in creation order.

        Example:
            >>> len(Mean().variables)
            2
        """
        return [array for _, array, _ in self._state]

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        """Accumulate statistics from one batch; subclasses override."""
        raise NotImplementedError(f"{type(self).__name__} must define update_state.")

    def result(self) -> Any:
        """The metric's value from the accumulated statistics; subclasses override."""
        raise NotImplementedError(f"{type(self).__name__} must define result.")

    def reset_state(self) -> None:
        """Reset every accumulator to its initial value.

        Example:
            >>> m = Mean(); m.update_state([4.0]); m.reset_state()
            >>> float(m.result())
            0.0
        """
        for _, array, initializer in self._state:
            array[...] = initializer

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """``update_state`` then ``result``.

        Example:
            >>> float(Mean()([2.0, 4.0]))
            3.0
        """
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict[str, Any]:
        """``{"name", "dtype"}`` plus subclass arguments.

        Example:
            >>> Mean(name="loss").get_config()
            {'name': 'loss', 'dtype': 'float32'}
        """
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Metric:
        """A new metric from ``get_config()``'s output.

        Example:
            >>> Mean.from_config({"name": "m"}).name
            'm'
        """
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


def samplewise(values: np.ndarray, sample_weight: Any, dtype: Any):
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
            values = values.mean(axis=tuple(range(weight.ndim, values.ndim)))
        weight = np.broadcast_to(weight, values.shape)
        values = values * weight
        if weight.ndim > 1:
            weight = weight.mean(axis=tuple(range(1, weight.ndim)))
        sample_weight = weight
    if values.ndim > 1:
        values = values.mean(axis=tuple(range(1, values.ndim)))
    return values, sample_weight


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
        self.total = self.add_variable((), "total")
        self.count = self.add_variable((), "count")

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

    def result(self) -> np.float32:
        """``total / count`` (0 before any update).

        Example:
            >>> float(Mean().result())
            0.0
        """
        return divide_no_nan(self.total, self.count)[()]


class MeanMetricWrapper(Mean):
    """The mean of a per-sample function ``fn(y_true, y_pred, **kwargs)``.

    This is how plain functions given to ``compile(metrics=[...])`` (as the seed
    course's ``def rmse(y_true, y_pred)``) become metrics.

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
        values = self._fn(to_numpy(y_true), to_numpy(y_pred), **self._fn_kwargs)
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self) -> dict[str, Any]:
        """``{"name", "dtype", "fn"}`` (the function's name) and its kwargs.

        Example:
            >>> MeanMetricWrapper(len, name="n").get_config()["fn"]
            'len'
        """
        fn_name = getattr(self._fn, "__name__", repr(self._fn))
        return {**super().get_config(), "fn": fn_name, **self._fn_kwargs}
