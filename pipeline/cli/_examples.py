"""``tf.train.Example`` records to batches of `Column` values, without a spec.

`ExampleColumns` decodes a block with the ``example`` kernel (the same one as
``parse_example``: it locates the known feature keys in every record and
copies their values into flat columns). Keys are learnt as records show them:
for each record the kernel's findings are checked against the record's length
(the bytes of a canonically encoded Example are exactly its entries), so a
record holding a key not yet known, or encoded otherwise, is caught and
decoded with the Example codec, which also teaches the new keys. Results are
exact whatever the records hold.

An empty ``Feature{}`` (a map entry whose Feature sets no list: how TFX
writes a missing value) counts as missing (length ``-1``), as
``parse_example`` and TensorFlow read it; a feature that is nothing but such
entries in a block comes as an ``untyped`` column (no values, so no kind).

Example:
    >>> import numpy as np
    >>> from pipeline.io.example_message import serialize_example
    >>> recs = [serialize_example({"x": np.array([1, 2])}), serialize_example({})]
    >>> c = ExampleColumns().decode(recs, "f", 0)["x"]
    >>> c.kind, c.values.tolist(), c.lengths.tolist()
    ('int64', [1, 2], [2, -1])
"""

from __future__ import annotations

import numpy as np

from pipeline import _kernels
from pipeline.cli._sequence_wire import has_feature_lists
from pipeline.errors import InvalidArgumentError
from pipeline.io.example_wire import decode_example
from pipeline.io.schema import Column, merge_kinds

_KINDS = {"int64_list": "int64", "float_list": "float", "bytes_list": "string"}
_KERNEL_KINDS = {1: "string", 2: "float", 3: "int64"}
#: Records decoded with the codec per learning round (the last: all left).
_LEARN_ROUNDS = (1, 1, 4, 16, None)


def _varint_len(x: np.ndarray):
    """Bytes of the varint of each of ``x`` (``>= 0``); the scalar 1 when all
    are below 128, as most lengths in a record are."""
    top = int(x.max()) if x.size else 0
    if top < 1 << 7:
        return 1
    n = np.ones(x.shape, dtype=np.int64)
    for bits in range(7, 64, 7):
        if top < 1 << bits:
            break
        n += x >= (1 << bits)
    return n


def _wire_lengths(key_lens: np.ndarray, kind, start, stop) -> np.ndarray:
    """Bytes of each record if it held exactly the located entries.

    An entry is there when ``start > 0`` (an absent key has 0). A located
    list is its Feature's only field; an entry with no list set holds a
    Feature body of ``stop - start`` bytes (0 for ``Feature{}``).
    """
    lst = stop - start
    listed = kind != 0
    feature = lst + listed * (1 + _varint_len(lst))
    key = (1 + _varint_len(key_lens) + key_lens)[:, None]
    content = key + 1 + _varint_len(feature) + feature
    entry = (start > 0) * (1 + _varint_len(content) + content)
    body = entry.sum(axis=0)
    return 1 + _varint_len(body) + body


def _decode_error(path: str, index: int, e: InvalidArgumentError):
    return InvalidArgumentError(
        f"record {index} of {path!r}: {e.message}",
        path=path,
        record_index=index,
    )


def check_example(record: bytes) -> dict:
    """The features of one serialized Example.

    Raises:
        InvalidArgumentError: the bytes are not an Example, or are a
            SequenceExample (a field 2, ``feature_lists``, that reading them
            as an Example would drop).
    """
    if has_feature_lists(record):
        raise InvalidArgumentError(
            "a tf.train.SequenceExample (it has feature_lists) in a file of "
            "tf.train.Example records (the file's first record has none): the "
            "file mixes the two kinds"
        )
    try:
        return decode_example(record).features.feature
    except InvalidArgumentError as e:
        raise InvalidArgumentError(
            f"not an Example: {e.message}", offset=e.offset
        ) from None


def _python_features(record: bytes, path: str, index: int) -> dict:
    try:
        return check_example(record)
    except InvalidArgumentError as e:
        raise _decode_error(path, index, e) from e


def _values(kind: str, parts: list[tuple[str, object]]) -> np.ndarray:
    if kind == "string":
        flat: list[bytes] = []
        for k, v in parts:
            flat.extend(v if k == "string" else (str(x).encode() for x in v.tolist()))
        out = np.empty(len(flat), dtype=object)
        out[:] = flat
        return out
    dtype = np.int64 if kind == "int64" else np.float32
    arrays = [np.asarray(v, dtype=dtype) for _, v in parts]
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype)


def decode_block(
    records: list[bytes], path: str, first_index: int
) -> dict[str, Column]:
    """Decode Examples one by one with the codec (exact, slow path).

    Raises:
        InvalidArgumentError: a record is not an Example (names file and record).
    """
    return feature_columns(
        [_python_features(r, path, first_index + i) for i, r in enumerate(records)]
    )


def feature_columns(per_record: list[dict]) -> dict[str, Column]:
    """One `Column` per feature name from each record's ``{name: Feature}``.

    A Feature that sets no list counts as missing; a name with no list in
    any record gives an ``untyped`` column.

    Example:
        >>> from pipeline.io.example_message import Feature, Int64List
        >>> four = Feature(int64_list=Int64List([4]))
        >>> c = feature_columns([{}, {"n": four}, {"n": Feature()}])["n"]
        >>> c.values.tolist(), c.lengths.tolist(), c.untyped
        ([4], [-1, 1, -1], False)
    """
    n = len(per_record)
    lengths: dict[str, np.ndarray] = {}
    parts: dict[str, list] = {}
    kinds: dict[str, str | None] = {}
    for i, features in enumerate(per_record):
        for name, feature in features.items():
            if name not in lengths:
                lengths[name] = np.full(n, -1, dtype=np.int64)
                parts[name], kinds[name] = [], None
            which = feature.WhichOneof("kind")
            if which is None:  # Feature{}: missing, as TF reads it
                continue
            values = getattr(feature, which).value
            kinds[name] = merge_kinds(kinds[name], _KINDS[which])
            parts[name].append((_KINDS[which], values))
            lengths[name][i] = len(values)
    return {
        name: Column(
            kinds[name] or "string",
            values_of(kinds[name], parts[name]),
            lens,
            untyped=kinds[name] is None,
        )
        for name, lens in lengths.items()
    }


def values_of(kind: str | None, parts: list[tuple[str, object]]) -> np.ndarray:
    """The values of ``parts`` (``(kind, values)`` pairs) as one array of
    ``kind`` (``"string"`` when None)."""
    return _values(kind or "string", parts)


class ExampleColumns:
    """Decodes blocks of Examples into columns with the kernel, learning keys.

    Example:
        >>> from pipeline.io.example_message import serialize_example
        >>> dec = ExampleColumns()
        >>> b = dec.decode([serialize_example({"a": np.array([b"x"], object)})], "f", 0)
        >>> b["a"].values.tolist(), dec.keys
        ([b'x'], ['a'])
    """

    def __init__(self) -> None:
        self.keys: list[str] = []
        self._kernel = _kernels.load("example")

    @staticmethod
    def check(record: bytes) -> None:
        """Raise `InvalidArgumentError` when ``record`` is not an Example."""
        check_example(record)

    def _locate(self, records: list[bytes]):
        k = self._kernel
        keys = [key.encode("utf-8", "surrogateescape") for key in self.keys]
        kind, count, start, stop, status, _, _ = k.index_features(records, keys)
        if status != k.STATUS_OK:
            return None
        key_lens = np.array([len(key) for key in keys], dtype=np.int64).reshape(-1)
        expected = _wire_lengths(key_lens, kind, start, stop)
        actual = np.fromiter(map(len, records), dtype=np.int64, count=len(records))
        odd = np.flatnonzero((expected != actual) & ~((actual == 0) & (expected == 2)))
        return (kind, count, start, stop), odd

    def _learn(self, records: list[bytes], rows: np.ndarray, path: str, first: int):
        known = set(self.keys)
        for i in rows.tolist():
            for name in _python_features(records[i], path, first + i):
                if name not in known:
                    known.add(name)
                    self.keys.append(name)

    def _located(self, records: list[bytes], path: str, first_index: int):
        """The kernel's ``(kind, count, start, stop)`` for the block, once the
        keys of every record are known (learnt from the records whose bytes
        the located entries do not account for); None when some record is
        still not accounted for (not canonically encoded) or is malformed.

        Raises:
            InvalidArgumentError: a record it had to learn from is not an
                Example.
        """
        found = self._locate(records)
        for take in _LEARN_ROUNDS:
            if found is None or not len(found[1]):
                break
            self._learn(records, found[1][:take], path, first_index)
            found = self._locate(records)
        if found is None or len(found[1]):
            return None
        return found[0]

    def validate(self, records: list[bytes], path: str, first_index: int) -> None:
        """Check that every record of a block is an Example, as `decode` would,
        without copying out the values (the kernel's walk reads every one).

        Raises:
            InvalidArgumentError: a record is not an Example (names file and
                record).
        """
        if records and self._located(records, path, first_index) is None:
            for i, record in enumerate(records):
                _python_features(record, path, first_index + i)

    def decode(
        self, records: list[bytes], path: str, first_index: int
    ) -> dict[str, Column]:
        """Decode one block of serialized Examples into one `Column` per feature.

        Raises:
            InvalidArgumentError: a record is not an Example.
        """
        if not records:
            return {}
        located = self._located(records, path, first_index)
        if located is None:
            return decode_block(records, path, first_index)  # exact slow path
        kind, count, start, stop = located
        entries = ((kind != 0) | (start > 0)).any(axis=1).tolist()
        out = {}
        for f, name in enumerate(self.keys):
            if not entries[f]:
                continue
            column = self._column(records, kind[f], count[f], start[f], stop[f])
            if column is None:
                return decode_block(records, path, first_index)  # mixed kinds
            out[name] = column
        return out

    def _column(self, records, kind, count, start, stop) -> Column | None:
        lengths = np.where(kind != 0, count, -1).astype(np.int64)
        rows = np.flatnonzero(kind)
        if not len(rows):
            return Column("string", np.empty(0, dtype=object), lengths, untyped=True)
        kinds = kind[rows]
        first = int(kinds[0])
        if (kinds != first).any():
            return None
        name = _KERNEL_KINDS[first]
        counts = np.ascontiguousarray(count[rows])
        dest = np.zeros(len(rows), dtype=np.int64)
        np.cumsum(counts[:-1], out=dest[1:])
        total = int(dest[-1] + counts[-1])
        k = self._kernel
        if name == "string":
            out, decode = np.empty(total, dtype=object), k.decode_bytes
        elif name == "float":
            out, decode = np.empty(total, dtype=np.float32), k.decode_float32
        else:
            out, decode = np.empty(total, dtype=np.int64), k.decode_int64
        rows = rows.astype(np.int64, copy=False)
        starts = np.ascontiguousarray(start[rows])
        decode(
            records, rows, starts, np.ascontiguousarray(stop[rows]), dest, counts, out
        )
        return Column(name, out, lengths)
