"""The base class of learning-rate schedules and the helpers they share.

Example:
    >>> float(step_value(3))
    3.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

_F32 = np.float32

__all__ = ["LearningRateSchedule", "check_positive", "rate", "step_value"]


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
            >>> LearningRateSchedule().get_config()
            Traceback (most recent call last):
            ...
            NotImplementedError: Learning rate schedule 'LearningRateSchedule' must override `get_config()`.
        """  # noqa: E501
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override "
            "`get_config()`."
        )

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LearningRateSchedule:
        """A schedule from ``get_config()``'s output.

        Example:
            >>> class Constant(LearningRateSchedule):
            ...     def __init__(self, value):
            ...         self.value = value
            >>> Constant.from_config({"value": 0.5}).value
            0.5
        """
        return cls(**config)


def check_positive(name: str, value: Any) -> None:
    """Keras's check that a step count such as ``decay_steps`` is > 0.

    Example:
        >>> check_positive("decay_steps", 0)
        Traceback (most recent call last):
        ...
        ValueError: Argument `decay_steps` must be > 0. Received: decay_steps=0
    """
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


def step_value(step: Any) -> np.float32:
    """The step (a number, array, tensor or variable) as a float32 scalar.

    Example:
        >>> step_value(np.int64(7)).dtype
        dtype('float32')
    """
    return _F32(np.asarray(step))


def rate(value: Any) -> np.float32:
    """A rate argument (a number, or a variable such as an optimizer's current
    learning rate) as a float32 scalar.

    Example:
        >>> float(rate(0.5))
        0.5
    """
    return _F32(np.asarray(value))
