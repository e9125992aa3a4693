"""`CsvDataset`'s blocks as columns: rows made only when taken, batches cut.

The engine moves `CsvDataset` rows in blocks. A block is a `RowBlock`, the
decoded columns themselves: a row's tuple is made only when the engine hands
that row on (``next``/``next_many``), and ``CsvDataset(...).batch(n)`` never
makes one: `CsvRowBatches` cuts the decoded columns into batches (as
``make_csv_dataset`` does, `data.csv_batches`), the same tuples of columns
the graph's ``batch`` stacks from the rows.

Example:
    >>> block = RowBlock([np.array([1, 2], np.int32), np.array([b"a", b"b"], object)])
    >>> len(block), block[1], block[0:1]
    (2, (np.int32(2), b'b'), [(np.int32(1), b'a')])
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from pipeline.data.csv_batches import CsvBatchSource, bad_row_failures
from pipeline.graph.failures import ElementFailure
from pipeline.types import TensorSpec

__all__ = ["CsvRowBatches", "RowBlock", "row_pieces"]


class RowBlock:
    """Rows of a decoded block held as columns; ``block[i]`` is row ``i``'s
    tuple and ``block[a:b]`` a list of them, made on the spot."""

    __slots__ = ("columns", "size")

    def __init__(self, columns: list[np.ndarray]) -> None:
        self.columns = columns
        self.size = len(columns[0]) if columns else 0

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice):
            return list(zip(*[c[key] for c in self.columns]))
        return tuple(c[key] for c in self.columns)


def row_pieces(
    block: Any, file: int, before: Any, skip: int, path: str
) -> Iterator[tuple[Any, dict]]:
    """A decoded block of file ``file`` (read from position ``before``) as
    `RowBlock` runs of good rows and failures alone, each with the source
    state after it; rows before ``skip`` (block rows) were handed out already.

    Example:
        >>> from pipeline.io.csv_file import DecodedBlock
        >>> cols = [np.array([1, 2, 3], np.int32)]
        >>> block = DecodedBlock(cols, np.array([0, 1, 2]), [], [], (9, 0, 0, 0))
        >>> [(len(r), s) for r, s in row_pieces(block, 0, None, 1, "f")]
        [(2, {'file': 0, 'pos': (9, 0, 0, 0)})]
    """
    columns, raw = block.columns, block.rows
    if skip:
        keep = raw >= skip
        columns, raw = [c[keep] for c in columns], raw[keep]
    lo = 0
    for row, failure in bad_row_failures(block, path):
        if row < skip:
            continue
        hi = int(np.searchsorted(raw, row))
        if hi > lo:
            piece = RowBlock([c[lo:hi] for c in columns])
            yield piece, {"file": file, "pos": before, "row": row}
        yield [failure], {"file": file, "pos": before, "row": row + 1}
        lo = hi
    if len(raw) > lo:
        yield RowBlock([c[lo:] for c in columns]), {"file": file, "pos": block.position}


class CsvRowBatches(CsvBatchSource):
    """Block source of ``CsvDataset(...).batch(n)``: tuples of column slices.

    The same batches as the graph's ``batch`` over the rows: cut across
    blocks and files, a bad row replacing the batch being built, the rows
    left at the end a last batch unless ``drop_remainder``.

    Example:
        >>> from pipeline.io.csv_spec import CsvOptions, column_specs
        >>> src = CsvRowBatches(("x.csv",), column_specs([[0]]), CsvOptions(),
        ...                     False, "", 4, True)
        >>> src.element_spec
        (TensorSpec(shape=(4,), dtype=int32, name=None),)
    """

    def __init__(
        self, files, specs, opts, header, compression, batch_size, drop_remainder
    ) -> None:  # fmt: skip
        super().__init__(
            files, specs, opts, header, compression, list(range(len(specs))), None,
            batch_size, 1, False,
        )  # fmt: skip
        self.drop_remainder = bool(drop_remainder)
        size = self.batch_size if self.drop_remainder else None
        self.element_spec = tuple(TensorSpec((size,), s.dtype) for s in specs)

    def __str__(self) -> str:
        drop = ", drop_remainder=True" if self.drop_remainder else ""
        return f"CsvDataset({list(self.files)}).batch({self.batch_size}{drop})"

    def _element(self, columns: list) -> Any:
        return tuple(columns)

    def blocks(self, state: dict | None) -> Iterator[tuple[list, dict]]:
        """The batches of `CsvBatchSource.blocks` (one epoch), without a last
        short batch when ``drop_remainder``."""
        for items, after in super().blocks(state):
            batch = items[0]
            if (
                self.drop_remainder
                and not isinstance(batch, ElementFailure)
                and len(batch[0]) < self.batch_size
            ):
                return
            yield items, after
