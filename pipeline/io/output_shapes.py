"""Static output shapes that our parsing functions declare for ``map``.

A ``map``'s ``element_spec`` comes from one sample output, so a dimension
that depends on the data (a ``FixedLenSequenceFeature``'s steps, a
``RaggedFeature``'s values) would report the sample's size. TF traces the
function and reports None there. Functions that know their output's static
shape (`pipeline.io.parse_single_example`) declare it with `declare` while a
map's spec is worked out (`collecting`); the map then uses the declared
shape for any output leaf that is that very object (returned unchanged by
the user's function). A leaf the function computed from it keeps the
sample's shape.

Example:
    >>> out = np.zeros(3)
    >>> with collecting() as shapes:
    ...     declare(out, (None,))
    >>> shapes.shape_of(out), shapes.shape_of(np.zeros(3))
    ((None,), None)
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

import numpy as np  # noqa: F401 (the doctest's namespace)

__all__ = ["DeclaredShapes", "collecting", "declare"]


class DeclaredShapes:
    """Shapes declared for output objects, by identity (objects are held)."""

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[Any, tuple[int | None, ...]]] = {}

    def add(self, value: Any, shape: tuple[int | None, ...]) -> None:
        """Record ``shape`` for ``value`` (kept alive so its id stays its own)."""
        self._by_id[id(value)] = (value, tuple(shape))

    def shape_of(self, value: Any) -> tuple[int | None, ...] | None:
        """The shape declared for this very object, or None."""
        held = self._by_id.get(id(value))
        return held[1] if held is not None and held[0] is value else None


_CURRENT: contextvars.ContextVar[DeclaredShapes | None] = contextvars.ContextVar(
    "pipeline_declared_shapes", default=None
)


@contextlib.contextmanager
def collecting() -> Iterator[DeclaredShapes]:
    """Collect the shapes declared by calls made inside the block."""
    shapes = DeclaredShapes()
    token = _CURRENT.set(shapes)
    try:
        yield shapes
    finally:
        _CURRENT.reset(token)


def declare(value: Any, shape: tuple[int | None, ...]) -> None:
    """Declare ``value``'s static shape (unknown dims None); a no-op outside
    `collecting`."""
    shapes = _CURRENT.get()
    if shapes is not None:
        shapes.add(value, shape)
