"""Batch mode: how the graph optimizer runs a per-element parser over a whole batch.

The optimizer rewrites ``map(f) -> batch(n)`` into ``batch(n) -> map(f)`` when
``f`` calls a parser that can take a batch (``decode_csv``,
``parse_single_example``). Parsers mark themselves with
:func:`note_vectorizable_call`: the optimizer finds that call in their code
(``pipeline.graph.batchable``, never calling ``f``), and :func:`tracing` records
the calls at run time; under :func:`batch_mode` a per-element parser receives
a batch (a 1-D object array of records) and must return the batched result
(``parse_single_example`` then behaves as ``parse_example``).

Example:
    >>> with tracing() as calls:
    ...     note_vectorizable_call("decode_csv")
    >>> calls
    ['decode_csv']
    >>> in_batch_mode()
    False
    >>> with batch_mode():
    ...     in_batch_mode()
    True
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

_BATCH_MODE: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "pipeline_batch_mode", default=False
)
_TRACE: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "pipeline_vectorize_trace", default=None
)


def in_batch_mode() -> bool:
    """Whether the current call runs over a batch in place of one element.

    Example:
        >>> in_batch_mode()
        False
    """
    return _BATCH_MODE.get()


@contextlib.contextmanager
def batch_mode() -> Iterator[None]:
    """Run the body with per-element parsers taking whole batches.

    Example:
        >>> with batch_mode():
        ...     assert in_batch_mode()
    """
    token = _BATCH_MODE.set(True)
    try:
        yield
    finally:
        _BATCH_MODE.reset(token)


@contextlib.contextmanager
def tracing() -> Iterator[list[str]]:
    """Record the names of vectorizable parsers called in the body.

    Example:
        >>> with tracing() as calls:
        ...     pass
        >>> calls
        []
    """
    calls: list[str] = []
    token = _TRACE.set(calls)
    try:
        yield calls
    finally:
        _TRACE.reset(token)


def note_vectorizable_call(name: str) -> None:
    """Called by a parser that can run over a batch; recorded while tracing.

    Example:
        >>> note_vectorizable_call("parse_single_example")  # no-op outside tracing
    """
    calls = _TRACE.get()
    if calls is not None:
        calls.append(name)
