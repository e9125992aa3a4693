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
    >>> line_text([block]).text
    b'a,1\\nb,2\\n'
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from pipeline import _kernels

__all__ = ["LineBlock", "LineText", "is_line_block", "is_line_text", "line_text"]


class LineBlock:
    """Consecutive lines of ``data``: line ``i`` is
    ``data[starts[i]:starts[i] + lengths[i]]``; each but maybe the last is
    followed by ``\\n`` in ``data``. ``rest``: a chunk's unterminated tail."""

    __slots__ = ("data", "starts", "ends", "rest")

    def __init__(
        self, data: bytes, starts: np.ndarray, ends: np.ndarray, rest: bytes = b""
    ) -> None:
        self.data, self.starts, self.ends, self.rest = data, starts, ends, rest

    @classmethod
    def of_chunk(cls, data: bytes) -> LineBlock:
        """The complete lines of ``data`` (its tail after the last ``\\n`` is
        ``rest``)."""
        newlines = _kernels.load("csv_lines").line_ends(data)
        starts = np.empty(len(newlines), np.int64)
        if len(newlines):
            starts[0] = 0
            starts[1:] = newlines[:-1] + 1
        end = int(newlines[-1]) + 1 if len(newlines) else 0
        return cls(data, starts, newlines, data[end:])

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice):
            if key.step not in (None, 1):
                return self.tolist()[key]
            return LineBlock(self.data, self.starts[key], self.ends[key])
        return self.data[self.starts[key] : self.ends[key]]

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.tolist())

    def tolist(self) -> list[bytes]:
        """The lines, split out in one call."""
        if not len(self.starts):
            return []
        return self.data[int(self.starts[0]) : int(self.ends[-1])].split(b"\n")

    def text(self) -> bytes | memoryview:
        """The lines, each ended by ``\\n`` (a view of the chunk when its last
        line has its newline there)."""
        if not len(self.starts):
            return b""
        lo, hi = int(self.starts[0]), int(self.ends[-1])
        if hi < len(self.data):  # data[hi] is the last line's newline
            return memoryview(self.data)[lo : hi + 1]
        return self.data[lo:hi] + b"\n"


class LineText:
    """``count`` records as one text, each ended by ``\\n`` (no ``\\r``);
    what ``decode_csv`` accepts in place of an array of those records.

    Example:
        >>> LineText(b"x\\ny\\n", 2).records()
        [b'x', b'y']
    """

    __slots__ = ("text", "count")

    def __init__(self, text: bytes, count: int) -> None:
        self.text, self.count = text, count

    def __len__(self) -> int:
        return self.count

    def records(self) -> list[bytes]:
        """The records as a list of bytes."""
        return self.text.split(b"\n")[: self.count]


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
    text = bytes(parts[0]) if len(parts) == 1 else b"".join(parts)
    return LineText(text, sum(len(b) for b in blocks))
