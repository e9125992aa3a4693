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

from pipeline.nn import backend, ops
from pipeline.nn.backend import set_backend
from pipeline.nn.ops import constant
from pipeline.nn.tape import GradientTape
from pipeline.nn.tensor import IndexedSlices, Tensor, Variable

__all__ = [
    "GradientTape",
    "IndexedSlices",
    "Tensor",
    "Variable",
    "backend",
    "constant",
    "ops",
    "set_backend",
]
