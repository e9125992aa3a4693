"""Blocks of cached elements: columns when the elements stack, else one by one.

A block of ``k`` elements whose leaves, position by position, share a dtype
and a shape is stored as one column per leaf position (``b"C"``): one numpy
buffer each, so writing and reading cost a few array operations per block,
not per element. Other blocks (sparse or ragged leaves, shapes that vary)
store each element on its own (``b"E"``). Both go through
`pipeline.io.element_codec`, which holds data only.

Example:
    >>> block = encode_block([(np.int64(1), b"a"), (np.int64(2), b"bc")])
    >>> block[:1], decode_block(block, (None, None))
    (b'C', [(np.int64(1), b'a'), (np.int64(2), b'bc')])
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np

from pipeline.errors import DataLossError
from pipeline.graph.structure import flatten, packer
from pipeline.io.element_codec import decode_element, encode_element

__all__ = ["decode_block", "encode_block"]

_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")


def encode_block(elements: list[Any]) -> bytes:
    """``elements`` (at least one, one structure) as one block."""
    flats = [flatten(e) for e in elements]
    columns = []
    for j in range(len(flats[0])):
        column = _stacked([f[j] for f in flats])
        if column is None:
            return _each(elements)
        columns.append(column)
    return b"C" + _U32.pack(len(elements)) + encode_element(tuple(columns))


def _each(elements: list[Any]) -> bytes:
    out = [b"E", _U32.pack(len(elements))]
    for element in elements:
        record = encode_element(element)
        out += [_U64.pack(len(record)), record]
    return b"".join(out)


def _stacked(values: list[Any]) -> np.ndarray | None:
    """One array of ``values`` along a new axis 0, or None when they differ."""
    first = values[0]
    if type(first) is bytes:
        if not all(type(v) is bytes for v in values):
            return None
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    if not isinstance(first, (np.generic, np.ndarray)):
        return None
    kind, dtype, shape = type(first), first.dtype, np.shape(first)
    for v in values:
        if type(v) is not kind or v.dtype != dtype or np.shape(v) != shape:
            return None
    if dtype.kind == "O" and not all(
        type(x) is bytes for v in values for x in np.asarray(v).flat
    ):
        return None
    return np.stack(values) if shape else np.array(values, dtype=dtype)


def decode_block(data: bytes, template: Any) -> list[Any]:
    """The elements of a block, shaped like ``template`` (a spec structure)."""
    if len(data) < 5:
        raise DataLossError(f"block of {len(data)} bytes: expected at least 5")
    tag, (count,) = data[:1], _U32.unpack(data[1:5])
    leaves = len(flatten(template))
    if tag == b"C":
        columns = decode_element(data[5:], (None,) * leaves)
        for column in columns:
            if not isinstance(column, np.ndarray) or len(column) != count:
                raise DataLossError(f"block column does not hold {count} values")
        return _rows(columns, template)
    if tag == b"E":
        return _decode_each(memoryview(data)[5:], count, template)
    raise DataLossError(f"bad block tag {tag!r}: expected b'C' or b'E'")


def _rows(columns: tuple[np.ndarray, ...], template: Any) -> list[Any]:
    """The elements of a columnar block (iterating numpy gives numpy scalars)."""
    if len(columns) == 1 and not isinstance(template, (tuple, dict)):
        return list(columns[0])
    pack = packer(template)
    if pack is tuple:
        return list(zip(*columns))
    return [pack(row) for row in zip(*columns)]


def _decode_each(view: memoryview, count: int, template: Any) -> list[Any]:
    out, pos = [], 0
    for i in range(count):
        if pos + 8 > len(view):
            raise DataLossError(f"block ends before element {i} of {count}")
        (size,) = _U64.unpack(view[pos : pos + 8])
        if pos + 8 + size > len(view):
            raise DataLossError(f"element {i} of the block is cut short")
        out.append(decode_element(bytes(view[pos + 8 : pos + 8 + size]), template))
        pos += 8 + size
    if pos != len(view):
        raise DataLossError(f"{len(view) - pos} stray bytes after the block")
    return out
