"""A compact Keras 3: tensors, tape autodiff, layers, models, optimizers.

``import pipeline as pl``; then ``pl.nn.Sequential``, ``pl.nn.layers.Dense``,
``pl.nn.GradientTape`` and friends keep Keras 3's names, arguments and defaults,
with numpy arrays where Keras takes tensors.

Example:
    >>> from pipeline import nn
    >>> w = nn.Variable(2.0)
    >>> with nn.GradientTape() as tape:
    ...     y = w * w
    >>> float(tape.gradient(y, w))
    4.0
"""

from __future__ import annotations

from pipeline.nn import (
    activations,
    backend,
    callbacks,
    constraints,
    initializers,
    layers,
    losses,
    metrics,
    models,
    ops,
    optimizers,
    regularizers,
    schedules,
)
from pipeline.nn.backend import set_backend
from pipeline.nn.layers import Input, InputSpec, KerasTensor
from pipeline.nn.models import Model, Sequential
from pipeline.nn.ops import constant
from pipeline.nn.saving import load_model
from pipeline.nn.saving_registry import register_serializable
from pipeline.nn.tape import GradientTape
from pipeline.nn.tensor import IndexedSlices, Tensor, Variable

__all__ = [
    "GradientTape",
    "IndexedSlices",
    "Input",
    "InputSpec",
    "KerasTensor",
    "Model",
    "Sequential",
    "Tensor",
    "Variable",
    "activations",
    "backend",
    "callbacks",
    "constant",
    "constraints",
    "initializers",
    "layers",
    "load_model",
    "losses",
    "metrics",
    "models",
    "ops",
    "optimizers",
    "register_serializable",
    "regularizers",
    "schedules",
    "set_backend",
]
