"""Lines of a text chunk held as offsets into it, split only when taken.

`LineBlock` is the block `TextLineDataset` hands the engine for a chunk with
no carriage return: a sequence of the chunk's lines (``block[i]`` is a
``bytes``, ``block[a:b]`` another block over the same chunk, iterating
splits the lines out in one call). Nothing is split when a consumer wants the
text itself: `line_text` joins the text of consecutive blocks into one
`LineText`, the records ``decode_csv`` decodes in one pass (the
``csv_blocks`` rewrite hands it to the map function in place of the batch
arrays).

Example:
    >>> block = LineBlock.of_chunk(b"a,1\\nb,2\\nc")
    >>> len(block), block[1], block[1:].tolist(), block.rest
    (2, b'b,2', [b'b,2'], b'c')
    >>> bytes(line_text([block]).text)
    b'a,1\\nb,2\\n'
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from pipeline import _kernels

__all__ = [
    "LineBlock",
    "LineText",
    "is_line_block",
    "is_line_text",
    "line_text",
    "text_wanted",
    "wanting_text",
]

#: Set while a consumer that decodes text in place (``csv_blocks``) pulls
#: lines: the text reader then hands out `LineBlock`s instead of lists.
_WANT_TEXT: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "pipeline_line_text", default=False
)


def text_wanted() -> bool:
    """Whether the lines being read go to a consumer of `LineBlock` text.

    Example:
        >>> text_wanted()
        False
    """
    return _WANT_TEXT.get()


@contextlib.contextmanager
def wanting_text() -> Iterator[None]:
    """Within: readers hand out `LineBlock`s (see `text_wanted`).

    Example:
        >>> with wanting_text():
        ...     text_wanted()
        True
    """
    token = _WANT_TEXT.set(True)
    try:
        yield
    finally:
        _WANT_TEXT.reset(token)


class _Chunk:
    """A chunk of text and what has been found of its complete lines: their
    count, the offsets of their newlines and the lines themselves (the last
    two on first need)."""

    __slots__ = ("data", "count", "_ends", "_lines")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._ends: np.ndarray | None = _kernels.load("csv_lines").line_ends(data)
        self.count = len(self._ends)
        self._lines: list[bytes] | None = None

    def ends(self) -> np.ndarray:
        if self._ends is None:
            self._ends = _kernels.load("csv_lines").line_ends(self.data)
        return self._ends

    def lines(self) -> list[bytes]:
        if self._lines is None:
            lines = self.data.split(b"\n")
            del lines[-1]  # the chunk's unterminated rest
            self._lines = lines
        return self._lines

    def line(self, i: int) -> bytes:
        """Line ``i``, without splitting the chunk when its newlines are
        known or it is the first line (a header, a failure check)."""
        if self._lines is not None:
            return self._lines[i]
        if self._ends is not None:
            start = int(self._ends[i - 1]) + 1 if i else 0
            return self.data[start : int(self._ends[i])]
        if i == 0:
            return self.data[: self.data.find(b"\n")]
        return self.lines()[i]


class LineBlock:
    """Lines ``lo:hi`` of a chunk of text (slices share the chunk, and
    what was found of its lines). ``rest``: the chunk's unterminated tail."""

    __slots__ = ("chunk", "lo", "hi", "rest")

    def __init__(self, chunk: _Chunk, lo: int, hi: int, rest: bytes = b"") -> None:
        self.chunk, self.lo, self.hi, self.rest = chunk, lo, hi, rest

    @classmethod
    def of_chunk(cls, data: bytes) -> LineBlock:
        """The complete lines of ``data`` (its tail after the last ``\\n`` is
        ``rest``)."""
        chunk = _Chunk(data)
        ends = chunk.ends()
        return cls(
            chunk, 0, chunk.count, data[int(ends[-1]) + 1 :] if len(ends) else data
        )

    def __len__(self) -> int:
        return self.hi - self.lo

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice):
            lo, hi, step = key.indices(self.hi - self.lo)
            if step != 1:
                return self.tolist()[key]
            return LineBlock(self.chunk, self.lo + lo, self.lo + max(lo, hi))
        return self.chunk.line(self.lo + range(self.hi - self.lo)[key])

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.tolist())

    def tolist(self) -> list[bytes]:
        """The lines (the chunk is split once for all its slices)."""
        return self.chunk.lines()[self.lo : self.hi]

    def text(self) -> bytes | memoryview:
        """The lines, each ended by its ``\\n`` (a view of the chunk)."""
        if self.hi <= self.lo:
            return b""
        ends = self.chunk.ends()
        start = int(ends[self.lo - 1]) + 1 if self.lo else 0
        return memoryview(self.chunk.data)[start : int(ends[self.hi - 1]) + 1]


class LineText:
    """``count`` records as one text, each ended by ``\\n`` (no ``\\r``);
    what ``decode_csv`` accepts in place of an array of those records.

    Example:
        >>> LineText(b"x\\ny\\n", 2).records()
        [b'x', b'y']
    """

    __slots__ = ("text", "count")

    def __init__(self, text: bytes | memoryview, count: int) -> None:
        self.text, self.count = text, count

    def __len__(self) -> int:
        return self.count

    def records(self) -> list[bytes]:
        """The records as a list of bytes."""
        return bytes(self.text).split(b"\n")[: self.count]


def _is(value: Any, name: str) -> bool:
    # by name, not identity: a module imported twice (doctest collection in
    # importlib mode) makes a second class of the same name
    kind = type(value)
    return kind.__name__ == name and kind.__module__ == __name__


def is_line_block(value: Any) -> bool:
    """Whether ``value`` is a `LineBlock`.

    Example:
        >>> is_line_block(LineBlock.of_chunk(b"a\\n")), is_line_block([b"a"])
        (True, False)
    """
    return _is(value, "LineBlock")


def is_line_text(value: Any) -> bool:
    """Whether ``value`` is a `LineText`.

    Example:
        >>> is_line_text(LineText(b"a\\n", 1)), is_line_text(b"a\\n")
        (True, False)
    """
    return _is(value, "LineText")


def line_text(blocks: Sequence[LineBlock]) -> LineText:
    """The lines of consecutive blocks as one `LineText`."""
    parts = [b.text() for b in blocks if len(b)]
    text = parts[0] if len(parts) == 1 else b"".join(parts)  # a view: no copy
    return LineText(text, sum(len(b) for b in blocks))
