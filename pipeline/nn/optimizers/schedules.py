"""Keras's path to the learning-rate schedules: ``pl.nn.optimizers.schedules``.

The classes live in ``pipeline.nn.schedules``; both paths name the same objects.

Example:
    >>> from pipeline.nn import schedules as nn_schedules
    >>> PolynomialDecay is nn_schedules.PolynomialDecay
    True
"""

from __future__ import annotations

from pipeline.nn.schedules import (
    CosineDecay,
    CosineDecayRestarts,
    ExponentialDecay,
    InverseTimeDecay,
    LearningRateSchedule,
    PiecewiseConstantDecay,
    PolynomialDecay,
    deserialize,
    serialize,
)

__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LearningRateSchedule",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "deserialize",
    "serialize",
]
