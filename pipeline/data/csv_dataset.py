"""`CsvDataset` and `make_csv_dataset`: CSV files decoded in vectorized blocks.

Files are read in big chunks, split into records (`pipeline.io.csv_file`) and
decoded a block at a time by the vectorized decoder, so the per-element API
(one tuple per row; batches of dicts) is kept while the engine moves blocks.
A malformed row becomes an `ElementFailure` naming the file, line and
column, in its place: iterating raises its `InvalidArgumentError`, and
``ignore_errors()`` skips and counts it.

Example:
    >>> from pipeline.io import fs
    >>> with fs.open_output("memory://csvds-doc/a.csv") as f:
    ...     _ = f.write(b"x,y\\n1,a\\n2,b\\n")
    >>> ds = CsvDataset("memory://csvds-doc/a.csv", [[0], [""]], header=True)
    >>> [(int(x), y) for x, y in ds]
    [(1, b'a'), (2, b'b')]
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from pipeline.data.csv_batches import CsvBatchSource, decoded_blocks
from pipeline.data.csv_rows import CsvRowBatches, row_pieces
from pipeline.data.dataset import Dataset
from pipeline.data.text_dataset import file_names
from pipeline.errors import DataLossError, InvalidArgumentError, NotFoundError
from pipeline.graph.base import UNKNOWN
from pipeline.graph.failures import ElementFailure
from pipeline.graph.sources import BlockSourceNode
from pipeline.io import fs
from pipeline.io.csv_file import read_records
from pipeline.io.csv_infer import infer_column_names, infer_column_types
from pipeline.io.csv_spec import ColumnSpec, CsvOptions, column_specs
from pipeline.types import TensorSpec

__all__ = ["CsvDataset", "make_csv_dataset"]

_log = logging.getLogger(__name__)


class CsvSource:
    """Block source of a `CsvDataset`: `RowBlock` runs of decoded columns (a
    row's tuple is made when it is taken) and failures alone.

    State: ``{"file": i, "pos": position in file i or None}``, with
    ``"row": r`` when rows before ``r`` of the block read from ``pos`` were
    handed out already.
    """

    cardinality = UNKNOWN
    failures_alone = True

    def __init__(self, files, specs, opts, header, compression, buffer_size) -> None:
        self.files, self.specs, self.opts, self.header = files, specs, opts, header
        self.compression, self.buffer_size = compression, buffer_size
        self.element_spec = tuple(TensorSpec((), s.dtype) for s in specs)

    def __str__(self) -> str:
        return f"CsvDataset({list(self.files)}, header={self.header})"

    def blocks(self, state: dict | None) -> Iterator[tuple[Any, dict]]:
        """Yield ``(rows or [failure], state after them)`` from ``state`` on."""
        state = state or {"file": 0, "pos": None}
        for i in range(state["file"], len(self.files)):
            here = i == state["file"]
            pos = state["pos"] if here else None
            yield from self._file(i, pos, state.get("row", 0) if here else 0)

    def _file(self, i: int, pos: Any, skip: int) -> Iterator[tuple[Any, dict]]:
        path = self.files[i]
        try:
            records = read_records(
                path, self.opts.use_quote_delim, self.header, self.compression,
                self.buffer_size, None if pos is None else tuple(pos),
                delim=self.opts.delim,
            )  # fmt: skip
            for block in decoded_blocks(records, self.specs, self.opts, path):
                yield from row_pieces(block, i, pos, skip, path)
                pos, skip = block.position, 0
        except (NotFoundError, DataLossError, InvalidArgumentError) as e:
            yield (
                [ElementFailure(e, where={"path": path})],
                {"file": i + 1, "pos": None},
            )


class CsvDataset(Dataset):
    """Typed rows of CSV files, as ``tf.data.experimental.CsvDataset``.

    Args:
        filenames: a path or fsspec URL, or a list of them (read in order).
        record_defaults: one entry per output column, as in `decode_csv`
            (a dtype or empty array makes the column required).
        compression_type: None, ``"GZIP"``, ``"ZLIB"`` or ``"AUTO"``.
        buffer_size: bytes read at a time (default 1 MiB).
        header: whether each file starts with a header line to skip.
        field_delim: the one-byte delimiter (default ``","``).
        use_quote_delim: whether ``"`` quotes fields (default True); quoted
            fields may span lines.
        na_value: text read as a missing value (default ``""``).
        select_cols: sorted indices of the columns to read.
        exclude_cols: sorted indices of the columns to skip (not with
            ``select_cols``).
        name: ignored (TF's op name).

    Raises:
        InvalidArgumentError: bad arguments. While iterating, a malformed row
            raises InvalidArgumentError naming its file, line and column.

    Example:
        >>> from pipeline.io import fs
        >>> with fs.open_output("memory://csvds-doc/b.csv") as f:
        ...     _ = f.write(b"1,2.5\\n,\\n")
        >>> [tuple(map(float, r)) for r in CsvDataset("memory://csvds-doc/b.csv",
        ...                                          [[7], [0.0]])]
        [(1.0, 2.5), (7.0, 0.0)]
    """

    def __init__(
        self,
        filenames: Any,
        record_defaults: Sequence[Any],
        compression_type: str | None = None,
        buffer_size: int | None = None,
        header: bool = False,
        field_delim: str = ",",
        use_quote_delim: bool = True,
        na_value: str = "",
        select_cols: Sequence[int] | None = None,
        exclude_cols: Sequence[int] | None = None,
        name: str | None = None,
    ) -> None:
        specs = column_specs(record_defaults)
        if buffer_size is not None and buffer_size <= 0:
            raise InvalidArgumentError(
                f"buffer_size should be positive. Received: buffer_size={buffer_size}"
            )
        if select_cols is not None and exclude_cols is not None:
            raise InvalidArgumentError(
                "Either select_cols or exclude_cols should be empty"
            )
        opts = _file_options(field_delim, use_quote_delim, na_value, select_cols, specs)
        if exclude_cols is not None and len(exclude_cols):
            excluded = tuple(sorted(int(c) for c in exclude_cols))
            opts = dataclasses.replace(opts, exclude_cols=excluded)
        kind = _compression(compression_type)
        source = CsvSource(
            file_names(filenames), specs, opts, bool(header), kind, buffer_size
        )
        super().__init__(BlockSourceNode((), source))

    def batch(
        self,
        batch_size: int,
        drop_remainder: bool = False,
        num_parallel_calls: int | None = None,
        deterministic: bool | None = None,
        name: str | None = None,
    ) -> Dataset:
        """``Dataset.batch``; cut from the decoded columns when nothing comes
        between (no row tuple is made).

        Example:
            >>> from pipeline.io import fs
            >>> with fs.open_output("memory://csvds-doc/d.csv") as f:
            ...     _ = f.write(b"1,a\\n2,b\\n3,c\\n")
            >>> ds = CsvDataset("memory://csvds-doc/d.csv", [[0], [""]]).batch(2)
            >>> [(x.tolist(), y.tolist()) for x, y in ds]
            [([1, 2], [b'a', b'b']), ([3], [b'c'])]
        """
        batched = super().batch(
            batch_size, drop_remainder, num_parallel_calls, deterministic, name
        )
        source = getattr(self._node, "source", None)
        if type(source) is not CsvSource:
            return batched
        fast = CsvRowBatches(
            source.files, source.specs, source.opts, source.header,
            source.compression, int(batch_size), bool(drop_remainder),
        )  # fmt: skip
        return self._chain(BlockSourceNode((), fast))


def _file_options(delim, quotes, na_value, select, specs) -> CsvOptions:
    opts = CsvOptions.make(delim, quotes, na_value, select, len(specs))
    return dataclasses.replace(opts, empty_is_field=True, scan_all=True)


def _compression(compression_type: str | None) -> str:
    if (compression_type or "").upper() == "AUTO":
        return "AUTO"
    return fs.compression_of("", compression_type)


def make_csv_dataset(
    file_pattern: Any,
    batch_size: int,
    column_names: Sequence[str] | None = None,
    column_defaults: Sequence[Any] | None = None,
    label_name: str | None = None,
    select_columns: Sequence[Any] | None = None,
    field_delim: str = ",",
    use_quote_delim: bool = True,
    na_value: str = "",
    header: bool = True,
    num_epochs: int | None = None,
    shuffle: bool = True,
    shuffle_buffer_size: int = 10000,
    shuffle_seed: int | None = None,
    prefetch_buffer_size: int | None = None,
    num_parallel_reads: int | None = None,
    sloppy: bool = False,
    num_rows_for_inference: int = 100,
    compression_type: str | None = None,
    ignore_errors: bool = False,
    encoding: str = "utf-8",
) -> Dataset:
    """Batches of CSV rows as dicts (``tf.data.experimental.make_csv_dataset``).

    Column names come from the header unless given; column types are inferred
    from the first ``num_rows_for_inference`` rows unless ``column_defaults``
    are given (see `pipeline.io.csv_infer`).

    Args:
        file_pattern: a glob pattern or list of patterns/paths.
        batch_size: rows per batch.
        column_names: names of the columns, in file order (default: header).
        column_defaults: one `decode_csv` default per selected column.
        label_name: a column returned apart: elements are ``(features, label)``.
        select_columns: names or indices of the columns to keep.
        field_delim: delimiter (default ``","``).
        use_quote_delim: whether ``"`` quotes fields (default True).
        na_value: text read as missing (default ``""``).
        header: whether files start with a header row (default True).
        num_epochs: passes over the data (default None: forever; batches are
            then all full).
        shuffle: shuffle files and rows (default True).
        shuffle_buffer_size: rows in the shuffle buffer (default 10000).
        shuffle_seed: seed of the shuffles (default None: random).
        prefetch_buffer_size: batches prefetched (default: autotuned).
        num_parallel_reads: files read at once, interleaved row by row.
        sloppy: allow non-deterministic interleaving.
        num_rows_for_inference: rows read to infer types (default 100).
        compression_type: None, ``"GZIP"``, ``"ZLIB"`` or ``"AUTO"``.
        ignore_errors: skip (and count) rows that fail to parse.
        encoding: text encoding of the header and inference rows.

    Returns:
        A `Dataset` of dicts ``{name: array[batch]}`` in header order, or of
        ``(features, label)`` with ``label_name``.

    Example:
        >>> from pipeline.io import fs
        >>> with fs.open_output("memory://csvds-doc/c.csv") as f:
        ...     _ = f.write(b"a,b\\n1,x\\n2,\\n3,z\\n")
        >>> ds = make_csv_dataset("memory://csvds-doc/c.csv", 2, shuffle=False,
        ...                       num_epochs=1, label_name="a")
        >>> [(f["b"].tolist(), y.tolist()) for f, y in ds]
        [([b'x', b''], [1, 2]), ([b'z'], [3])]
    """
    files = fs.expand(file_pattern)
    kind = _compression(compression_type)
    names, select, specs = _columns(
        files, column_names, column_defaults, select_columns, field_delim,
        use_quote_delim, na_value, header, num_rows_for_inference, kind, encoding,
    )  # fmt: skip
    if label_name is not None and label_name not in names:
        raise ValueError(
            f"`label_name` provided must be one of the columns: {names}. "
            f"Received: {label_name}."
        )
    opts = _file_options(field_delim, use_quote_delim, na_value, select, specs)
    if num_parallel_reads in (None, 1):
        source = CsvBatchSource(
            tuple(files), specs, opts, header, kind, names, label_name,
            batch_size, num_epochs, ignore_errors,
            shuffle_buffer_size if shuffle else None, shuffle_seed,
        )  # fmt: skip
        dataset = Dataset._from_block_source(source)
    else:
        dataset = _row_pipeline(
            files, specs, opts, header, kind, names, label_name, batch_size,
            num_epochs, shuffle, shuffle_buffer_size, shuffle_seed,
            num_parallel_reads, sloppy, ignore_errors,
        )  # fmt: skip
    return dataset.prefetch(prefetch_buffer_size or -1)


def _columns(
    files,
    names,
    defaults,
    select,
    delim,
    quotes,
    na_value,
    header,
    rows,
    kind,
    encoding,
) -> tuple[list[str], list[int] | None, list[ColumnSpec]]:
    if names is None:
        if not header:
            raise ValueError("Cannot infer column names without a header line.")
        names = infer_column_names(files, delim, quotes, kind, encoding)
    names = list(names)
    if len(names) != len(set(names)):
        raise InvalidArgumentError(
            f"Cannot have duplicate column names. Received: column_names={names!r}"
        )
    indices = None if select is None else _select_indices(select, names)
    if defaults is None:
        types = infer_column_types(
            files, len(names), delim, quotes, na_value, header, rows, indices, kind,
            encoding,
        )  # fmt: skip
        defaults = [_default_of(t) for t in types]
    specs = column_specs(defaults)
    if indices is not None and len(specs) != len(indices):
        raise ValueError(
            "If specified, column_defaults and select_columns must have same length."
        )
    if indices is not None:
        names = [names[i] for i in indices]
    return names, indices, specs


def _default_of(type_name: str) -> np.ndarray:
    if type_name == "string":
        return np.array([b""], dtype=object)
    return np.zeros(1, dtype=type_name)


def _select_indices(select: Sequence[Any], names: list[str]) -> list[int]:
    if all(isinstance(c, (int, np.integer)) for c in select):
        indices = [int(c) for c in select]
        if any(c < 0 or c >= len(names) for c in indices):
            raise ValueError("Column index in select_columns is out of range.")
    elif all(isinstance(c, str) for c in select):
        missing = [c for c in select if c not in names]
        if missing:
            raise ValueError(f"Column {missing[0]!r} in select_columns not found.")
        indices = [names.index(c) for c in select]
    else:
        raise ValueError("select_columns must be all names or all indices.")
    return sorted(set(indices))


def _row_pipeline(
    files, specs, opts, header, kind, names, label, batch_size, num_epochs,
    shuffle, buffer, seed, reads, sloppy, ignore,
) -> Dataset:  # fmt: skip
    def one_file(name: Any) -> Dataset:
        rows = Dataset._from_block_source(
            CsvSource(file_names(name), specs, opts, header, kind, None)
        )
        return rows.ignore_errors() if ignore else rows

    dataset = Dataset.from_tensor_slices(np.array(files, dtype=object))
    if shuffle:
        dataset = dataset.shuffle(len(files), seed=seed)
    if reads in (None, 1):
        dataset = dataset.flat_map(one_file)
    else:
        dataset = dataset.interleave(
            one_file, cycle_length=reads, block_length=1, num_parallel_calls=reads,
            deterministic=not sloppy,
        )  # fmt: skip
    if shuffle:
        dataset = dataset.shuffle(buffer, seed=seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=num_epochs is None)

    def to_dict(*columns: Any) -> Any:
        features = dict(zip(names, columns))
        return (features, features.pop(label)) if label is not None else features

    return dataset.map(to_dict)
