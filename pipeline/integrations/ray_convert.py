"""`from_ray` and `to_ray`: between Ray Data and `pl.data.Dataset`.

``from_ray(source, batch_size=256)`` reads a ``ray.data.Dataset`` or a
``ray.data.DataIterator`` (a ``streaming_split`` part, or what Ray Train's
``get_dataset_shard`` returns) through ``iter_batches(batch_format="numpy")``.
Elements are **batches**: dicts ``{column: numpy array}`` of ``batch_size``
rows (the last may be short; ``drop_last=True`` drops it), the form our
feature columns and models take as they are; ``batch_size=None`` gives one
dict of scalars per row. Text columns come out as object arrays of ``bytes``
(our form), fixed-shape tensors as ndarrays, ragged lists as object arrays of
arrays. Each iteration of the dataset is one pass over the Ray data (for a
``DataIterator``, one epoch of it); ``get_state`` counts the batches read, and
``set_state`` reads the pass again and skips them.

``to_ray(dataset)`` turns a finite dataset into a ``ray.data.Dataset`` with
one row per element: it runs the dataset on the driver and hands Ray Arrow
blocks of ``block_rows`` rows (``ray.data.from_arrow``). Column names come
from the element's structure: dict keys, tuple positions (``"0"``, ``"1"``),
``"a/b"`` for nesting, ``"item"`` for a bare leaf. Read large data on the
cluster with `pipeline.integrations.ray` ``read_*`` instead.

Example (a Ray cluster is needed; tests/integrations/test_ray.py runs it)::

    ds = pl.data.Dataset.from_ray(ray_dataset.streaming_split(2, equal=True)[0])
    for batch in ds: model.train_on_batch(batch)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa

from pipeline.data.dataset import Dataset
from pipeline.errors import InvalidArgumentError
from pipeline.graph.base import INFINITE, UNKNOWN
from pipeline.integrations.ray_arrow import as_pipeline_batch, spec_of_type, to_table
from pipeline.types import SparseTensor

__all__ = ["RaySource", "from_ray", "to_ray"]

_BLOCK_ROWS = 4096


def _check_source(source: Any) -> None:
    import ray.data

    if not isinstance(source, (ray.data.Dataset, ray.data.DataIterator)):
        raise TypeError(
            "`from_ray` takes a ray.data.Dataset or a ray.data.DataIterator "
            "(a streaming_split part, or Ray Train's get_dataset_shard). "
            f"Received: {type(source).__name__}"
        )


class RaySource:
    """The block source of `from_ray` (see ``pipeline.graph.sources``).

    State: ``{"batches": number of Ray batches already read}``.
    """

    cardinality = UNKNOWN

    def __init__(self, source: Any, batch_size: int | None, iter_args: dict) -> None:
        _check_source(source)
        if batch_size is not None and (
            isinstance(batch_size, bool) or int(batch_size) <= 0
        ):
            raise InvalidArgumentError(
                "`batch_size` must be a positive integer or None. "
                f"Received: batch_size={batch_size!r}"
            )
        self.source, self.batch_size, self.iter_args = source, batch_size, iter_args
        self._spec: Any = None

    def __str__(self) -> str:
        return f"from_ray({type(self.source).__name__}, batch_size={self.batch_size})"

    @property
    def element_spec(self) -> Any:
        """``{column: TensorSpec}`` from the Ray schema (None when unknown)."""
        if self._spec is None:
            schema = self.source.schema()
            base = getattr(schema, "base_schema", schema)
            if isinstance(base, pa.Schema):
                batched = self.batch_size is not None
                self._spec = {f.name: spec_of_type(f.type, batched) for f in base}
        return self._spec

    def blocks(self, state: dict | None) -> Iterator[tuple[list, dict]]:
        """Yield ``(batches or rows, state after them)`` from ``state`` on."""
        skip = state["batches"] if state else 0
        batches = self.source.iter_batches(
            batch_size=self.batch_size or 256, batch_format="numpy", **self.iter_args
        )
        for k, raw in enumerate(batches):
            if k < skip:
                continue
            batch = as_pipeline_batch(raw)
            items = [batch] if self.batch_size is not None else _rows(batch)
            yield items, {"batches": k + 1}


def _rows(batch: dict[str, np.ndarray]) -> list[dict[str, Any]]:
    n = len(next(iter(batch.values()))) if batch else 0
    return [{name: col[i] for name, col in batch.items()} for i in range(n)]


def from_ray(source: Any, batch_size: int | None = 256, **iter_args: Any) -> Dataset:
    """A `Dataset` reading a Ray dataset or ``DataIterator`` (module docstring).

    Args:
        source: a ``ray.data.Dataset`` or ``ray.data.DataIterator``.
        batch_size: rows per element (default 256); None for one row each.
        **iter_args: passed to ``iter_batches`` (``drop_last``,
            ``prefetch_batches``, ``local_shuffle_buffer_size``, ...).

    Returns:
        A `Dataset` of ``{column: numpy array}`` dicts.

    Raises:
        TypeError: ``source`` is not Ray data.
    """
    return Dataset._from_block_source(RaySource(source, batch_size, iter_args))


def _named_leaves(element: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(element, dict):
        pairs = [(str(k), v) for k, v in element.items()]
    elif isinstance(element, tuple):
        pairs = [(str(i), v) for i, v in enumerate(element)]
    else:
        return [(prefix or "item", element)]
    out = []
    for key, value in pairs:
        out.extend(_named_leaves(value, f"{prefix}/{key}" if prefix else key))
    return out


def _table(rows: list[Any]) -> pa.Table:
    """Rows (elements of one structure) as an Arrow table."""
    names = [name for name, _ in _named_leaves(rows[0])]
    leaves = [[leaf for _, leaf in _named_leaves(row)] for row in rows]
    columns = {}
    for j, name in enumerate(names):
        values = [row[j] for row in leaves]
        if isinstance(values[0], SparseTensor):
            raise InvalidArgumentError(
                f"`to_ray` cannot store the SparseTensor in {name!r}; "
                "make it dense (or a list of values) in a `map` first"
            )
        if isinstance(values[0], bytes) or np.asarray(values[0]).dtype == object:
            columns[name] = np.array(values, dtype=object)
        else:
            columns[name] = np.stack([np.asarray(v) for v in values])
    return to_table(columns)


def to_ray(dataset: Dataset, block_rows: int = _BLOCK_ROWS) -> Any:
    """A finite ``dataset`` as a ``ray.data.Dataset``, one row per element.

    Args:
        dataset: a finite `pl.data.Dataset`.
        block_rows: rows per Arrow block handed to Ray (default 4096).

    Returns:
        A ``ray.data.Dataset``.

    Raises:
        InvalidArgumentError: the dataset is infinite, or holds a SparseTensor.
    """
    import ray.data

    if dataset.cardinality() == INFINITE:
        raise InvalidArgumentError(
            "`to_ray` needs a finite dataset, and this one is infinite "
            "(cardinality -1): end it with `take(n)` or drop its `repeat()`."
        )
    tables, rows = [], []
    with iter(dataset) as it:
        for element in it:
            rows.append(element)
            if len(rows) == block_rows:
                tables.append(_table(rows))
                rows = []
    if rows:
        tables.append(_table(rows))
    if not tables:
        return ray.data.from_items([])
    return ray.data.from_arrow(tables)
