"""``tf.train.Example`` records to batches of `Column` values.

Each record is decoded with the library's Example codec
(`pipeline.io.example_wire`), so features need no spec: kinds come from the
records. A feature whose kind differs between records takes the widest kind.

Example:
    >>> import numpy as np
    >>> from pipeline.io.example_message import serialize_example
    >>> recs = [serialize_example({"x": np.array([1, 2])}), serialize_example({})]
    >>> c = decode_block(recs, "f", 0)["x"]
    >>> c.kind, c.values.tolist(), c.lengths.tolist()
    ('int64', [1, 2], [2, -1])
"""

from __future__ import annotations

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.io.example_wire import decode_example
from pipeline.io.schema import Column, merge_kinds

_KINDS = {"int64_list": "int64", "float_list": "float", "bytes_list": "string"}


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


def _decode(record: bytes, path: str, index: int):
    try:
        return decode_example(record).features.feature
    except InvalidArgumentError as e:
        raise InvalidArgumentError(
            f"record {index} of {path!r} is not a tf.train.Example: {e.message}",
            path=path,
            record_index=index,
        ) from e


def decode_block(
    records: list[bytes], path: str, first_index: int
) -> dict[str, Column]:
    """Decode serialized Examples into one `Column` per feature.

    Raises:
        InvalidArgumentError: a record is not an Example (names file and record).
    """
    n = len(records)
    lengths: dict[str, np.ndarray] = {}
    parts: dict[str, list] = {}
    kinds: dict[str, str | None] = {}
    for i, record in enumerate(records):
        for name, feature in _decode(record, path, first_index + i).items():
            if name not in lengths:
                lengths[name] = np.full(n, -1, dtype=np.int64)
                parts[name], kinds[name] = [], None
            which = feature.WhichOneof("kind")
            if which is None:
                lengths[name][i] = 0
                continue
            kind = _KINDS[which]
            values = getattr(feature, which).value
            kinds[name] = merge_kinds(kinds[name], kind)
            parts[name].append((kind, values))
            lengths[name][i] = len(values)
    out = {}
    for name, lens in lengths.items():
        kind = kinds[name] or "string"
        out[name] = Column(kind, _values(kind, parts[name]), lens)
    return out
