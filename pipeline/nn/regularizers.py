"""Weight regularizers (Keras 3): penalties added to the training loss.

A regularizer is called on a weight and returns a scalar ``Tensor`` built with
``pipeline.nn.ops``, so a ``GradientTape`` differentiates it. Layers take them as
``kernel_regularizer=``/``bias_regularizer=``/``activity_regularizer=`` and add
their values to ``model.losses``.

Example:
    >>> import numpy as np
    >>> float(L2(0.5)(np.array([1.0, 2.0], np.float32)))
    2.5
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from pipeline.nn import ops, saving_registry
from pipeline.nn.tensor import Tensor

# Keras's ``backend.epsilon()``.
_EPSILON = 1e-7


def _check(value: Any, name: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (float, int, np.floating, np.integer))
        or math.isinf(value)
        or math.isnan(value)
        or value < 0
    ):
        raise ValueError(
            f"Invalid value for argument {name}: expected a non-negative float."
            f"Received: {name}={value}"
        )
    return float(value)


def _dtype_of(x: Any) -> Any:
    dtype = getattr(x, "dtype", None)
    return dtype if dtype is not None and np.dtype(dtype).kind == "f" else np.float32


class Regularizer:
    """Base class: subclasses define ``__call__(x)`` and ``get_config()``.

    Example:
        >>> float(Regularizer()([1.0, 2.0]))
        0.0
    """

    def __call__(self, x: Any) -> Tensor:
        return ops.constant(0.0, dtype=_dtype_of(x))

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments.

        Example:
            >>> L1L2(l2=0.1).get_config()
            {'l1': 0.0, 'l2': 0.1}
        """
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Regularizer:
        """A regularizer from ``get_config()``'s output.

        Example:
            >>> L1.from_config({"l1": 0.3}).l1
            0.3
        """
        return cls(**config)


class L1L2(Regularizer):
    """``l1·Σ|x| + l2·Σx²``.

    Args:
        l1: Default 0.0.
        l2: Default 0.0.

    Example:
        >>> float(L1L2(l1=1.0, l2=1.0)([-1.0, 2.0]))
        8.0
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1 = _check(0.0 if l1 is None else l1, "l1")
        self.l2 = _check(0.0 if l2 is None else l2, "l2")

    def __call__(self, x: Any) -> Tensor:
        total = ops.constant(0.0, dtype=_dtype_of(x))
        if self.l1:
            total = ops.add(total, ops.multiply(self.l1, ops.sum(ops.abs(x))))
        if self.l2:
            total = ops.add(total, ops.multiply(self.l2, ops.sum(ops.square(x))))
        return total

    def get_config(self) -> dict[str, Any]:
        return {"l1": float(self.l1), "l2": float(self.l2)}


class L1(Regularizer):
    """``l1·Σ|x|``.

    Args:
        l1: Default 0.01.

    Example:
        >>> round(float(L1()([-1.0, 3.0])), 6)
        0.04
    """

    def __init__(self, l1: float = 0.01) -> None:
        self.l1 = _check(0.01 if l1 is None else l1, "l1")

    def __call__(self, x: Any) -> Tensor:
        return ops.multiply(self.l1, ops.sum(ops.abs(x)))

    def get_config(self) -> dict[str, Any]:
        return {"l1": float(self.l1)}


class L2(Regularizer):
    """``l2·Σx²``.

    Args:
        l2: Default 0.01.

    Example:
        >>> round(float(L2()([-1.0, 3.0])), 6)
        0.1
    """

    def __init__(self, l2: float = 0.01) -> None:
        self.l2 = _check(0.01 if l2 is None else l2, "l2")

    def __call__(self, x: Any) -> Tensor:
        return ops.multiply(self.l2, ops.sum(ops.square(x)))

    def get_config(self) -> dict[str, Any]:
        return {"l2": float(self.l2)}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D weight toward mutual orthogonality.

    The penalty is ``factor * 0.5 * Σ_{i≠j} |<u_i, u_j>| / (n(n-1)/2)`` over the
    L2-normalized rows ``u`` (``mode="rows"``) or columns (``mode="columns"``).

    Args:
        factor: the penalty's scale (a non-negative float). Default 0.01.
        mode: ``"rows"`` (default) or ``"columns"``.

    Raises:
        ValueError: a bad ``factor`` or ``mode``; when called, an input that is
            not of rank 2.

    Example:
        >>> import numpy as np
        >>> float(OrthogonalRegularizer(factor=1.0)(np.eye(3, dtype="float32")))
        0.0
        >>> round(float(OrthogonalRegularizer(factor=1.0)(np.ones((2, 2), "float32"))), 4)
        1.0
    """  # noqa: E501

    def __init__(self, factor: float = 0.01, mode: str = "rows") -> None:
        self.factor = _check(factor, "factor")
        if mode not in {"rows", "columns"}:
            raise ValueError(
                "Invalid value for argument `mode`. Expected one of "
                f'{{"rows", "columns"}}. Received: mode={mode}'
            )
        self.mode = mode

    def __call__(self, x: Any) -> Tensor:
        x = ops.convert_to_tensor(x)
        shape = tuple(x.shape)
        if len(shape) != 2:
            raise ValueError(
                "Inputs to OrthogonalRegularizer must have rank 2. "
                f"Received: inputs.shape={shape}"
            )
        axis = 1 if self.mode == "rows" else 0
        squares = ops.sum(ops.square(x), axis=axis, keepdims=True)
        # x / max(norm, epsilon), Keras's ``ops.normalize``.
        unit = ops.divide(x, ops.sqrt(ops.maximum(squares, _EPSILON**2)))
        if self.mode == "rows":
            product = ops.matmul(unit, ops.transpose(unit))
        else:
            product = ops.matmul(ops.transpose(unit), unit)
        size = shape[1 - axis]
        off_diagonal = 1.0 - np.eye(size, dtype=np.dtype(x.dtype))
        total = ops.sum(ops.abs(ops.multiply(product, off_diagonal)))
        pairs = size * (size - 1.0) / 2.0
        return ops.divide(ops.multiply(self.factor * 0.5, total), pairs)

    def get_config(self) -> dict[str, Any]:
        return {"factor": float(self.factor), "mode": self.mode}


l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

_BY_NAME: dict[str, type[Regularizer]] = {
    "l1": L1,
    "L1": L1,
    "l2": L2,
    "L2": L2,
    "l1_l2": L1L2,
    "l1l2": L1L2,
    "L1L2": L1L2,
    "OrthogonalRegularizer": OrthogonalRegularizer,
    "orthogonal_regularizer": OrthogonalRegularizer,
    "Regularizer": Regularizer,
}


def serialize(regularizer: Regularizer | None) -> dict[str, Any] | None:
    """``{"class_name", "config"}`` as Keras writes it (None for None).

    Example:
        >>> serialize(L2(0.5))
        {'module': 'keras.regularizers', 'class_name': 'L2', 'config': {'l2': 0.5}, 'registered_name': None}
    """  # noqa: E501
    if regularizer is None:
        return None
    return {
        "module": "keras.regularizers",
        "class_name": type(regularizer).__name__,
        "config": regularizer.get_config(),
        "registered_name": None,
    }


def deserialize(config: dict[str, Any]) -> Regularizer:
    """The regularizer ``serialize`` described (class names from the registry).

    Raises:
        UnregisteredObjectError: (a ``ValueError``) for an unknown class name.

    Example:
        >>> deserialize(serialize(L1L2(0.1, 0.2))).get_config()
        {'l1': 0.1, 'l2': 0.2}
    """
    return saving_registry.build("regularizer", config, _BY_NAME)


def get(identifier: Any) -> Any:
    """A regularizer from None, a name ("l1", "l2", "l1_l2",
    "orthogonal_regularizer"), a config dict, a class (instantiated) or a
    callable (returned as is).

    Raises:
        ValueError: for anything else.

    Example:
        >>> get("l2").get_config(), get(None)
        ({'l2': 0.01}, None)
    """
    if identifier is None or callable(identifier) and not isinstance(identifier, type):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Regularizer):
        return identifier()
    found = saving_registry.resolve("regularizer", identifier, _BY_NAME)
    return found() if isinstance(found, type) else found
