"""Models: ``Sequential``, the functional ``Model``, and the training loop.

Example:
    >>> from pipeline.nn import models, layers
    >>> models.Sequential([layers.Input((2,)), layers.Dense(1)]).count_params()
    3
"""

from __future__ import annotations

import json
from typing import Any

from pipeline.nn import layers as _layers
from pipeline.nn.layers._symbolic_ops import TensorOp
from pipeline.nn.models.cloning import clone_model
from pipeline.nn.models.functional import Model
from pipeline.nn.models.sequential import Sequential
from pipeline.nn.saving import load_model  # Keras's ``keras.models.load_model``

Functional = Model
_layers.register(Sequential)
_layers.register(TensorOp)
_layers._REGISTRY["Functional"] = Model
_layers._REGISTRY["Model"] = Model


def model_from_json(json_string: str, custom_objects: Any = None) -> Any:
    """A model (fresh weights) from :meth:`Model.to_json`'s string.

    Only registered classes and ``custom_objects`` are built; nothing named in
    the string is imported.

    Example:
        >>> from pipeline.nn import layers
        >>> x = layers.Input((2,))
        >>> model_from_json(Model(x, layers.Dense(3)(x)).to_json()).output_shape
        (None, 3)
    """
    return _layers.deserialize(json.loads(json_string), custom_objects)


__all__ = [
    "Functional",
    "Model",
    "Sequential",
    "clone_model",
    "load_model",
    "model_from_json",
]
