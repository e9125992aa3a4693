"""Learning-rate schedules (Keras 3's ``keras.optimizers.schedules``).

A schedule is called with the optimizer's step count (``iterations``, starting at
0 for the first step) and returns the learning rate as a float32 scalar.

Example:
    >>> sched = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> float(sched(10))
    0.05000000074505806
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from pipeline.nn import saving_registry

_F32 = np.float32


class LearningRateSchedule:
    """Base class: subclasses define ``__call__(step)`` and ``get_config()``.

    Example:
        >>> class Halving(LearningRateSchedule):
        ...     def __call__(self, step):
        ...         return np.float32(0.5) ** np.float32(step)
        ...     def get_config(self):
        ...         return {}
        >>> float(Halving()(2))
        0.25
    """

    def __call__(self, step: Any) -> np.float32:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override "
            "`__call__(self, step)`."
        )

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments.

        Example:
            >>> ExponentialDecay(0.1, 5, 0.9).get_config()["decay_steps"]
            5
        """
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override "
            "`get_config()`."
        )

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LearningRateSchedule:
        """A schedule from ``get_config()``'s output.

        Example:
            >>> CosineDecay.from_config({"initial_learning_rate": 1.0,
            ...                          "decay_steps": 4}).decay_steps
            4
        """
        return cls(**config)


def _check_decay_steps(decay_steps: Any) -> None:
    if decay_steps <= 0:
        raise ValueError(
            f"Argument `decay_steps` must be > 0. Received: decay_steps={decay_steps}"
        )


def _step(step: Any) -> np.float32:
    return _F32(np.asarray(step))


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
        _check_decay_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step: Any) -> np.float32:
        p = _step(step) / _F32(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        return _F32(self.initial_learning_rate) * np.power(_F32(self.decay_rate), p)

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


class CosineDecay(LearningRateSchedule):
    """Cosine decay from ``initial_learning_rate`` (or, after an optional linear
    warmup of ``warmup_steps`` steps, from ``warmup_target``) to
    ``alpha · rate`` over ``decay_steps`` steps, then constant.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: positive number of decay steps.
        alpha: the final rate as a fraction of the starting one. Default 0.0.
        name: Default "CosineDecay".
        warmup_target: the rate reached after warmup; None for no warmup.
        warmup_steps: Default 0.

    Example:
        >>> s = CosineDecay(1.0, decay_steps=2)
        >>> [round(float(s(i)), 6) for i in range(4)]
        [1.0, 0.5, 0.0, 0.0]
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        alpha: float = 0.0,
        name: str = "CosineDecay",
        warmup_target: float | None = None,
        warmup_steps: int = 0,
    ) -> None:
        _check_decay_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _decay(self, step: np.float32, start: np.float32) -> np.float32:
        fraction = step / _F32(self.decay_steps)
        cosine = _F32(0.5) * (_F32(1.0) + np.cos(_F32(math.pi) * fraction))
        decayed = _F32(1 - self.alpha) * cosine + _F32(self.alpha)
        return start * decayed

    def __call__(self, step: Any) -> np.float32:
        initial = _F32(self.initial_learning_rate)
        decay_steps = _F32(self.decay_steps)
        step = _step(step)
        if self.warmup_target is None:
            return self._decay(np.minimum(step, decay_steps), initial)
        target = _F32(self.warmup_target)
        warmup = _F32(self.warmup_steps)
        step = np.minimum(step, decay_steps + warmup)
        if step < warmup:
            return (target - initial) * (step / warmup) + initial
        return self._decay(step - warmup, target)

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


_SCHEDULES = {
    c.__name__: c for c in (ExponentialDecay, PiecewiseConstantDecay, CosineDecay)
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
        >>> s = deserialize(serialize(PiecewiseConstantDecay([2], [1.0, 0.1])))
        >>> float(s(3))
        0.10000000149011612
    """
    return saving_registry.build("learning rate schedule", config, _SCHEDULES)
