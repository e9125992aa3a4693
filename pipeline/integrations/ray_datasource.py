"""Ray Data datasources whose read tasks run our compiled readers and parsers.

Each read task reads a contiguous group of files (one task per file when
there are at least ``parallelism`` files) with the same code as
``pl.data``: the TFRecord framing and CRC kernel and the vectorized Example
decoder (`pipeline.io.tfrecord`, `pipeline.io.example`), the CSV kernel
(through ``make_csv_dataset``) or the line reader (``TextLineDataset``). It
emits Arrow blocks of up to ``block_rows`` rows (`pipeline.integrations.ray_arrow`
types), never one Python object per record. Errors are ours: a corrupt record
or a malformed row raises `DataLossError` or `InvalidArgumentError` naming
the file and the offset or line, in the read task, and Ray re-raises it.

Use them through `pipeline.integrations.ray` (``read_tfrecords``, ``read_csv``,
``read_text``).

Example (a Ray cluster is needed; tests/integrations/test_ray.py runs it)::

    source = TFRecordDatasource(["a.tfrecord"], features)
    ray.data.read_datasource(source).take(2)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
from ray.data.block import BlockMetadata
from ray.data.datasource import Datasource, ReadTask

from pipeline.data.csv_dataset import make_csv_dataset
from pipeline.data.text_dataset import TextLineDataset
from pipeline.errors import InvalidArgumentError
from pipeline.integrations.ray_arrow import to_table
from pipeline.io import fs
from pipeline.io.example import parse_example
from pipeline.io.tfrecord import iter_blocks

__all__ = ["CsvDatasource", "TFRecordDatasource", "TextDatasource", "file_groups"]

_BLOCK_ROWS = 4096


def file_groups(files: Sequence[str], parallelism: int) -> list[list[str]]:
    """``files`` cut into at most ``parallelism`` contiguous groups of near
    equal count (one group per file when there are few files).

    Example:
        >>> file_groups(["a", "b", "c", "d", "e"], 2)
        [['a', 'b'], ['c', 'd', 'e']]
        >>> file_groups(["a", "b"], 8)
        [['a'], ['b']]
    """
    count = max(1, min(len(files), parallelism if parallelism > 0 else len(files)))
    bounds = np.linspace(0, len(files), count + 1).round().astype(int)
    return [list(files[a:b]) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]


class _FileDatasource(Datasource):
    """Files read in groups, one read task per group; subclasses give
    ``_read(files) -> Iterator[pa.Table]``."""

    def __init__(self, paths: Any, block_rows: int = _BLOCK_ROWS) -> None:
        super().__init__()
        if block_rows <= 0:
            raise InvalidArgumentError(
                f"`block_rows` must be positive. Received: block_rows={block_rows}"
            )
        self.files = fs.expand(paths)
        self.block_rows = int(block_rows)

    def estimate_inmemory_data_size(self) -> int | None:
        """The files' total size in bytes (a lower bound once decoded)."""
        return sum(fs.file_size(f) for f in self.files)

    def get_read_tasks(
        self, parallelism: int, per_task_row_limit: int | None = None, **_: Any
    ) -> list[ReadTask]:
        """One `ReadTask` per group of files (`file_groups`)."""
        tasks = []
        for group in file_groups(self.files, parallelism):
            size = sum(fs.file_size(f) for f in group)
            meta = BlockMetadata(
                num_rows=None, size_bytes=int(size), exec_stats=None,
                input_files=tuple(group),
            )  # fmt: skip
            tasks.append(
                ReadTask(_reader(self._read, group), meta,
                         per_task_row_limit=per_task_row_limit)
            )  # fmt: skip
        return tasks

    def _read(self, files: list[str]) -> Iterator[pa.Table]:
        raise NotImplementedError


def _reader(read: Callable, group: list[str]) -> Callable[[], Iterator[pa.Table]]:
    return lambda: read(group)


class TFRecordDatasource(_FileDatasource):
    """Rows of ``tf.train.Example`` records, parsed with ``features``.

    Args:
        paths: file paths, URLs or glob patterns.
        features: ``{name: FixedLenFeature | VarLenFeature | ...}`` as for
            ``pl.io.parse_example``.
        compression_type: None, ``"GZIP"``, ``"ZLIB"`` or ``"AUTO"``.
        block_rows: records per Arrow block (default 4096).
    """

    def __init__(
        self,
        paths: Any,
        features: Mapping[str, Any],
        compression_type: str | None = None,
        block_rows: int = _BLOCK_ROWS,
    ) -> None:
        super().__init__(paths, block_rows)
        if not features:
            raise InvalidArgumentError("`features` must name at least one feature.")
        self.features = dict(features)
        self.compression_type = compression_type

    def _read(self, files: list[str]) -> Iterator[pa.Table]:
        for path in files:
            blocks = iter_blocks(
                path, self.compression_type, max_block_records=self.block_rows
            )
            for block in blocks:
                try:
                    columns = parse_example(block.records, self.features)
                except InvalidArgumentError as e:
                    e.add_note(
                        f"in file {path!r}, records {block.first_index} to "
                        f"{block.first_index + len(block) - 1}"
                    )
                    raise
                yield to_table(columns)


class CsvDatasource(_FileDatasource):
    """Rows of CSV files, parsed as ``pl.data.make_csv_dataset`` parses them.

    Column names and types are settled once, on the driver (from the
    arguments, else the header and the first rows), so every task agrees.

    Args:
        paths: file paths, URLs or glob patterns.
        block_rows: rows per Arrow block (default 4096).
        **csv_args: ``make_csv_dataset``'s parsing arguments:
            ``column_names``, ``column_defaults``, ``select_columns``,
            ``field_delim``, ``use_quote_delim``, ``na_value``, ``header``,
            ``num_rows_for_inference``, ``compression_type``,
            ``ignore_errors``, ``encoding``.
    """

    _ARGS = frozenset(
        "column_names column_defaults select_columns field_delim use_quote_delim "
        "na_value header num_rows_for_inference compression_type ignore_errors "
        "encoding".split()
    )

    def __init__(self, paths: Any, block_rows: int = _BLOCK_ROWS, **csv_args: Any):
        super().__init__(paths, block_rows)
        unknown = sorted(set(csv_args) - self._ARGS)
        if unknown:
            raise InvalidArgumentError(
                f"`read_csv` got unknown arguments {unknown}; it takes "
                f"{sorted(self._ARGS)}"
            )
        probe = self._dataset(self.files[:1], dict(csv_args))
        spec = probe.element_spec
        self.names = list(spec)
        if csv_args.get("column_defaults") is None:
            csv_args["column_defaults"] = [_default(spec[n].dtype) for n in spec]
        self.csv_args = csv_args

    def _dataset(self, files: list[str], csv_args: dict) -> Any:
        return make_csv_dataset(
            files, self.block_rows, num_epochs=1, shuffle=False, **csv_args
        )

    def _read(self, files: list[str]) -> Iterator[pa.Table]:
        with iter(self._dataset(files, self.csv_args)) as batches:
            for batch in batches:
                yield to_table(batch)


def _default(dtype: np.dtype) -> np.ndarray:
    """The default an inferred column of ``dtype`` gets (as inference gives)."""
    if np.dtype(dtype).kind == "O":
        return np.array([b""], dtype=object)
    return np.zeros(1, dtype=dtype)


class TextDatasource(_FileDatasource):
    """Lines of text files (without line ends) in a ``text`` column of bytes,
    as ``pl.data.TextLineDataset`` reads them.

    Args:
        paths: file paths, URLs or glob patterns.
        compression_type: None, ``"GZIP"``, ``"ZLIB"`` or ``"AUTO"``.
        block_rows: lines per Arrow block (default 4096).
    """

    def __init__(
        self,
        paths: Any,
        compression_type: str | None = None,
        block_rows: int = _BLOCK_ROWS,
    ) -> None:
        super().__init__(paths, block_rows)
        self.compression_type = compression_type

    def _read(self, files: list[str]) -> Iterator[pa.Table]:
        lines = TextLineDataset(files, self.compression_type).batch(self.block_rows)
        with iter(lines) as batches:
            for batch in batches:
                yield to_table({"text": batch})
