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

from pipeline.nn import activations, initializers, saving_registry
from pipeline.nn.layers._symbolic import KerasTensor
from pipeline.nn.layers.activation_layers import ELU, LeakyReLU, PReLU, ReLU, Softmax
from pipeline.nn.layers.base import Layer
from pipeline.nn.layers.core import (
    Activation,
    Dense,
    Dropout,
    Embedding,
    Flatten,
    Identity,
)
from pipeline.nn.layers.input_layer import Input, InputLayer
from pipeline.nn.layers.input_spec import InputSpec
from pipeline.nn.layers.lambda_layer import Lambda
from pipeline.nn.layers.layer_normalization import LayerNormalization
from pipeline.nn.layers.masking import Masking
from pipeline.nn.layers.merging import (
    Add,
    Average,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
)
from pipeline.nn.layers.merging_axes import Concatenate, Dot
from pipeline.nn.layers.merging_functions import (
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)
from pipeline.nn.layers.normalization import BatchNormalization
from pipeline.nn.layers.preprocessing import (
    CategoryEncoding,
    Discretization,
    HashedCrossing,
    Hashing,
    IndexLookup,
    IntegerLookup,
    Normalization,
    StringLookup,
)
from pipeline.nn.layers.regularization import (
    ActivityRegularization,
    AlphaDropout,
    GaussianDropout,
    GaussianNoise,
)
from pipeline.nn.layers.reshaping import Permute, RepeatVector, Reshape
from pipeline.nn.layers.spatial_dropout import (
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)

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
for _cls in (ActivityRegularization, AlphaDropout, Average, Dot, GaussianDropout,
             GaussianNoise, Identity, Lambda, LayerNormalization, Masking, Maximum,
             Minimum, Permute, RepeatVector, Reshape, SpatialDropout1D,
             SpatialDropout2D, SpatialDropout3D, Subtract):  # fmt: skip
    register(_cls)

for _cls in (CategoryEncoding, Discretization, HashedCrossing, Hashing,
             IndexLookup, IntegerLookup, Normalization, StringLookup):  # fmt: skip
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

    The class comes from the layer registry (`register`), the caller's
    ``custom_objects`` or the `saving_registry`; the ``module`` a config names
    is never imported. Function-valued fields (``activation``, ``*_initializer``,
    ``*_regularizer``) are checked the same way before the layer is built, so an
    error names the config path (``config.layers[2].config.activation``).

    Raises:
        UnregisteredObjectError: (a ``ValueError``) for a name found nowhere.
        ModelFormatError: (a ``ValueError``) for a config of the wrong shape,
            inside ``load_model``.

    Example:
        >>> deserialize(serialize(Dense(2, name="e"))).units
        2
    """
    if custom_objects is not None and saving_registry.current() is None:
        with saving_registry.load_scope(custom_objects):
            return deserialize(config, custom_objects)
    with saving_registry.at(*saving_registry.child_segment(config)):
        if not isinstance(config, dict):
            raise saving_registry.wrong_type("a layer config (a dict)", config)
        name = config.get("class_name")
        with saving_registry.at("class_name"):
            cls = _layer_class(name, custom_objects)
        inner = config.get("config")
        with saving_registry.at("config"):
            if not isinstance(inner, dict):
                raise saving_registry.wrong_type(f"the config of {name!r}", inner)
            _check_function_fields(inner)
            with saving_registry.parent(inner):
                return saving_registry.built(
                    f"layer {name!r}", _from_config, cls, inner, custom_objects
                )


# Layers defined outside nn register themselves when their module is imported.
# Loading may import only these modules of our own, and only for these names.
_LAZY_LAYERS = {
    "DenseFeatures": "pipeline.feature_column.layers",
    "LinearModel": "pipeline.feature_column.layers",
}


def _layer_class(name: Any, custom_objects: Any) -> type:
    if isinstance(name, str) and custom_objects and name in custom_objects:
        return custom_objects[name]
    if isinstance(name, str) and name not in _REGISTRY and name in _LAZY_LAYERS:
        importlib.import_module(_LAZY_LAYERS[name])
    return saving_registry.resolve("layer", name, _REGISTRY)


def _check_function_fields(config: dict[str, Any]) -> None:
    from pipeline.nn import regularizers  # noqa: PLC0415  (imports layers' base)

    for key, value in config.items():
        if value is None or not isinstance(key, str):
            continue
        if key == "activation" or key.endswith("_activation"):
            getter: Any = activations.get
        elif key.endswith("_initializer"):
            getter = initializers.get
        elif key.endswith("_regularizer"):
            getter = regularizers.get
        else:
            continue
        with saving_registry.at(key):
            saving_registry.built(key, getter, value)


def _from_config(cls: Any, config: dict[str, Any], custom_objects: Any) -> Layer:
    from_config = getattr(cls, "from_config", None)
    if from_config is None:
        return cls(**config)
    if "custom_objects" in inspect.signature(from_config).parameters:
        return from_config(config, custom_objects=custom_objects)
    return from_config(config)


__all__ = [
    "Activation",
    "ActivityRegularization",
    "Add",
    "AlphaDropout",
    "Average",
    "BatchNormalization",
    "CategoryEncoding",
    "Concatenate",
    "Dense",
    "Discretization",
    "Dot",
    "Dropout",
    "ELU",
    "Embedding",
    "Flatten",
    "GaussianDropout",
    "GaussianNoise",
    "HashedCrossing",
    "Hashing",
    "Identity",
    "IndexLookup",
    "Input",
    "InputLayer",
    "InputSpec",
    "IntegerLookup",
    "KerasTensor",
    "Lambda",
    "Layer",
    "LayerNormalization",
    "LeakyReLU",
    "Masking",
    "Maximum",
    "Minimum",
    "Multiply",
    "Normalization",
    "PReLU",
    "Permute",
    "ReLU",
    "RepeatVector",
    "Reshape",
    "Softmax",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
    "StringLookup",
    "Subtract",
    "add",
    "average",
    "concatenate",
    "deserialize",
    "dot",
    "maximum",
    "minimum",
    "multiply",
    "register",
    "serialize",
    "subtract",
]
