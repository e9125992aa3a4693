"""``CallbackList``: one object that calls each hook on every callback.

Example:
    >>> from pipeline.nn.callbacks.base import Callback
    >>> class Hello(Callback):
    ...     def on_train_begin(self, logs=None):
    ...         print("hello")
    >>> CallbackList([Hello()]).on_train_begin()
    hello
"""

from __future__ import annotations

from typing import Any

from pipeline.nn.callbacks.base import Callback
from pipeline.nn.callbacks.history import History
from pipeline.nn.callbacks.progbar import ProgbarLogger

_HOOKS = (
    "on_batch_begin",
    "on_batch_end",
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
    "on_train_begin",
    "on_train_end",
    "on_test_begin",
    "on_test_end",
    "on_predict_begin",
    "on_predict_end",
)


def _dispatch(name: str):
    indexed = "batch" in name or "epoch" in name  # (batch or epoch, logs)

    def hook(self: CallbackList, *args: Any, **kwargs: Any) -> None:
        # Keras hands every callback a dict: ``logs=None`` becomes ``{}``
        if "logs" in kwargs:
            kwargs["logs"] = {} if kwargs["logs"] is None else kwargs["logs"]
        elif len(args) == int(indexed):
            kwargs["logs"] = {}
        elif args[-1] is None:
            args = (*args[:-1], {})
        for callback in self.callbacks:
            getattr(callback, name)(*args, **kwargs)

    hook.__name__ = name
    hook.__doc__ = f"Call ``{name}`` on every callback, in order."
    return hook


class CallbackList(Callback):
    """Calls each hook on every callback in order.

    Args:
        callbacks: the user's callbacks (or None).
        add_history: append a ``History`` unless one is given. Default False.
        add_progbar: append a ``ProgbarLogger`` unless one is given. Default False.
        model: the model, passed to every callback.
        **params: the loop's parameters (``epochs``, ``steps``, ``verbose``).

    Example:
        >>> cbs = CallbackList(add_history=True, epochs=2)
        >>> type(cbs.callbacks[-1]).__name__, cbs.params
        ('History', {'epochs': 2})
    """

    def __init__(
        self,
        callbacks: list[Callback] | None = None,
        add_history: bool = False,
        add_progbar: bool = False,
        model: Any = None,
        **params: Any,
    ) -> None:
        super().__init__()
        self.callbacks = list(callbacks or [])
        if add_progbar and not any(
            isinstance(c, ProgbarLogger) for c in self.callbacks
        ):
            self.callbacks.append(ProgbarLogger())
        if add_history and not any(isinstance(c, History) for c in self.callbacks):
            self.callbacks.append(History())
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def append(self, callback: Callback) -> None:
        """Add a callback at the end.

        Example:
            >>> cbs = CallbackList(); cbs.append(Callback()); len(cbs.callbacks)
            1
        """
        self.callbacks.append(callback)
        if self._model is not None:
            callback.set_model(self._model)
        if self.params:
            callback.set_params(self.params)

    def set_model(self, model: Any) -> None:
        """Give ``model`` to every callback."""
        super().set_model(model)
        for callback in self.callbacks:
            callback.set_model(model)

    def set_params(self, params: dict[str, Any]) -> None:
        """Give ``params`` to every callback."""
        super().set_params(params)
        for callback in self.callbacks:
            callback.set_params(params)

    def __iter__(self):
        return iter(self.callbacks)


for _name in _HOOKS:
    setattr(CallbackList, _name, _dispatch(_name))
del _name
