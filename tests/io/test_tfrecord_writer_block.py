"""TFRecordWriter.write_block: the same file as ``write`` on each record."""

from __future__ import annotations

import gzip
import zlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import FailedPreconditionError
from pipeline.io.example_encode import encode_examples
from pipeline.io.tfrecord import iter_records
from pipeline.io.tfrecord_writer import (
    FOOTER_BYTES,
    HEADER_BYTES,
    TFRecordOptions,
    TFRecordWriter,
)

_RECORDS = st.lists(st.binary(max_size=300), max_size=20)


def _one_by_one(path, records, options=None) -> bytes:
    with TFRecordWriter(str(path), options) as w:
        for r in records:
            w.write(r)
    return path.read_bytes()


def _packed(records: list[bytes]) -> tuple[np.ndarray, list[int], list[int]]:
    """The records back to back, no room for frames (the copying path)."""
    data = np.frombuffer(b"".join(records), dtype=np.uint8)
    lengths = [len(r) for r in records]
    starts = np.cumsum([0, *lengths])[:-1].tolist()
    return data, starts, lengths


def _with_room(records: list[bytes]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The records with room for their frames (the in-place path)."""
    parts, starts, at = [], [], 0
    for r in records:
        parts.append(b"?" * HEADER_BYTES + r + b"?" * FOOTER_BYTES)
        starts.append(at + HEADER_BYTES)
        at += len(r) + HEADER_BYTES + FOOTER_BYTES
    data = np.frombuffer(b"".join(parts), dtype=np.uint8).copy()
    return data, np.array(starts), np.array([len(r) for r in records])


@given(records=_RECORDS, room=st.booleans())
def test_block_file_equals_record_by_record(tmp_path_factory, records, room):
    folder = tmp_path_factory.mktemp("block")
    expected = _one_by_one(folder / "a.tfrecord", records)
    with TFRecordWriter(str(folder / "b.tfrecord")) as w:
        w.write_block(*(_with_room(records) if room else _packed(records)))
    assert (folder / "b.tfrecord").read_bytes() == expected


def test_records_in_any_order_and_overlapping(tmp_path):
    data = np.frombuffer(b"abcdef", dtype=np.uint8)
    with TFRecordWriter(str(tmp_path / "o.tfrecord")) as w:
        w.write_block(data, [3, 0, 1, 6], [3, 2, 4, 0])
    assert list(iter_records(str(tmp_path / "o.tfrecord"))) == [
        b"def", b"ab", b"bcde", b""]  # fmt: skip


def test_encoded_block_is_framed_in_place(tmp_path):
    columns = {"x": (np.array([1, 2, 3]), np.array([1, 2, -1]))}
    block = encode_examples(columns, head=HEADER_BYTES, tail=FOOTER_BYTES)
    expected = _one_by_one(tmp_path / "a.tfrecord", block.records())
    with TFRecordWriter(str(tmp_path / "b.tfrecord")) as w:
        w.write_block(block.data, block.starts, block.lengths)
    assert (tmp_path / "b.tfrecord").read_bytes() == expected
    assert block.data.tobytes() == expected  # the frames were written into it


def test_read_only_data_is_copied_not_changed(tmp_path):
    raw = b"?" * 12 + b"abc" + b"?" * 4
    data = np.frombuffer(raw, dtype=np.uint8)  # read-only, though laid out with room
    with TFRecordWriter(str(tmp_path / "r.tfrecord")) as w:
        w.write_block(data, [12], [3])
    assert data.tobytes() == raw
    assert list(iter_records(str(tmp_path / "r.tfrecord"))) == [b"abc"]


@pytest.mark.parametrize("options", ["GZIP", "ZLIB"])
def test_compressed_block_holds_the_same_records(tmp_path, options):
    records = [bytes([i]) * i for i in range(50)]
    plain = _one_by_one(tmp_path / "plain.tfrecord", records)
    with TFRecordWriter(str(tmp_path / "c.tfrecord"), options) as w:
        w.write_block(*_packed(records))
    raw = (tmp_path / "c.tfrecord").read_bytes()
    inflated = gzip.decompress(raw) if options == "GZIP" else zlib.decompress(raw)
    assert inflated == plain


def test_flush_mode_flushes_after_each_record_as_write_does(tmp_path):
    records = [b"one", b"two", b"three"]
    options = TFRecordOptions("ZLIB", flush_mode=zlib.Z_FULL_FLUSH)
    expected = _one_by_one(tmp_path / "a.tfrecord", records, options)
    options = TFRecordOptions("ZLIB", flush_mode=zlib.Z_FULL_FLUSH)
    with TFRecordWriter(str(tmp_path / "b.tfrecord"), options) as w:
        w.write_block(*_packed(records))
    assert (tmp_path / "b.tfrecord").read_bytes() == expected


def test_empty_block_writes_nothing(tmp_path):
    with TFRecordWriter(str(tmp_path / "e.tfrecord")) as w:
        w.write_block(np.zeros(0, np.uint8), [], [])
    assert (tmp_path / "e.tfrecord").read_bytes() == b""


def test_record_outside_the_data_is_refused(tmp_path):
    with TFRecordWriter(str(tmp_path / "x.tfrecord")) as w:
        with pytest.raises(ValueError, match="outside the 4 bytes given"):
            w.write_block(np.zeros(4, np.uint8), [2], [3])
        with pytest.raises(ValueError, match="2 starts but 1 lengths"):
            w.write_block(np.zeros(4, np.uint8), [0, 1], [1])


def test_block_after_close_is_refused(tmp_path):
    w = TFRecordWriter(str(tmp_path / "c.tfrecord"))
    w.close()
    with pytest.raises(FailedPreconditionError, match="Writer is closed"):
        w.write_block(np.zeros(1, np.uint8), [0], [1])


def test_bytes_and_other_arrays_are_read_as_their_bytes(tmp_path):
    with TFRecordWriter(str(tmp_path / "b.tfrecord")) as w:
        w.write_block(b"abcde", [0, 2], [2, 3])
        w.write_block(np.array([[0x61, 0x62]], dtype=np.uint8), [1], [1])
        w.write_block(np.array([1], dtype="<u2"), [0], [2])
    assert list(iter_records(str(tmp_path / "b.tfrecord"))) == [
        b"ab", b"cde", b"b", b"\x01\x00"]  # fmt: skip
