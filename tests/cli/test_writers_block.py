"""convert's TFRecord writer serializes batches as blocks: the records are
those of serialize_example on each row, with the kinds the schema gives."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.cli import _example_blocks
from pipeline.cli._precision import FloatLoss
from pipeline.cli._writers import open_writer
from pipeline.io.example_message import serialize_example
from pipeline.io.schema import Column, FeatureSchema, Schema
from pipeline.io.tfrecord import iter_records


def _schema(kinds: dict[str, str]) -> Schema:
    return Schema({n: FeatureSchema(n, k, 1, 1, 0, 3) for n, k in kinds.items()}, 1)


def _write(tmp_path, kinds: dict[str, str], batches: list[dict]) -> list[bytes]:
    path = str(tmp_path / "out.tfrecord")
    w = open_writer("tfrecord", path, _schema(kinds), "", None, FloatLoss())
    for batch in batches:
        w.write(batch)
    w.close()
    return list(iter_records(path))


def _obj(*items) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def test_each_record_is_serialize_example_of_its_row(tmp_path):
    batch = {
        "i": Column("int64", np.array([5, -1, 2**62]), np.array([1, 2, -1])),
        "f": Column("float", np.array([0.5, -0.0], np.float32), np.array([0, -1, 2])),
        "s": Column("string", _obj(b"", b"\xff", b"a"), np.array([3, -1, 0])),
    }
    got = _write(tmp_path, {"i": "int64", "f": "float", "s": "string"}, [batch])
    assert got == [
        serialize_example({"i": np.array([5]), "f": np.zeros(0, np.float32),
                           "s": _obj(b"", b"\xff", b"a")}),
        serialize_example({"i": np.array([-1, 2**62])}),
        serialize_example({"f": np.array([0.5, -0.0], np.float32), "s": _obj()}),
    ]  # fmt: skip


def test_values_of_another_dtype_are_converted_as_the_kind_says(tmp_path):
    batch = {  # a string feature read as numbers, an int64 one as floats, text
        "s": Column("string", np.array([7, 8]), np.array([1, 1])),
        "t": Column("string", _obj("é", b"x"), np.array([1, 1])),
        "n": Column("int64", np.array([1.0, 2.0]), np.array([1, 1])),
        "o": Column("string", _obj(3, b"y"), np.array([1, 1])),
    }
    kinds = {"s": "string", "t": "string", "n": "int64", "o": "string"}
    got = _write(tmp_path, kinds, [batch])
    assert got == [
        serialize_example({"s": _obj(b"7"), "t": _obj("é".encode()),
                           "n": np.array([1]), "o": _obj(b"3")}),
        serialize_example({"s": _obj(b"8"), "t": _obj(b"x"), "n": np.array([2]),
                           "o": _obj(b"y")}),
    ]  # fmt: skip


def test_float64_values_are_written_as_float32_and_the_loss_noted(tmp_path):
    loss = FloatLoss()
    path = str(tmp_path / "f.tfrecord")
    w = open_writer("tfrecord", path, _schema({"x": "float"}), "", None, loss)
    w.write({"x": Column("float", np.array([0.1, 0.5]), np.array([1, 1]))})
    w.close()
    assert list(iter_records(path)) == [
        serialize_example({"x": np.array([0.1], np.float32)}),
        serialize_example({"x": np.array([0.5], np.float32)}),
    ]
    assert "1 of 2 values" in " ".join(loss.warnings("float32"))


def test_large_batches_are_written_in_blocks_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(_example_blocks, "BLOCK_RECORDS", 3)
    n = 10
    lengths = np.where(np.arange(n) % 4 == 3, -1, 1)
    values = np.arange(n)[lengths > 0]
    got = _write(tmp_path, {"x": "int64"}, [{"x": Column("int64", values, lengths)}])
    assert got == [
        serialize_example({"x": np.array([i])} if i % 4 != 3 else {}) for i in range(n)
    ]


@pytest.mark.parametrize("compression", ["GZIP", "ZLIB"])
def test_compressed_output_reads_back(tmp_path, compression):
    path = str(tmp_path / "c.tfrecord")
    w = open_writer("tfrecord", path, _schema({"x": "int64"}), compression, None)
    w.write({"x": Column("int64", np.array([1, 2]), np.array([1, 1]))})
    w.close()
    assert list(iter_records(path, compression)) == [
        serialize_example({"x": np.array([1])}),
        serialize_example({"x": np.array([2])}),
    ]
