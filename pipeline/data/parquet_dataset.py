"""`ParquetDataset`: rows or batches of Parquet files, row groups as blocks.

Example:
    >>> import pyarrow as pa, pyarrow.parquet as pq
    >>> from pipeline.io import fs
    >>> with fs.open_output("memory://pqds-doc/a.parquet") as f:
    ...     pq.write_table(pa.table({"x": [1, 2, 3], "s": ["a", "b", "c"]}), f)
    >>> [(int(r["x"]), r["s"]) for r in ParquetDataset("memory://pqds-doc/a.parquet")]
    [(1, b'a'), (2, b'b'), (3, b'c')]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pipeline.data.dataset import Dataset
from pipeline.data.text_dataset import file_names
from pipeline.errors import DataLossError, InvalidArgumentError, NotFoundError
from pipeline.graph.base import UNKNOWN
from pipeline.graph.failures import ElementFailure
from pipeline.graph.sources import BlockSourceNode
from pipeline.io import parquet
from pipeline.types import TensorSpec

__all__ = ["ParquetDataset"]

#: Rows per block when elements are single rows.
_BLOCK_ROWS = 1024


class ParquetSource:
    """Block source of a `ParquetDataset`.

    State: ``{"file", "group", "row"}`` (rows) or ``{"file", "batch"}``
    (batches): where the next element starts.
    """

    cardinality = UNKNOWN
    failures_alone = True

    def __init__(self, files, columns, batch_size) -> None:
        self.files, self.columns, self.batch_size = files, columns, batch_size
        dtypes = parquet.column_dtypes(files[0], columns)
        shape = () if batch_size is None else (None,)
        self.element_spec = {n: TensorSpec(shape, d) for n, d in dtypes.items()}

    def __str__(self) -> str:
        return (
            f"ParquetDataset({list(self.files)}, columns={self.columns}, "
            f"batch_size={self.batch_size})"
        )

    def blocks(self, state: dict | None) -> Iterator[tuple[list, dict]]:
        """Yield ``(elements, state after them)`` from ``state`` on."""
        state = state or {"file": 0}
        for i in range(state["file"], len(self.files)):
            here = state if i == state["file"] else {"file": i}
            try:
                if self.batch_size is None:
                    yield from self._rows(i, here.get("group", 0), here.get("row", 0))
                else:
                    yield from self._batches(i, here.get("batch", 0))
            except (NotFoundError, DataLossError, InvalidArgumentError) as e:
                where = {"path": self.files[i]}
                yield [ElementFailure(e, where=where)], {"file": i + 1}

    def _rows(self, i: int, group: int, row: int) -> Iterator[tuple[list, dict]]:
        for g, columns in parquet.read_row_groups(self.files[i], self.columns, group):
            names = list(columns)
            rows = [dict(zip(names, values)) for values in zip(*columns.values())]
            start = row if g == group else 0
            for lo in range(start, len(rows), _BLOCK_ROWS):
                hi = min(lo + _BLOCK_ROWS, len(rows))
                yield rows[lo:hi], {"file": i, "group": g, "row": hi}

    def _batches(self, i: int, skip: int) -> Iterator[tuple[list, dict]]:
        batches = parquet.iter_batches(
            self.files[i], self.batch_size, self.columns, skip
        )
        for k, batch in enumerate(batches, start=skip + 1):
            yield [batch], {"file": i, "batch": k}


class ParquetDataset(Dataset):
    """Rows (or batches) of Parquet files as dicts of numpy values.

    Args:
        filenames: a path or fsspec URL, or a list of them (read in order).
        columns: names of the columns to read (default: all), in this order.
        batch_size: None (the default) for one element per row; else
            elements are dicts of arrays of up to ``batch_size`` rows, cut
            within each file (the last batch of a file may be short).

    Raises:
        InvalidArgumentError: no file names or a bad ``batch_size``; while
            iterating, a column missing from a file.

    Example:
        >>> import pyarrow as pa, pyarrow.parquet as pq
        >>> from pipeline.io import fs
        >>> with fs.open_output("memory://pqds-doc/b.parquet") as f:
        ...     pq.write_table(pa.table({"x": [1, 2, 3], "y": [.5, .5, .5]}), f)
        >>> ds = ParquetDataset("memory://pqds-doc/b.parquet", ["x"], batch_size=2)
        >>> [b["x"].tolist() for b in ds]
        [[1, 2], [3]]
    """

    def __init__(
        self,
        filenames: Any,
        columns: Sequence[str] | None = None,
        batch_size: int | None = None,
    ) -> None:
        if batch_size is not None and batch_size <= 0:
            raise InvalidArgumentError(
                f"`batch_size` must be positive. Received: batch_size={batch_size}"
            )
        files = file_names(filenames)
        cols = None if columns is None else [str(c) for c in columns]
        super().__init__(BlockSourceNode((), ParquetSource(files, cols, batch_size)))
