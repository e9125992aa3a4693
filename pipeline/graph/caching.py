"""``cache`` (memory or file) and ``prefetch`` (a pass-through when sequential).

The memory cache belongs to the dataset: the first pass that reads the input
to the end fills it, later passes (a ``repeat`` epoch, another iterator) read
it. A file cache is written to a temporary name and renamed when complete;
when the file exists, it is read and the input is not touched. The file is
data only (see `pipeline.graph.cache_file`), and one writer at a time holds
its lock file (`AlreadyExistsError` for a second).

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> node = CacheNode((RangeNode((), 0, 3, 1),))
    >>> list(IterContext().build(node)) == list(IterContext().build(node))
    True
"""

from __future__ import annotations

import dataclasses
import os
import threading
from typing import Any

from pipeline.graph.base import IterContext, Node, NodeIterator
from pipeline.graph.cache_file import (
    acquire_lock,
    read_cache,
    release_lock,
    write_cache,
)
from pipeline.graph.failures import ElementFailure


class CacheStore:
    """The elements of one completed pass, shared by the iterators of a dataset.

    Example:
        >>> CacheStore().elements is None
        True
    """

    def __init__(self) -> None:
        self.elements: list[Any] | None = None
        self.lock = threading.Lock()


@dataclasses.dataclass(frozen=True, eq=False)
class CacheNode(Node):
    """``cache(filename="")``."""

    filename: str = ""
    store: CacheStore = dataclasses.field(
        default_factory=CacheStore, repr=False, compare=False
    )
    op = "cache"
    passes_elements = True

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        if self.filename:
            if os.path.exists(self.filename):
                spec = self.parents[0].element_spec()
                return CachedIterator(read_cache(self.filename, spec))
        elif self.store.elements is not None:
            return CachedIterator(self.store.elements)
        return FillingIterator(ctx.build(self.parents[0]), self)

    def complete(self, elements: list[Any]) -> None:
        """Record a full pass."""
        if self.filename:
            write_cache(self.filename, elements)
        else:
            with self.store.lock:
                if self.store.elements is None:
                    self.store.elements = elements


class CachedIterator(NodeIterator):
    def __init__(self, elements: list[Any]) -> None:
        super().__init__()
        self.elements, self.index = elements, 0

    def __next__(self) -> Any:
        if self.index >= len(self.elements):
            raise StopIteration
        self.index += 1
        return self.elements[self.index - 1]

    def get_state(self) -> dict[str, Any]:
        return {"index": self.index, "cached": True}

    def set_state(self, state: dict[str, Any]) -> None:
        self.index = state["index"]


class FillingIterator(NodeIterator):
    """Reads the input and keeps what it saw; completes the cache at the end.

    A pass restored from a state does not complete it. Elements that failed
    are raised in that pass and left out of the cache, as tf.data does.
    A file cache's filler holds the lock file from its first element until
    it is closed.
    """

    def __init__(self, parent: NodeIterator, node: CacheNode) -> None:
        super().__init__(parent)
        self.parent, self.node = parent, node
        self.seen: list[Any] = []
        self.whole = True
        self.count = 0
        self.lock: str | None = None
        #: A known input size completes the cache at its last element, before
        #: the end is seen (as tf.data).
        self.expected = node.parents[0].cardinality()

    def __next__(self) -> Any:
        if self.node.filename and self.whole and self.lock is None:
            self.lock = acquire_lock(self.node.filename)
        try:
            elem = next(self.parent)
        except StopIteration:
            self._finish()
            raise
        self.count += 1
        if not isinstance(elem, ElementFailure):  # a failed element is not kept
            self.seen.append(elem)
        if self.count == self.expected and not self.node.filename:
            self._finish()
        return elem

    def _finish(self) -> None:
        if self.whole:  # the lock stays until close: the consumer is not done
            self.whole = False
            self.node.complete(self.seen)

    def _unlock(self) -> None:
        if self.lock is not None:
            release_lock(self.lock)
            self.lock = None

    def close(self) -> None:
        self.whole = False
        self._unlock()
        super().close()

    def __del__(self) -> None:
        if getattr(self, "lock", None) is not None:
            self._unlock()

    def get_state(self) -> dict[str, Any]:
        state = self.parent.get_state()
        return {"parent": state, "cached": False, "index": self.count}

    def set_state(self, state: dict[str, Any]) -> None:
        self.whole, self.count = False, state["index"]
        self._unlock()
        if not state["cached"]:
            self.parent.set_state(state["parent"])
            return
        for _ in range(state["index"]):  # saved while reading a cache: replay
            next(self.parent)


@dataclasses.dataclass(frozen=True, eq=False)
class PrefetchNode(Node):
    """``prefetch(buffer_size)``: the executor fills it from a background thread."""

    buffer_size: int = -1
    op = "prefetch"
    passes_elements = True

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return ctx.build(self.parents[0])
