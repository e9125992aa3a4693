"""The scope of one ``load_model`` call: its ``custom_objects``, ``safe_mode``,
the archive and the config path being read.

A `LoadScope` lives in a context variable while a model is loaded, so that every
``get``/``deserialize`` helper (`pipeline.nn.saving_registry`) resolves names the
same way and an error can say where in the config the offending name is.

Example:
    >>> with load_scope(), at("layers[0]", "config"):
    ...     where()
    'layers[0].config'
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

# The config dict being built around the current call, so that an entry of
# one of its lists can name itself (``layers[2]``, ``feature_columns[0]``).
_PARENT: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "pipeline_nn_config_parent", default=None
)


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
