"""``SwapEMAWeights``: evaluate (and optionally checkpoint) with the
optimizer's exponential moving average of the weights.

Example:
    >>> SwapEMAWeights(swap_on_epoch=True).swap_on_epoch
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.nn.callbacks.base import Callback


class SwapEMAWeights(Callback):
    """Swap the model's weights with the optimizer's EMA while evaluating.

    Needs an optimizer created with ``use_ema=True``. Validation and
    ``evaluate``/``predict`` run on the averaged weights; training goes on
    with the raw ones. With ``swap_on_epoch`` the averages are also in the
    model during ``on_epoch_end`` (so a ``ModelCheckpoint`` listed after this
    callback saves them), and after the last epoch they stay there.

    Args:
        swap_on_epoch: also swap at each epoch end. Default False.

    Example:
        >>> SwapEMAWeights()._ema_weights_in_model
        False
    """

    def __init__(self, swap_on_epoch: bool = False) -> None:
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _optimizer(self) -> Any:
        optimizer = getattr(
            self.model.optimizer, "inner_optimizer", self.model.optimizer
        )
        if not getattr(optimizer, "use_ema", False):
            raise ValueError(
                "SwapEMAWeights must be used when `use_ema=True` is set on the "
                f"optimizer. Received: use_ema={getattr(optimizer, 'use_ema', None)}"
            )
        return optimizer

    def _pairs(self) -> list[tuple[Any, Any]]:
        optimizer = self._optimizer()
        return list(
            zip(
                optimizer._trainable_variables,
                optimizer._model_variables_moving_average,
                strict=True,
            )
        )

    def _swap(self, into_model: bool) -> None:
        if self._ema_weights_in_model == into_model:
            return
        for var, average in self._pairs():
            held = np.array(np.asarray(var), copy=True)
            var.assign(np.asarray(average))
            average.assign(held)
        self._ema_weights_in_model = into_model

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Put the raw weights back for training (``swap_on_epoch``)."""
        if self.swap_on_epoch:
            self._swap(False)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Bring the averages in (``swap_on_epoch``); keep them after the
        last epoch."""
        if not self.swap_on_epoch:
            return
        self._swap(True)
        if epoch == self.params.get("epochs", 0) - 1:
            for var, average in self._pairs():
                average.assign(np.asarray(var))

    def on_test_begin(self, logs: dict | None = None) -> None:
        """Evaluate with the averages."""
        self._swap(True)

    def on_test_end(self, logs: dict | None = None) -> None:
        """Back to the raw weights."""
        self._swap(False)

    def on_predict_begin(self, logs: dict | None = None) -> None:
        """Predict with the averages."""
        self._swap(True)

    def on_predict_end(self, logs: dict | None = None) -> None:
        """Back to the raw weights."""
        self._swap(False)
