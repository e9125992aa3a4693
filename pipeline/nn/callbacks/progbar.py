"""``ProgbarLogger``: Keras's one-line-per-epoch progress bar with live metrics.

Example:
    >>> import io, contextlib
    >>> bar = ProgbarLogger(); bar.set_params({"epochs": 1, "steps": 2, "verbose": 1})
    >>> out = io.StringIO()
    >>> with contextlib.redirect_stdout(out):
    ...     bar.on_epoch_begin(0); bar.on_train_batch_end(1, {"loss": 0.25})
    ...     bar.on_epoch_end(0, {"loss": 0.25})
    >>> "2/2" in out.getvalue() and "loss: 0.2500" in out.getvalue()
    True
"""

from __future__ import annotations

import sys
import time

import numpy as np

from pipeline.nn.callbacks.base import Callback

_BAR_WIDTH = 30


def _format_logs(logs: dict | None) -> str:
    parts = []
    for key, value in (logs or {}).items():
        array = np.asarray(value)
        if array.ndim == 0 and array.dtype.kind in "fiu":
            parts.append(f"{key}: {float(array):.4f}")
    return " - ".join(parts)


class ProgbarLogger(Callback):
    """Prints ``Epoch i/n`` and a progress bar with the running metrics.

    ``params["verbose"]``: 1 redraws the bar after each batch, 2 prints one line
    per epoch, 0 prints nothing.

    Example:
        >>> ProgbarLogger().params
        {}
    """

    def __init__(self) -> None:
        super().__init__()
        self._start = 0.0
        self._seen = 0

    @property
    def _verbose(self) -> int:
        return int(self.params.get("verbose", 1))

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Print the epoch header."""
        self._start = time.perf_counter()
        self._seen = 0
        if self._verbose and self.params.get("epochs"):
            print(f"Epoch {epoch + 1}/{self.params['epochs']}")

    def _line(self, logs: dict | None, final: bool) -> str:
        steps = self.params.get("steps")
        elapsed = time.perf_counter() - self._start
        if steps:
            done = min(self._seen, steps)
            filled = int(_BAR_WIDTH * done / steps)
            arrow = ">" if filled < _BAR_WIDTH and not final else "="
            bar = "=" * max(filled - 1, 0) + (arrow if filled else "")
            head = f"{done}/{steps} [{bar:<{_BAR_WIDTH}}]"
        else:
            head = f"{self._seen}"
        per_step = elapsed / max(self._seen, 1)
        timing = f"{elapsed:.0f}s {per_step * 1e3:.0f}ms/step"
        metrics = _format_logs(logs)
        return f"{head} {timing}" + (f" - {metrics}" if metrics else "")

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Redraw the bar (verbose 1)."""
        self._seen = batch + 1
        if self._verbose == 1:
            sys.stdout.write("\r" + self._line(logs, final=False))
            sys.stdout.flush()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Print the final line of the epoch."""
        if self._verbose:
            sys.stdout.write("\r" + self._line(logs, final=True) + "\n")
            sys.stdout.flush()
