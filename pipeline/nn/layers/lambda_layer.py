"""``Lambda``: wraps a function of tensors as a layer (Keras 3's ``Lambda``).

Configs store functions by name only, never code: loading resolves the name
in ``custom_objects`` or the ``saving_registry``. A Python lambda (or nested
function) loads only with ``safe_mode=False`` and only from ``custom_objects``;
Keras's marshalled bytecode (``"__lambda__"`` configs) is always refused.

Example:
    >>> import numpy as np
    >>> Lambda(lambda x: x * 2)(np.array([[1.0, 2.0]])).numpy().tolist()
    [[2.0, 4.0]]
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable
from typing import Any

from pipeline.nn import saving_registry
from pipeline.nn.layers.base import Layer

_LAMBDA_REFUSED = (
    "Requested the deserialization of a `Lambda` layer whose `function` is "
    "stored as Python bytecode. pipeline.nn never runs code read from a config: "
    "register the function (pl.nn.saving_registry.register_serializable) or "
    "pass it in `custom_objects`."
)


def _function_config(fn: Callable[..., Any]) -> dict[str, Any]:
    registered = saving_registry.get_registered_name(fn)
    name = registered or f"{fn.__module__}:{fn.__qualname__}"
    return {"module": fn.__module__, "class_name": "function",
            "config": fn.__name__, "registered_name": name}  # fmt: skip


def _resolve_function(config: Any) -> Callable[..., Any]:
    if callable(config):
        return config
    if isinstance(config, dict) and config.get("class_name") == "__lambda__":
        raise ValueError(_LAMBDA_REFUSED)
    short = config.get("config") if isinstance(config, dict) else config
    scope = saving_registry.current()
    custom = scope.custom_objects if scope is not None else {}
    if isinstance(short, str) and short in custom:
        return custom[short]  # what the caller passed, by the name Keras writes
    name = config.get("registered_name") or short if isinstance(config, dict) else short
    found = saving_registry.lookup(name) if isinstance(name, str) else None
    if found is None:
        raise saving_registry.refuse("Lambda function", name)
    return found


def _is_function_config(value: Any) -> bool:
    return isinstance(value, dict) and "class_name" in value


class Lambda(Layer):
    """Calls ``function(inputs, **arguments)``.

    Args:
        function: a callable of the inputs (it receives ``mask=`` and
            ``training=`` when its signature names them).
        output_shape: optional: the output shape without the batch axis, or a
            callable of the input shape. Inferred by running when omitted.
        mask: optional: the output mask, or a callable ``(inputs, mask)``;
            with one the layer supports masking.
        arguments: optional keyword arguments for ``function``.

    Raises:
        ValueError: from ``from_config`` for a function stored as bytecode;
            UnregisteredObjectError for a name found nowhere.

    Example:
        >>> Lambda(lambda x: x, output_shape=(3,)).compute_output_shape((None, 5))
        (None, 3)
    """

    def __init__(
        self,
        function: Callable[..., Any],
        output_shape: Any = None,
        mask: Any = None,
        arguments: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self.supports_masking = mask is not None
        self._lambda_output_shape = output_shape
        params = inspect.signature(function).parameters
        self._fn_mask, self._fn_training = "mask" in params, "training" in params
        self.built = True

    def call(self, inputs: Any, mask: Any = None, training: Any = None) -> Any:
        kwargs = dict(self.arguments)
        if self._fn_mask:
            kwargs["mask"] = mask
        if self._fn_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """``mask(inputs, mask)`` when ``mask`` is callable, else ``mask``.

        Example:
            >>> Lambda(abs).compute_mask([1.0], None) is None
            True
        """
        return self.mask(inputs, mask) if callable(self.mask) else self.mask

    def compute_output_shape(self, input_shape: Any) -> Any:
        """From ``output_shape`` (a callable, or a shape behind the batch axis).

        Example:
            >>> Lambda(abs, output_shape=lambda s: s).compute_output_shape((None, 2))
            (None, 2)
        """
        given = self._lambda_output_shape
        if given is None:
            return super().compute_output_shape(input_shape)
        if callable(given):
            return given(input_shape)
        batch = input_shape[0] if input_shape else None
        return (batch, *tuple(given))

    def get_config(self) -> dict[str, Any]:
        config = {**super().get_config(), "function": _function_config(self.function)}
        given = self._lambda_output_shape
        if given is not None:
            config["output_shape"] = (
                _function_config(given) if callable(given) else list(given)
            )
        if callable(self.mask):
            config["mask"] = _function_config(self.mask)
        config["arguments"] = dict(self.arguments)
        return config

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: Any = None, safe_mode: Any = None
    ) -> Lambda:
        """Rebuilds the layer, resolving its functions by name (never code).

        Example:
            >>> def double(x):
            ...     return x * 2
            >>> config = Lambda(double).get_config()
            >>> clone = Lambda.from_config(config, custom_objects={"double": double})
            >>> clone.function is double
            True
        """
        config = dict(config)
        scope: Any = contextlib.nullcontext()
        if saving_registry.current() is None:
            safe = True if safe_mode is None else bool(safe_mode)
            scope = saving_registry.load_scope(custom_objects, safe_mode=safe)
        with scope:
            config["function"] = _resolve_function(config["function"])
            for key in ("output_shape", "mask"):
                if _is_function_config(config.get(key)):
                    config[key] = _resolve_function(config[key])
            if isinstance(config.get("output_shape"), list):
                config["output_shape"] = tuple(config["output_shape"])
        return cls(**config)
