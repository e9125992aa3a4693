"""Helpers the layers share for weights: constraints, configs, input checks.

Example:
    >>> serialize_regularizer(None) is None
    True
"""

from __future__ import annotations

from typing import Any

from pipeline.errors import PipelineError
from pipeline.nn import constraints


def serialize_regularizer(reg: Any) -> Any:
    """``{"class_name", "config"}`` of a regularizer (None stays None).

    Example:
        >>> serialize_regularizer(None) is None
        True
    """
    if reg is None:
        return None
    get_config = getattr(reg, "get_config", None)
    config = get_config() if get_config else {}
    return {"class_name": type(reg).__name__, "config": config}


def serialize_constraint(constraint: Any) -> Any:
    """A constraint's config as Keras writes it (None stays None).

    Example:
        >>> serialize_constraint(None) is None
        True
    """
    return None if constraint is None else constraints.serialize(constraint)


def constrain(variable: Any, constraint: Any) -> Any:
    """Attaches ``constraint`` to ``variable`` (Keras's ``variable.constraint``).

    Example:
        >>> from pipeline.nn.tensor import Variable
        >>> constrain(Variable([1.0]), None).constraint is None
        True
    """
    variable.constraint = constraint
    return variable


def check_input_axis(layer: Any, inputs: Any, axis: int, expected: int) -> None:
    """Keras's input-spec check: ``inputs.shape[axis]`` must equal ``expected``.

    Raises:
        ValueError: naming the layer, the axis and both shapes.

    Example:
        >>> import numpy as np
        >>> check_input_axis("d", np.ones((1, 2)), -1, 2)
    """
    shape = tuple(getattr(inputs, "shape", ()))
    if not shape or shape[axis] in (None, expected):
        return
    name = getattr(layer, "name", layer)
    raise ValueError(
        f'Input 0 of layer "{name}" is incompatible with the layer: '
        f"expected axis {axis} of input shape to have value {expected}, "
        f"but received input with shape {shape}"
    )


class LayerConfigError(TypeError, ValueError):
    """A layer's constructor refused a config in ``from_config``.

    A ``TypeError`` as Keras raises, and a ``ValueError`` as the argument
    check inside it was.

    Example:
        >>> [issubclass(LayerConfigError, c) for c in (TypeError, ValueError)]
        [True, True]
    """


def refused_config(cls: type, config: Any, error: Exception) -> Exception:
    """The error ``from_config`` raises when ``cls(**config)`` raised ``error``.

    Our own errors (``pipeline.errors``) pass through unchanged.

    Example:
        >>> type(refused_config(int, {}, ValueError("bad"))).__name__
        'LayerConfigError'
    """
    if isinstance(error, PipelineError | LayerConfigError):
        return error
    return LayerConfigError(
        f"Error when deserializing class '{cls.__name__}' using config={config}.\n\n"
        f"Exception encountered: {error}"
    )


_UNSUPPORTED = ("lora_rank", "lora_alpha", "quantization_config")


def refuse_unsupported(layer: Any, kwargs: dict[str, Any]) -> None:
    """Drops Keras's LoRA/quantization arguments from ``kwargs`` when None (as
    Keras's configs write them); refuses them otherwise.

    Raises:
        ValueError: for a LoRA rank or a quantization config that is set.

    Example:
        >>> kwargs = {"lora_rank": None, "name": "d"}
        >>> refuse_unsupported("Dense", kwargs); kwargs
        {'name': 'd'}
    """
    for key in _UNSUPPORTED:
        value = kwargs.pop(key, None)
        if value is not None:
            raise ValueError(
                f"`{key}` is not supported by pipeline.nn (no LoRA or quantization). "
                f"Received: {key}={value!r} for {type(layer).__name__}"
            )
