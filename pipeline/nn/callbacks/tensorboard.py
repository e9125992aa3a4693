"""``TensorBoard``: real TensorBoard event files, written without TensorFlow.

Files go to ``log_dir/train`` and ``log_dir/validation``, with Keras 3's tags:

* ``epoch_<metric>`` per epoch (``val_*`` logs go to the validation run without
  the prefix), ``epoch_learning_rate``;
* ``batch_<metric>`` per training batch when ``update_freq`` is "batch" or N
  (every N-th global batch);
* ``<layer>/<weight>/histogram`` every ``histogram_freq`` epochs;
* ``relu_zero_fraction/<layer>``: the fraction of exact zeros in the output of
  every ReLU layer (a ``ReLU`` layer, or a layer whose activation is relu),
  measured each epoch on ``activation_sample`` (or, when not given, on
  ``model.last_train_inputs`` if the training loop sets it), plus
  ``<layer>/activations/histogram`` on histogram epochs. Dying ReLUs show up as a
  fraction that climbs to 1.

Example:
    >>> import tempfile
    >>> tb = TensorBoard(log_dir=tempfile.mkdtemp(), update_freq="batch")
    >>> tb.update_freq
    1
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

from pipeline.nn.callbacks import _activations, _events
from pipeline.nn.callbacks.base import Callback


class TensorBoard(Callback):
    """Write logs, weight histograms and ReLU activity for TensorBoard.

    Args:
        log_dir: the root folder. Default "logs".
        histogram_freq: epochs between weight histograms (0: never). Default 0.
        write_steps_per_second: also log ``epoch_steps_per_second`` (and
            ``batch_steps_per_second`` with batch updates). Default False.
        write_graph, write_images, profile_batch, embeddings_freq,
            embeddings_metadata: accepted for Keras compatibility; graphs,
            images, profiles and embeddings are not written.
        update_freq: "epoch", "batch", or write batch scalars every N batches.
        activation_sample: a batch of model inputs for the ReLU statistics.

    Example:
        >>> TensorBoard(update_freq=0)
        Traceback (most recent call last):
        ...
        ValueError: `update_freq` must be 'epoch', 'batch' or a positive integer. Received: update_freq=0
    """  # noqa: E501

    def __init__(
        self,
        log_dir: str | os.PathLike = "logs",
        histogram_freq: int = 0,
        write_graph: bool = True,
        write_images: bool = False,
        write_steps_per_second: bool = False,
        update_freq: Any = "epoch",
        profile_batch: Any = 0,
        embeddings_freq: int = 0,
        embeddings_metadata: Any = None,
        activation_sample: Any = None,
    ) -> None:
        super().__init__()
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and not (
            isinstance(update_freq, int) and update_freq > 0
        ):
            raise ValueError(
                "`update_freq` must be 'epoch', 'batch' or a positive integer. "
                f"Received: update_freq={update_freq}"
            )
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.update_freq = update_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.activation_sample = activation_sample
        self._writers: dict[str, _events.EventFileWriter] = {}
        self._global_train_batch = 0
        self._epoch_start = self._batch_start = 0.0
        self._epoch_batches = 0

    def _writer(self, run: str) -> _events.EventFileWriter:
        if run not in self._writers:
            self._writers[run] = _events.EventFileWriter(
                os.path.join(self.log_dir, run)
            )
        return self._writers[run]

    def _scalar(self, run: str, tag: str, value: Any, step: int) -> None:
        array = np.asarray(value)
        if array.ndim == 0 and array.dtype.kind in "fiub":
            self._writer(run).add(_events.scalar_event(tag, float(array), step))

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Open the training run."""
        self._global_train_batch = 0
        self._writer("train")

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Start the epoch's clock."""
        self._epoch_start = time.perf_counter()
        self._epoch_batches = 0

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Count the global training step."""
        self._global_train_batch += 1
        self._epoch_batches += 1
        self._batch_start = time.perf_counter()

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Write ``batch_*`` scalars when due."""
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        logs = dict(logs or {})
        if self.write_steps_per_second:
            elapsed = max(time.perf_counter() - self._batch_start, 1e-9)
            logs["steps_per_second"] = 1.0 / elapsed
        for name, value in logs.items():
            self._scalar("train", f"batch_{name}", value, self._global_train_batch)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Write epoch scalars, and histograms and ReLU statistics when due."""
        logs = dict(logs or {})
        optimizer = getattr(self.model, "optimizer", None)
        if "learning_rate" not in logs and hasattr(optimizer, "learning_rate"):
            logs["learning_rate"] = float(np.asarray(optimizer.learning_rate))
        if self.write_steps_per_second:
            elapsed = max(time.perf_counter() - self._epoch_start, 1e-9)
            logs["steps_per_second"] = self._epoch_batches / elapsed
        for name, value in logs.items():
            if name.startswith("val_"):
                self._scalar("validation", f"epoch_{name[4:]}", value, epoch)
            else:
                self._scalar("train", f"epoch_{name}", value, epoch)
        histograms = bool(self.histogram_freq) and epoch % self.histogram_freq == 0
        if histograms:
            self._log_weights(epoch)
        self._log_relu(epoch, histograms)
        for writer in self._writers.values():
            writer.flush()

    def _log_weights(self, epoch: int) -> None:
        for tag, values in _activations.weight_arrays(self.model):
            self._writer("train").add(
                _events.histogram_event(f"{tag}/histogram", values, epoch)
            )

    def _log_relu(self, epoch: int, histograms: bool) -> None:
        sample = self.activation_sample
        if sample is None:
            sample = getattr(self.model, "last_train_inputs", None)
        if sample is None:
            return
        for name, out in _activations.relu_outputs(self.model, sample):
            fraction = float(np.mean(out == 0)) if out.size else 0.0
            self._scalar("train", f"relu_zero_fraction/{name}", fraction, epoch)
            if histograms:
                self._writer("train").add(
                    _events.histogram_event(f"{name}/activations/histogram", out, epoch)
                )

    def on_test_end(self, logs: dict | None = None) -> None:
        """Write ``evaluation_<metric>_vs_iterations`` to the validation run."""
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None or not hasattr(optimizer, "iterations"):
            return
        step = int(np.asarray(optimizer.iterations))
        for name, value in (logs or {}).items():
            self._scalar("validation", f"evaluation_{name}_vs_iterations", value, step)
        self._writer("validation").flush()

    def on_train_end(self, logs: dict | None = None) -> None:
        """Close every event file."""
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
