"""`BoundedBuffer`: a closable, bounded FIFO between threads.

``put`` blocks while the buffer is full, ``get`` while it is empty; after
``close()`` both return at once (``put`` gives False, ``get`` gives `CLOSED`),
so no producer or consumer stays blocked. Time spent blocked is measured.

Example:
    >>> buf = BoundedBuffer(2)
    >>> buf.put("a"), buf.get(), len(buf)
    (True, 'a', 0)
    >>> buf.close(); buf.get() is CLOSED, buf.put("b")
    (True, False)
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any

CLOSED = object()


class BoundedBuffer:
    """A FIFO of at most ``capacity`` items (see module docstring).

    Args:
        capacity: the most items it holds (>= 1).

    Example:
        >>> BoundedBuffer(3).capacity
        3
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = max(1, int(capacity))
        self._items: deque[Any] = deque()
        self._cond = threading.Condition(threading.Lock())
        self.closed = False
        self.put_wait_s = 0.0
        self.get_wait_s = 0.0
        self._fill_sum = 0
        self._fill_count = 0

    def put(self, item: Any) -> bool:
        """Append ``item``; False (dropped) when the buffer is closed."""
        with self._cond:
            if len(self._items) >= self.capacity and not self.closed:
                start = time.perf_counter()
                while len(self._items) >= self.capacity and not self.closed:
                    self._cond.wait()
                self.put_wait_s += time.perf_counter() - start
            if self.closed:
                return False
            self._items.append(item)
            self._cond.notify_all()
            return True

    def get(self) -> Any:
        """The oldest item, waiting for one; `CLOSED` when closed."""
        with self._cond:
            self._fill_sum += len(self._items)
            self._fill_count += 1
            if not self._items and not self.closed:
                start = time.perf_counter()
                while not self._items and not self.closed:
                    self._cond.wait()
                self.get_wait_s += time.perf_counter() - start
            if self.closed:
                return CLOSED
            item = self._items.popleft()
            self._cond.notify_all()
            return item

    def close(self) -> None:
        """Wake every waiter; later puts are dropped and gets return `CLOSED`."""
        with self._cond:
            self.closed = True
            self._items.clear()
            self._cond.notify_all()

    def fill(self) -> float:
        """Average fraction of the capacity in use, seen by ``get``."""
        if not self._fill_count:
            return 0.0
        return self._fill_sum / self._fill_count / self.capacity

    def __len__(self) -> int:
        return len(self._items)
