"""`ParentGuard`: a threaded stage's input, entered by one thread at a time.

A stage's threads read its parent iterator only through `ParentGuard.read`,
under the guard's lock, and only while their generation is current. The stage
takes the parent back (to restore or close it) by taking the lock and moving
to the next generation: a thread that was still inside ``next(parent)`` has
left by then, and a late thread of the old generation finds itself stale and
touches nothing. If the lock cannot be had in time (a thread is stuck inside
the parent), the parent is never touched from outside: `close_parent` hands
the closing to the thread, which closes the parent when it leaves.

Example:
    >>> guard = ParentGuard(iter([1, 2, 3]))
    >>> guard.read(0, next)
    1
    >>> guard.take(timeout_s=1.0)  # no thread inside: the stage holds it
    True
    >>> guard.give_back()
    >>> guard.gen, guard.read(0, next) is STALE, guard.read(1, next)
    (1, True, 2)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

STALE = object()


class ParentGuard:
    """The parent iterator of a threaded stage and the lock around it.

    Args:
        parent: the stage's input iterator (anything with ``close()`` when
            `close_parent` is used).

    Example:
        >>> ParentGuard(iter(())).gen
        0
    """

    def __init__(self, parent: Any) -> None:
        self.parent = parent
        self.lock = threading.Lock()
        self.gen = 0
        self.orphaned = False
        self.parent_closed = False

    def read(self, gen: int, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(parent, *args)`` under the lock, or `STALE` when ``gen`` is not
        current or the stage closed (then nothing of the parent is used)."""
        try:
            with self.lock:
                if self.gen != gen or self.orphaned:
                    return STALE
                result = fn(self.parent, *args)
                return STALE if self.orphaned else result
        finally:
            if self.orphaned:  # the stage gave up waiting: close it on leaving
                self._close_once()

    def take(self, timeout_s: float) -> bool:
        """Wait up to ``timeout_s`` for no thread to be inside the parent; then
        hold the lock and start a new generation (release with `give_back`).
        False when a thread is still inside."""
        if not self.lock.acquire(timeout=max(0.0, timeout_s)):
            return False
        self.gen += 1
        return True

    def give_back(self) -> None:
        """Release the lock taken by `take`."""
        self.lock.release()

    def close_parent(self, timeout_s: float) -> bool:
        """Close the parent once no thread is inside it. False when a thread
        is still inside after ``timeout_s``: that thread closes it on leaving."""
        if self.take(timeout_s):
            try:
                self._close_locked()
            finally:
                self.give_back()
            return True
        self.orphaned = True
        if self.lock.acquire(blocking=False):  # it left in the meantime
            try:
                self._close_locked()
            finally:
                self.lock.release()
        return False

    def _close_once(self) -> None:
        with self.lock:
            self._close_locked()

    def _close_locked(self) -> None:
        if not self.parent_closed:
            self.parent_closed = True
            self.parent.close()
