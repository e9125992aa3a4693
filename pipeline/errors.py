"""The exception tree of `pipeline`.

Every leaf also subclasses the builtin exception it resembles, so both
``except pl.errors.DataLossError`` and ``except IOError`` work. Data errors
carry where they happened as attributes (``path``, ``offset``,
``record_index``, ``line``, ``column``) as well as in the message.

Example:
    >>> from pipeline import errors
    >>> err = errors.DataLossError("corrupted record", path="a.tfrecord", offset=16)
    >>> isinstance(err, IOError), err.offset
    (True, 16)
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AlreadyExistsError",
    "DataLossError",
    "FailedPreconditionError",
    "InvalidArgumentError",
    "ModelFormatError",
    "NotFoundError",
    "OutOfRangeError",
    "PipelineError",
    "UnimplementedError",
    "UnregisteredObjectError",
]


class PipelineError(Exception):
    """Base class of every error raised by `pipeline`.

    Keyword arguments become attributes (``path``, ``offset``, ``record_index``,
    ``line``, ``column``, ...); those not given are ``None``.

    Example:
        >>> e = PipelineError("bad", path="x.csv", line=3)
        >>> (e.path, e.line, e.offset)
        ('x.csv', 3, None)
    """

    path: str | None = None
    offset: int | None = None
    record_index: int | None = None
    line: int | None = None
    column: int | None = None

    def __init__(self, message: str = "", **where: Any) -> None:
        super().__init__(message)
        self.message = message
        for key, value in where.items():
            setattr(self, key, value)


class DataLossError(PipelineError, IOError):
    """Unrecoverable data loss or corruption (bad CRC, truncated record).

    Example:
        >>> issubclass(DataLossError, IOError)
        True
    """


class InvalidArgumentError(PipelineError, ValueError):
    """A value is invalid: malformed CSV, an Example that does not parse, a bad id.

    Example:
        >>> issubclass(InvalidArgumentError, ValueError)
        True
    """


class ModelFormatError(InvalidArgumentError):
    """A saved model that does not read back: a missing or oversized archive
    member, bad JSON, or a config value of the wrong type.

    ``path`` is the archive, ``member`` the file inside it and ``config_path``
    where in the config the problem is (``"layers[2].config.units"``).

    Example:
        >>> e = ModelFormatError("bad", path="m.keras", member="config.json")
        >>> isinstance(e, ValueError), e.member
        (True, 'config.json')
    """

    member: str | None = None
    config_path: str | None = None


class UnregisteredObjectError(ModelFormatError):
    """A saved config names a class or function that loading may not use.

    Loading resolves names only from the project's registry and the caller's
    ``custom_objects``; anything else (``"builtins:eval"``, a lambda) is refused
    with this error, which names the config path and how to allow the object.

    Example:
        >>> issubclass(UnregisteredObjectError, ValueError)
        True
    """


class NotFoundError(PipelineError, FileNotFoundError):
    """A file, pattern or key does not exist.

    Example:
        >>> issubclass(NotFoundError, FileNotFoundError)
        True
    """


class AlreadyExistsError(PipelineError, FileExistsError):
    """What an operation would create already exists (a cache file another
    iterator is writing).

    Example:
        >>> issubclass(AlreadyExistsError, FileExistsError)
        True
    """


class FailedPreconditionError(PipelineError, ValueError):
    """The system is not in a state to run the operation (e.g. duplicate vocabulary).

    Example:
        >>> issubclass(FailedPreconditionError, ValueError)
        True
    """


class OutOfRangeError(PipelineError, IndexError):
    """Iteration went past the end of a sequence.

    Example:
        >>> issubclass(OutOfRangeError, IndexError)
        True
    """


class UnimplementedError(PipelineError, NotImplementedError):
    """The operation is not implemented for these arguments.

    Example:
        >>> issubclass(UnimplementedError, NotImplementedError)
        True
    """
