"""Keras 3 layers for ``pipeline.nn``.

Example:
    >>> from pipeline.nn import layers
    >>> layers.Dense(2)(layers.Input((3,))).shape
    (None, 2)
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from pipeline.nn.layers._symbolic import KerasTensor
from pipeline.nn.layers.activation_layers import ELU, LeakyReLU, PReLU, ReLU, Softmax
from pipeline.nn.layers.base import Layer
from pipeline.nn.layers.core import Activation, Dense, Dropout, Embedding, Flatten
from pipeline.nn.layers.input_layer import Input, InputLayer
from pipeline.nn.layers.merging import Add, Concatenate, Multiply
from pipeline.nn.layers.normalization import BatchNormalization

_REGISTRY: dict[str, type] = {}


def register(cls: type) -> type:
    """Registers a layer class for ``deserialize`` (usable as a decorator).

    Example:
        >>> register(Dense) is Dense
        True
    """
    _REGISTRY[cls.__name__] = cls
    return cls


for _cls in (Activation, Add, BatchNormalization, Concatenate, Dense, Dropout, ELU,
             Embedding, Flatten, InputLayer, Layer, LeakyReLU, Multiply, PReLU,
             ReLU, Softmax):  # fmt: skip
    register(_cls)


def serialize(layer: Layer) -> dict[str, Any]:
    """``{"class_name", "config"}`` of a layer.

    Example:
        >>> serialize(Dense(2, name="d"))["class_name"]
        'Dense'
    """
    return {
        "class_name": type(layer).__name__,
        "module": type(layer).__module__,
        "config": layer.get_config(),
    }


def deserialize(config: dict[str, Any], custom_objects: Any = None) -> Layer:
    """A layer from :func:`serialize`'s output.

    Raises:
        ValueError: for an unknown class name.

    Example:
        >>> deserialize(serialize(Dense(2, name="e"))).units
        2
    """
    lookup = {**_REGISTRY, **(custom_objects or {})}
    cls = lookup.get(config["class_name"])
    module = config.get("module", "")
    if cls is None and module.startswith("pipeline."):
        # A layer defined elsewhere in the package (DenseFeatures, say) registers
        # itself on import: load its module by name, so a saved model reloads
        # without the code that built it having been imported.
        importlib.import_module(module)
        cls = _REGISTRY.get(config["class_name"])
    if cls is None:
        raise ValueError(
            f"Unknown layer: {config['class_name']!r}. Register it with "
            "`pl.nn.layers.register` or pass it in `custom_objects`."
        )
    if "custom_objects" in inspect.signature(cls.from_config).parameters:
        return cls.from_config(config["config"], custom_objects=custom_objects)
    return cls.from_config(config["config"])


__all__ = [
    "Activation",
    "Add",
    "BatchNormalization",
    "Concatenate",
    "Dense",
    "Dropout",
    "ELU",
    "Embedding",
    "Flatten",
    "Input",
    "InputLayer",
    "KerasTensor",
    "Layer",
    "LeakyReLU",
    "Multiply",
    "PReLU",
    "ReLU",
    "Softmax",
    "deserialize",
    "register",
    "serialize",
]
