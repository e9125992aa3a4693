"""``EarlyStopping``: stop training when a monitored quantity stops improving.

Example:
    >>> es = EarlyStopping(monitor="loss", patience=1)
    >>> es.set_model(type("M", (), {"stop_training": False})())
    >>> es.on_train_begin()
    >>> for epoch, loss in enumerate([1.0, 0.9, 0.95]):
    ...     es.on_epoch_end(epoch, {"loss": loss})
    >>> es.model.stop_training, es.stopped_epoch, es.best
    (True, 2, 0.9)
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from pipeline.nn.callbacks._monitor import MonitorCallback


class EarlyStopping(MonitorCallback):
    """Stop training once ``monitor`` has not improved for ``patience`` epochs.

    An improvement beats the best value so far by more than ``min_delta``. With
    ``restore_best_weights`` the model gets the weights of the best epoch back at
    the end of training (when some epoch was monitored).

    Args:
        monitor: the log key to watch. Default "val_loss".
        min_delta: smallest change that counts as an improvement. Default 0.
        patience: epochs without improvement before stopping. Default 0.
        verbose: 1 prints when stopping and restoring. Default 0.
        mode: "auto", "min" or "max". Default "auto".
        baseline: the patience counter only resets on beating this too.
        restore_best_weights: Default False.
        start_from_epoch: epochs to wait before monitoring. Default 0.

    Example:
        >>> EarlyStopping(min_delta=-0.1).min_delta
        0.1
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline: float | None = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ) -> None:
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights: Any = None
        self.best_epoch = 0

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Reset the counters."""
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Compare this epoch's value with the best and maybe stop."""
        if self.monitor_op is None:
            self._set_monitor_op()  # the model's metrics exist by now
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs: dict | None = None) -> None:
        """Report the stop and restore the best weights if asked."""
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(
                    "Restoring model weights from the end of the best epoch: "
                    f"{self.best_epoch + 1}."
                )
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs: dict | None) -> Any:
        """The monitored value in ``logs``, or None with a warning.

        Example:
            >>> EarlyStopping(monitor="loss").get_monitor_value({"loss": 2.0})
            2.0
        """
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(logs)}",
                stacklevel=2,
            )
            return None
        array = np.asarray(value)  # a per-class metric (F1Score) stays an array
        return float(array) if array.ndim == 0 else array
