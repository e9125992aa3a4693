"""`ElementFailure`: a bad element that travels through the graph as a value.

A source that meets a bad record, or a stage whose user function raises, puts
an `ElementFailure` in the stream in place of the element and keeps going.
Downstream stages pass it along untouched; ``ignore_errors()`` drops and
counts it; the consumer raises its exception with its original type and
traceback.

Example:
    >>> fail = ElementFailure(ValueError("bad row"), where={"path": "a.csv"})
    >>> fail.where["path"], type(fail.exception).__name__
    ('a.csv', 'ValueError')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import InvalidArgumentError


@dataclass
class ElementFailure:
    """An element that could not be produced, with why and where.

    Args:
        exception: the exception to raise at the consumer.
        raw: the raw bytes of the bad record when there are some (for quarantine).
        where: where it happened (``path``, ``offset``, ``record_index``,
            ``stage``, ``index``...).

    Example:
        >>> ElementFailure(KeyError("k")).raw is None
        True
    """

    exception: BaseException
    raw: bytes | None = None
    where: dict[str, Any] = field(default_factory=dict)

    def reason(self) -> str:
        """One line: the exception type and message.

        Example:
            >>> ElementFailure(ValueError("x")).reason()
            'ValueError: x'
        """
        return f"{type(self.exception).__name__}: {self.exception}"

    def lost(self) -> tuple[int, int]:
        """``(records, bytes)`` this failure made unreadable.

        A source that knows more than "one element" says so with
        ``records_lost``/``bytes_lost``, in ``where`` or as attributes of the
        exception (a broken TFRecord length header loses the rest of its
        file). Otherwise it is one record and 0 known bytes.

        Example:
            >>> ElementFailure(ValueError("x")).lost()
            (1, 0)
            >>> ElementFailure(OSError("x"), where={"records_lost": 50}).lost()
            (50, 0)
        """
        return self._count("records_lost", 1), self._count("bytes_lost", 0)

    def _count(self, key: str, default: int) -> int:
        value = self.where.get(key, getattr(self.exception, key, None))
        return default if value is None else int(value)


def is_fatal(exc: BaseException) -> bool:
    """Whether ``exc`` stops the run: not an ``Exception`` (``KeyboardInterrupt``,
    ``SystemExit``, ``GeneratorExit``). ``ignore_errors()`` never drops those.

    Example:
        >>> is_fatal(KeyboardInterrupt()), is_fatal(ValueError())
        (True, False)
    """
    return not isinstance(exc, Exception)


def user_error(exc: BaseException, stage: str) -> BaseException:
    """The error to report for ``exc`` raised by a user function of ``stage``.

    A ``StopIteration`` escaping a map or filter function would otherwise end
    the iteration without a word; as tf.data does, it becomes an
    `InvalidArgumentError` (caused by the original). Others are returned as
    they are.

    Example:
        >>> type(user_error(StopIteration(), "map(f)")).__name__
        'InvalidArgumentError'
        >>> user_error(KeyError("k"), "map(f)").args
        ('k',)
    """
    if not isinstance(exc, StopIteration):
        return exc
    err = InvalidArgumentError(
        f"the function of stage {stage} raised StopIteration; a function "
        "passed to a transformation must return a value (end a dataset with "
        "take/take_while instead)"
    )
    err.__cause__ = exc
    return err


def with_note(exc: BaseException, note: str) -> BaseException:
    """Add ``note`` to ``exc`` once (``add_note``) and return it.

    Example:
        >>> with_note(ValueError("x"), "in stage map").__notes__
        ['in stage map']
    """
    notes = getattr(exc, "__notes__", [])
    if note in notes:
        return exc
    if hasattr(exc, "add_note"):
        exc.add_note(note)
    else:  # Python 3.10: same attribute, shown by tracebacks from 3.11 on
        exc.__notes__ = [*notes, note]
    return exc
