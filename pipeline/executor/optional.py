"""`Optional`: a value or nothing (``tf.experimental.Optional``).

``DatasetIterator.get_next_as_optional()`` returns one: empty at the end of
the data instead of raising.

Example:
    >>> Optional.from_value(3).get_value(), Optional.empty(None).has_value()
    (3, False)
"""

from __future__ import annotations

from typing import Any

from pipeline.errors import InvalidArgumentError

_NOTHING = object()


class Optional:
    """A value that may be missing, with the ``element_spec`` it would have.

    Build one with ``Optional.from_value(value)`` or
    ``Optional.empty(element_spec)``.

    Example:
        >>> opt = Optional.empty(None)
        >>> opt.has_value()
        False
        >>> opt.get_value()
        Traceback (most recent call last):
        ...
        pipeline.errors.InvalidArgumentError: The Optional has no value.
    """

    def __init__(self, value: Any, element_spec: Any) -> None:
        self._value = value
        self._element_spec = element_spec

    @staticmethod
    def from_value(value: Any) -> Optional:
        """An Optional holding ``value``.

        Example:
            >>> Optional.from_value((1, 2)).get_value()
            (1, 2)
        """
        from pipeline.graph.structure import spec_of

        return Optional(value, spec_of(value))

    @staticmethod
    def empty(element_spec: Any) -> Optional:
        """An Optional with no value, for elements of ``element_spec``.

        Example:
            >>> Optional.empty(None).has_value()
            False
        """
        return Optional(_NOTHING, element_spec)

    @property
    def element_spec(self) -> Any:
        """The spec of the value (held or not)."""
        return self._element_spec

    def has_value(self) -> bool:
        """Whether a value is held."""
        return self._value is not _NOTHING

    def get_value(self) -> Any:
        """The value; `InvalidArgumentError` when there is none (as TF)."""
        if self._value is _NOTHING:
            raise InvalidArgumentError("The Optional has no value.")
        return self._value

    def __repr__(self) -> str:
        if not self.has_value():
            return "Optional(<empty>)"
        return f"Optional({self._value!r})"
