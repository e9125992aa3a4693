"""Protobuf wire encoding and decoding of `Example` messages (no protobuf lib).

Example:
    >>> from pipeline.io.example_message import Example
    >>> decode_example(bytes.fromhex("0a00")) == Example(Features())
    True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.io.example_message import (
    BytesList,
    Example,
    Feature,
    Features,
    FloatList,
    Int64List,
)

__all__ = [
    "decode_example",
    "encode_dict",
    "encode_example",
    "encode_feature",
    "encode_features",
    "key_bytes",
    "key_order",
    "length_field",
]

_KIND_FIELDS = {"bytes_list": 1, "float_list": 2, "int64_list": 3}


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _len_field(field: int, payload: bytes) -> bytes:
    return _varint(field << 3 | 2) + _varint(len(payload)) + payload


def _encode_list(kind: str, values) -> bytes:
    if kind == "bytes_list":
        return b"".join(_len_field(1, v) for v in values)
    if len(values) == 0:
        return b""
    if kind == "float_list":
        return _len_field(1, values.astype("<f4").tobytes())
    return _len_field(1, b"".join(_varint(int(v)) for v in values.tolist()))


def encode_feature(feature: Feature) -> bytes:
    """The wire bytes of one ``Feature`` message.

    Example:
        >>> encode_feature(Feature()) == b""
        True
    """
    kind = feature.WhichOneof("kind")
    if kind is None:
        return b""
    body = _encode_list(kind, getattr(feature, kind).value)
    return _len_field(_KIND_FIELDS[kind], body)


def key_order(key: bytes) -> tuple[int, ...]:
    """Sort key of TF's deterministic map order: bytewise, longer prefix first.

    Example:
        >>> sorted([b"a", b"", b"ab", b"b"], key=key_order)
        [b'ab', b'a', b'b', b'']
    """
    return (*key, 256)


def key_bytes(key: str) -> bytes:
    """The wire bytes of feature key ``key``: its UTF-8, and for a key parsed
    from bytes that are not UTF-8 (`decode_example` keeps them as U+DC80..
    U+DCFF, as ``surrogateescape`` does), the original bytes.

    Raises:
        InvalidArgumentError: ``key`` holds another lone surrogate, which has
            no bytes to stand for.

    Example:
        >>> parsed = b"\\xff".decode("utf-8", "surrogateescape")
        >>> key_bytes("caf\u00e9"), key_bytes(parsed)
        (b'caf\\xc3\\xa9', b'\\xff')
    """
    try:
        return key.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError as err:
        raise InvalidArgumentError(
            f"Feature key {key!r} is not text that encodes as UTF-8: expected no "
            f"lone surrogate, got {key[err.start]!r} at index {err.start}"
        ) from None


def encode_example(example: Example) -> bytes:
    """The wire bytes of ``example``, in TF's deterministic order.

    Example:
        >>> encode_example(Example())
        b''
    """
    if not example.HasField("features"):
        return b""
    return _len_field(1, encode_features(example.features))


def encode_features(features: Features) -> bytes:
    """The body of a ``Features`` message (its map entries, in TF's order).

    Example:
        >>> encode_features(Features({"a": Feature()})).hex()
        '0a050a01611200'
    """
    items = [(key_bytes(k), f) for k, f in features.feature.items()]
    items.sort(key=lambda item: key_order(item[0]))
    return b"".join(
        _len_field(1, _len_field(1, k) + _len_field(2, encode_feature(f)))
        for k, f in items
    )


def length_field(field: int, payload: bytes) -> bytes:
    """A length-delimited field: tag, size and ``payload``.

    Example:
        >>> length_field(1, b"ab")
        b'\\n\\x02ab'
    """
    return _len_field(field, payload)


def _fast_feature(value: Any) -> bytes | None:
    """The Feature bytes of a plain numeric or bytes array, else None."""
    if type(value) is not np.ndarray:
        return None
    kind = value.dtype.kind
    if kind == "f":
        with np.errstate(over="ignore"):  # as TF: too large becomes inf
            data = value.astype("<f4", copy=False).tobytes()
        return _len_field(2, _len_field(1, data) if data else b"")
    if kind in "iu":
        data = b"".join(_varint(v) for v in value.astype(np.int64).ravel().tolist())
        return _len_field(3, _len_field(1, data) if data else b"")
    if kind == "O":
        items = value.ravel().tolist()
        if all(type(v) is bytes for v in items):
            return _len_field(1, b"".join(_len_field(1, v) for v in items))
    return None


def encode_dict(values: Mapping[str, Any], to_feature: Callable) -> bytes:
    """The wire bytes of the Example built from ``values`` (serialize_example).

    Plain arrays are encoded directly; anything else goes through
    ``to_feature(key, value)``.

    Example:
        >>> from pipeline.io.example_message import Feature
        >>> encode_dict({"x": None}, lambda k, v: Feature()).hex()
        '0a070a050a01781200'
    """
    items = []
    for key, value in values.items():
        body = _fast_feature(value)
        if body is None:
            body = encode_feature(to_feature(key, value))
        items.append((key_bytes(key), body))
    items.sort(key=lambda item: key_order(item[0]))
    entries = b"".join(
        _len_field(1, _len_field(1, k) + _len_field(2, f)) for k, f in items
    )
    return _len_field(1, entries)


class _Malformed(Exception):
    pass


def _read_varint(buf: bytes, pos: int, end: int) -> tuple[int, int]:
    value = 0
    for i in range(10):
        if pos >= end:
            raise _Malformed(pos)
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << (7 * i)
        if byte < 0x80:
            return value, pos
    raise _Malformed(pos)


def _fields(buf: bytes, pos: int, end: int):
    while pos < end:
        tag, pos = _read_varint(buf, pos, end)
        field, wire = tag >> 3, tag & 7
        start = pos
        if wire == 0:
            _, pos = _read_varint(buf, pos, end)
        elif wire in (1, 5):
            pos += 8 if wire == 1 else 4
        elif wire == 2:
            size, start = _read_varint(buf, pos, end)
            pos = start + size
        else:
            raise _Malformed(pos)
        if field == 0 or pos > end:
            raise _Malformed(pos)
        yield field, wire, start, pos


def _signed(value: int) -> int:
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >> 63 else value


def _decode_list(buf: bytes, s: int, e: int, kind: str):
    values: list = []
    for field, wire, fs, fe in _fields(buf, s, e):
        if field != 1:
            continue
        if kind == "bytes_list" and wire == 2:
            values.append(buf[fs:fe])
        elif kind == "float_list" and wire in (2, 5):
            if (fe - fs) % 4:
                raise _Malformed(fs)
            values.extend(np.frombuffer(buf[fs:fe], "<f4").tolist())
        elif kind == "int64_list" and wire == 0:
            values.append(_signed(_read_varint(buf, fs, fe)[0]))
        elif kind == "int64_list" and wire == 2:
            while fs < fe:
                value, fs = _read_varint(buf, fs, fe)
                values.append(_signed(value))
    cls = {"bytes_list": BytesList, "float_list": FloatList, "int64_list": Int64List}
    return cls[kind](values)


def _decode_feature(buf: bytes, s: int, e: int) -> Feature:
    found = None
    for field, wire, fs, fe in _fields(buf, s, e):
        if 1 <= field <= 3 and wire == 2:
            found = (field, fs, fe)
    if found is None:
        return Feature()
    kind = ("bytes_list", "float_list", "int64_list")[found[0] - 1]
    return Feature(**{kind: _decode_list(buf, found[1], found[2], kind)})


def _decode_entries(buf: bytes, s: int, e: int, out: dict[str, Feature]) -> None:
    for field, wire, es, ee in _fields(buf, s, e):
        if field != 1 or wire != 2:
            continue
        key, value = b"", (0, 0)
        for f2, w2, s2, e2 in _fields(buf, es, ee):
            if f2 == 1 and w2 == 2:
                key = buf[s2:e2]
            elif f2 == 2 and w2 == 2:
                value = (s2, e2)
        out[key.decode("utf-8", "surrogateescape")] = _decode_feature(buf, *value)


def decode_example(data: bytes) -> Example:
    """Parse a serialized Example (the last entry of a repeated key wins).

    A feature key that is not UTF-8 is kept as ``surrogateescape`` decodes
    it, so `encode_example` writes the same bytes back; TF's
    ``parse_example`` does not check keys either (such a key matches no
    feature name).

    Raises:
        InvalidArgumentError: the bytes are not a valid serialized Example.

    Example:
        >>> decode_example(b"").HasField("features")
        False
    """
    features: dict[str, Feature] | None = None
    try:
        for field, wire, s, e in _fields(data, 0, len(data)):
            if field == 1 and wire == 2:
                features = {} if features is None else features
                _decode_entries(data, s, e, features)
    except _Malformed as err:
        raise InvalidArgumentError(
            "Could not parse example input: malformed protobuf near byte "
            f"{err.args[0]}",
            offset=err.args[0],
        ) from None
    return Example(Features(features) if features is not None else None)
