"""Parquet files through pyarrow: row groups or batches as dicts of numpy columns.

Strings come out as object arrays of ``bytes`` (TF's convention), numbers as
numpy arrays of their type (a numeric column with nulls becomes float with
NaN, as pyarrow converts it), nested lists as object arrays of arrays.

Example:
    >>> import pyarrow as pa, pyarrow.parquet as pq
    >>> with fs.open_output("memory://pq-doc/a.parquet") as f:
    ...     pq.write_table(pa.table({"x": [1, 2], "s": ["a", "b"]}), f)
    >>> [cols for _, cols in read_row_groups("memory://pq-doc/a.parquet")]
    [{'x': array([1, 2]), 's': array([b'a', b'b'], dtype=object)}]
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.errors import DataLossError, InvalidArgumentError
from pipeline.io import fs

__all__ = ["column_dtypes", "iter_batches", "read_row_groups", "to_numpy"]


@contextlib.contextmanager
def _open(path: str) -> Iterator[pq.ParquetFile]:
    with fs.open_input(path) as stream:
        try:
            pf = pq.ParquetFile(stream)
        except (pa.ArrowInvalid, OSError) as e:
            raise DataLossError(f"not a readable Parquet file: {e}", path=path) from e
        with pf:
            yield pf


def _check_columns(pf: pq.ParquetFile, columns: Sequence[str] | None, path: str):
    if columns is None:
        return None
    names = pf.schema_arrow.names
    missing = [c for c in columns if c not in names]
    if missing:
        raise InvalidArgumentError(
            f"column {missing[0]!r} not in Parquet file {path!r} (columns: {names})",
            path=path,
        )
    return list(columns)


def to_numpy(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A pyarrow column as numpy, strings as object arrays of bytes.

    Example:
        >>> to_numpy(pa.array(["x", None])).tolist()
        [b'x', None]
    """
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    kind = array.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        array = array.cast(pa.large_binary())
    return array.to_numpy(zero_copy_only=False)


def column_dtypes(path: str, columns: Sequence[str] | None = None) -> dict[str, Any]:
    """The numpy dtype of each (selected) column of ``path``, in file order.

    Example:
        >>> column_dtypes("memory://pq-doc/a.parquet")
        {'x': dtype('int64'), 's': dtype('O')}
    """
    with _open(path) as pf:
        schema = pf.schema_arrow
        selected = _check_columns(pf, columns, path)
    out = {}
    for field in schema:
        if selected is None or field.name in selected:
            try:
                out[field.name] = np.dtype(field.type.to_pandas_dtype())
            except (NotImplementedError, TypeError):
                out[field.name] = np.dtype(object)
    if selected is not None:
        out = {name: out[name] for name in selected}
    return out


def _columns_of(table: pa.Table) -> dict[str, np.ndarray]:
    return {name: to_numpy(table.column(name)) for name in table.column_names}


def read_row_groups(
    path: str, columns: Sequence[str] | None = None, first: int = 0
) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
    """``(row_group_index, columns)`` for each row group from ``first`` on."""
    with _open(path) as pf:
        selected = _check_columns(pf, columns, path)
        for i in range(first, pf.num_row_groups):
            yield i, _columns_of(pf.read_row_group(i, columns=selected))


def iter_batches(
    path: str, batch_size: int, columns: Sequence[str] | None = None, skip: int = 0
) -> Iterator[dict[str, np.ndarray]]:
    """Batches of ``batch_size`` rows of ``path`` (the last may be short).

    Example:
        >>> [b["x"].tolist() for b in iter_batches("memory://pq-doc/a.parquet", 1)]
        [[1], [2]]
    """
    with _open(path) as pf:
        selected = _check_columns(pf, columns, path)
        batches = pf.iter_batches(batch_size=batch_size, columns=selected)
        for i, batch in enumerate(batches):
            if i >= skip:
                yield _columns_of(pa.Table.from_batches([batch]))
