"""What TensorBoard reads from a model: weight arrays and ReLU outputs.

Example:
    >>> list(weight_arrays(object()))
    []
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np


def _to_numpy(x: Any) -> np.ndarray:
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def all_layers(model: Any) -> Iterator[Any]:
    """Every layer of ``model``, depth first, nested models included.

    Example:
        >>> list(all_layers(object()))
        []
    """
    for layer in getattr(model, "layers", None) or []:
        yield layer
        if getattr(layer, "layers", None):
            yield from all_layers(layer)


def weight_arrays(model: Any) -> Iterator[tuple[str, np.ndarray]]:
    """``(tag, array)`` for each weight, tagged ``<layer>/<weight>`` as Keras.

    Example:
        >>> list(weight_arrays(None))
        []
    """
    for layer in all_layers(model):
        if getattr(layer, "layers", None):
            continue  # a nested model: its own layers are listed
        for weight in getattr(layer, "weights", None) or []:
            name = str(getattr(weight, "path", None) or getattr(weight, "name", "w"))
            if "/" not in name:
                name = f"{layer.name}/{name}"
            yield name.replace(":", "_"), _to_numpy(weight)


def is_relu_layer(layer: Any) -> bool:
    """Whether ``layer`` outputs a ReLU: a ``ReLU`` layer (plain max(x, 0)), or a
    layer whose ``activation`` is relu.

    Example:
        >>> is_relu_layer(object())
        False
    """
    if type(layer).__name__ == "ReLU":
        return (
            getattr(layer, "max_value", None) is None
            and not getattr(layer, "negative_slope", 0)
            and not getattr(layer, "threshold", 0)
        )
    activation = getattr(layer, "activation", None)
    return getattr(activation, "__name__", None) == "relu"


def relu_outputs(model: Any, sample: Any) -> list[tuple[str, np.ndarray]]:
    """Run ``model`` on ``sample`` (inference mode) and return the output of
    each ReLU layer, by layer name.

    The outputs are captured by wrapping each ReLU layer's ``call`` for the
    duration of one forward pass, so any model whose layers are invoked
    through ``Layer.__call__`` works (Sequential, functional, nested).

    Example:
        >>> relu_outputs(None, None)
        []
    """
    layers = [layer for layer in all_layers(model) if is_relu_layer(layer)]
    if not layers:
        return []
    captured: dict[int, np.ndarray] = {}

    def spy(layer: Any) -> Any:
        original = layer.call

        def call(*args: Any, **kwargs: Any) -> Any:
            out = original(*args, **kwargs)
            captured[id(layer)] = _to_numpy(out)
            return out

        return call

    for layer in layers:
        layer.call = spy(layer)
    try:
        model(sample, training=False)
    finally:
        for layer in layers:
            del layer.call
    return [
        (layer.name, captured[id(layer)]) for layer in layers if id(layer) in captured
    ]
