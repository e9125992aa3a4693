"""Cosine learning-rate decays: one period (with optional warmup) or with
warm restarts (SGDR).

Example:
    >>> s = CosineDecayRestarts(1.0, first_decay_steps=2)
    >>> [round(float(s(i)), 6) for i in range(4)]
    [1.0, 0.5, 1.0, 0.853553]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from pipeline.nn.schedules._base import (
    LearningRateSchedule,
    check_positive,
    rate,
    step_value,
)

_F32 = np.float32


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
        check_positive("decay_steps", decay_steps)
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
        initial = rate(self.initial_learning_rate)
        decay_steps = _F32(self.decay_steps)
        step = step_value(step)
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


def _restart(fraction: float, t_mul: float) -> tuple[float, float]:
    """The restart number of a step at ``fraction`` first periods, and the
    fraction of its own period done (each period ``t_mul`` times the last)."""
    if t_mul == 1.0:
        restart = math.floor(fraction)
        return restart, fraction - restart
    restart = math.floor(math.log(1.0 - fraction * (1.0 - t_mul)) / math.log(t_mul))
    done = (1.0 - t_mul**restart) / (1.0 - t_mul)
    return restart, (fraction - done) / t_mul**restart


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): the first period lasts
    ``first_decay_steps``, each next one ``t_mul`` times longer, and each restart
    starts from ``m_mul`` times the previous peak; within a period the factor
    falls from the peak to ``alpha`` along a half cosine.

    Args:
        initial_learning_rate: the rate at step 0.
        first_decay_steps: positive length of the first period.
        t_mul: the growth of each period's length. Default 2.0.
        m_mul: the factor of each restart's peak. Default 1.0.
        alpha: the floor, as a fraction of the rate. Default 0.0.
        name: Default "SGDRDecay".

    Example:
        >>> s = CosineDecayRestarts(1.0, 2, t_mul=1.0, m_mul=0.5)
        >>> [round(float(s(i)), 6) for i in range(5)]
        [1.0, 0.5, 0.5, 0.25, 0.25]
    """

    def __init__(
        self,
        initial_learning_rate: float,
        first_decay_steps: int,
        t_mul: float = 2.0,
        m_mul: float = 1.0,
        alpha: float = 0.0,
        name: str = "SGDRDecay",
    ) -> None:
        check_positive("first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step: Any) -> np.float32:
        fraction = float(step_value(step)) / float(self.first_decay_steps)
        restart, fraction = _restart(fraction, float(self._t_mul))
        peak = float(self._m_mul) ** restart
        cosine = 0.5 * peak * (1.0 + math.cos(math.pi * fraction))
        decayed = (1.0 - self.alpha) * cosine + self.alpha
        return _F32(rate(self.initial_learning_rate) * _F32(decayed))

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments.

        Example:
            >>> CosineDecayRestarts(0.1, 10).get_config()["t_mul"]
            2.0
        """
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }
