"""``LambdaCallback``: a callback built from plain functions.

Example:
    >>> seen = []
    >>> cb = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    >>> cb.on_epoch_end(3, {}); seen
    [3]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.nn.callbacks.base import Callback

_NAMED = (
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_begin",
    "on_train_end",
    "on_train_batch_begin",
    "on_train_batch_end",
)


class LambdaCallback(Callback):
    """Runs the given functions at the matching hooks, as Keras 3's.

    Epoch hooks get ``(epoch, logs)``, batch hooks ``(batch, logs)``, train
    hooks ``(logs)``. Any other keyword (e.g. ``on_test_begin=f`` or
    ``on_predict_end=f``) is set as an attribute, so it replaces that hook too.

    Args:
        on_epoch_begin, on_epoch_end, on_train_begin, on_train_end,
        on_train_batch_begin, on_train_batch_end: functions, or None.
        **kwargs: further attributes (hooks) to set.

    Example:
        >>> LambdaCallback(custom=1).custom
        1
    """

    def __init__(
        self,
        on_epoch_begin: Callable[..., Any] | None = None,
        on_epoch_end: Callable[..., Any] | None = None,
        on_train_begin: Callable[..., Any] | None = None,
        on_train_end: Callable[..., Any] | None = None,
        on_train_batch_begin: Callable[..., Any] | None = None,
        on_train_batch_end: Callable[..., Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        self.__dict__.update(kwargs)
        given = (
            on_epoch_begin,
            on_epoch_end,
            on_train_begin,
            on_train_end,
            on_train_batch_begin,
            on_train_batch_end,
        )
        for name, function in zip(_NAMED, given, strict=True):
            if function is not None:
                setattr(self, name, function)
