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

import contextlib
import contextvars
import dataclasses
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pipeline.errors import ModelFormatError, PipelineError, UnregisteredObjectError

_REGISTERED: dict[str, Any] = {}
# The config dict being built around the current call, so that an entry of
# one of its lists can name itself (``layers[2]``, ``feature_columns[0]``).
_PARENT: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "pipeline_nn_config_parent", default=None
)
_LAMBDA_MARKERS = ("<lambda>", "<locals>", "__lambda__")


@dataclasses.dataclass(frozen=True)
class LoadScope:
    """What one ``load_model`` call may resolve names against.

    Attributes:
        custom_objects: the caller's objects by name.
        safe_mode: whether names of lambdas and nested functions are refused.
        path: the config path being read, one segment per level.
        archive: the file being loaded (for error messages), or None.

    Example:
        >>> LoadScope({}, True, ("layers[0]", "config")).where()
        'layers[0].config'
    """

    custom_objects: Mapping[str, Any]
    safe_mode: bool = True
    path: tuple[str, ...] = ()
    archive: str | None = None
    # [largest array, elements left for weights]; shared by every copy.
    budget: list[int] | None = None

    def where(self) -> str:
        """The path as ``layers[2].config.activation`` (``<root>`` when empty)."""
        out = ""
        for segment in self.path:
            out += segment if segment.startswith("[") or not out else f".{segment}"
        return out or "<root>"


_SCOPE: contextvars.ContextVar[LoadScope | None] = contextvars.ContextVar(
    "pipeline_nn_load_scope", default=None
)


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


@contextlib.contextmanager
def load_scope(
    custom_objects: Mapping[str, Any] | None = None,
    safe_mode: bool = True,
    archive: str | None = None,
    max_elements: int | None = None,
) -> Iterator[LoadScope]:
    """Makes ``custom_objects`` and ``safe_mode`` visible to every resolver.

    Args:
        custom_objects: objects by name. Defaults to none.
        safe_mode: refuse names of lambdas and nested functions. Defaults to True.
        archive: the file being loaded, for messages. Defaults to None.
        max_elements: how many array elements the model may allocate while it
            is built (its weights in all; any one stand-in input); see
            `check_size`. Defaults to no limit.

    Example:
        >>> with load_scope(safe_mode=False) as scope:
        ...     current().safe_mode
        False
    """
    if custom_objects is not None and not isinstance(custom_objects, Mapping):
        raise TypeError(
            "`custom_objects` must be a dict of names to objects. "
            f"Received: custom_objects={custom_objects!r}"
        )
    budget = None if max_elements is None else [max_elements, max_elements]
    scope = LoadScope(dict(custom_objects or {}), bool(safe_mode), (), archive, budget)
    token = _SCOPE.set(scope)
    try:
        yield scope
    finally:
        _SCOPE.reset(token)


def current() -> LoadScope | None:
    """The active `LoadScope`, or None outside ``load_model``.

    Example:
        >>> current() is None
        True
    """
    return _SCOPE.get()


@contextlib.contextmanager
def at(*segments: str) -> Iterator[None]:
    """Appends ``segments`` to the config path while the block runs.

    Outside a load scope it does nothing.

    Example:
        >>> with load_scope(), at("layers[1]", "config"):
        ...     current().where()
        'layers[1].config'
    """
    scope = _SCOPE.get()
    if scope is None:
        yield
        return
    token = _SCOPE.set(dataclasses.replace(scope, path=scope.path + segments))
    try:
        yield
    finally:
        _SCOPE.reset(token)


def where() -> str:
    """The current config path, or ``"<root>"``.

    Example:
        >>> where()
        '<root>'
    """
    scope = _SCOPE.get()
    return scope.where() if scope is not None else "<root>"


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
    scope = _SCOPE.get()
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
    scope = _SCOPE.get()
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
    scope = _SCOPE.get()
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
    scope = _SCOPE.get()
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
        try:
            if hasattr(cls, "from_config"):
                return cls.from_config(dict(config))
            return cls(**config)
        except (TypeError, ValueError, KeyError) as e:
            raise wrap(e, f"{kind} {identifier.get('class_name')!r}") from e


def wrap(error: Exception, what: str) -> Exception:
    """``error`` as a `ModelFormatError` naming ``what`` and the config path.

    Our own errors and errors outside ``load_model`` come back unchanged.

    Example:
        >>> e = TypeError("x")
        >>> wrap(e, "layer") is e
        True
    """
    scope = _SCOPE.get()
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


@contextlib.contextmanager
def parent(config: Any) -> Iterator[None]:
    """Marks ``config`` as the config being built, for `child_segment`.

    Example:
        >>> entry = {"class_name": "Dense"}
        >>> with parent({"layers": [{}, entry]}):
        ...     child_segment(entry)
        ('layers[1]',)
    """
    token = _PARENT.set(config)
    try:
        yield
    finally:
        _PARENT.reset(token)


def child_segment(entry: Any) -> tuple[str, ...]:
    """``("key[i]",)`` when ``entry`` is item ``i`` of a list in the parent config.

    Example:
        >>> child_segment({})
        ()
    """
    found = _PARENT.get()
    if not isinstance(found, Mapping):
        return ()
    for key, value in found.items():
        if isinstance(value, list):
            for i, item in enumerate(value):
                if item is entry:
                    return (f"{key}[{i}]",)
    return ()
