"""``cache`` (memory or file) and ``prefetch`` (a pass-through when sequential).

The memory cache belongs to the dataset: the first pass that reads the input
to the end fills it, later passes (a ``repeat`` epoch, another iterator) read
it. A file cache is written to a temporary name and renamed when complete;
when the file exists, it is read and the input is not touched.

Example:
    >>> from pipeline.graph.sources import RangeNode
    >>> node = CacheNode((RangeNode((), 0, 3, 1),))
    >>> list(IterContext().build(node)) == list(IterContext().build(node))
    True
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import threading
from typing import Any

from pipeline.graph.base import IterContext, Node, NodeIterator
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
                return CachedIterator(_read_file(self.filename))
        elif self.store.elements is not None:
            return CachedIterator(self.store.elements)
        return FillingIterator(ctx.build(self.parents[0]), self)

    def complete(self, elements: list[Any]) -> None:
        """Record a full pass."""
        if self.filename:
            _write_file(self.filename, elements)
        else:
            with self.store.lock:
                if self.store.elements is None:
                    self.store.elements = elements


def _read_file(path: str) -> list[Any]:
    with open(path, "rb") as f:
        return pickle.load(f)


def _write_file(path: str, elements: list[Any]) -> None:
    tmp = f"{path}.tmp-{os.getpid()}-{threading.get_ident()}"
    with open(tmp, "wb") as f:
        pickle.dump(elements, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


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

    A pass restored from a state (or with failures) does not complete it.
    """

    def __init__(self, parent: NodeIterator, node: CacheNode) -> None:
        super().__init__(parent)
        self.parent, self.node = parent, node
        self.seen: list[Any] = []
        self.whole = True
        self.count = 0

    def __next__(self) -> Any:
        try:
            elem = next(self.parent)
        except StopIteration:
            if self.whole:
                self.whole = False
                self.node.complete(self.seen)
            raise
        self.count += 1
        if isinstance(elem, ElementFailure):
            self.whole = False
        else:
            self.seen.append(elem)
        return elem

    def get_state(self) -> dict[str, Any]:
        state = self.parent.get_state()
        return {"parent": state, "cached": False, "index": self.count}

    def set_state(self, state: dict[str, Any]) -> None:
        self.whole, self.count = False, state["index"]
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
