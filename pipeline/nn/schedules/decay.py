"""Step-wise and polynomial learning-rate decays (Keras 3's names and configs).

Example:
    >>> sched = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> float(sched(10))
    0.05000000074505806
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.schedules._base import (
    LearningRateSchedule,
    check_positive,
    rate,
    step_value,
)

_F32 = np.float32


class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate · decay_rate^(step / decay_steps)``.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: positive number of steps per decay period.
        decay_rate: the factor per period.
        staircase: floor ``step / decay_steps`` (decay in steps). Default False.
        name: Default "ExponentialDecay".

    Example:
        >>> s = ExponentialDecay(1.0, decay_steps=2, decay_rate=0.5, staircase=True)
        >>> [float(s(i)) for i in range(4)]
        [1.0, 1.0, 0.5, 0.5]
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str = "ExponentialDecay",
    ) -> None:
        check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step: Any) -> np.float32:
        p = step_value(step) / _F32(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        return rate(self.initial_learning_rate) * np.power(_F32(self.decay_rate), p)

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` while ``step <= boundaries[0]``, ``values[1]`` while
    ``step <= boundaries[1]``, ..., ``values[-1]`` after the last boundary.

    Args:
        boundaries: increasing step numbers.
        values: one more rate than boundaries.
        name: Default "PiecewiseConstant".

    Example:
        >>> s = PiecewiseConstantDecay([1, 3], [1.0, 0.5, 0.25])
        >>> [float(s(i)) for i in range(5)]
        [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(
        self, boundaries: list[Any], values: list[Any], name: str = "PiecewiseConstant"
    ) -> None:
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of "
                f"values. Received: boundaries={boundaries} of length "
                f"{len(boundaries)}, and values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step: Any) -> np.float32:
        step = np.asarray(step)
        index = int(np.searchsorted(np.asarray(self.boundaries), step, side="left"))
        return _F32(self.values[index])

    def get_config(self) -> dict[str, Any]:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """``(initial - end) · (1 - step / decay_steps)^power + end``, with the step
    held at ``decay_steps`` afterwards, or, with ``cycle``, ``decay_steps``
    stretched to the first multiple of itself at or above the step.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: positive number of steps to reach ``end_learning_rate``.
        end_learning_rate: the final rate. Default 0.0001.
        power: the polynomial's power. Default 1.0 (linear).
        cycle: restart the decay past ``decay_steps``. Default False.
        name: Default "PolynomialDecay".

    Example:
        >>> s = PolynomialDecay(1.0, decay_steps=4, end_learning_rate=0.0)
        >>> [float(s(i)) for i in range(0, 6, 2)]
        [1.0, 0.5, 0.0]
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        end_learning_rate: float = 0.0001,
        power: float = 1.0,
        cycle: bool = False,
        name: str = "PolynomialDecay",
    ) -> None:
        check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step: Any) -> np.float32:
        step = step_value(step)
        decay_steps = _F32(self.decay_steps)
        if self.cycle:
            multiple = _F32(1.0) if step == 0 else np.ceil(step / decay_steps)
            decay_steps = decay_steps * multiple
        else:
            step = np.minimum(step, decay_steps)
        end = _F32(self.end_learning_rate)
        remaining = _F32(1.0) - step / decay_steps
        span = rate(self.initial_learning_rate) - end
        return _F32(span * np.power(remaining, _F32(self.power)) + end)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments.

        Example:
            >>> PolynomialDecay(0.1, 10).get_config()["end_learning_rate"]
            0.0001
        """
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


class InverseTimeDecay(LearningRateSchedule):
    """``initial_learning_rate / (1 + decay_rate · step / decay_steps)``.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: positive number of steps per unit of decay.
        decay_rate: the decay per unit.
        staircase: floor ``step / decay_steps``. Default False.
        name: Default "InverseTimeDecay".

    Example:
        >>> s = InverseTimeDecay(1.0, decay_steps=2, decay_rate=1.0)
        >>> [float(s(i)) for i in (0, 2, 6)]
        [1.0, 0.5, 0.25]
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str = "InverseTimeDecay",
    ) -> None:
        check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step: Any) -> np.float32:
        p = step_value(step) / _F32(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        denominator = _F32(1.0) + _F32(self.decay_rate) * p
        return _F32(rate(self.initial_learning_rate) / denominator)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments.

        Example:
            >>> InverseTimeDecay(0.1, 10, 0.5).get_config()["decay_rate"]
            0.5
        """
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }
