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

from pipeline.io.example_features import RaggedFeature
from pipeline.io.example_spec import FixedLenFeature, FixedLenSequenceFeature

__all__ = ["DeclaredShapes", "collecting", "declare", "declare_parsed"]


class DeclaredShapes:
    """Shapes declared for output objects, by identity (objects are held)."""

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[Any, tuple[int | None, ...], Any]] = {}

    def add(self, value: Any, shape: tuple[int | None, ...], like: Any = None) -> None:
        """Record ``shape`` for ``value`` (kept alive so its id stays its own)."""
        self._by_id[id(value)] = (value, tuple(shape), like)

    def shape_of(self, value: Any) -> tuple[int | None, ...] | None:
        """The shape declared for this very object, or None (see `declared`)."""
        held = self.declared(value)
        return held[0] if held is not None and held[1] is None else None

    def refers_to_inputs(self) -> bool:
        """Whether some declared shape depends on the input's (``like``)."""
        return any(held[2] is not None for held in self._by_id.values())

    def declared(self, value: Any) -> tuple[tuple[int | None, ...], Any] | None:
        """``(shape, like)`` declared for this very object, or None."""
        held = self._by_id.get(id(value))
        return held[1:] if held is not None and held[0] is value else None


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


def declare(value: Any, shape: tuple[int | None, ...], like: Any = None) -> None:
    """Declare ``value``'s static shape (unknown dims None); a no-op outside
    `collecting`.

    With ``like`` (the function's input, e.g. a batch of records), the
    shape is ``like``'s static shape followed by ``shape``: the map knows
    its input's spec, the function does not.
    """
    shapes = _CURRENT.get()
    if shapes is not None:
        shapes.add(value, shape, like)


def declare_parsed(out: dict[str, Any], features: Any, like: Any = None) -> None:
    """Declare the static shapes of a parsed Example's dense outputs.

    ``like`` is the batch of records for `parse_example` (its size is the
    input's); None for one record. A no-op outside `collecting`.
    """
    if _CURRENT.get() is None:
        return
    for key, value in out.items():
        shape = _feature_shape(features.get(key), batched=like is not None)
        if shape is not None:
            declare(value, shape, like)


def _feature_shape(feature: Any, batched: bool) -> tuple[int | None, ...] | None:
    """One record's static shape where the data sets a dim (TF's None);
    None where the sample's shape is already TF's (a batch's size comes from
    the input's spec, so a batched fixed shape is declared too)."""
    if batched and isinstance(feature, FixedLenFeature):
        return tuple(int(d) for d in feature.shape)
    if isinstance(feature, FixedLenSequenceFeature):
        return (None, *(int(d) for d in feature.shape))
    if isinstance(feature, RaggedFeature) and not feature.partitions:
        return (None,)
    return None
