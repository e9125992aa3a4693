"""Telling ``tf.train.SequenceExample`` records from Examples, and decoding them.

An Example is ``{1: Features}``; a SequenceExample is ``{1: Features context,
2: FeatureLists feature_lists}``, so the two share field 1 and a record with a
field 2 at its top level is a SequenceExample (one without feature lists
reads the same either way: its context is an Example's features). The
feature lists are ``FeatureLists{1: map entry {1: key, 2: FeatureList}}`` and
``FeatureList{1: repeated Feature}``, one Feature per time step; each Feature
is decoded by the library's Example codec.

Example:
    >>> rec = bytes.fromhex("120e0a0c0a016112070a051a030a0101")  # lists {"a": [[1]]}
    >>> has_feature_lists(rec), has_feature_lists(b"")
    (True, False)
    >>> context, lists = decode_sequence(rec)
    >>> context, [[int(v) for v in f.int64_list.value] for f in lists["a"]]
    ({}, [[1]])
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.errors import InvalidArgumentError
from pipeline.io.example_message import Feature
from pipeline.io.example_wire import decode_example, length_field

__all__ = ["decode_sequence", "has_feature_lists", "split_record"]


class _Malformed(Exception):
    pass


def _varint(buf: bytes, pos: int, end: int) -> tuple[int, int]:
    value = 0
    for shift in range(0, 70, 7):
        if pos >= end:
            raise _Malformed(pos)
        byte = buf[pos]
        value, pos = value | (byte & 0x7F) << shift, pos + 1
        if byte < 0x80:
            return value, pos
    raise _Malformed(pos)


def _fields(buf: bytes, pos: int, end: int) -> Iterator[tuple[int, int, int, int]]:
    """``(field, wire type, start, stop)`` of each field in ``buf[pos:end]``."""
    while pos < end:
        at = pos
        tag, pos = _varint(buf, pos, end)
        field, wire, start = tag >> 3, tag & 7, pos
        if wire == 0:
            _, pos = _varint(buf, pos, end)
        elif wire in (1, 5):
            pos += 8 if wire == 1 else 4
        elif wire == 2:
            size, start = _varint(buf, pos, end)
            pos = start + size
        else:
            raise _Malformed(at)
        if field == 0 or pos > end:
            raise _Malformed(at)
        yield field, wire, start, pos


def has_feature_lists(record: bytes) -> bool:
    """Whether ``record`` has a top-level field 2 (SequenceExample's
    ``feature_lists``); False for bytes that do not parse."""
    try:
        return any(f == 2 for f, _, _, _ in _fields(record, 0, len(record)))
    except _Malformed:
        return False


def split_record(record: bytes) -> tuple[bytes, list[str]]:
    """``(context as a serialized Example, feature list keys)`` of a record:
    the context is the record's field-1 bytes as they are (an Example is
    ``{1: Features}``); the lists themselves are not read.

    Raises:
        InvalidArgumentError: the framing of the record or of its feature
            lists' map entries is broken.

    Example:
        >>> split_record(bytes.fromhex("120e0a0c0a016112070a051a030a0101"))
        (b'', ['a'])
    """
    context, keys = [], []
    try:
        pos = 0
        for f, w, s, e in _fields(record, 0, len(record)):
            if f == 1 and w == 2:
                context.append(record[pos:e])
            elif f == 2 and w == 2:
                for f1, w1, s1, e1 in _fields(record, s, e):
                    if f1 == 1 and w1 == 2:
                        keys.extend(_entry_key(record, s1, e1))
            pos = e
    except _Malformed as err:
        raise InvalidArgumentError(
            f"malformed record near byte {err.args[0]}", offset=err.args[0]
        ) from None
    return b"".join(context), keys


def _entry_key(record: bytes, start: int, stop: int) -> list[str]:
    key = b""
    for f, w, s, e in _fields(record, start, stop):
        if f == 1 and w == 2:
            key = record[s:e]
    return [key.decode("utf-8", "surrogateescape")]


def _step(record: bytes, start: int, stop: int) -> Feature:
    """One time step: the Feature at ``record[start:stop]``."""
    entry = length_field(2, record[start:stop])  # a map entry with an empty key
    try:
        return decode_example(length_field(1, length_field(1, entry))).features.feature[
            ""
        ]
    except InvalidArgumentError:
        raise _Malformed(start) from None


def _feature_list(record: bytes, start: int, stop: int) -> list[Feature]:
    return [
        _step(record, s, e)
        for f, w, s, e in _fields(record, start, stop)
        if f == 1 and w == 2
    ]


def _lists(record: bytes, start: int, stop: int, out: dict) -> None:
    for f, w, s, e in _fields(record, start, stop):
        if f != 1 or w != 2:
            continue
        key, steps = b"", []
        for f2, w2, s2, e2 in _fields(record, s, e):
            if f2 == 1 and w2 == 2:
                key = record[s2:e2]
            elif f2 == 2 and w2 == 2:
                steps = _feature_list(record, s2, e2)
        out[key.decode("utf-8", "surrogateescape")] = steps


def _check_kinds(name: str, steps: list[Feature]) -> None:
    """Every step of a feature list must hold the same list type (no spec
    parses a list whose steps differ)."""
    first = None
    for t, step in enumerate(steps):
        kind = step.WhichOneof("kind")
        if kind is not None and first is not None and kind != first[1]:
            raise InvalidArgumentError(
                f"feature list {name!r}: step {t} is {kind}, step {first[0]} "
                f"is {first[1]} (a feature list holds one list type)"
            )
        first = first or ((t, kind) if kind is not None else None)


def decode_sequence(record: bytes) -> tuple[dict[str, Feature], dict[str, list]]:
    """``(context features, feature lists)`` of a serialized SequenceExample;
    each feature list is its list of per-step Features.

    Raises:
        InvalidArgumentError: the bytes are not a valid SequenceExample (the
            message names the byte offset), or a feature list's steps hold
            different list types.
    """
    lists: dict[str, list] = {}
    try:
        context = decode_example(record).features
        for f, w, s, e in _fields(record, 0, len(record)):
            if f == 2 and w == 2:
                _lists(record, s, e, lists)
    except _Malformed as err:
        raise InvalidArgumentError(
            f"malformed feature_lists near byte {err.args[0]}", offset=err.args[0]
        ) from None
    for name, steps in lists.items():
        _check_kinds(name, steps)
    return (dict(context.feature) if context is not None else {}), lists
