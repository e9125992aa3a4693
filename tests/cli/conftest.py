"""Data files for the CLI tests, written with independent tools.

Examples are encoded here by hand from the protobuf wire format (an oracle
independent of ``pipeline.io.example``); TFRecord framing uses the library
writer (tested on its own against TensorFlow's fixtures).
"""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.io.tfrecord_writer import TFRecordWriter


def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def encode_feature(values, kind=None) -> bytes:
    """Feature message of a list of ints, floats or bytes (``kind`` if empty)."""
    kind = kind or (type(values[0]) if values else int)
    if kind is bytes:
        inner = b"".join(_field(1, v) for v in values)
        return _field(1, inner)
    if kind is float:
        packed = struct.pack(f"<{len(values)}f", *values)
        return _field(2, _field(1, packed))
    packed = b"".join(_varint(v) for v in values)
    return _field(3, _field(1, packed) if values else b"")


def encode_example(features: dict) -> bytes:
    """Example message of ``{name: list of values}``."""
    entries = b"".join(
        _field(1, _field(1, k.encode()) + _field(2, encode_feature(v, KINDS.get(k))))
        for k, v in features.items()
    )
    return _field(1, entries)


KINDS = {"id": int, "score": float, "tags": bytes, "name": bytes}
EXAMPLES = [
    {
        "id": [i],
        "score": [i / 4],
        "tags": [b"a", b"b"][: i % 3],
        "name": [f"n{i % 2}".encode()],
    }
    for i in range(10)
]
for _i, _e in enumerate(EXAMPLES):
    if _i % 5 == 4:
        del _e["name"]

CSV_TEXT = b"id,score,city\n" + b"".join(
    f"{i},{i * 0.5},{['paris', 'rome', ''][i % 3]}\n".encode() for i in range(12)
)


@pytest.fixture
def data(tmp_path):
    """A folder with one file per case; returns its path."""
    (tmp_path / "a.csv").write_bytes(CSV_TEXT)
    (tmp_path / "b.csv.gz").write_bytes(gzip.compress(CSV_TEXT))
    (tmp_path / "c.tsv").write_bytes(CSV_TEXT.replace(b",", b"\t"))
    (tmp_path / "lines.txt").write_bytes(b"hello world\nsecond line\nthird\n")
    (tmp_path / "empty.csv").write_bytes(b"")
    for name, options in (("ex.tfrecord", None), ("ex.tfrecord.gz", "GZIP")):
        with TFRecordWriter(str(tmp_path / name), options) as w:
            for e in EXAMPLES:
                w.write(encode_example(e))
    with TFRecordWriter(str(tmp_path / "raw.tfrecord")) as w:
        for i in range(1, 8):
            w.write(b"\xff\x00raw" * i)
    good = (tmp_path / "ex.tfrecord").read_bytes()
    bad = bytearray(good)
    bad[len(good) // 2] ^= 0xFF
    (tmp_path / "corrupt.tfrecord").write_bytes(bytes(bad))
    table = pa.table(
        {
            "x": pa.array([1, 2, None, 4], pa.int64()),
            "y": pa.array([0.5, 1.5, 2.5, np.nan]),
            "s": pa.array(["u", "v", "u", None]),
            "v": pa.array([[1, 2], [3], [], None], pa.list_(pa.int64())),
        }
    )
    pq.write_table(table, tmp_path / "t.parquet")
    return tmp_path
