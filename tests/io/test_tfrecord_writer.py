"""pipeline.io.tfrecord_writer: byte-identical framing, compression, atomicity."""

from __future__ import annotations

import base64
import gzip
import os
import zlib

import pytest
from support import fixture_path, load_fixture_json

from pipeline.errors import InvalidArgumentError
from pipeline.io.tfrecord_writer import TFRecordOptions, TFRecordWriter


def _records():
    spec = load_fixture_json("tfrecord", "raw_records.json")
    return [base64.b64decode(r["data_b64"]) for r in spec["records"]]


def test_uncompressed_bytes_identical_to_tensorflow(tmp_path):
    path = tmp_path / "out.tfrecord"
    with TFRecordWriter(str(path)) as w:
        for r in _records():
            w.write(r)
    assert (
        path.read_bytes() == fixture_path("tfrecord", "raw_none.tfrecord").read_bytes()
    )


def test_framing_fields_match(tmp_path):
    spec = load_fixture_json("tfrecord", "raw_records.json")
    path = tmp_path / "out.tfrecord"
    with TFRecordWriter(path) as w:
        for r in _records():
            w.write(r)
    data = path.read_bytes()
    for f in spec["uncompressed_framing"]:
        off = f["offset"]
        assert int.from_bytes(data[off : off + 8], "little") == f["length"]
        assert (
            int.from_bytes(data[off + 8 : off + 12], "little")
            == (f["length_crc_masked"])
        )
        end = f["next_offset"]
        assert int.from_bytes(data[end - 4 : end], "little") == f["data_crc_masked"]


@pytest.mark.parametrize(
    ("options", "decompress"),
    [
        ("GZIP", gzip.decompress),
        ("ZLIB", zlib.decompress),
        (TFRecordOptions("GZIP"), gzip.decompress),
        ("", lambda b: b),
    ],
)
def test_compressed_output_decompresses_to_tensorflow_bytes(
    tmp_path, options, decompress
):
    path = tmp_path / "out.tfrecord"
    with TFRecordWriter(str(path), options=options) as w:
        for r in _records():
            w.write(r)
    expected = fixture_path("tfrecord", "raw_none.tfrecord").read_bytes()
    assert decompress(path.read_bytes()) == expected


def test_error_inside_with_leaves_no_file(tmp_path):
    path = tmp_path / "out.tfrecord"
    with pytest.raises(KeyError), TFRecordWriter(str(path)) as w:
        w.write(b"partial")
        raise KeyError("crash")
    assert os.listdir(tmp_path) == []


def test_not_visible_before_close(tmp_path):
    path = tmp_path / "out.tfrecord"
    w = TFRecordWriter(str(path))
    w.write(b"a")
    w.flush()
    assert not path.exists()
    w.close()
    w.close()
    assert path.exists()


def test_bad_options():
    with pytest.raises(InvalidArgumentError, match="compression_type"):
        TFRecordOptions("LZMA")


def test_str_records_are_utf8(tmp_path):
    from pipeline.io.tfrecord import iter_records

    path = str(tmp_path / "s.tfrecord")
    with TFRecordWriter(path) as w:
        w.write("héllo")
        w.write(memoryview(b"raw"))
    assert list(iter_records(path)) == ["héllo".encode(), b"raw"]
