"""Models: ``Sequential``, the functional ``Model``, and the training loop.

Example:
    >>> from pipeline.nn import models, layers
    >>> models.Sequential([layers.Input((2,)), layers.Dense(1)]).count_params()
    3
"""

from __future__ import annotations

from pipeline.nn import layers as _layers
from pipeline.nn.models.functional import Model
from pipeline.nn.models.sequential import Sequential
from pipeline.nn.saving import load_model  # Keras's ``keras.models.load_model``

Functional = Model
_layers.register(Sequential)
_layers._REGISTRY["Functional"] = Model
_layers._REGISTRY["Model"] = Model

__all__ = ["Functional", "Model", "Sequential", "load_model"]
