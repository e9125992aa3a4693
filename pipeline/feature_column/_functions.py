"""Saving the functions a column holds (normalizers, initializers) by name.

A function is saved as ``{"function": "module:qualname"}`` (or its registered
name) and an object with ``get_config`` as ``{"module", "class_name",
"config"}``. Loading never imports the module a config names: names resolve
from a short table of our own (pure numpy math, `Normalization`), the
caller's ``custom_objects`` and `pl.nn.saving_registry`.

Example:
    >>> import numpy as np
    >>> deserialize_function(serialize_function(np.log1p)) is np.log1p
    True
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

from pipeline.nn import saving_registry

__all__ = ["deserialize_function", "serialize_function"]


def serialize_function(fn: Any) -> Any:
    """Config of a normalizer or initializer: data objects by class, functions by name.

    Objects with ``get_config`` are stored as ``{"module", "class_name", "config"}``
    (plus ``registered_name`` for a registered class); functions registered
    with `pl.nn.saving_registry.register_serializable` by that name; other
    module-level functions as ``{"function": "module:qualname"}`` (loading
    needs them in ``custom_objects``). An unregistered lambda or closure
    cannot be reloaded without its code, so it is refused.

    Raises:
        ValueError: ``fn`` is a lambda or a nested function.

    Example:
        >>> import math
        >>> serialize_function(math.sqrt)
        {'function': 'math:sqrt'}
    """
    if fn is None:
        return None
    if hasattr(fn, "get_config") and not isinstance(fn, type):
        cls = type(fn)
        out = {
            "module": cls.__module__,
            "class_name": cls.__qualname__,
            "config": fn.get_config(),
        }
        registered = saving_registry.get_registered_name(cls)
        return {**out, "registered_name": registered} if registered else out
    registered = saving_registry.get_registered_name(fn)
    if registered is not None:
        return {"function": registered}
    qualname = getattr(fn, "__qualname__", "")
    if "<" in qualname or not qualname:
        raise ValueError(
            f"cannot save {fn!r} in a config: lambdas and nested functions cannot be "
            "reloaded without their code. Use a module-level function, or an object "
            "with get_config() (e.g. pl.feature_column.Normalization)."
        )
    return {"function": f"{fn.__module__}:{qualname}"}


def deserialize_function(
    config: Any,
    custom_objects: dict[str, Any] | None = None,
    safe_mode: bool = True,
) -> Any:
    """Inverse of `serialize_function`, without importing anything named.

    ``{"function": name}`` resolves from a short list of pure numpy math
    functions (``numpy:log1p``, ...), then ``custom_objects`` (by the saved
    name, its part after ``:``, or its last dotted part), then
    `pl.nn.saving_registry`. ``{"module", "class_name", "config"}`` resolves the
    class the same way (our `Normalization` is built in) and calls its
    ``from_config``. Names of lambdas and nested functions are refused unless
    ``safe_mode`` is False and ``custom_objects`` supplies them.

    Args:
        config: `serialize_function`'s output, or None.
        custom_objects: functions and classes by name. Defaults to none.
        safe_mode: refuse names of lambdas and nested functions. Defaults to True.

    Raises:
        UnregisteredObjectError: (a ``ValueError``) a name found nowhere
            (``"builtins:eval"``, ``"os:system"``).

    Example:
        >>> deserialize_function({"function": "numpy:sqrt"})(4.0)
        np.float64(2.0)
        >>> def halve(x):
        ...     return x / 2
        >>> deserialize_function({"function": "mine:halve"}, {"halve": halve})(4.0)
        2.0
    """
    if config is None:
        return None
    if saving_registry.current() is None:
        with saving_registry.load_scope(custom_objects, safe_mode):
            return deserialize_function(config)
    if not isinstance(config, dict):
        raise saving_registry.wrong_type("a function config (a dict)", config)
    if "function" in config:
        with saving_registry.at("function"):
            return saving_registry.resolve("function", config["function"], _FUNCTIONS)
    name = config.get("registered_name") or (
        f"{config.get('module')}:{config.get('class_name')}"
    )
    if name in _FUNCTION_CLASSES:
        module, attr = _FUNCTION_CLASSES[name]
        cls = getattr(importlib.import_module(module), attr)
    else:
        cls = saving_registry.resolve("function class", name, {})
    with saving_registry.at("config"):
        inner = config.get("config")
        if not isinstance(inner, dict):
            raise saving_registry.wrong_type("a dict", inner)
        if hasattr(cls, "from_config"):
            return saving_registry.built(name, cls.from_config, inner)
        return saving_registry.built(name, cls, **inner)


# Functions a saved column may name without `custom_objects`: pure numpy math.
_FUNCTIONS: dict[str, Any] = {
    f"numpy:{f.__name__}": f
    for f in (np.abs, np.exp, np.expm1, np.log, np.log1p, np.log2, np.log10,
              np.sqrt, np.cbrt, np.square, np.tanh, np.sign, np.arcsinh)
}  # fmt: skip
# Our own classes a saved column may name, with the (constant) module holding
# each; loading imports nothing else.
_FUNCTION_CLASSES = {
    "pipeline.feature_column.columns_numeric:Normalization": (
        "pipeline.feature_column.columns_numeric",
        "Normalization",
    ),
}
