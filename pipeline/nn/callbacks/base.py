"""``Callback``: Keras 3's hooks into fit/evaluate/predict.

The training loop drives callbacks through one ``CallbackList`` (see
``callback_list``)::

    callbacks = CallbackList(user_callbacks, add_history=True, model=model,
                             epochs=epochs, steps=steps_per_epoch, verbose=verbose)
    callbacks.on_train_begin()
    for epoch in range(initial_epoch, epochs):
        callbacks.on_epoch_begin(epoch)
        for step, batch in enumerate(batches):
            callbacks.on_train_batch_begin(step)
            logs = train_step(batch)          # running means, Python floats
            callbacks.on_train_batch_end(step, logs)
            if model.stop_training: break
        epoch_logs = {...train metrics..., **{"val_" + k: v ...}}
        callbacks.on_epoch_end(epoch, epoch_logs)   # may edit epoch_logs
        if model.stop_training: break
    callbacks.on_train_end(epoch_logs)
    return model.history                     # the History callback

``evaluate`` calls ``on_test_begin/on_test_batch_begin/on_test_batch_end/on_test_end``
and ``predict`` the ``on_predict_*`` hooks. Callbacks read and set
``model.stop_training``, call ``model.get_weights()/set_weights()``,
``model.save(path)``, ``model.save_weights(path)``, and read and set
``model.optimizer.learning_rate``.

Example:
    >>> class Count(Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         print("epoch", epoch, logs)
    >>> Count().on_epoch_end(0, {"loss": 1.0})
    epoch 0 {'loss': 1.0}
"""

from __future__ import annotations

from typing import Any


class Callback:
    """Base class of callbacks: override the hooks you need.

    ``self.model`` is the model being trained and ``self.params`` the dict of
    ``epochs``, ``steps`` and ``verbose`` the loop passed. Batch hooks get the
    batch index in the epoch; ``logs`` are dicts of Python floats.

    Example:
        >>> class Stop(Callback):
        ...     def on_train_batch_end(self, batch, logs=None):
        ...         self.model.stop_training = batch >= 2
        >>> cb = Stop()
        >>> cb.set_model(type("M", (), {})())
        >>> cb.on_train_batch_end(3); cb.model.stop_training
        True
    """

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self._model: Any = None

    def set_params(self, params: dict[str, Any]) -> None:
        """Receive the loop's parameters (``epochs``, ``steps``, ``verbose``)."""
        self.params = params

    def set_model(self, model: Any) -> None:
        """Receive the model this callback watches."""
        self._model = model

    @property
    def model(self) -> Any:
        """The model being trained, evaluated or run."""
        return self._model

    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Legacy alias called by ``on_train_batch_begin``."""

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Legacy alias called by ``on_train_batch_end``."""

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """At the start of an epoch (0-based ``epoch``)."""

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """At the end of an epoch; ``logs`` has the epoch's metrics (``val_*`` too)."""

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Before a training batch."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """After a training batch; ``logs`` has the running epoch means."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Before an evaluation batch."""

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """After an evaluation batch."""

    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Before a prediction batch."""

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """After a prediction batch."""

    def on_train_begin(self, logs: dict | None = None) -> None:
        """At the start of ``fit``."""

    def on_train_end(self, logs: dict | None = None) -> None:
        """At the end of ``fit``."""

    def on_test_begin(self, logs: dict | None = None) -> None:
        """At the start of ``evaluate`` (also validation inside ``fit``)."""

    def on_test_end(self, logs: dict | None = None) -> None:
        """At the end of ``evaluate``."""

    def on_predict_begin(self, logs: dict | None = None) -> None:
        """At the start of ``predict``."""

    def on_predict_end(self, logs: dict | None = None) -> None:
        """At the end of ``predict``."""
