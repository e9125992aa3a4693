"""``MetricVariable``: a metric accumulator with a Keras variable's surface.

Example:
    >>> v = MetricVariable(0.0, name="count")
    >>> v.assign_add(2).numpy().tolist(), v.name
    (2.0, 'count')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn import backend


def to_numpy(x: Any, dtype: Any = None) -> np.ndarray:
    """A host numpy array of a tensor, backend array or array-like.

    Example:
        >>> to_numpy([1, 2], np.float32).dtype
        dtype('float32')
    """
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        x = x.numpy()
    elif backend.get().is_array(x):
        x = backend.to_numpy(x)
    return np.asarray(x, dtype=dtype)


class MetricVariable(np.ndarray):
    """A metric's accumulator: a numpy array with a Keras variable's surface.

    It has ``name``, ``assign``/``assign_add``/``assign_sub`` (in place),
    ``numpy()`` and ``value``; arithmetic on it gives plain numpy arrays.

    Example:
        >>> v = MetricVariable(np.zeros(2), name="total")
        >>> v.assign_add([1.0, 2.0]).numpy().tolist(), v.name
        ([1.0, 2.0], 'total')
        >>> type(v + 1).__name__
        'ndarray'
    """

    def __new__(cls, value: Any, name: str | None = None, dtype: Any = None):
        obj = np.array(value, dtype=dtype).view(cls)
        obj.name = name or "variable"
        return obj

    def __array_finalize__(self, obj: Any) -> None:
        self.name = getattr(obj, "name", "variable")

    def __array_wrap__(self, out, context=None, return_scalar=False):
        if out is self:
            return self
        out = out.view(np.ndarray)
        return out[()] if return_scalar else out

    def __reduce__(self):
        rebuild, args, state = super().__reduce__()
        return rebuild, args, (state, self.name)

    def __setstate__(self, state: Any) -> None:
        array_state, self.name = state
        super().__setstate__(array_state)

    @property
    def value(self) -> np.ndarray:
        """The current value, as a plain numpy array (a view)."""
        return self.view(np.ndarray)

    def numpy(self) -> np.ndarray:
        """A plain numpy copy of the value.

        Example:
            >>> MetricVariable(3.0, "n").numpy().tolist()
            3.0
        """
        return np.array(self.view(np.ndarray))

    def assign(self, value: Any) -> MetricVariable:
        """Set the value in place (broadcast, cast to this dtype).

        Example:
            >>> MetricVariable(np.zeros(2), "v").assign(5).tolist()
            [5.0, 5.0]
        """
        self[...] = to_numpy(value)
        return self

    def assign_add(self, delta: Any) -> MetricVariable:
        """Add ``delta`` in place.

        Example:
            >>> MetricVariable(1.0, "v").assign_add(2).numpy().tolist()
            3.0
        """
        self[...] = self.view(np.ndarray) + to_numpy(delta)
        return self

    def assign_sub(self, delta: Any) -> MetricVariable:
        """Subtract ``delta`` in place.

        Example:
            >>> MetricVariable(1.0, "v").assign_sub(2).numpy().tolist()
            -1.0
        """
        self[...] = self.view(np.ndarray) - to_numpy(delta)
        return self
