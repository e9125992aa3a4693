"""Callbacks that watch the logs: ``CSVLogger`` and ``TerminateOnNaN``.

Example:
    >>> t = TerminateOnNaN(); t.set_model(type("M", (), {"stop_training": False})())
    >>> t.on_batch_end(4, {"loss": float("nan")})
    Batch 4: Invalid loss, terminating training
    >>> t.model.stop_training
    True
"""

from __future__ import annotations

import csv
import math
import os
from typing import IO, Any

import numpy as np

from pipeline.nn.callbacks.base import Callback


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value
    array = np.asarray(value)
    if array.ndim > 0:
        return "[{}]".format(", ".join(str(v) for v in array.ravel().tolist()))
    return array.item()


class CSVLogger(Callback):
    """Append each epoch's logs as a CSV row: ``epoch`` then the sorted keys.

    When the first epoch has no ``val_*`` entry, a ``val_`` column is added for
    each key (filled with "NA" until validation runs), as Keras does.

    Args:
        filename: the CSV file.
        separator: the field separator. Default ",".
        append: continue an existing file (no second header). Default False.

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "log.csv")
        >>> cb = CSVLogger(path); cb.on_train_begin()
        >>> cb.on_epoch_end(0, {"loss": 0.5, "accuracy": 0.75}); cb.on_train_end()
        >>> with open(path) as f:
        ...     print(f.read().strip())
        epoch,accuracy,loss,val_accuracy,val_loss
        0,0.75,0.5,NA,NA
    """

    def __init__(
        self, filename: str | os.PathLike, separator: str = ",", append: bool = False
    ) -> None:
        super().__init__()
        self.filename = os.fspath(filename)
        self.sep = separator
        self.append = append
        self.keys: list[str] | None = None
        self._file: IO[str] | None = None
        self._writer: Any = None
        self._header_needed = True

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Open the file (appending when asked)."""
        exists = os.path.exists(self.filename) and os.path.getsize(self.filename) > 0
        self._header_needed = not (self.append and exists)
        self._file = open(self.filename, "a" if self.append else "w", newline="")  # noqa: SIM115
        self.keys = None
        self._writer = None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Write one row and flush."""
        logs = logs or {}
        if self._file is None:
            self.on_train_begin()
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(k.startswith("val_") for k in self.keys):
                # validation may come later (validation_freq): Keras's columns
                self.keys += [f"val_{k}" for k in self.keys]
            self._writer = csv.DictWriter(
                self._file, fieldnames=["epoch", *self.keys], delimiter=self.sep
            )
            if self._header_needed:
                self._writer.writeheader()
        row = {"epoch": epoch}
        row.update({k: _cell(logs.get(k, "NA")) for k in self.keys})
        self._writer.writerow(row)
        self._file.flush()

    def on_train_end(self, logs: dict | None = None) -> None:
        """Close the file."""
        if self._file is not None:
            self._file.close()
            self._file = None


class TerminateOnNaN(Callback):
    """Stop training when a batch's loss is NaN or infinite.

    Args:
        raise_error: raise ``RuntimeError`` instead of stopping quietly.
            Default False.

    Example:
        >>> TerminateOnNaN(raise_error=True).raise_error
        True
    """

    def __init__(self, raise_error: bool = False) -> None:
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Check the batch's loss."""
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        loss = float(np.asarray(loss))
        if math.isnan(loss) or math.isinf(loss):
            if self.raise_error:
                raise RuntimeError(
                    f"NaN or Inf loss encountered at batch {batch}. "
                    f"Loss value: {loss}. Terminating training immediately."
                )
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
