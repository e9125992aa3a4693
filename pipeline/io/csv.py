"""`decode_csv`: TensorFlow's ``tf.io.decode_csv`` on numpy, vectorized over records.

Records may have any shape (a scalar string, a list, a nested list or a numpy
array of ``str``/``bytes``); every output column has that shape. A whole batch
is decoded in a few calls (see `csv_fast`: the ``csv_plain`` kernel, for
quoted records too); the exact per-record decoder (`csv_records`) handles the
batches the kernel refuses, and names the record at fault.

Example:
    >>> import numpy as np
    >>> cols = decode_csv(["1,house,2.5", '2,"a, b",'], [[0], ["?"], [0.0]])
    >>> cols[0], cols[1], cols[2]
    (array([1, 2], dtype=int32), array([b'house', b'a, b'], dtype=object), \
array([2.5, 0. ], dtype=float32))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pipeline.io import output_shapes, vectorized
from pipeline.io.csv_fast import decode_batch, decode_buffer
from pipeline.io.csv_spec import ColumnSpec, CsvOptions, column_specs
from pipeline.io.line_blocks import is_line_text

__all__ = ["decode_csv", "decode_lines"]

_PLAIN = (int, float, str, bytes)
_SPEC_CACHE: dict[tuple, list[ColumnSpec]] = {}
_SPEC_CACHE_SIZE = 256


def decode_csv(
    records: Any,
    record_defaults: Sequence[Any],
    field_delim: str | bytes = ",",
    use_quote_delim: bool = True,
    name: str | None = None,
    na_value: str | bytes = "",
    select_cols: Sequence[int] | None = None,
) -> list[np.ndarray]:
    """Convert CSV records to typed columns, with TF's exact rules.

    Args:
        records: a string, or an array-like of strings of any shape
            (``str`` or ``bytes``); each is one CSV record. (Also a
            `LineText`: records as one text, a 1-D batch.)
        record_defaults: one entry per output column: a numpy array of
            length 1 (default and dtype) or 0 (required column of that dtype),
            a numpy dtype (required), or a Python scalar or a list of at most
            one (int -> int32, float -> float32, str/bytes -> string).
        field_delim: the one-byte field delimiter. Defaults to ``","``.
        use_quote_delim: whether ``"`` quotes fields (``""`` is an escaped
            quote inside them). Defaults to True.
        name: ignored (TF's op name).
        na_value: text that marks a missing field, besides the empty field.
            Defaults to ``""``.
        select_cols: strictly increasing indices of the columns to keep, one
            per ``record_defaults`` entry. Defaults to every column.

    Returns:
        A list of numpy arrays, one per column, each of the shape of
        ``records``; string columns are object arrays of ``bytes``.

    Raises:
        InvalidArgumentError: a malformed record, a wrong field count, a
            missing required field or a value that does not parse, naming the
            record (TF's message).
        ValueError: ``select_cols`` not strictly increasing or not matching
            ``record_defaults``.

    Example:
        >>> decode_csv(b"a,1", [np.array([], dtype=object), np.int64])
        [array(b'a', dtype=object), array(1)]
    """
    vectorized.note_vectorizable_call("decode_csv")
    del name
    specs = _specs(record_defaults)
    opts = CsvOptions.make(
        field_delim, use_quote_delim, na_value, select_cols, len(specs)
    )
    if is_line_text(records):  # lines as one text (the csv_blocks rewrite)
        columns = decode_buffer(  # one record per line, each ended, no CR
            records.text, records.count, specs, opts, records=records.records,
            plain=True,
        )  # fmt: skip
    else:
        flat, shape = _flat_records(records)
        columns = [c.reshape(shape) for c in _decode_flat(flat, specs, opts)]
    for column in columns:  # each has the records' static shape (for map's spec)
        output_shapes.declare(column, (), like=records)
    return columns


def decode_lines(
    lines: Sequence[bytes],
    specs: Sequence[ColumnSpec],
    opts: CsvOptions,
    *,
    path: str | None = None,
    line_numbers: Sequence[int] | None = None,
) -> list[np.ndarray]:
    """Decode a flat list of byte records; errors name ``path`` and the line.

    The engine's entry point for a block of lines read from a file.

    Example:
        >>> specs = [ColumnSpec(np.dtype(np.int32))]
        >>> decode_lines([b"4", b"5"], specs, CsvOptions())
        [array([4, 5], dtype=int32)]
    """
    return decode_batch(lines, specs, opts, path=path, lines=line_numbers)


def _decode_flat(
    flat: list[Any], specs: Sequence[ColumnSpec], opts: CsvOptions
) -> list[np.ndarray]:
    """`decode_lines` of records that may still be ``str``: joined in one step
    when every record is bytes-like, converted one by one only otherwise."""
    if not flat:
        return decode_lines(flat, specs, opts)
    n = len(flat)
    flat.append(b"")  # the join ends the last record with a newline too
    try:
        buf = b"\n".join(flat)
    except TypeError:  # str records (or a bad type: its own error below)
        return decode_lines([_as_bytes(r) for r in flat[:n]], specs, opts)
    del flat[n]
    return decode_buffer(  # type: ignore[return-value]
        buf, n, specs, opts, records=lambda: [_as_bytes(r) for r in flat]
    )


def _specs(record_defaults: Sequence[Any]) -> list[ColumnSpec]:
    """`column_specs`, memoized for the common all-plain-values form."""
    key = _defaults_key(record_defaults)
    if key is None:
        return column_specs(record_defaults)
    specs = _SPEC_CACHE.get(key)
    if specs is None:
        if len(_SPEC_CACHE) > _SPEC_CACHE_SIZE:
            _SPEC_CACHE.clear()
        specs = _SPEC_CACHE[key] = column_specs(record_defaults)
    return list(specs)


def _defaults_key(record_defaults: Any) -> tuple | None:
    """A hashable key of ``record_defaults`` made of plain values, else None.

    Types are part of the key and floats enter as ``hex`` (``0``/``0.0``/
    ``False`` and ``0.0``/``-0.0`` compare equal but give other columns).
    """
    if type(record_defaults) not in (list, tuple):
        return None
    key = []
    for entry in record_defaults:
        kind = type(entry)
        if kind is list or kind is tuple:
            if len(entry) != 1:
                return None
            value = entry[0]
        else:
            value = entry
        vtype = type(value)
        if vtype not in _PLAIN:
            return None
        key.append((kind, vtype, value.hex() if vtype is float else value))
    return tuple(key)


def _flat_records(records: Any) -> tuple[list[bytes], tuple[int, ...]]:
    if isinstance(records, (bytes, str, np.bytes_, np.str_)):
        return [_as_bytes(records)], ()
    arr = records
    if not isinstance(arr, np.ndarray):
        arr = np.array(records, dtype=object)
    return arr.reshape(-1).tolist(), arr.shape


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(
        "`records` must hold str or bytes. "
        f"Received an element of type {type(value).__name__}: {value!r}"
    )
