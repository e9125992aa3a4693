"""Which way a monitored quantity should go: Keras 3's "auto" mode.

Example:
    >>> direction("val_accuracy", "auto", None), direction("loss", "auto", None)
    ('max', 'min')
"""

from __future__ import annotations

import warnings
from typing import Any

_UP_HINTS = ("acc", "auc", "precision", "recall", "fmeasure", "f1")
_DOWN_HINTS = ("loss", "error", "mse", "mae", "rmse", "crossentropy")


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

    In auto mode a loss is minimized; a metric of the model is followed in its
    ``_direction`` ("up" or "down"); otherwise names with acc/auc/precision/recall
    are maximized and error-like names minimized.

    Raises:
        ValueError: when auto mode cannot tell.

    Example:
        >>> direction("val_auc", "auto", None)
        'max'
    """
    if mode in ("min", "max"):
        return mode
    name = monitor.removeprefix("val_")
    if name == "loss" or name.endswith("_loss"):
        return "min"
    for metric in _metrics_of(model):
        if getattr(metric, "name", None) == name and hasattr(metric, "_direction"):
            return "max" if metric._direction == "up" else "min"
    lowered = name.lower()
    if any(h in lowered for h in _UP_HINTS):
        return "max"
    if any(h in lowered for h in _DOWN_HINTS):
        return "min"
    raise ValueError(
        f"The callback received monitor={monitor} but cannot automatically "
        "determine whether that metric should be maximized or minimized. Pass "
        "`mode='max'` to follow the highest value, or `mode='min'` for the lowest."
    )


def check_mode(mode: str, owner: str) -> str:
    """``mode`` if valid, else "auto" with Keras's warning.

    Example:
        >>> check_mode("max", "EarlyStopping")
        'max'
    """
    if mode not in ("auto", "min", "max"):
        warnings.warn(
            f"{owner} mode {mode} is unknown, fallback to auto mode.", stacklevel=3
        )
        return "auto"
    return mode


class Monitor:
    """Keras 3's improvement test: ``value ∓ min_delta`` beats ``reference``.

    The direction is settled on first use (the model's metrics exist by then).

    Args:
        monitor: the log key.
        mode: "auto", "min" or "max".
        min_delta: the margin an improvement must exceed (its sign is ignored).

    Example:
        >>> m = Monitor("loss", "auto", min_delta=0.1)
        >>> m.is_improvement(0.95, 1.0, None), m.is_improvement(0.85, 1.0, None)
        (False, True)
    """

    def __init__(self, monitor: str, mode: str, min_delta: float = 0.0) -> None:
        self.monitor = monitor
        self.mode = mode
        self.min_delta = abs(min_delta)
        self._sign: float | None = None

    def is_improvement(self, value: float, reference: float | None, model: Any) -> bool:
        """Whether ``value`` improves on ``reference`` (always, if it is None)."""
        if reference is None:
            return True
        if self._sign is None:
            way = direction(self.monitor, self.mode, model)
            self._sign = -1.0 if way == "min" else 1.0
        return bool(self._sign * (value - reference) > self.min_delta)
