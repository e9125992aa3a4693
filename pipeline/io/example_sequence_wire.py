"""Cutting the feature lists out of serialized SequenceExamples (wire format).

``SequenceExample{1: Features context, 2: FeatureLists}``; ``FeatureLists{1:
map entry {1: key, 2: FeatureList}}``; ``FeatureList{1: repeated Feature}``.
Each step (one Feature) is re-wrapped as a one-key Example, so the Example
kernel decodes and checks the values of every step of a batch in one call.

Example:
    >>> rec = bytes.fromhex("120e0a0c0a016112070a051a030a0101")  # lists {"a": [[1]]}
    >>> lists = feature_lists(rec, {"a"}, "in1")
    >>> steps = step_records([lists], "a")
    >>> steps.count, steps.splits.tolist(), steps.present.tolist()
    (1, [0, 1], [True])
"""

from __future__ import annotations

import numpy as np

from pipeline.errors import InvalidArgumentError

__all__ = ["Steps", "feature_lists", "step_records"]

#: Each wanted key's steps in one record: ``(start, stop)`` of each Feature.
RecordLists = tuple[bytes, dict[str, list[tuple[int, int]]]]


class _Malformed(Exception):
    pass


def _varint(buf: bytes, pos: int, end: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if pos >= end or shift > 63:
            raise _Malformed
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _fields(buf: bytes, pos: int, end: int):
    """Yield ``(field, wire, start, stop)`` of each field of a message."""
    while pos < end:
        tag, pos = _varint(buf, pos, end)
        field, wire = tag >> 3, tag & 7
        start = pos
        if field == 0:
            raise _Malformed
        if wire == 0:
            _, pos = _varint(buf, pos, end)
        elif wire in (1, 5):
            pos += 8 if wire == 1 else 4
        elif wire == 2:
            size, start = _varint(buf, pos, end)
            pos = start + size
        else:
            raise _Malformed
        if pos > end:
            raise _Malformed
        yield field, wire, start, pos


def _entry(buf: bytes, start: int, stop: int) -> tuple[bytes, int, int]:
    key, value = b"", (stop, stop)
    for field, wire, s, e in _fields(buf, start, stop):
        if field == 1 and wire == 2:
            key = bytes(buf[s:e])
        elif field == 2 and wire == 2:
            value = (s, e)
    return key, value[0], value[1]


def _steps(buf: bytes, start: int, stop: int) -> list[tuple[int, int]]:
    return [(s, e) for f, w, s, e in _fields(buf, start, stop) if f == 1 and w == 2]


def feature_lists(record: bytes, keys: set[str], name: str) -> RecordLists:
    """The steps of each wanted feature list of ``record`` (absent keys left out).

    Raises:
        InvalidArgumentError: ``record`` is not a valid SequenceExample.
    """
    wanted = {k.encode(): k for k in keys}
    found: dict[str, list[tuple[int, int]]] = {}
    try:
        for field, wire, s, e in _fields(record, 0, len(record)):
            if field != 2 or wire != 2:
                continue
            for f2, w2, s2, e2 in _fields(record, s, e):
                if f2 != 1 or w2 != 2:
                    continue
                key, vs, ve = _entry(record, s2, e2)
                if key in wanted:
                    found[wanted[key]] = _steps(record, vs, ve)
    except _Malformed:
        raise InvalidArgumentError(
            f"Invalid protocol message input, example id: {name}"
        ) from None
    return record, found


def _length(n: int) -> bytes:
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _wrap(field_tag: int, payload: bytes) -> bytes:
    return bytes([field_tag]) + _length(len(payload)) + payload


class Steps:
    """Every step of one feature list across a batch, as one-key Examples.

    ``records[s]`` is step ``s``; record ``b`` owns steps
    ``splits[b]:splits[b + 1]``; ``present[b]`` says whether record ``b`` has
    the feature list at all.
    """

    def __init__(self, records: list[bytes], splits: np.ndarray, present) -> None:
        self.records, self.splits = records, splits
        self.present = np.asarray(present, dtype=bool)
        self.count = len(records)

    def locate(self, step: int) -> tuple[int, int]:
        """``(record, step within it)`` of batch step ``step``."""
        b = int(np.searchsorted(self.splits, step, side="right")) - 1
        return b, step - int(self.splits[b])

    def locate_all(self, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`locate` for an array of steps."""
        b = np.searchsorted(self.splits, steps, side="right") - 1
        return b, steps - self.splits[b]

    def max_steps(self) -> int:
        """The most steps any record has."""
        return int(np.diff(self.splits).max(initial=0))


def step_records(lists: list[RecordLists], key: str) -> Steps:
    """The `Steps` of ``key`` over a batch of :func:`feature_lists` results."""
    head = _wrap(0x0A, key.encode())
    records: list[bytes] = []
    counts, present = [], []
    for record, found in lists:
        steps = found.get(key, [])
        present.append(key in found)
        counts.append(len(steps))
        for s, e in steps:
            entry = head + _wrap(0x12, record[s:e])
            records.append(_wrap(0x0A, _wrap(0x0A, entry)))
    splits = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]).astype(np.int64)
    return Steps(records, splits, present)
