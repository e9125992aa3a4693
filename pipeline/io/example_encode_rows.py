"""The 2-D layout of `pipeline.io.example_encode`: records as rows of a grid.

Each feature owns a range of columns: its map entry's prefix (entry, key and
list headers, one byte string per list-body size) right-aligned in the first
columns, its values left-aligned in the next ones. A template row holds every
prefix that is the same in all records and says which of its bytes are kept;
it is copied to every row at once, then only what varies is written: prefixes
of other sizes (gathered from a table by code), values, and the records that
lack a feature. One boolean mask then keeps the bytes in use, in order.

Example:
    >>> import numpy as np
    >>> from pipeline.io.example_encode_parts import Entry
    >>> e = Entry("x", np.array([5, 6]), np.array([1, 1]))
    >>> block = encode_rows([e], e.total.copy(), 0, 0)
    >>> [r.hex() for r in block.records()]
    ['0a0c0a0a0a017812051a030a0105', '0a0c0a0a0a017812051a030a0106']
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.io.example_encode_parts import (
    EncodedBlock,
    Entry,
    codes_of,
    put_bytes,
    put_varints,
    scatter,
    varint_sizes,
    within,
)

__all__ = ["encode_rows"]

#: Padding allowed: rows * width <= this * (bytes in use) + _SLACK_BYTES.
_PADDING_RATIO = 3
_SLACK_BYTES = 1 << 20


class _Grid:
    """A template row, then the rows; ``later`` holds what varies by row."""

    def __init__(self, n: int, width: int) -> None:
        self.n, self.width = n, width
        self.row = np.zeros(width, dtype=np.uint8)
        self.row_keep = np.zeros(width, dtype=bool)
        self.later: list[Any] = []

    def fill(self) -> None:
        self.out = np.empty((self.n, self.width), dtype=np.uint8)
        self.out[:] = self.row
        self.keep = np.empty((self.n, self.width), dtype=bool)
        self.keep[:] = self.row_keep
        self.flat = self.out.reshape(-1)
        for step in self.later:
            step()

    def right(self, col: int, heads: list[bytes], codes: np.ndarray | None) -> int:
        """Byte strings ``heads`` right-aligned from ``col``, row ``i`` taking
        ``heads[codes[i]]`` (``heads[0]`` when ``codes`` is None); returns
        the column after them."""
        span = max(map(len, heads))
        table = np.zeros((len(heads), span), dtype=np.uint8)
        kept = np.zeros((len(heads), span), dtype=bool)
        for i, h in enumerate(heads):
            table[i, span - len(h) :] = np.frombuffer(h, dtype=np.uint8)
            kept[i, span - len(h) :] = True
        cols = slice(col, col + span)
        if codes is None:
            self.row[cols], self.row_keep[cols] = table[0], kept[0]
        else:
            self.later.append(lambda: self._rows(cols, table[codes], kept[codes]))
        return col + span

    def _rows(self, cols: slice, data: np.ndarray, kept: np.ndarray) -> None:
        self.out[:, cols] = data
        self.keep[:, cols] = kept

    def left(self, col: int, sizes: np.ndarray, present: np.ndarray) -> int:
        """Keep ``sizes[i]`` bytes from ``col`` in the ``i``-th present row
        (the others are cleared by the caller); returns the column after the
        widest."""
        span, lo = int(sizes.max()), int(sizes.min())
        if lo == span:
            self.row_keep[col : col + span] = True
        else:
            kept = np.arange(span) < np.arange(span + 1)[:, None]
            cols, full = slice(col, col + span), _full(present, sizes)
            self.later.append(lambda: self.keep.__setitem__((slice(None), cols),
                                                            kept[full]))  # fmt: skip
        return col + span


def _full(present: np.ndarray, values: np.ndarray) -> np.ndarray:
    """One value per record: ``values`` where present, else 0."""
    if len(values) == len(present):
        return values
    out = np.zeros(len(present), dtype=values.dtype)
    out[present] = values
    return out


def _place(e: Entry, grid: _Grid, col: int) -> int:
    """Lay out feature ``e`` from ``col``; returns the column after it."""
    if not e.present.any():
        return col
    first_col, codes = col, e.codes
    col = grid.right(col, e.heads, None if codes is None else _full(e.present, codes))
    end = grid.left(col, e.body.tails(), e.present)
    missing = np.flatnonzero(~e.present)
    all_rows = len(missing) == 0
    rows = slice(None) if all_rows else np.flatnonzero(e.present)

    def values() -> None:
        if not all_rows:
            grid.keep[missing, first_col:end] = False
        first = np.arange(grid.n)[rows] * grid.width + col
        _values(e, grid, rows, col, first)

    grid.later.append(values)
    return end


def _values(e: Entry, grid: _Grid, rows: Any, col: int, first: np.ndarray) -> None:
    """Write each record's values from column ``col`` (flat positions ``first``)."""
    b, counts = e.body, e.body.counts
    if b.kind == "f":
        if b.scalar:
            grid.out[rows, col : col + 4] = b.raw.reshape(-1, 4)
        else:
            scatter(grid.flat, b.raw, 4 * counts, first)
    elif b.kind == "i":
        if b.scalar and not (b.int_vs > 1).any():
            grid.out[rows, col] = b.ints.astype(np.uint8)
        else:
            pos = np.repeat(first, counts) + within(b.int_vs, counts)
            put_varints(grid.flat, pos, b.ints, b.int_vs)
    elif b.scalar:
        scatter(grid.flat, b.blob, b.item_len, first)
    else:
        b.write(grid.flat, first)


def _width(entries: list[Entry], top: int) -> int:
    width = top
    for e in entries:
        if e.present.any():
            tails = e.body.tails()
            width += int((e.total - tails).max() + tails.max())
    return width


def encode_rows(
    entries: list[Entry], body: np.ndarray, head: int, tail: int
) -> EncodedBlock | None:
    """The records of ``entries`` (features in key order; ``body``: each
    record's Features size) laid out as rows, ``head`` and ``tail`` spare
    bytes around each; None where rows would be mostly padding."""
    n = len(body)
    body_vs = varint_sizes(body)
    size = 1 + body_vs + body
    width = head + _width(entries, 1 + int(body_vs.max())) + tail
    if n * width > _PADDING_RATIO * int(size.sum() + n * (head + tail)) + _SLACK_BYTES:
        return None
    grid = _Grid(n, width)
    grid.row_keep[:head] = True
    distinct, codes = codes_of(body)
    col = grid.right(head, [bytes([10, *put_bytes(b)]) for b in distinct], codes)
    for e in entries:
        col = _place(e, grid, col)
    grid.row_keep[col : col + tail] = True
    grid.fill()
    stride = size + head + tail
    return EncodedBlock(grid.out[grid.keep], np.cumsum(stride) - stride + head, size)
