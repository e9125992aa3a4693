"""Learning-rate schedules (Keras 3's ``keras.optimizers.schedules``).

A schedule is called with the optimizer's step count (``iterations``, starting at
0 for the first step) and returns the learning rate as a float32 scalar. The
same names are reachable as ``pipeline.nn.optimizers.schedules``, Keras's path.

Example:
    >>> sched = PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.0)
    >>> round(float(sched(5)), 6)
    0.05
"""

from __future__ import annotations

from typing import Any

from pipeline.nn import saving_registry
from pipeline.nn.schedules._base import LearningRateSchedule
from pipeline.nn.schedules.cosine import CosineDecay, CosineDecayRestarts
from pipeline.nn.schedules.decay import (
    ExponentialDecay,
    InverseTimeDecay,
    PiecewiseConstantDecay,
    PolynomialDecay,
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

_SCHEDULES = {
    c.__name__: c
    for c in (
        ExponentialDecay,
        PiecewiseConstantDecay,
        PolynomialDecay,
        InverseTimeDecay,
        CosineDecay,
        CosineDecayRestarts,
    )
}


def serialize(schedule: LearningRateSchedule) -> dict[str, Any]:
    """Keras 3's serialized form of a schedule.

    Example:
        >>> serialize(CosineDecay(0.1, 10))["class_name"]
        'CosineDecay'
    """
    return {
        "module": "keras.optimizers.schedules",
        "class_name": type(schedule).__name__,
        "config": schedule.get_config(),
        "registered_name": None,
    }


def deserialize(config: dict[str, Any]) -> LearningRateSchedule:
    """The schedule that ``serialize`` described.

    Example:
        >>> s = deserialize(serialize(InverseTimeDecay(1.0, 1, 1.0)))
        >>> float(s(3))
        0.25
    """
    return saving_registry.build("learning rate schedule", config, _SCHEDULES)
