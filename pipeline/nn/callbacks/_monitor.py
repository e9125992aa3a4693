"""``MonitorCallback``: the improvement test shared by the callbacks that
watch one log entry (``EarlyStopping``, ``ModelCheckpoint``,
``ReduceLROnPlateau``), with Keras 3's "auto" mode.

In "auto" mode a loss is minimized and a metric of the model follows its
``_direction`` ("up" or "down"); any other name raises ``ValueError`` (pass
``mode="min"`` or ``mode="max"``), as Keras 3 does.

Example:
    >>> cb = MonitorCallback("loss", "auto", min_delta=0.1)
    >>> cb._set_monitor_op()
    >>> cb._is_improvement(0.95, 1.0), cb._is_improvement(0.85, 1.0)
    (False, True)
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from pipeline.nn.callbacks.base import Callback


def _metrics_of(model: Any) -> list[Any]:
    found: list[Any] = []
    compiled = getattr(model, "compiled_metrics", None)
    sources = list(getattr(model, "metrics", None) or [])
    sources += list(getattr(compiled, "metrics", None) or [])
    for m in sources:
        found.append(m)
        found.extend(getattr(m, "metrics", None) or [])
    return found


def direction(monitor: str, mode: str, model: Any) -> str:
    """ "min" or "max" for ``monitor`` under ``mode`` ("auto", "min" or "max").

    Raises:
        ValueError: when auto mode cannot tell (the name is neither a loss nor
            a metric of ``model`` with a known direction).

    Example:
        >>> direction("val_loss", "auto", None), direction("acc", "max", None)
        ('min', 'max')
    """
    if mode in ("min", "max"):
        return mode
    name = monitor.removeprefix("val_")
    found = "min" if name == "loss" else None
    for metric in _metrics_of(model):
        if getattr(metric, "name", None) == name and hasattr(metric, "_direction"):
            found = "max" if metric._direction == "up" else "min"
    if found is None:
        raise ValueError(
            f"The callback received monitor={monitor}, but it isn't able to "
            "automatically determine whether that metric should be maximized or "
            "minimized. Pass `mode='max'` in order to monitor based on the "
            "highest metric value, or pass `mode='min'` in order to use the "
            "lowest value."
        )
    return found


def check_mode(mode: str, owner: str) -> str:
    """``mode`` if valid, else "auto" with Keras's warning.

    Example:
        >>> check_mode("max", "EarlyStopping")
        'max'
    """
    if mode not in ("auto", "min", "max"):
        warnings.warn(
            f"{owner} mode '{mode}' is unknown, fallback to auto mode.", stacklevel=3
        )
        return "auto"
    return mode


class MonitorCallback(Callback):
    """Base of callbacks that follow one log entry and test for improvement.

    ``monitor_op`` (``numpy.less`` or ``numpy.greater``) is settled by
    ``_set_monitor_op`` on first use, when the model's metrics exist. An
    improvement beats the reference by more than ``min_delta``.

    Args:
        monitor: the log key. Default "val_loss".
        mode: "auto", "min" or "max". Default "auto".
        baseline: the initial ``best`` (None: the first value is best).
        min_delta: the margin an improvement must exceed (sign ignored).

    Example:
        >>> cb = MonitorCallback(mode="max", min_delta=0.5); cb._set_monitor_op()
        >>> cb._is_improvement(0.75, 0), cb._is_improvement(0.5, 0)
        (True, False)
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        mode: str = "auto",
        baseline: float | None = None,
        min_delta: float = 0,
    ) -> None:
        super().__init__()
        self.monitor = monitor
        self.mode = check_mode(mode, type(self).__name__)
        self.best: Any = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op: Any = None

    def _set_monitor_op(self) -> None:
        way = direction(self.monitor, self.mode, self.model)
        self.monitor_op = np.less if way == "min" else np.greater
        if way == "min":
            self.min_delta *= -1

    def _is_improvement(self, monitor_value: Any, reference_value: Any) -> bool:
        if reference_value is None:
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        return bool(self.monitor_op(monitor_value - self.min_delta, reference_value))
