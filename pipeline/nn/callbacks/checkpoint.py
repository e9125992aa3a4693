"""``ModelCheckpoint``: save the model (or its weights) while training.

Saving goes through ``model.save(path)`` or ``model.save_weights(path)``, which
write to a temporary name and rename, so a crash never leaves a half-written file.

Example:
    >>> ModelCheckpoint("ckpt-{epoch:02d}.keras")._path(2, {})
    'ckpt-03.keras'
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np

from pipeline.nn.callbacks._monitor import MonitorCallback


def _check_extension(filepath: str, save_weights_only: bool) -> None:
    if save_weights_only and not filepath.endswith(".weights.h5"):
        raise ValueError(
            "When using `save_weights_only=True` in `ModelCheckpoint`, the "
            "filepath provided must end in `.weights.h5` (Keras weights format). "
            f"Received: filepath={filepath}"
        )
    if not save_weights_only and not filepath.endswith((".keras", ".h5")):
        raise ValueError(
            "The filepath provided must end in `.keras` (Keras model format). "
            f"Received: filepath={filepath}"
        )


class ModelCheckpoint(MonitorCallback):
    """Save the model every epoch (or every ``save_freq`` batches).

    ``filepath`` may hold format fields: ``{epoch}`` (1-based), ``{batch}``
    (1-based, for batch-frequency saves) and any log key, e.g.
    ``"model-{epoch:02d}-{val_loss:.2f}.keras"``. With ``save_best_only`` and a
    monitor missing from the logs, Keras's warning is given and the model is
    saved anyway.

    Args:
        filepath: where to save; parent folders are created.
        monitor: the log key compared when ``save_best_only``. Default "val_loss".
        verbose: 1 prints each save. Default 0.
        save_best_only: save only when ``monitor`` improves. Default False.
        save_weights_only: ``model.save_weights`` instead of ``model.save``.
        mode: "auto", "min" or "max". Default "auto".
        save_freq: "epoch" or a number of batches. Default "epoch".
        initial_value_threshold: the value to beat first (save_best_only).

    Example:
        >>> ModelCheckpoint("m.keras", save_freq=0)
        Traceback (most recent call last):
        ...
        ValueError: Unrecognized save_freq: 0. Expected save_freq are 'epoch' or integer > 0
    """  # noqa: E501

    def __init__(
        self,
        filepath: str | os.PathLike,
        monitor: str = "val_loss",
        verbose: int = 0,
        save_best_only: bool = False,
        save_weights_only: bool = False,
        mode: str = "auto",
        save_freq: Any = "epoch",
        initial_value_threshold: float | None = None,
    ) -> None:
        super().__init__(monitor, mode, initial_value_threshold)
        if save_freq != "epoch" and not (isinstance(save_freq, int) and save_freq > 0):
            raise ValueError(
                f"Unrecognized save_freq: {save_freq}. "
                "Expected save_freq are 'epoch' or integer > 0"
            )
        self.filepath = os.fspath(filepath)
        _check_extension(self.filepath, save_weights_only)
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches_seen = 0
        self._current_epoch = 0

    def _path(self, epoch: int, logs: dict | None, batch: int | None = None) -> str:
        fields = {k: v for k, v in (logs or {}).items() if k != "epoch"}
        if batch is not None and "batch" not in fields:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(epoch=epoch + 1, **fields)
        except KeyError as e:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". '
                f"Reason: {e!r} is not a key of the logs: {sorted(fields)}"
            ) from e

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Remember the epoch (for batch-frequency saves)."""
        self._current_epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Save every ``save_freq`` batches when so configured."""
        if self.save_freq == "epoch":
            return
        self._batches_seen += 1
        if self._batches_seen % self.save_freq == 0:
            self._save(self._current_epoch, logs, batch)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Save at the end of the epoch when so configured."""
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.save_freq == "epoch":
            self._save(epoch, logs)

    def _should_save(self, epoch: int, logs: dict | None, path: str) -> bool:
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: saving model to {path}")
            return True
        value = (logs or {}).get(self.monitor)
        if value is None:
            warnings.warn(
                f"Can save best model only with {self.monitor} available.",
                stacklevel=3,
            )
            return True
        if np.ndim(value) > 0:
            warnings.warn(
                "Can save best model only when `monitor` is a scalar value. "
                f"Received: {value}. Falling back to `save_best_only=False`.",
                stacklevel=3,
            )
            return True
        current = float(np.asarray(value))
        best = "None" if self.best is None else f"{self.best:.5f}"
        if not self._is_improvement(current, self.best):
            if self.verbose > 0:
                print(
                    f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}"
                )
            return False
        if self.verbose > 0:
            print(
                f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to "
                f"{current:.5f}, saving model to {path}"
            )
        self.best = current
        return True

    def _save(self, epoch: int, logs: dict | None, batch: int | None = None) -> None:
        path = self._path(epoch, logs, batch)
        if not self._should_save(epoch, logs, path):
            return
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)
