"""tf.train.Example wire decoding in plain Python: the spec of ``_ext/example.pyx``.

Wire format (proto3): ``Example{1: Features}``, ``Features{1: map entry}``,
entry ``{1: key bytes, 2: Feature}``, ``Feature`` a oneof of ``1: BytesList``,
``2: FloatList``, ``3: Int64List``, each ``{1: repeated values}`` (numeric ones
packed or not). The last map entry with a key wins; unknown fields are skipped.

Example:
    >>> rec = bytes.fromhex("0a0c0a0a0a016112051a030a0101")  # {"a": [1]}
    >>> kind, count, start, stop, status, _, _ = index_features([rec], [b"a"])
    >>> int(kind[0, 0]) == KIND_INT64, int(count[0, 0]), status == STATUS_OK
    (True, 1, True)
"""

from __future__ import annotations

import struct

import numpy as np

#: Every record parsed.
STATUS_OK = 0
#: A record is not a valid serialized Example (``err_record``, ``err_offset``).
STATUS_MALFORMED = 1
#: Kinds: a missing feature (or a Feature with no list set) is ``KIND_NONE``.
KIND_NONE = 0
KIND_BYTES = 1
KIND_FLOAT = 2
KIND_INT64 = 3


class _Malformed(Exception):
    pass


def _varint(buf: bytes, pos: int, end: int) -> tuple[int, int]:
    value = 0
    for i in range(10):
        if pos >= end:
            raise _Malformed
        byte = buf[pos]
        pos += 1
        if i == 9 and byte > 1:
            raise _Malformed
        value |= (byte & 0x7F) << (7 * i)
        if byte < 0x80:
            return value, pos
    raise _Malformed


def _fields(buf: bytes, pos: int, end: int, where: list[int] | None = None):
    """Yield ``(field, wire, value_start, value_end)`` of each field in a message.

    ``where[0]`` is set to the start of each field before it is read.
    """
    while pos < end:
        if where is not None:
            where[0] = pos
        tag, pos = _varint(buf, pos, end)
        field, wire = tag >> 3, tag & 7
        if field == 0:
            raise _Malformed
        start = pos
        if wire == 0:
            _, pos = _varint(buf, pos, end)
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        elif wire == 2:
            size, start = _varint(buf, pos, end)
            if size > end - start:
                raise _Malformed
            pos = start + size
        else:
            raise _Malformed
        if pos > end:
            raise _Malformed
        yield field, wire, start, pos


def _is_value(kind: int, field: int, wire: int) -> bool:
    return field == 1 and (
        wire == 2
        or (kind == KIND_FLOAT and wire == 5)
        or (kind == KIND_INT64 and wire == 0)
    )


def _values(buf: bytes, start: int, stop: int, kind: int) -> list | np.ndarray:
    """All values of a list message body, in order.

    Floats come as a float32 array holding the wire's bits (a signalling NaN
    stays one, as the kernel's and TF's copies keep it).
    """
    out: list = []
    floats: list[np.ndarray] = []
    for field, wire, s, e in _fields(buf, start, stop):
        if not _is_value(kind, field, wire):
            continue
        if wire == 5:
            floats.append(np.frombuffer(buf, "<f4", 1, s))
        elif wire == 0:
            out.append(_to_int64(_varint(buf, s, e)[0]))
        elif kind == KIND_BYTES:
            out.append(bytes(buf[s:e]))
        elif kind == KIND_FLOAT:
            if (e - s) % 4:
                raise _Malformed
            floats.append(np.frombuffer(buf, "<f4", (e - s) // 4, s))
        else:
            while s < e:
                value, s = _varint(buf, s, e)
                out.append(_to_int64(value))
    if kind == KIND_FLOAT:
        return np.concatenate(floats) if floats else np.zeros(0, np.float32)
    return out


def _to_int64(value: int) -> int:
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >> 63 else value


def _feature(buf: bytes, start: int, stop: int) -> tuple[int, int, int, int]:
    """``(kind, count, start, stop)`` of a Feature body: where its list lies,
    or with no list set (``KIND_NONE``) where the Feature's own body lies."""
    kind, s, e = KIND_NONE, start, stop
    for field, wire, fs, fe in _fields(buf, start, stop):
        if 1 <= field <= 3 and wire == 2:
            kind, s, e = field, fs, fe
    count = len(_values(buf, s, e, kind)) if kind else 0
    return kind, count, s, e


def _entries(buf: bytes, where: list[int]):
    """Yield ``(key, value_start, value_stop)`` of every map entry of a record."""
    for field, wire, s, e in _fields(buf, 0, len(buf), where):
        if field != 1 or wire != 2:
            continue
        for f2, w2, s2, e2 in _fields(buf, s, e, where):
            if f2 != 1 or w2 != 2:
                continue
            key, value = b"", (0, 0)
            for f3, w3, s3, e3 in _fields(buf, s2, e2):
                if f3 == 1 and w3 == 2:
                    key = bytes(buf[s3:e3])
                elif f3 == 2 and w3 == 2:
                    value = (s3, e3)
            yield key, value[0], value[1]


def index_features(records, keys) -> tuple:
    """Locate each requested feature in each record of a batch.

    Returns ``(kind, count, start, stop, status, err_record, err_offset)``: four
    ``[len(keys), len(records)]`` arrays (int8, int64, int64, int64) and the
    ``STATUS_*`` code with the first malformed record and byte offset.

    Example:
        >>> index_features([b"\\x08"], [b"a"])[4] == STATUS_MALFORMED
        True
    """
    shape = (len(keys), len(records))
    kind = np.zeros(shape, dtype=np.int8)
    count, start, stop = (np.zeros(shape, dtype=np.int64) for _ in range(3))
    column = {bytes(k): f for f, k in reversed(list(enumerate(keys)))}
    for b, rec in enumerate(records):
        if not isinstance(rec, bytes):
            raise TypeError(f"record {b} is {type(rec).__name__}, expected bytes")
        where = [0]
        try:
            for key, s, e in _entries(rec, where):
                f = column.get(key)
                if f is not None:
                    kind[f, b], count[f, b], start[f, b], stop[f, b] = _feature(
                        rec, s, e
                    )
        except _Malformed:
            return kind, count, start, stop, STATUS_MALFORMED, b, where[0]
    return kind, count, start, stop, STATUS_OK, -1, -1


def _decode(records, rows, start, stop, dest, count, out, kind: int) -> None:
    rows = np.asarray(rows).tolist()
    if min(len(start), len(stop), len(dest), len(count)) < len(rows):
        raise ValueError("start, stop, dest and count need an entry per row")
    for j, b in enumerate(rows):
        at, n = int(dest[j]), int(count[j])
        s, e = int(start[j]), int(stop[j])
        if not 0 <= b < len(records):
            raise ValueError(f"list {j} does not match its index (record {b})")
        rec = records[b]
        if s < 0 or e > len(rec) or s > e or at < 0 or at + n > len(out):
            raise ValueError(f"list {j} does not match its index (record {b})")
        try:
            values = _values(rec, s, e, kind)
        except (_Malformed, struct.error) as err:
            raise ValueError(f"list {j} does not match its index") from err
        if len(values) != n:
            raise ValueError(f"list {j} does not match its index (record {b})")
        out[at : at + n] = values


def decode_int64(records, rows, start, stop, dest, count, out) -> None:
    """Decode Int64List bodies ``records[rows[j]][start[j]:stop[j]]`` into ``out``.

    ``out`` is a flat int64 array; list ``j`` fills ``out[dest[j]:dest[j] +
    count[j]]`` (the counts from :func:`index_features`).

    Example:
        >>> rec = bytes.fromhex("0a0c0a0a0a016112051a030a0101")
        >>> kind, count, start, stop, *_ = index_features([rec], [b"a"])
        >>> out = np.zeros(1, np.int64)
        >>> one = np.zeros(1, np.int64)
        >>> decode_int64([rec], one, start[0], stop[0], one, count[0], out)
        >>> out.tolist()
        [1]
    """
    if out.dtype != np.int64 or not out.flags.c_contiguous:
        raise ValueError("out must be a contiguous int64 array")
    _decode(records, rows, start, stop, dest, count, out, KIND_INT64)


def decode_float32(records, rows, start, stop, dest, count, out) -> None:
    """Decode FloatList bodies into a flat float32 ``out`` (see decode_int64).

    Example:
        >>> out = np.zeros(0, np.float32)
        >>> none = np.zeros(0, np.int64)
        >>> decode_float32([], none, none, none, none, none, out)
    """
    if out.dtype != np.float32 or not out.flags.c_contiguous:
        raise ValueError("out must be a contiguous float32 array")
    _decode(records, rows, start, stop, dest, count, out, KIND_FLOAT)


def decode_bytes(records, rows, start, stop, dest, count, out) -> None:
    """Decode BytesList bodies into a flat object array ``out`` (see decode_int64).

    Example:
        >>> out = np.empty(0, object)
        >>> none = np.zeros(0, np.int64)
        >>> decode_bytes([], none, none, none, none, none, out)
    """
    _decode(records, rows, start, stop, dest, count, out, KIND_BYTES)


def all_bytes(records: list) -> bool:
    """Whether every item of the list ``records`` is exactly ``bytes``.

    Example:
        >>> all_bytes([b"a", "b"])
        False
    """
    return all(type(r) is bytes for r in records)


def _list_entries(buf: bytes, where: list[int]):
    """Yield ``(key, body_start, body_stop)`` of each feature-list map entry of a
    SequenceExample (field 2, FeatureLists)."""
    for field, wire, s, e in _fields(buf, 0, len(buf), where):
        if field != 2 or wire != 2:
            continue
        for f2, w2, s2, e2 in _fields(buf, s, e, where):
            if f2 != 1 or w2 != 2:
                continue
            key, value = b"", (0, 0)
            for f3, w3, s3, e3 in _fields(buf, s2, e2):
                if f3 == 1 and w3 == 2:
                    key = bytes(buf[s3:e3])
                elif f3 == 2 and w3 == 2:
                    value = (s3, e3)
            yield key, value[0], value[1]


def index_feature_lists(records, keys) -> tuple:
    """Locate each requested feature list in each serialized SequenceExample.

    Returns ``(present, start, stop, status, err_record, err_offset)``: an int8
    and two int64 ``[len(keys), len(records)]`` arrays (whether the last map
    entry with the key exists, and where its FeatureList body lies) and the
    ``STATUS_*`` code with the first malformed record and byte offset.

    Example:
        >>> rec = bytes.fromhex("120e0a0c0a016112070a051a030a0101")  # {"a": [[1]]}
        >>> present, start, stop, status, _, _ = index_feature_lists([rec], [b"a"])
        >>> int(present[0, 0]), int(start[0, 0]), int(stop[0, 0]), status == STATUS_OK
        (1, 9, 16, True)
    """
    shape = (len(keys), len(records))
    present = np.zeros(shape, dtype=np.int8)
    start, stop = np.zeros(shape, dtype=np.int64), np.zeros(shape, dtype=np.int64)
    column = {bytes(k): f for f, k in reversed(list(enumerate(keys)))}
    for b, rec in enumerate(records):
        if not isinstance(rec, bytes):
            raise TypeError(f"record {b} is {type(rec).__name__}, expected bytes")
        where = [0]
        try:
            for key, s, e in _list_entries(rec, where):
                f = column.get(key)
                if f is not None:
                    present[f, b], start[f, b], stop[f, b] = 1, s, e
        except _Malformed:
            return present, start, stop, STATUS_MALFORMED, b, where[0]
    return present, start, stop, STATUS_OK, -1, -1


def index_steps(records, start, stop) -> tuple:
    """Locate every Feature (time step) of one FeatureList body per record.

    ``records[b][start[b]:stop[b]]`` is a FeatureList body (``start == stop``:
    none). Returns ``(splits, kind, count, fstart, fstop, status, err_record,
    err_offset)``: record ``b`` owns steps ``splits[b]:splits[b + 1]`` of the
    per-step arrays, which are as :func:`index_features` gives them. A first
    pass counts the steps of every record, a second locates them.

    Example:
        >>> rec = bytes.fromhex("120e0a0c0a016112070a051a030a0101")  # {"a": [[1]]}
        >>> out = index_steps([rec], [9], [16])
        >>> out[0].tolist(), out[1].tolist(), out[2].tolist(), out[5] == STATUS_OK
        ([0, 1], [3], [1], True)
    """
    start, stop = np.asarray(start, np.int64), np.asarray(stop, np.int64)
    if start.shape != (len(records),) or stop.shape != (len(records),):
        raise ValueError("start and stop need one entry per record")
    for b, rec in enumerate(records):
        if not isinstance(rec, bytes):
            raise TypeError(f"record {b} is {type(rec).__name__}, expected bytes")
        if not 0 <= int(start[b]) <= int(stop[b]) <= len(rec):
            raise ValueError(f"start/stop of record {b} lie outside it")
    splits = [0]
    for b, rec in enumerate(records):
        where = [int(start[b])]
        try:
            fields = _fields(rec, int(start[b]), int(stop[b]), where)
            splits.append(splits[-1] + sum(f == 1 and w == 2 for f, w, _, _ in fields))
        except _Malformed:
            none = np.zeros(0, np.int64)
            return (np.array(splits, np.int64), np.zeros(0, np.int8), none, none,
                    none, STATUS_MALFORMED, b, where[0])  # fmt: skip
    return _locate_steps(records, start, stop, np.array(splits, np.int64))


def _locate_steps(records, start, stop, splits: np.ndarray) -> tuple:
    total = int(splits[-1])
    kind = np.zeros(total, np.int8)
    count, fstart, fstop = (np.zeros(total, np.int64) for _ in range(3))
    for b, rec in enumerate(records):
        where, s = [int(start[b])], int(splits[b])
        try:
            for field, wire, fs, fe in _fields(rec, int(start[b]), int(stop[b]), where):
                if field == 1 and wire == 2:
                    kind[s], count[s], fstart[s], fstop[s] = _feature(rec, fs, fe)
                    s += 1
        except _Malformed:
            return splits, kind, count, fstart, fstop, STATUS_MALFORMED, b, where[0]
    return splits, kind, count, fstart, fstop, STATUS_OK, -1, -1
