"""``BackupAndRestore``: resume an interrupted ``fit`` from its last backup.

The backup folder holds ``latest.weights.h5`` (the model's weights, written by
``model.save_weights``) and ``training_metadata.json`` (``{"epoch": e,
"batch": b}``: integers only; nothing in it is executed or imported). With
``double_checkpoint`` the previous pair is kept as ``*.bkp`` and used when the
latest one does not load.

Example:
    >>> BackupAndRestore("")
    Traceback (most recent call last):
    ...
    ValueError: Empty `backup_dir` argument passed
"""

from __future__ import annotations

import json
import os
import shutil
from typing import Any

from pipeline.errors import ModelFormatError
from pipeline.nn.callbacks.base import Callback

_METADATA_LIMIT = 4096  # bytes: the file holds two integers


class BackupAndRestore(Callback):
    """Back up the weights and the epoch during ``fit``; restore at the next
    ``fit`` after an interruption (the backup is deleted after a clean end).

    Args:
        backup_dir: the folder of the backup (created when needed).
        save_freq: "epoch", or a number of batches between backups.
        double_checkpoint: keep the previous backup too, as a fallback.
        delete_checkpoint: remove the folder when training ends. Default True.

    Example:
        >>> BackupAndRestore("ckpt", save_freq=0.5)
        Traceback (most recent call last):
        ...
        ValueError: Invalid value for argument `save_freq`. Received: save_freq=0.5. Expected either 'epoch' or an integer value.
    """  # noqa: E501

    def __init__(
        self,
        backup_dir: str | os.PathLike,
        save_freq: Any = "epoch",
        double_checkpoint: bool = False,
        delete_checkpoint: bool = True,
    ) -> None:
        super().__init__()
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError(
                "Invalid value for argument `save_freq`. "
                f"Received: save_freq={save_freq}. "
                "Expected either 'epoch' or an integer value."
            )
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._training_metadata_path = os.path.join(
            self.backup_dir, "training_metadata.json"
        )
        self._prev_weights_path = f"{self._weights_path}.bkp"
        self._prev_training_metadata_path = f"{self._training_metadata_path}.bkp"
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Restore the latest backup (or the previous one if it is unreadable)."""
        try:
            self._load()
        except (OSError, ValueError):
            if not os.path.exists(self._prev_weights_path):
                raise
            shutil.copyfile(self._prev_weights_path, self._weights_path)
            if os.path.exists(self._prev_training_metadata_path):
                shutil.copyfile(
                    self._prev_training_metadata_path, self._training_metadata_path
                )
            elif os.path.exists(self._training_metadata_path):
                os.remove(self._training_metadata_path)
            self._load()

    def _load(self) -> None:
        if os.path.exists(self._weights_path):
            self.model.load_weights(self._weights_path)
        if os.path.exists(self._training_metadata_path):
            self.model._initial_epoch = _read_epoch(self._training_metadata_path)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Back up after the epoch when ``save_freq="epoch"``."""
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save()

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Back up every ``save_freq`` batches."""
        if self.save_freq == "epoch":
            return
        seen = (
            batch + 1
            if batch <= self._last_batch_seen
            else batch - self._last_batch_seen
        )
        self._batches_seen_since_last_saving += seen
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            self._save()

    def _save(self) -> None:
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint:
            for path, prev in (
                (self._weights_path, self._prev_weights_path),
                (self._training_metadata_path, self._prev_training_metadata_path),
            ):
                if os.path.exists(path):
                    shutil.copyfile(path, prev)
        self.model.save_weights(self._weights_path, overwrite=True)
        metadata = {"epoch": self._current_epoch, "batch": self._last_batch_seen}
        with open(self._training_metadata_path, "w") as f:
            f.write(json.dumps(metadata))

    def on_train_end(self, logs: dict | None = None) -> None:
        """Delete the backup after a clean end (``delete_checkpoint``)."""
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)


def _read_epoch(path: str) -> int:
    """The ``epoch`` integer of a training-metadata file.

    Example:
        >>> import pathlib, tempfile
        >>> p = pathlib.Path(tempfile.mkdtemp(), "m.json")
        >>> _ = p.write_text('{"epoch": 3, "batch": 0}')
        >>> _read_epoch(str(p))
        3
    """
    with open(path, "rb") as f:
        raw = f.read(_METADATA_LIMIT + 1)
    try:
        epoch = (
            json.loads(raw.decode("utf-8"))["epoch"]
            if len(raw) <= _METADATA_LIMIT
            else None
        )
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as e:
        raise ModelFormatError(
            f"{path}: training metadata is not a JSON object with an integer "
            f"'epoch' ({type(e).__name__}: {e})",
            path=path,
        ) from e
    if not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 0:
        raise ModelFormatError(
            f"{path}: training metadata 'epoch' must be a non-negative integer "
            f"(in at most {_METADATA_LIMIT} bytes of JSON); got {epoch!r}",
            path=path,
        )
    return epoch
