"""Read any detected file as batches of `Column` values, through the library readers.

Example:
    >>> from pipeline.io import fs
    >>> from pipeline.io.detect import detect
    >>> with fs.open_output("memory://read-doc/a.csv") as f:
    ...     _ = f.write(b"a,b\\n1,x\\n2,\\n")
    >>> [b["b"].lengths.tolist() for b in iter_batches(detect("memory://read-doc/a.csv"))]
    [[1, -1]]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa

from pipeline.cli import _examples
from pipeline.cli._columns import arrow_to_column, strings_to_column
from pipeline.cli._csv_chunks import csv_tables
from pipeline.cli._csv_header import csv_names
from pipeline.cli._selection import check_selection, selected
from pipeline.cli._sequence_columns import SequenceColumns, is_sequence_block
from pipeline.cli._unreadable import Unreadable
from pipeline.errors import DataLossError, InvalidArgumentError, PipelineError
from pipeline.io import fs, tfrecord
from pipeline.io.detect import Detected
from pipeline.io.schema import Column

_BATCH_RECORDS = 4096
#: TFRecord bytes read at a time: room for a whole batch of small records
#: (the per-batch work of the Example decoder and of stats is then amortized)
_TFRECORD_BUFFER_BYTES = 1 << 20

Batch = dict[str, Column]


def _csv_convert(d: Detected, names: list[str]) -> Any:
    """pyarrow's ``ConvertOptions``: the selected columns as strings, the
    ``--na-value`` fields null (missing)."""
    import pyarrow.csv as pcsv

    read = list(d.columns) if d.columns is not None else names
    return pcsv.ConvertOptions(
        include_columns=read,
        column_types={n: pa.string() for n in read},
        null_values=list(d.na_values),
        strings_can_be_null=bool(d.na_values),
    )


def _csv_batches(
    d: Detected,
    kinds: dict[str, str] | None,
    limit: int | None,
    skipped: Unreadable | None = None,
) -> Iterator[Batch]:
    names = csv_names(d)
    conv = _csv_convert(d, names)
    left = limit
    on_bad = None if skipped is None else (lambda row: skipped.skip(d.path))
    for table in csv_tables(d, names, conv, on_bad):
        for rb in table.to_batches(max_chunksize=_BATCH_RECORDS):
            part = rb.slice(
                0, min(rb.num_rows, left if left is not None else rb.num_rows)
            )
            yield {
                n: strings_to_column(part.column(i), (kinds or {}).get(n))
                for i, n in enumerate(part.schema.names)
            }
            if left is not None:
                left -= part.num_rows
                if left <= 0:
                    return


def count_csv_rows(d: Detected) -> int:
    """The number of records of a CSV file (quoted newlines allowed), parsing
    only the first column."""
    import pyarrow.csv as pcsv

    names = csv_names(d)
    conv = pcsv.ConvertOptions(
        include_columns=names[:1], column_types={names[0]: pa.string()}
    )
    return sum(table.num_rows for table in csv_tables(d, names, conv))


def _parquet_batches(d: Detected) -> Iterator[Batch]:
    import pyarrow.parquet as pq

    # pyarrow reads a Python file object from its own threads, which may still
    # hold it at exit: it gets a local path, and a URL's file is read serially
    with fs.open_input(d.path) as f:
        local = d.path.removeprefix("file://")
        pf = pq.ParquetFile(local if "://" not in local else f)
        threads = "://" not in local
        try:
            columns = None if d.columns is None else list(d.columns)
            batches = pf.iter_batches(
                batch_size=_BATCH_RECORDS, columns=columns, use_threads=threads
            )
            for rb in batches:
                names = rb.schema.names
                yield {n: arrow_to_column(rb.column(i)) for i, n in enumerate(names)}
        finally:
            pf.close()


def _bytes_column(items: list[bytes]) -> Column:
    values = np.empty(len(items), dtype=object)
    values[:] = items
    return Column("string", values, np.ones(len(items), dtype=np.int64), scalar=True)


def _text_batches(d: Detected) -> Iterator[Batch]:
    with fs.open_input(d.path, d.compression) as f:
        lines: list[bytes] = []
        for line in f:
            lines.append(line.rstrip(b"\n").removesuffix(b"\r"))
            if len(lines) == _BATCH_RECORDS:
                yield {"line": _bytes_column(lines)}
                lines = []
        if lines:
            yield {"line": _bytes_column(lines)}


def record_decoder(records: list[bytes]):
    """The decoder of a file of Examples or SequenceExamples, by its first
    block: `SequenceColumns` when the first record has feature lists, else
    `ExampleColumns` (which refuses a later record with feature lists)."""
    if is_sequence_block(records):
        return SequenceColumns()
    return _examples.ExampleColumns()


def _tfrecord_batches(
    d: Detected, raw: bool, skipped: Unreadable | None = None
) -> Iterator[Batch]:
    decoder = None
    for block in tfrecord.iter_blocks(
        d.path,
        d.compression,
        buffer_size=_TFRECORD_BUFFER_BYTES,
        max_block_records=_BATCH_RECORDS,
        skip_corrupt=skipped is not None,
    ):
        if isinstance(block, DataLossError):
            if getattr(block, "raw", None) is None:
                raise block  # reading cannot go past it
            skipped.skip(d.path)  # type: ignore[union-attr]
        elif raw:
            yield {"record": _bytes_column(block.records)}
        elif (decoder := decoder or record_decoder(block.records)) and (
            skipped is None
        ):
            yield decoder.decode(block.records, d.path, block.first_index)
        else:
            yield _decode_readable(decoder, block, d.path, skipped)


def _decode_readable(decoder, block, path: str, skipped: Unreadable) -> Batch:
    """Decode a block's records, skipping (and counting) those that are not
    of the file's kind."""
    try:
        return decoder.decode(block.records, path, block.first_index)
    except (InvalidArgumentError, ValueError):
        good = []
        for record in block.records:
            try:
                decoder.check(record)
                good.append(record)
            except InvalidArgumentError:
                skipped.skip(path)
        return decoder.decode(good, path, block.first_index)


def iter_batches(
    d: Detected,
    kinds: dict[str, str] | None = None,
    limit: int | None = None,
    skipped: Unreadable | None = None,
) -> Iterator[Batch]:
    """Yield the records of one file as batches of columns.

    Args:
        d: the detected file.
        kinds: for CSV, the kind of each column (from a schema); None infers
            the kinds batch by batch.
        limit: for CSV, stop after this many records (kinds are inferred from
            those only); other formats may yield more.
        skipped: None to raise at the first unreadable record; or a tally
            that counts and skips unreadable records (bad CSV rows, bad data
            CRCs, records that are not Examples) and notes where a file had
            to stop (the error is then not raised).

    Raises:
        InvalidArgumentError: a name of ``d.columns`` is not a column of the
            file (for TFRecord and text files: no record of the file has it;
            raised at its end), whether or not ``skipped`` is given.
    """
    check_selection(d)  # before reading, and never skipped
    batches = _iter_batches(d, kinds, limit, skipped)
    if d.format in ("text", "tfrecord", "tfrecord-raw"):
        batches = selected(d, batches)
    yield from batches


def _iter_batches(d: Detected, kinds, limit, skipped) -> Iterator[Batch]:
    if skipped is None:
        yield from _batches_of(d, kinds, limit, None)
        return
    try:
        yield from _batches_of(d, kinds, limit, skipped)
    except (PipelineError, OSError, ValueError) as e:
        skipped.stop(d.path, getattr(e, "message", None) or str(e))


def _batches_of(d: Detected, kinds, limit, skipped) -> Iterator[Batch]:
    if d.format in ("csv", "tsv"):
        yield from _arrow_errors(d, _csv_batches(d, kinds, limit, skipped))
    elif d.format == "parquet":
        yield from _arrow_errors(d, _parquet_batches(d))
    elif d.format == "text":
        yield from _text_batches(d)
    else:
        yield from _tfrecord_batches(d, d.format == "tfrecord-raw", skipped)


def _arrow_errors(d: Detected, batches: Iterator[Batch]) -> Iterator[Batch]:
    """Name the file in pyarrow's errors (they do not)."""
    try:
        yield from batches
    except pa.ArrowException as e:
        if isinstance(e, PipelineError):
            raise
        raise InvalidArgumentError(
            f"cannot read {d.format} file {d.path!r}: {e}", path=d.path
        ) from e


def batch_size(batch: Batch) -> int:
    """The number of records in a batch."""
    return max((c.num_records for c in batch.values()), default=0)


def rows(batch: Batch, limit: int | None = None) -> list[dict[str, Any]]:
    """The records of a batch as dicts (missing features left out).

    A scalar column gives its value, a feature list one list of values per
    time step, any other a list of values.

    Example:
        >>> b = {"x": Column("int64", np.array([5, 6, 7]), np.array([2, -1, 1]))}
        >>> rows(b)
        [{'x': [5, 6]}, {}, {'x': [7]}]
        >>> steps = np.array([-1, 3])
        >>> s = Column("int64", np.array([5, 6, 7]), np.array([2, 0, 1]), steps=steps)
        >>> rows({"s": s})
        [{}, {'s': [[5, 6], [], [7]]}]
    """
    n = batch_size(batch) if limit is None else min(limit, batch_size(batch))
    out: list[dict[str, Any]] = [{} for _ in range(n)]
    for name, col in batch.items():
        if col.sequence:
            _sequence_rows(name, col, out)
            continue
        ends = np.cumsum(np.maximum(col.lengths, 0))
        for i in range(n):
            if col.lengths[i] >= 0:
                values = col.values[ends[i] - col.lengths[i] : ends[i]].tolist()
                out[i][name] = values[0] if col.scalar else values
    return out


def _sequence_rows(name: str, col: Column, out: list[dict[str, Any]]) -> None:
    steps = np.maximum(col.steps, 0)  # type: ignore[arg-type]
    step_ends = np.cumsum(steps)
    value_ends = np.concatenate([[0], np.cumsum(col.lengths)])
    for i in range(len(out)):
        if col.steps[i] >= 0:  # type: ignore[index]
            first = int(step_ends[i] - steps[i])
            bounds = value_ends[first : first + steps[i] + 1]
            out[i][name] = [
                col.values[a:b].tolist() for a, b in zip(bounds[:-1], bounds[1:])
            ]


def head(batch: Batch, n: int) -> Batch:
    """The first ``n`` records of a batch.

    Example:
        >>> b = {"x": Column("int64", np.array([5, 6, 7]), np.array([2, -1, 1]))}
        >>> c = head(b, 2)["x"]
        >>> c.values.tolist(), c.lengths.tolist()
        ([5, 6], [2, -1])
    """
    return take(batch, 0, n)


def take(batch: Batch, start: int, stop: int) -> Batch:
    """Records ``start:stop`` of a batch.

    Example:
        >>> b = {"x": Column("int64", np.array([5, 6, 7]), np.array([2, -1, 1]))}
        >>> take(b, 1, 3)["x"].values.tolist()
        [7]
    """
    out = {}
    for name, col in batch.items():
        if col.sequence:
            out[name] = _take_steps(col, start, stop)
            continue
        used = np.concatenate([[0], np.cumsum(np.maximum(col.lengths, 0))])
        lengths = col.lengths[start:stop]
        lo, hi = used[min(start, len(col.lengths))], used[min(stop, len(col.lengths))]
        values = col.values[lo:hi]
        out[name] = Column(col.kind, values, lengths, col.invalid, col.scalar)
    return out


def _take_steps(col: Column, start: int, stop: int) -> Column:
    """Records ``start:stop`` of a feature-list column."""
    n = len(col.steps)  # type: ignore[arg-type]
    steps_at = np.concatenate([[0], np.cumsum(np.maximum(col.steps, 0))])
    values_at = np.concatenate([[0], np.cumsum(col.lengths)])
    s0, s1 = steps_at[min(start, n)], steps_at[min(stop, n)]
    values = col.values[values_at[s0] : values_at[s1]]
    steps = col.steps[start:stop]  # type: ignore[index]
    return Column(col.kind, values, col.lengths[s0:s1], col.invalid, steps=steps)
