"""ExampleBlocks: batches gathered into blocks, written in order."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.cli import _example_blocks
from pipeline.cli._example_blocks import ExampleBlocks, byte_strings
from pipeline.io.example_message import serialize_example
from pipeline.io.schema import Column
from pipeline.io.tfrecord import iter_records
from pipeline.io.tfrecord_writer import TFRecordWriter


class _Spy:
    """A writer that records the sizes of the blocks it is given."""

    def __init__(self, path: str) -> None:
        self.inner = TFRecordWriter(path)
        self.blocks: list[int] = []

    def write_block(self, data, starts, lengths) -> None:
        self.blocks.append(len(starts))
        self.inner.write_block(data, starts, lengths)


def _ints(values, lengths) -> dict:
    return {"x": Column("int64", np.array(values), np.array(lengths))}


def test_batches_are_gathered_into_blocks_of_the_size_asked(tmp_path):
    spy = _Spy(str(tmp_path / "a.tfrecord"))
    blocks = ExampleBlocks(spy, {"x": "int64"}, block_records=4)
    for i in range(5):
        blocks.add(_ints([2 * i, 2 * i + 1], [1, 1]))
    assert spy.blocks == [4, 4]  # the 5th batch waits for a flush
    blocks.flush()
    spy.inner.close()
    assert spy.blocks == [4, 4, 2]
    got = list(iter_records(str(tmp_path / "a.tfrecord")))
    assert got == [serialize_example({"x": np.array([i])}) for i in range(10)]


def test_batches_of_other_dtypes_or_features_are_written_apart(tmp_path):
    spy = _Spy(str(tmp_path / "b.tfrecord"))
    blocks = ExampleBlocks(spy, {}, block_records=100)
    blocks.add({"x": Column("int64", np.array([1]), np.array([1]))})
    blocks.add({"x": Column("float", np.array([0.5], np.float32), np.array([1]))})
    blocks.add({"y": Column("int64", np.array([2]), np.array([1]))})
    blocks.flush()
    spy.inner.close()
    assert spy.blocks == [1, 1, 1]
    assert list(iter_records(str(tmp_path / "b.tfrecord"))) == [
        serialize_example({"x": np.array([1])}),
        serialize_example({"x": np.array([0.5], np.float32)}),
        serialize_example({"y": np.array([2])}),
    ]


def test_a_batch_larger_than_a_block_is_cut(tmp_path, monkeypatch):
    monkeypatch.setattr(_example_blocks, "BLOCK_RECORDS", 2)
    spy = _Spy(str(tmp_path / "c.tfrecord"))
    blocks = ExampleBlocks(spy, {"x": "int64"})
    blocks.add(_ints([0, 1, 2, 3, 4], [1, 1, 1, 2, 0]))
    blocks.flush()
    spy.inner.close()
    assert spy.blocks == [2, 2, 1]
    assert list(iter_records(str(tmp_path / "c.tfrecord")))[3:] == [
        serialize_example({"x": np.array([3, 4])}),
        serialize_example({"x": np.zeros(0, np.int64)}),
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (np.array([1, -2]), [b"1", b"-2"]),
        (np.array(["é", b"x", 3], dtype=object), ["é".encode(), b"x", b"3"]),
        (np.array([b"\xff", b""], dtype=object), [b"\xff", b""]),
    ],
)
def test_byte_strings(values, expected):
    assert byte_strings(values).tolist() == expected


def test_few_records_per_batch_are_written_every_few_batches(tmp_path):
    spy = _Spy(str(tmp_path / "d.tfrecord"))
    blocks = ExampleBlocks(spy, {"s": "string"})
    big = np.empty(1, dtype=object)
    big[0] = b"z" * 100_000
    for _ in range(2 * _example_blocks.MAX_PENDING_BATCHES + 1):
        blocks.add({"s": Column("string", big, np.array([1]))})
    assert spy.blocks == [_example_blocks.MAX_PENDING_BATCHES] * 2
    blocks.flush()
    spy.inner.close()
    assert spy.blocks[-1] == 1
    assert len(list(iter_records(str(tmp_path / "d.tfrecord")))) == 17
