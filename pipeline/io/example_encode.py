"""Serialize a block of columns as ``tf.train.Example`` records, vectorized.

`encode_examples` takes ragged columns (the values of every record
concatenated, and one length per record, ``-1`` where a record lacks the
feature) and writes every record's wire bytes into one ``uint8`` buffer with
numpy: the sizes of each record's parts first (varint widths, list bodies,
map entries), then the records as the rows of a 2-D array where each feature
has its own columns: an entry's start (map-entry, key and list headers; the
same bytes for every record whose list body has the same size) right-aligned
in the feature's first columns, its values left-aligned in the next ones.
Rows are filled by column ranges, and one boolean mask keeps the bytes in
use, in order. A block whose rows would be mostly padding (a few very long
values) is written part by part at positions from cumulative sums instead.
No Python code runs per record or per value (strings are joined once per
column). The bytes are those of
`pipeline.io.example_message.serialize_example` (its plain-Python twin, and
TensorFlow's deterministic serialization) for the same features: map entries
in TF's key order, a float array as float32 (FloatList), an integer or bool
array as an Int64List, an object array of bytes or str as a BytesList, an
empty list written as a set, empty list, and a missing value left out.

Example:
    >>> import numpy as np
    >>> from pipeline.io.example_message import serialize_example
    >>> columns = {"x": (np.array([7, -1, 300]), np.array([1, 0, 2]))}
    >>> block = encode_examples(columns)
    >>> block.records()[2] == serialize_example({"x": np.array([-1, 300])})
    True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.io.example_encode_parts import (
    EncodedBlock,
    Entry,
    put_varints,
    varint_sizes,
)
from pipeline.io.example_encode_rows import encode_rows
from pipeline.io.example_wire import key_bytes, key_order

__all__ = ["EncodedBlock", "encode_examples"]


def _num_records(columns: Mapping[str, Any], num_records: int | None) -> int:
    sizes = {len(lengths) for _, lengths in columns.values()}
    if num_records is not None:
        sizes.add(num_records)
    if len(sizes) > 1:
        raise InvalidArgumentError(
            f"columns of different numbers of records: {sorted(sizes)}"
        )
    return sizes.pop() if sizes else 0


def encode_examples(
    columns: Mapping[str, tuple[np.ndarray, np.ndarray]],
    num_records: int | None = None,
    head: int = 0,
    tail: int = 0,
) -> EncodedBlock:
    """Serialize records given as ragged columns, each as ``serialize_example``.

    Args:
        columns: maps each feature name to ``(values, lengths)``: the values
            of every record that has the feature, concatenated (an integer,
            bool or float array, or an object array of bytes or str), and one
            int per record, the number of its values or ``-1`` where the
            record lacks the feature.
        num_records: the number of records; needed only without columns
            (each record is then an empty Example). Default None.
        head: spare bytes left before each record. Default 0.
        tail: spare bytes left after each record. Default 0.

    Returns:
        An `EncodedBlock` with the records in order.

    Raises:
        InvalidArgumentError: columns of different numbers of records, lengths
            that do not add up to the values, or values of another dtype.

    Example:
        >>> cols = {"s": (np.array([b"a"], object), np.array([-1, 1]))}
        >>> encode_examples(cols).records()
        [b'\\n\\x00', b'\\n\\x0c\\n\\n\\n\\x01s\\x12\\x05\\n\\x03\\n\\x01a']
    """
    n = _num_records(columns, num_records)
    order = sorted(columns, key=lambda name: key_order(key_bytes(name)))
    entries = [Entry(name, *_arrays(columns[name])) for name in order]
    body = np.zeros(n, dtype=np.int64)
    for e in entries:
        body[e.present] += e.total
    block = encode_rows(entries, body, head, tail) if n else None
    return block or _encode_parts(entries, body, head, tail)


def _encode_parts(entries: list[Entry], body: np.ndarray, head: int,
                  tail: int) -> EncodedBlock:  # fmt: skip
    """The block written part by part at positions from cumulative sums."""
    body_vs = varint_sizes(body)
    size = 1 + body_vs + body
    stride = size + head + tail
    starts = np.cumsum(stride) - stride + head
    out = np.empty(int(stride.sum()), dtype=np.uint8)
    out[starts] = 0x0A
    put_varints(out, starts + 1, body, body_vs)
    cursor = starts + 1 + body_vs
    for e in entries:
        at = cursor[e.present]
        e.write(out, at)
        cursor[e.present] = at + e.total
    return EncodedBlock(out, starts, size)


def _arrays(column: tuple[Any, Any]) -> tuple[np.ndarray, np.ndarray]:
    values, lengths = column
    return np.asarray(values).reshape(-1), np.asarray(lengths, dtype=np.int64)
