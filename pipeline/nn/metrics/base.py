"""The Keras 3 ``Metric`` base class on host numpy state.

Metrics keep numpy accumulators (`MetricVariable`: an array with Keras's
``name``, ``assign`` and ``numpy``), so they are cheap and never touch the
accelerator: inputs (tensors, numpy or cupy arrays) are copied to the host.
The training loop calls ``update_state(y_true, y_pred, sample_weight=None)``
per batch, reads ``result()`` for the logs and calls ``reset_state()`` per
epoch. The reduction metrics (``Sum``, ``Mean``, ``MeanMetricWrapper``) live in
``reduction``.

Example:
    >>> class Count(Metric):
    ...     def __init__(self, name="count"):
    ...         super().__init__(name=name)
    ...         self.n = self.add_variable(shape=(), initializer="zeros", name="n")
    ...     def update_state(self, y_true, y_pred, sample_weight=None):
    ...         self.n.assign(self.n + len(y_true))
    ...     def result(self):
    ...         return self.n.numpy()
    >>> c = Count(); c.update_state([1, 2], [1, 2]); float(c.result())
    2.0
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from pipeline.nn.metrics.variable import MetricVariable, to_numpy


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


def _initial_value(initializer: Any, shape: tuple, dtype: str) -> np.ndarray:
    if initializer is None or (isinstance(initializer, str) and initializer == "zeros"):
        return np.zeros(shape, dtype)
    if isinstance(initializer, str) and initializer == "ones":
        return np.ones(shape, dtype)
    if isinstance(initializer, str):
        raise ValueError(
            f"Unknown metric variable initializer: {initializer!r}. "
            'Expected "zeros", "ones", a number, an array or an initializer.'
        )
    if isinstance(initializer, int | float):
        return np.full(shape, initializer, dtype)
    if callable(initializer):
        return np.broadcast_to(to_numpy(initializer(shape, dtype=dtype)), shape)
    return np.broadcast_to(to_numpy(initializer), shape)


def _is_variable(obj: Any) -> bool:
    return isinstance(obj, MetricVariable) or (
        hasattr(obj, "assign") and hasattr(obj, "numpy") and hasattr(obj, "shape")
    )


class Metric:
    """Base class of stateful metrics.

    Subclasses create their accumulators in ``__init__`` with ``add_variable``
    and define ``update_state`` and ``result``. ``variables`` lists the
    accumulators, then variables and sub-metrics held in attributes (also in
    lists and dicts); ``reset_state`` zeroes them all.

    Args:
        name: the key of this metric in logs. Default: the snake-cased class name.
        dtype: the accumulators' dtype. Default "float32".

    Example:
        >>> class Total(Metric):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.total = self.add_variable((), "zeros", name="total")
        ...     def update_state(self, values):
        ...         self.total.assign_add(np.sum(values))
        ...     def result(self):
        ...         return self.total.numpy()
        >>> t = Total(); t.update_state([1.0, 2.0])
        >>> t.name, [v.name for v in t.variables], float(t.result())
        ('total', ['total'], 3.0)
    """

    def __init__(self, dtype: Any = None, name: str | None = None) -> None:
        self.name = name or snake_case(type(self).__name__)
        self._dtype = np.dtype(getattr(dtype, "name", dtype) or "float32").name
        self._state: list[MetricVariable] = []

    @property
    def dtype(self) -> str:
        """The accumulators' dtype name (read-only, as in Keras)."""
        return self._dtype

    def add_variable(
        self,
        shape: Any,
        initializer: Any = "zeros",
        dtype: Any = None,
        aggregation: str = "sum",
        name: str | None = None,
    ) -> MetricVariable:
        """A new accumulator, listed in ``variables``.

        Args:
            shape: its shape.
            initializer: "zeros", "ones", a number, an array, or an
                initializer called as ``initializer(shape, dtype=dtype)``.
            dtype: Default "float32" (Keras's floatx), not the metric's dtype.
            aggregation: accepted for Keras compatibility.
            name: the variable's name.

        Example:
            >>> Metric(name="m").add_variable((2,), name="tp").tolist()
            [0.0, 0.0]
        """
        del aggregation
        shape = tuple(np.atleast_1d(shape).tolist()) if np.ndim(shape) else ()
        dtype = np.dtype(getattr(dtype, "name", dtype) or "float32").name
        variable = MetricVariable(
            _initial_value(initializer, shape, dtype), name, dtype
        )
        self._state.append(variable)
        return variable

    def add_weight(
        self,
        shape: Any = (),
        initializer: Any = None,
        dtype: Any = None,
        name: str | None = None,
    ) -> MetricVariable:
        """Keras's alias of `add_variable`.

        Example:
            >>> Metric().add_weight(name="w").name
            'w'
        """
        return self.add_variable(shape, initializer, dtype=dtype, name=name)

    @property
    def variables(self) -> list[Any]:
        """The accumulators, then tracked attribute variables and sub-metrics.

        Example:
            >>> [v.name for v in Metric().variables]
            []
        """
        found: dict[int, Any] = {id(v): v for v in self._state}

        def visit(obj: Any) -> None:
            if isinstance(obj, Metric):
                for v in obj.variables:
                    found.setdefault(id(v), v)
            elif _is_variable(obj):
                found.setdefault(id(obj), obj)
            elif isinstance(obj, list | tuple):
                for item in obj:
                    visit(item)
            elif isinstance(obj, dict):
                for item in obj.values():
                    visit(item)

        for key, value in self.__dict__.items():
            if key != "_state":
                visit(value)
        return list(found.values())

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        """Accumulate statistics from one batch; subclasses override."""
        raise NotImplementedError(f"{type(self).__name__} must define update_state.")

    def result(self) -> Any:
        """The metric's value from the accumulated statistics; subclasses override."""
        raise NotImplementedError(f"{type(self).__name__} must define result.")

    def reset_state(self) -> None:
        """Set every variable to zeros (Keras's default reset).

        Example:
            >>> m = Metric(); v = m.add_variable((), 5.0, name="v")
            >>> m.reset_state(); float(v)
            0.0
        """
        for v in self.variables:
            v.assign(np.zeros(v.shape, to_numpy(v).dtype))

    def _swap(self, values: Any) -> list[np.ndarray]:
        variables = self.variables
        if len(values) != len(variables):
            raise ValueError(
                "Argument `metric_variables` must be a list of tensors "
                f"corresponding 1:1 to {type(self).__name__}().variables. "
                f"Received list with length {len(values)}, but expected "
                f"{len(variables)} variables."
            )
        saved = [np.array(to_numpy(v)) for v in variables]
        for v, value in zip(variables, values, strict=True):
            v.assign(value)
        return saved

    def stateless_update_state(
        self, metric_variables: Any, *args: Any, **kwargs: Any
    ) -> list[np.ndarray]:
        """``update_state`` on the given values; returns the new ones.

        The metric's own variables are left as they were.

        Example:
            >>> from pipeline.nn.metrics.reduction import Sum
            >>> s = Sum(); new = s.stateless_update_state([2.0], [1.0, 3.0])
            >>> float(new[0]), float(s.result())
            (6.0, 0.0)
        """
        saved = self._swap(metric_variables)
        try:
            self.update_state(*args, **kwargs)
            return [np.array(to_numpy(v)) for v in self.variables]
        finally:
            for v, value in zip(self.variables, saved, strict=True):
                v.assign(value)

    def stateless_result(self, metric_variables: Any) -> Any:
        """``result`` computed from the given variable values.

        Example:
            >>> from pipeline.nn.metrics.reduction import Mean
            >>> float(Mean().stateless_result([6.0, 3.0]))
            2.0
        """
        saved = self._swap(metric_variables)
        try:
            return self.result()
        finally:
            for v, value in zip(self.variables, saved, strict=True):
                v.assign(value)

    def stateless_reset_state(self) -> list[np.ndarray]:
        """The variables' values after a reset (zeros), without resetting.

        Example:
            >>> from pipeline.nn.metrics.reduction import Mean
            >>> [float(v) for v in Mean().stateless_reset_state()]
            [0.0, 0.0]
        """
        return [np.zeros(v.shape, to_numpy(v).dtype) for v in self.variables]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """``update_state`` then ``result``.

        Example:
            >>> from pipeline.nn.metrics.reduction import Mean
            >>> float(Mean()([2.0, 4.0]))
            3.0
        """
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict[str, Any]:
        """``{"name", "dtype"}`` plus subclass arguments.

        Example:
            >>> Metric(name="loss").get_config()
            {'name': 'loss', 'dtype': 'float32'}
        """
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Metric:
        """A new metric from ``get_config()``'s output.

        Example:
            >>> Metric.from_config({"name": "m"}).name
            'm'
        """
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"
