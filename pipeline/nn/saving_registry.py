"""Where loading may find classes and functions: the registry and ``custom_objects``.

A saved config names objects by plain names (``"relu"``, ``"Dense"``,
``"Custom>scale"``). Loading turns a name into an object only through

* the built-in tables of each module (``activations``, ``initializers``, ...),
* names registered with `register_serializable`,
* the ``custom_objects`` the caller passes to ``load_model``.

It never imports a module or looks up an attribute named in a file, and the
format never stores code, so a file cannot make loading run anything else.

While ``load_model`` runs, a `LoadScope` (a context variable) holds the
caller's ``custom_objects``, ``safe_mode`` and the config path being read, so
that every ``get``/``deserialize`` helper resolves names the same way and an
error can say where in the config the offending name is.

Example:
    >>> with load_scope({"double": abs}):
    ...     lookup("double") is abs
    True
    >>> lookup("double") is None
    True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pipeline.errors import ModelFormatError, PipelineError, UnregisteredObjectError
from pipeline.nn.saving_scope import (
    LoadScope,
    at,
    child_segment,
    current,
    load_scope,
    parent,
    where,
)

# The scope helpers are part of this module's interface (callers write
# ``saving_registry.at(...)``); they live in saving_scope.
__all__ = [
    "LoadScope",
    "at",
    "build",
    "built",
    "check_size",
    "child_segment",
    "current",
    "get_registered_name",
    "load_scope",
    "lookup",
    "names_lambda",
    "parent",
    "refuse",
    "register_serializable",
    "resolve",
    "where",
    "wrap",
    "wrong_type",
]

_REGISTERED: dict[str, Any] = {}
_LAMBDA_MARKERS = ("<lambda>", "<locals>", "__lambda__")


def register_serializable(
    package: str = "Custom", name: str | None = None
) -> Callable[[Any], Any]:
    """Registers a class or function so that saved models can name it.

    The registered name is ``"package>name"`` (``name`` defaults to the
    object's ``__name__``); loading finds it under that name or, when no other
    registered object shares it, under ``name`` alone.

    Args:
        package: the prefix of the registered name. Defaults to ``"Custom"``.
        name: the name; defaults to the object's ``__name__``.

    Returns:
        A decorator that registers its argument and returns it unchanged.

    Raises:
        ValueError: the name is taken by another object.

    Example:
        >>> @register_serializable("Doc")
        ... def halve(x):
        ...     return x / 2
        >>> get_registered_name(halve), lookup("Doc>halve") is halve
        ('Doc>halve', True)
    """

    def decorate(obj: Any) -> Any:
        key = f"{package}>{name or obj.__name__}"
        if _REGISTERED.get(key, obj) is not obj:
            raise ValueError(
                f"{key!r} is already registered to {_REGISTERED[key]!r}. "
                "Pass another `name` or `package`."
            )
        _REGISTERED[key] = obj
        return obj

    return decorate


def get_registered_name(obj: Any) -> str | None:
    """The name `register_serializable` gave ``obj``, or None.

    Example:
        >>> get_registered_name(len) is None
        True
    """
    for key, value in _REGISTERED.items():
        if value is obj:
            return key
    return None


def names_lambda(name: str) -> bool:
    """Whether a saved name denotes a lambda or a nested function.

    Example:
        >>> names_lambda("mod:<lambda>"), names_lambda("relu")
        (True, False)
    """
    return any(marker in name for marker in _LAMBDA_MARKERS)


def lookup(name: str) -> Any:
    """``name`` in the active ``custom_objects``, then in the registry; or None.

    A saved name of a lambda or nested function is only looked up in
    ``custom_objects`` and only when ``safe_mode`` is False.

    Example:
        >>> lookup("no-such-name") is None
        True
    """
    scope = current()
    custom = scope.custom_objects if scope is not None else {}
    if names_lambda(name):
        if scope is None or scope.safe_mode:
            return None
        return _in_custom(name, custom)
    found = _in_custom(name, custom)
    if found is not None:
        return found
    if name in _REGISTERED:
        return _REGISTERED[name]
    matches = [v for k, v in _REGISTERED.items() if k.partition(">")[2] == name]
    return matches[0] if len(matches) == 1 else None


def _in_custom(name: str, custom: Mapping[str, Any]) -> Any:
    for key in (name, name.rpartition(">")[2], name.rpartition(":")[2]):
        if key in custom:
            return custom[key]
    short = name.rpartition(":")[2].rpartition(".")[2]
    return custom.get(short)


def refuse(kind: str, name: Any, known: Any = ()) -> UnregisteredObjectError:
    """The error for a ``kind`` name (``"activation"``) that resolves to nothing.

    The message names the config path, the name, and how to allow it.

    Example:
        >>> with load_scope(), at("layers[2]", "config", "activation"):
        ...     print(refuse("activation", "builtins:eval"))  # doctest: +ELLIPSIS
        Could not interpret activation identifier 'builtins:eval' at layers[2].config.activation: ...
    """  # noqa: E501
    scope = current()
    here = f" at {scope.where()}" if scope is not None else ""
    text = str(name)
    if names_lambda(text) and (scope is None or scope.safe_mode):
        why = (
            "it names a lambda or nested function, which safe_mode=True refuses "
            "(the format never stores code). Pass load_model(..., safe_mode=False, "
            f"custom_objects={{{text.rpartition(':')[2]!r}: fn}}) to supply it"
        )
    else:
        why = (
            "only the project's registry and `custom_objects` are searched. Pass "
            f"custom_objects={{{text.rpartition(':')[2]!r}: obj}} to load_model "
            "or decorate it with pl.nn.saving_registry.register_serializable()"
        )
    shown = sorted(known)[:12] if known else []
    more = f" Known names: {shown}." if shown else ""
    archive = scope.archive if scope is not None else None
    suffix = f" (model file {archive!r}, member 'config.json')" if archive else ""
    return UnregisteredObjectError(
        f"Could not interpret {kind} identifier {name!r}{here}{suffix}: {why}.{more}",
        path=archive,
        member="config.json" if archive else None,
        config_path=scope.where() if scope is not None else None,
    )


def resolve(kind: str, name: Any, builtin: Mapping[str, Any]) -> Any:
    """``builtin[name]``, else `lookup` (custom objects, registry), else `refuse`.

    Example:
        >>> resolve("loss", "mse", {"mse": min}) is min
        True
    """
    if not isinstance(name, str):
        raise refuse(kind, name, builtin)
    if name in builtin:
        return builtin[name]
    found = lookup(name)
    if found is None:
        raise refuse(kind, name, builtin)
    return found


def check_size(shape: Any, what: str, lasting: bool = False) -> None:
    """Inside ``load_model``: refuses an array larger than the file can justify.

    A config read from a file could ask for weights or inputs of billions of
    elements; the weights member bounds what a real model holds. ``lasting``
    arrays (weights) count against the scope's budget in all; others (the
    stand-in inputs of a symbolic call) may each be as large as the budget.

    Example:
        >>> with load_scope(max_elements=10):
        ...     check_size((2, 5), "weight 'w'", lasting=True)
        ...     check_size((1,), "weight 'b'", lasting=True)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pipeline.errors.ModelFormatError: weight 'b' of shape (1,) at <root> ...
    """
    scope = current()
    if scope is None or scope.budget is None:
        return
    count = 1
    for d in shape:
        if type(d) is not int:
            return  # the layer refuses it itself
        count *= max(d, 0)
    largest, left = scope.budget
    limit = left if lasting else largest
    if count > limit:
        suffix = f" (model file {scope.archive!r})" if scope.archive else ""
        raise ModelFormatError(
            f"{what} of shape {tuple(shape)} at {scope.where()} needs {count} "
            f"elements, more than the weights stored in the file justify "
            f"({limit} allowed){suffix}; refusing to build it",
            path=scope.archive,
            member="config.json" if scope.archive else None,
            config_path=scope.where(),
        )
    if lasting:
        scope.budget[1] = left - count


def wrong_type(what: str, value: Any) -> ModelFormatError:
    """The error for a config value of the wrong type at the current path.

    Example:
        >>> print(wrong_type("a dict", 3))
        expected a dict at <root>, got int 3
    """
    scope = current()
    archive = scope.archive if scope is not None else None
    where_ = scope.where() if scope is not None else "<root>"
    shown = repr(value)
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    suffix = f" (model file {archive!r}, member 'config.json')" if archive else ""
    return ModelFormatError(
        f"expected {what} at {where_}, got {type(value).__name__} {shown}{suffix}",
        path=archive,
        member="config.json" if archive else None,
        config_path=where_,
    )


def build(kind: str, identifier: Any, builtin: Mapping[str, Any]) -> Any:
    """The object a ``{"class_name", "config"}`` dict describes.

    The class comes from `resolve`; it is built with ``from_config`` (or called
    with the config as keyword arguments). Inside ``load_model`` a config the
    class rejects (``TypeError``/``ValueError``) becomes a `ModelFormatError`
    naming the config path.

    Example:
        >>> class Box:
        ...     def __init__(self, size):
        ...         self.size = size
        >>> build("box", {"class_name": "Box", "config": {"size": 2}}, {"Box": Box}).size
        2
    """  # noqa: E501
    if not isinstance(identifier, Mapping):
        raise wrong_type(f"a {kind} config (a dict)", identifier)
    with at("class_name"):
        cls = resolve(kind, identifier.get("class_name"), builtin)
    config = identifier.get("config", {})
    with at("config"):
        if not isinstance(config, Mapping):
            raise wrong_type(f"the {kind}'s config (a dict)", config)
        what = f"{kind} {identifier.get('class_name')!r}"
        if hasattr(cls, "from_config"):
            return built(what, cls.from_config, dict(config))
        return built(what, cls, **config)


def wrap(error: Exception, what: str) -> Exception:
    """``error`` as a `ModelFormatError` naming ``what`` and the config path.

    Our own errors and errors outside ``load_model`` come back unchanged.

    Example:
        >>> e = TypeError("x")
        >>> wrap(e, "layer") is e
        True
    """
    scope = current()
    if scope is None or isinstance(error, PipelineError):
        return error
    archive = scope.archive
    suffix = f" (model file {archive!r}, member 'config.json')" if archive else ""
    return ModelFormatError(
        f"cannot build {what} from the config at {scope.where()}: "
        f"{type(error).__name__}: {error}{suffix}",
        path=archive,
        member="config.json" if archive else None,
        config_path=scope.where(),
    )


# What model code raises when a config read from a file has the wrong shape.
BUILD_ERRORS = (
    TypeError,
    ValueError,
    KeyError,
    IndexError,
    AttributeError,
    ArithmeticError,
    NotImplementedError,  # a config naming the bare base Layer (its call raises)
)


def built(what: str, step: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """``step(*args, **kwargs)``, its errors on a bad config named by `wrap`.

    Inside ``load_model`` an error of model code on a config of the wrong
    shape (one of ``BUILD_ERRORS``) becomes a `ModelFormatError` naming
    ``what`` and the config path, chained to the original. Our own errors, and
    every error outside ``load_model``, propagate unchanged with their causes.

    Example:
        >>> built("a sum", sum, [1, 2])
        3
    """
    try:
        return step(*args, **kwargs)
    except BUILD_ERRORS as e:
        wrapped = wrap(e, what)
        if wrapped is e:
            raise
        raise wrapped from e
