"""Weight constraints (Keras 3): projections applied to a weight after each update.

A constraint is called on a weight and returns the projected weight as a
``Tensor``. Layers take them as ``kernel_constraint=``/``bias_constraint=``/
``embeddings_constraint=`` (resolved with `get`) and assign the projection to
the variable after the optimizer's step.

Example:
    >>> import numpy as np
    >>> NonNeg()(np.array([-1.0, 2.0])).numpy().tolist()
    [0.0, 2.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn import ops, saving_registry
from pipeline.nn.tensor import Tensor

# Keras's ``backend.epsilon()``: keeps a zero column at zero instead of NaN.
_EPSILON = 1e-7


def _as_float(w: Any) -> Tensor:
    t = ops.convert_to_tensor(w)
    if np.dtype(t.dtype).kind != "f":
        t = ops.cast(t, "float32")
    return t


def _norms(w: Tensor, axis: Any) -> Tensor:
    axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    return ops.sqrt(ops.sum(ops.square(w), axis=axis, keepdims=True))


class Constraint:
    """Base class: subclasses override ``__call__(w)`` (and ``get_config``).

    The base constraint returns its input unchanged.

    Example:
        >>> Constraint()([1.0, 2.0])
        [1.0, 2.0]
    """

    def __call__(self, w: Any) -> Any:
        return w

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments.

        Example:
            >>> MaxNorm(3.0, axis=1).get_config()
            {'max_value': 3.0, 'axis': 1}
        """
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Constraint:
        """A constraint from ``get_config()``'s output.

        Example:
            >>> UnitNorm.from_config({"axis": 1}).axis
            1
        """
        return cls(**config)


class MaxNorm(Constraint):
    """Rescales each slice along ``axis`` so that its L2 norm is at most ``max_value``.

    Args:
        max_value: the largest norm allowed. Default 2.
        axis: the axis (or axes) the norms are taken over. Default 0 (the
            incoming weights of each unit of a ``Dense`` kernel).

    Example:
        >>> import numpy as np
        >>> MaxNorm(1.0)(np.array([[3.0], [4.0]])).numpy().round(4).tolist()
        [[0.6], [0.8]]
    """

    def __init__(self, max_value: float = 2, axis: int | list[int] = 0) -> None:
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w: Any) -> Tensor:
        w = _as_float(w)
        norms = _norms(w, self.axis)
        desired = ops.clip(norms, 0, self.max_value)
        return ops.multiply(w, ops.divide(desired, ops.add(norms, _EPSILON)))

    def get_config(self) -> dict[str, Any]:
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to zero.

    Example:
        >>> NonNeg()([-0.5, 0.0, 1.5]).numpy().tolist()
        [0.0, 0.0, 1.5]
    """

    def __call__(self, w: Any) -> Tensor:
        w = _as_float(w)
        return ops.maximum(w, ops.zeros_like(w))


class UnitNorm(Constraint):
    """Divides each slice along ``axis`` by its L2 norm.

    Args:
        axis: the axis (or axes) the norms are taken over. Default 0.

    Example:
        >>> import numpy as np
        >>> UnitNorm()(np.array([[3.0], [4.0]])).numpy().round(4).tolist()
        [[0.6], [0.8]]
    """

    def __init__(self, axis: int | list[int] = 0) -> None:
        self.axis = axis

    def __call__(self, w: Any) -> Tensor:
        w = _as_float(w)
        return ops.divide(w, ops.add(_norms(w, self.axis), _EPSILON))

    def get_config(self) -> dict[str, Any]:
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves each slice's L2 norm into ``[min_value, max_value]``.

    The new norm is ``rate * clip(norm, min_value, max_value) + (1 - rate) * norm``:
    ``rate=1.0`` enforces the bounds at once, a smaller rate moves toward them.

    Args:
        min_value: the smallest norm. Default 0.0.
        max_value: the largest norm. Default 1.0.
        rate: how far to move toward the bounds per call. Default 1.0.
        axis: the axis (or axes) the norms are taken over. Default 0.

    Example:
        >>> import numpy as np
        >>> MinMaxNorm(1.0, 2.0)(np.array([[0.3], [0.4]])).numpy().round(4).tolist()
        [[0.6], [0.8]]
    """

    def __init__(
        self,
        min_value: float = 0.0,
        max_value: float = 1.0,
        rate: float = 1.0,
        axis: int | list[int] = 0,
    ) -> None:
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w: Any) -> Tensor:
        w = _as_float(w)
        norms = _norms(w, self.axis)
        clipped = ops.clip(norms, self.min_value, self.max_value)
        desired = ops.add(
            ops.multiply(self.rate, clipped), ops.multiply(1 - self.rate, norms)
        )
        return ops.multiply(w, ops.divide(desired, ops.add(norms, _EPSILON)))

    def get_config(self) -> dict[str, Any]:
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


max_norm = MaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
min_max_norm = MinMaxNorm

_BY_NAME: dict[str, type[Constraint]] = {
    "Constraint": Constraint,
    "constraint": Constraint,
    "MaxNorm": MaxNorm,
    "max_norm": MaxNorm,
    "NonNeg": NonNeg,
    "non_neg": NonNeg,
    "UnitNorm": UnitNorm,
    "unit_norm": UnitNorm,
    "MinMaxNorm": MinMaxNorm,
    "min_max_norm": MinMaxNorm,
}


def serialize(constraint: Constraint) -> dict[str, Any]:
    """``{"module", "class_name", "config", "registered_name"}`` as Keras writes it.

    Example:
        >>> serialize(MaxNorm(3.0))["config"]
        {'max_value': 3.0, 'axis': 0}
    """
    return {
        "module": "keras.constraints",
        "class_name": type(constraint).__name__,
        "config": constraint.get_config(),
        "registered_name": saving_registry.get_registered_name(type(constraint)),
    }


def deserialize(config: dict[str, Any]) -> Constraint:
    """The constraint ``serialize`` described (class names from the registry).

    Raises:
        UnregisteredObjectError: (a ``ValueError``) for an unknown class name.

    Example:
        >>> deserialize(serialize(MinMaxNorm(0.5, 2.0))).max_value
        2.0
    """
    name = config.get("class_name") if isinstance(config, dict) else None
    registered = config.get("registered_name") if isinstance(config, dict) else None
    if registered and name not in _BY_NAME:
        config = {**config, "class_name": registered}
    return saving_registry.build("constraint", config, _BY_NAME)


def get(identifier: Any) -> Any:
    """A constraint from None, a name (``"max_norm"``, ``"NonNeg"``), a config
    dict, a class (instantiated) or a callable (returned as is).

    Raises:
        ValueError: for anything else (an unknown name included).

    Example:
        >>> type(get("unit_norm")).__name__, get(None)
        ('UnitNorm', None)
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        found = saving_registry.resolve("constraint", identifier, _BY_NAME)
    else:
        found = identifier
    if isinstance(found, type):
        return found()
    if callable(found):
        return found
    raise ValueError(f"Could not interpret constraint identifier: {identifier!r}")
