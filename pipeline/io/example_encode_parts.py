"""The parts of `pipeline.io.example_encode`: varints, list bodies, map entries.

Each feature of a block becomes an `Entry`: the byte sizes of its map entry in
every record that has it (key, Feature, list body), computed with numpy, and
writers that put those bytes at given positions of an output buffer.

Example:
    >>> varint_sizes(np.array([1, 300])).tolist()
    [1, 2]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.io.example_wire import key_bytes, length_field

__all__ = [
    "EncodedBlock",
    "Entry",
    "codes_of",
    "put_bytes",
    "put_varints",
    "scatter",
    "varint_sizes",
    "within",
]

# Thresholds of the varint widths: a value >= _WIDTHS[k] takes more than k+1 bytes.
_WIDTHS = np.array([1 << (7 * k) for k in range(1, 10)], dtype=np.uint64)
_DENSE_KEYS = 4096  # keys spanning at most this many values skip the sort
_TAGS = {"b": 0x0A, "f": 0x12, "i": 0x1A}  # Feature's bytes/float/int64 list fields


@dataclass(frozen=True)
class EncodedBlock:
    """Serialized records laid out in one buffer.

    Record ``i`` is ``data[starts[i] : starts[i] + lengths[i]]``. The encoder
    leaves ``head`` spare bytes before and ``tail`` after each record (room
    for a TFRecord frame), so records follow each other at a fixed stride of
    ``head + tail`` bytes of gap; the gap bytes hold nothing meaningful.

    Example:
        >>> b = EncodedBlock(np.frombuffer(b"..ab..c", np.uint8), np.array([2, 6]),
        ...                  np.array([2, 1]))
        >>> b.records()
        [b'ab', b'c']
    """

    data: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray

    def records(self) -> list[bytes]:
        """Each record as ``bytes`` (a copy; for tests and small blocks)."""
        raw = self.data.tobytes()
        return [raw[s : s + n] for s, n in zip(self.starts.tolist(),
                                                 self.lengths.tolist())]  # fmt: skip


def varint_sizes(values: np.ndarray) -> np.ndarray:
    """The byte width of each value's protobuf varint (negative int64: 10).

    Example:
        >>> varint_sizes(np.array([0, 127, 128, 1 << 62, -1])).tolist()
        [1, 1, 2, 9, 10]
    """
    v = np.asarray(values).astype(np.int64, copy=False).view(np.uint64)
    if len(v) == 0 or v.max() < 128:
        return np.ones(len(v), dtype=np.int64)
    return np.searchsorted(_WIDTHS, v, side="right").astype(np.int64) + 1


def put_varints(out: np.ndarray, pos: np.ndarray, values: np.ndarray,
                 sizes: np.ndarray) -> None:  # fmt: skip
    """Write ``values`` as varints of ``sizes`` bytes at positions ``pos`` of ``out``.

    Example:
        >>> out = np.zeros(4, np.uint8)
        >>> put_varints(out, np.array([0, 2]), np.array([300, 5]), np.array([2, 1]))
        >>> out.tolist()
        [172, 2, 5, 0]
    """
    v = values.astype(np.int64, copy=False).view(np.uint64)
    top = int(sizes.max()) if len(sizes) else 0
    if top <= 1:
        out[pos] = v
        return
    for k in range(top):
        sel = sizes > k
        byte = (v[sel] >> np.uint64(7 * k)) & np.uint64(0x7F)
        more = (sizes[sel] > k + 1).astype(np.uint64) << np.uint64(7)
        out[pos[sel] + k] = byte | more


def scatter(out: np.ndarray, data: np.ndarray, seg: np.ndarray,
             dest: np.ndarray) -> None:  # fmt: skip
    """Copy consecutive segments of ``data`` (sizes ``seg``) to ``out`` at ``dest``.

    Example:
        >>> out = np.zeros(6, np.uint8)
        >>> scatter(out, np.array([1, 2, 3], np.uint8), np.array([2, 1]),
        ...         np.array([4, 0]))
        >>> out.tolist()
        [3, 0, 0, 0, 1, 2]
    """
    if len(data) == 0:
        return
    width = int(seg[0])
    if width and len(data) == width * len(seg) and (seg == width).all():
        out[dest[:, None] + np.arange(width)] = data.reshape(-1, width)
        return
    src = np.cumsum(seg) - seg
    out[np.repeat(dest - src, seg) + np.arange(len(data))] = data


def _per_record(sizes: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Sum of ``sizes`` over each record's ``counts`` consecutive values."""
    ends = np.cumsum(counts)
    total = np.concatenate([[0], np.cumsum(sizes)])
    return total[ends] - total[ends - counts]


def within(sizes: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Offset of each value inside its record's run (exclusive sums).

    Example:
        >>> within(np.array([1, 2, 3, 4]), np.array([2, 0, 2])).tolist()
        [0, 1, 0, 3]
    """
    before = np.cumsum(sizes) - sizes
    first = np.concatenate([[0], np.cumsum(counts)[:-1]]) if len(counts) else counts
    starts = np.concatenate([before, [0]])[first]
    return before - np.repeat(starts, counts)


class _List:
    """One feature's values as a list kind: its body sizes and writer."""

    def __init__(self, kind: str, values: np.ndarray, counts: np.ndarray) -> None:
        self.kind, self.values, self.counts = kind, values, counts
        self.scalar = bool(len(counts)) and bool((counts == 1).all())
        if kind == "b":
            self._items = values.tolist()
            self.blob = _join(self._items)
            self.item_len = np.fromiter(
                map(len, self._items), np.int64, len(self._items)
            ) if self._items else np.zeros(0, np.int64)  # fmt: skip
            self.item_vs = varint_sizes(self.item_len)
            element = 1 + self.item_vs + self.item_len
            self.sizes = element if self.scalar else _per_record(element, counts)
            return
        if kind == "f":
            with np.errstate(over="ignore"):  # as TF: too large becomes inf
                raw = values.astype("<f4", copy=False)
            self.raw = np.ascontiguousarray(raw).view(np.uint8)
            self.payload = 4 * counts
        else:
            self.ints = values.astype(np.int64, copy=False)
            self.int_vs = varint_sizes(self.ints)
            self.payload = (
                self.int_vs if self.scalar else _per_record(self.int_vs, counts)
            )

    def part_sizes(self) -> None:
        """Sizes for the part-by-part writer: the payload varints, list bodies
        (a string list has them already)."""
        if self.kind == "b":
            return
        self.payload_vs = varint_sizes(self.payload)
        self.sizes = np.where(self.counts > 0, 1 + self.payload_vs + self.payload, 0)

    def tails(self) -> np.ndarray:
        """Per record, the bytes after its entry's prefix: float or int payloads,
        a single string's bytes, or a list of strings' whole body."""
        if self.kind != "b":
            return self.payload
        return self.item_len if self.scalar else self.sizes

    def keys(self) -> np.ndarray:
        """Per record, what its entry's prefix depends on (one prefix per key)."""
        if self.kind == "b" or self.scalar:
            return self.tails()
        return np.where(self.counts > 0, self.payload, -1)

    def head(self, key: int) -> bytes:
        """The start of a list body of prefix key ``key`` (up to the tail)."""
        if self.kind != "b":
            return b"" if key < 0 else b"\n" + _varint(key)
        return b"\n" + _varint(key) if self.scalar else b""

    def write(self, out: np.ndarray, at: np.ndarray) -> None:
        """Write each record's list body at ``at``."""
        if self.kind == "b":
            self._write_bytes(out, at)
            return
        some = self.counts > 0
        at_some = at[some]
        out[at_some] = 0x0A
        put_varints(out, at_some + 1, self.payload[some], self.payload_vs[some])
        start = at + 1 + self.payload_vs
        if self.kind == "f":
            scatter(out, self.raw, 4 * self.counts, start)
            return
        pos = np.repeat(start, self.counts) + within(self.int_vs, self.counts)
        put_varints(out, pos, self.ints, self.int_vs)

    def _write_bytes(self, out: np.ndarray, at: np.ndarray) -> None:
        element = 1 + self.item_vs + self.item_len
        pos = np.repeat(at, self.counts) + within(element, self.counts)
        out[pos] = 0x0A
        put_varints(out, pos + 1, self.item_len, self.item_vs)
        scatter(out, self.blob, self.item_len, pos + 1 + self.item_vs)


def _varint(value: int) -> bytes:
    return bytes(put_bytes(value))


def put_bytes(value: int) -> list[int]:
    """The varint bytes of a non-negative int, as a list.

    Example:
        >>> put_bytes(300)
        [172, 2]
    """
    out = []
    while value > 0x7F:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return out


def codes_of(keys: np.ndarray) -> tuple[list[int], np.ndarray | None]:
    """The distinct keys, and each key's index among them (None: one key).

    Example:
        >>> codes_of(np.array([5, 9, 5]))
        ([5, 9], array([0, 1, 0]))
    """
    lo, hi = int(keys.min()), int(keys.max())
    if lo == hi:
        return [lo], None
    if hi - lo <= _DENSE_KEYS:
        seen = np.flatnonzero(np.bincount(keys - lo))
        lookup = np.zeros(hi - lo + 1, dtype=np.int64)
        lookup[seen] = np.arange(len(seen))
        return (seen + lo).tolist(), lookup[keys - lo]
    distinct, codes = np.unique(keys, return_inverse=True)
    return distinct.tolist(), codes.reshape(-1)


def _join(items: list) -> np.ndarray:
    try:
        blob = b"".join(items)
    except TypeError:  # str values are written as UTF-8, as BytesList does
        items[:] = [v.encode() if isinstance(v, str) else bytes(v) for v in items]
        blob = b"".join(items)
    return np.frombuffer(blob, dtype=np.uint8)


def _list_kind(name: str, values: np.ndarray) -> str:
    kind = values.dtype.kind
    if kind == "O":
        return "b"
    if kind == "f":
        return "f"
    if kind in "iub":
        return "i"
    raise InvalidArgumentError(
        f"Feature {name!r}: cannot serialize values of dtype {values.dtype} "
        "(expected integers, floats, or an object array of bytes)"
    )


class Entry:
    """One feature's map entries (``key`` -> Feature) in the records that have it.

    Attributes:
        present: bool per record, whether it has the feature.
        heads: each distinct entry prefix (the bytes before the values); a
            record's is ``heads[codes[i]]`` (``heads[0]`` when ``codes`` is
            None), ``i`` counting the records that have the feature.
        total: the entry's size in each record that has the feature.

    Raises:
        InvalidArgumentError: the lengths do not add up to the values, or the
            values are of a dtype no list holds.

    Example:
        >>> e = Entry("x", np.array([1, 2, 3]), np.array([1, -1, 2]))
        >>> e.present.tolist(), e.total.tolist(), e.heads[0].hex()
        ([True, False, True], [12, 13], '0a0a0a017812051a030a01')
    """

    def __init__(self, name: str, values: np.ndarray, lengths: np.ndarray) -> None:
        self.present = lengths >= 0
        counts = lengths[self.present].astype(np.int64)
        if int(counts.sum()) != len(values):
            raise InvalidArgumentError(
                f"Feature {name!r}: the lengths add up to {int(counts.sum())} "
                f"values, got {len(values)}"
            )
        self.tag = _TAGS[_list_kind(name, values)]
        self.body = _List(_list_kind(name, values), values, counts)
        key = length_field(1, key_bytes(name)) + b"\x12"
        self.key = np.frombuffer(key, dtype=np.uint8)
        if not len(counts):
            self.heads, self.codes, self.total = [], None, counts
            return
        distinct, self.codes = codes_of(self.body.keys())
        self.heads = [self.prefix(k) for k in distinct]
        totals = np.array([len(h) + max(k, 0) for h, k in zip(self.heads, distinct)])
        if self.codes is None:
            self.total = np.full(len(counts), totals[0], dtype=np.int64)
        else:
            self.total = totals[self.codes]

    def prefix(self, key: int) -> bytes:
        """The bytes of an entry before its tail, for prefix key ``key``.

        An entry is ``0a len (0a len key 12 len (tag len list-head))`` then
        the tail (`_List.tails`), whose size the key gives.
        """
        tail = max(key, 0)
        feature = bytes([self.tag]) + _varint(len(self.body.head(key)) + tail)
        feature += self.body.head(key)
        inner = self.key.tobytes() + _varint(len(feature) + tail) + feature
        return b"\n" + _varint(len(inner) + tail) + inner

    def write(self, out: np.ndarray, at: np.ndarray) -> None:
        """Write the entries of the present records, at ``at`` (one per such record)."""
        self.body.part_sizes()
        list_vs = varint_sizes(self.body.sizes)
        feature = 1 + list_vs + self.body.sizes
        feature_vs = varint_sizes(feature)
        self.entry = len(self.key) + feature_vs + feature
        self.entry_vs = varint_sizes(self.entry)
        out[at] = 0x0A
        put_varints(out, at + 1, self.entry, self.entry_vs)
        at = at + 1 + self.entry_vs
        width = len(self.key)
        out[at[:, None] + np.arange(width)] = self.key
        at = at + width
        put_varints(out, at, feature, feature_vs)
        at = at + feature_vs
        out[at] = self.tag
        put_varints(out, at + 1, self.body.sizes, list_vs)
        self.body.write(out, at + 1 + list_vs)
