"""``History``: the per-epoch logs that ``fit`` returns.

Example:
    >>> h = History()
    >>> h.set_model(type("M", (), {})())
    >>> h.on_train_begin()
    >>> h.on_epoch_end(0, {"loss": 0.5}); h.on_epoch_end(1, {"loss": 0.25})
    >>> h.history, h.epoch
    ({'loss': [0.5, 0.25]}, [0, 1])
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.callbacks.base import Callback


class History(Callback):
    """Records every epoch's logs in ``history`` (name -> list) and ``epoch``.

    Sets ``model.history`` to itself at each epoch end, as Keras does.

    Example:
        >>> History().history
        {}
    """

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[Any]] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Start a new list of epochs (the history dict keeps growing)."""
        self.epoch = []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Append this epoch's logs."""
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self
