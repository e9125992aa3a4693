"""Callbacks that set the optimizer's learning rate: ``LearningRateScheduler``
and ``ReduceLROnPlateau``. Both write ``logs["learning_rate"]`` at epoch end.

Example:
    >>> from pipeline.nn.optimizers import SGD
    >>> model = type("M", (), {"optimizer": SGD(0.1)})()
    >>> cb = LearningRateScheduler(lambda epoch, lr: lr / 2)
    >>> cb.set_model(model); cb.on_epoch_begin(0)
    >>> round(float(model.optimizer.learning_rate), 6)
    0.05
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from pipeline.nn.callbacks._monitor import MonitorCallback
from pipeline.nn.callbacks.base import Callback


def _current_lr(model: Any) -> float:
    return float(np.asarray(model.optimizer.learning_rate))


class LearningRateScheduler(Callback):
    """Set the learning rate at each epoch start to ``schedule(epoch, lr)``
    (or ``schedule(epoch)`` for a one-argument function).

    Args:
        schedule: function of the 0-based epoch (and the current rate).
        verbose: 1 prints each change. Default 0.

    Example:
        >>> LearningRateScheduler(lambda e: 0.1).verbose
        0
    """

    def __init__(self, schedule: Callable[..., Any], verbose: int = 0) -> None:
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Compute and set this epoch's rate."""
        if not hasattr(self.model.optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:
            lr = self.schedule(epoch, _current_lr(self.model))
        except TypeError:  # a schedule of the epoch only
            lr = self.schedule(epoch)
        if not isinstance(lr, (float, int, np.floating, np.integer)) or isinstance(
            lr, bool
        ):
            raise ValueError(
                f"The output of the `schedule` function should be a float. Got: {lr}"
            )
        self.model.optimizer.learning_rate = float(lr)
        if self.verbose > 0:
            print(
                f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning "
                f"rate to {float(lr)}."
            )

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Log the rate as ``learning_rate``."""
        if logs is not None:
            logs["learning_rate"] = _current_lr(self.model)


class ReduceLROnPlateau(MonitorCallback):
    """Multiply the learning rate by ``factor`` after ``patience`` epochs without
    improvement of ``monitor``, then wait ``cooldown`` epochs.

    Args:
        monitor: Default "val_loss".
        factor: < 1. Default 0.1.
        patience: Default 10.
        verbose: Default 0.
        mode: "auto" (a loss is minimized, a metric follows its direction),
            "min" or "max".
        min_delta: threshold of a significant change. Default 1e-4.
        cooldown: epochs to wait after a reduction. Default 0.
        min_lr: lower bound of the rate. Default 0.0.

    Example:
        >>> ReduceLROnPlateau(factor=1.0)
        Traceback (most recent call last):
        ...
        ValueError: ReduceLROnPlateau does not support a factor >= 1.0. Received factor=1.0
    """  # noqa: E501

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        verbose: int = 0,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(
                "ReduceLROnPlateau does not support a factor >= 1.0. "
                f"Received factor={factor}"
            )
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self._reset()

    def _reset(self) -> None:
        self.best: float | None = None
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Reset the counters."""
        self._reset()

    def in_cooldown(self) -> bool:
        """Whether a reduction happened less than ``cooldown`` epochs ago."""
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Track ``monitor`` and reduce the rate on a plateau."""
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        logs["learning_rate"] = _current_lr(self.model)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                "Learning rate reduction is conditioned on metric "
                f"`{self.monitor}` which is not available. Available metrics "
                f"are: {','.join(logs)}.",
                stacklevel=2,
            )
            return
        current = float(np.asarray(current))
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                self._reduce(epoch)

    def _reduce(self, epoch: int) -> None:
        old_lr = _current_lr(self.model)
        if old_lr > np.float32(self.min_lr):
            new_lr = max(old_lr * self.factor, self.min_lr)
            self.model.optimizer.learning_rate = new_lr
            if self.verbose > 0:
                print(
                    f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing "
                    f"learning rate to {new_lr}."
                )
            self.cooldown_counter = self.cooldown
            self.wait = 0
