"""Activation functions by Keras 3 name, and :func:`get` to resolve an identifier.

Example:
    >>> from pipeline.nn import activations
    >>> activations.get("relu")([-1.0, 2.0]).numpy().tolist()
    [0.0, 2.0]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.nn import ops, saving_registry
from pipeline.nn.ops.activation_extra import (
    celu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_tanh,
    log_sigmoid,
    mish,
    relu6,
    soft_shrink,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    tanh_shrink,
    threshold,
)
from pipeline.nn.tensor import Tensor

__all__ = [
    "celu", "deserialize", "elu", "exponential", "gelu", "get", "glu",
    "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh",
    "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish", "relu",
    "relu6", "selu", "serialize", "sigmoid", "silu", "soft_shrink", "softmax",
    "softplus", "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax",
    "squareplus", "swish", "tanh", "tanh_shrink", "threshold",
]  # fmt: skip


def _axis(axis: Any) -> Any:
    return tuple(axis) if isinstance(axis, list) else axis


def relu(
    x: Any,
    negative_slope: float = 0.0,
    max_value: float | None = None,
    threshold: float = 0.0,
) -> Tensor:
    """``max(x, 0)``; with Keras 3's options, ``x`` up to ``threshold`` becomes
    ``negative_slope * (x - threshold)`` and the output is capped at ``max_value``.

    Example:
        >>> relu([-1.0]).numpy().tolist()
        [0.0]
        >>> relu([-1.0, 0.5, 9.0], negative_slope=0.5, max_value=6.0).numpy().tolist()
        [-0.5, 0.5, 6.0]
    """
    if negative_slope == 0.0 and threshold == 0.0:
        out = ops.relu(x)
    else:
        x = ops.convert_to_tensor(x)
        below = ops.multiply(ops.subtract(x, threshold), negative_slope)
        out = ops.where(x._array > threshold, x, below)  # Keras keeps x > t only
    return out if max_value is None else ops.minimum(out, max_value)


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Tensor:
    """``x if x > 0 else negative_slope * x`` (default 0.2, as Keras 3).

    Example:
        >>> leaky_relu([-1.0], 0.5).numpy().tolist()
        [-0.5]
    """
    return ops.leaky_relu(x, negative_slope)


def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """``x if x > 0 else alpha * (exp(x) - 1)``.

    Example:
        >>> elu([1.0]).numpy().tolist()
        [1.0]
    """
    return ops.elu(x, alpha)


def selu(x: Any) -> Tensor:
    """Scaled ELU (scale 1.0507..., alpha 1.6732...).

    Example:
        >>> selu([0.0]).numpy().tolist()
        [0.0]
    """
    return ops.selu(x)


def gelu(x: Any, approximate: bool = False) -> Tensor:
    """Gaussian error linear unit (exact by default, as Keras 3).

    Example:
        >>> gelu([0.0]).numpy().tolist()
        [0.0]
    """
    return ops.gelu(x, approximate=approximate)


def softplus(x: Any) -> Tensor:
    """``log(1 + exp(x))``.

    Example:
        >>> round(float(softplus([0.0])[0]), 4)
        0.6931
    """
    return ops.softplus(x)


def softsign(x: Any) -> Tensor:
    """``x / (1 + |x|)``.

    Example:
        >>> softsign([1.0]).numpy().tolist()
        [0.5]
    """
    return ops.softsign(x)


def sigmoid(x: Any) -> Tensor:
    """``1 / (1 + exp(-x))``.

    Example:
        >>> sigmoid([0.0]).numpy().tolist()
        [0.5]
    """
    return ops.sigmoid(x)


def tanh(x: Any) -> Tensor:
    """Hyperbolic tangent.

    Example:
        >>> tanh([0.0]).numpy().tolist()
        [0.0]
    """
    return ops.tanh(x)


def softmax(x: Any, axis: int | tuple[int, ...] = -1) -> Tensor:
    """Softmax along ``axis`` (an int or a tuple of axes).

    Example:
        >>> softmax([[1.0, 1.0]]).numpy().tolist()
        [[0.5, 0.5]]
    """
    return ops.softmax(x, axis=_axis(axis))


def log_softmax(x: Any, axis: int | tuple[int, ...] = -1) -> Tensor:
    """``log(softmax(x))`` along ``axis`` (an int or a tuple), computed stably.

    Example:
        >>> [round(v, 4) for v in log_softmax([[0.0, 0.0]]).numpy().ravel().tolist()]
        [-0.6931, -0.6931]
    """
    return ops.log_softmax(x, axis=_axis(axis))


def silu(x: Any) -> Tensor:
    """``x * sigmoid(x)``.

    Example:
        >>> silu([0.0]).numpy().tolist()
        [0.0]
    """
    return ops.silu(x)


def exponential(x: Any) -> Tensor:
    """``exp(x)``.

    Example:
        >>> exponential([0.0]).numpy().tolist()
        [1.0]
    """
    return ops.exp(x)


def linear(x: Any) -> Any:
    """The identity.

    Example:
        >>> linear(3.0)
        3.0
    """
    return x


swish = silu
hard_swish = hard_silu
_BY_NAME: dict[str, Callable[..., Any]] = {
    "relu": relu, "leaky_relu": leaky_relu, "elu": elu, "selu": selu,
    "gelu": gelu, "softplus": softplus, "softsign": softsign, "sigmoid": sigmoid,
    "tanh": tanh, "softmax": softmax, "silu": silu, "swish": silu,
    "exponential": exponential, "linear": linear, "log_softmax": log_softmax,
    "relu6": relu6, "celu": celu, "glu": glu, "hard_sigmoid": hard_sigmoid,
    "hard_silu": hard_silu, "hard_swish": hard_silu, "log_sigmoid": log_sigmoid,
    "sparse_sigmoid": sparse_sigmoid, "sparse_plus": sparse_plus, "mish": mish,
    "squareplus": squareplus, "soft_shrink": soft_shrink,
    "hard_shrink": hard_shrink, "hard_tanh": hard_tanh,
    "tanh_shrink": tanh_shrink, "threshold": threshold, "sparsemax": sparsemax,
}  # fmt: skip
_ALIASES = ("swish", "hard_swish")


def get(identifier: Any) -> Callable[..., Any]:
    """The activation function for a name, a callable, or None (linear).

    Names not built in are looked up in ``load_model``'s ``custom_objects`` and
    in the `saving_registry`; nothing else is searched.

    Raises:
        UnregisteredObjectError: (a ``ValueError``) for an unknown name.

    Example:
        >>> get(None) is linear, get("swish") is silu
        (True, True)
    """
    if identifier is None:
        return linear
    if callable(identifier):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    return saving_registry.resolve("activation function", identifier, _BY_NAME)


def deserialize(config: Any) -> Callable[..., Any]:
    """The activation a name or a Keras function config
    (``{"class_name": "function", "config": name}``) describes.

    Raises:
        UnregisteredObjectError: (a ``ValueError``) for an unknown name.

    Example:
        >>> deserialize("relu6") is relu6
        True
        >>> deserialize({"class_name": "function", "config": "mish"}) is mish
        True
    """
    if isinstance(config, dict):
        name = config.get("config")
        if not isinstance(name, str):
            name = config.get("registered_name") or config.get("class_name")
        config = name
    return saving_registry.resolve("activation function", config, _BY_NAME)


def serialize(activation: Callable[..., Any]) -> str:
    """The name of an activation function (for configs).

    Example:
        >>> serialize(relu), serialize(get(None))
        ('relu', 'linear')
    """
    for name, fn in _BY_NAME.items():
        if fn is activation and name not in _ALIASES:
            return name
    registered = saving_registry.get_registered_name(activation)
    if registered is not None:
        return registered
    return getattr(activation, "__name__", "linear")
