"""pipeline.io.index: record offsets sidecar."""

from __future__ import annotations

import struct

import pytest
from support import fixture_path, load_fixture_json

from pipeline.errors import DataLossError, FailedPreconditionError, OutOfRangeError
from pipeline.io import index
from pipeline.io.tfrecord_writer import TFRecordWriter


def test_offsets_match_fixture_framing(tmp_path):
    spec = load_fixture_json("tfrecord", "raw_records.json")
    expected = [f["offset"] for f in spec["uncompressed_framing"]]
    for name, kind in [("raw_none.tfrecord", ""), ("raw_gzip.tfrecord", "GZIP")]:
        src = fixture_path("tfrecord", name)
        target = str(tmp_path / f"{name}.index")
        index.write_index(str(src), kind, index_path=target)
        assert index.read_index(str(src), target).tolist() == expected
        assert index.count_indexed(str(src), target) == len(expected)


@pytest.mark.parametrize("kind", [None, "ZLIB"])
def test_read_from_record_k(tmp_path, kind):
    path = str(tmp_path / "a.tfrecord")
    records = [bytes([i]) * (i * 37) for i in range(20)]
    with TFRecordWriter(path, kind) as w:
        for r in records:
            w.write(r)
    index.write_index(path, kind)
    for k in (0, 7, 19, 20):
        assert list(index.read_from(path, k, kind)) == records[k:]
    with pytest.raises(OutOfRangeError):
        list(index.read_from(path, 21, kind))


def test_stale_and_damaged_index(tmp_path):
    path = tmp_path / "a.tfrecord"
    with TFRecordWriter(str(path)) as w:
        w.write(b"x")
    target = index.write_index(str(path))
    with TFRecordWriter(str(path)) as w:
        w.write(b"longer record")
    with pytest.raises(FailedPreconditionError, match="stale"):
        index.read_index(str(path))
    assert target == str(tmp_path / ".pipeline-index" / "a.tfrecord.index")
    (tmp_path / ".pipeline-index" / "a.tfrecord.index").write_bytes(b"garbage")
    with pytest.raises(DataLossError, match="not a record index"):
        index.read_index(str(path), target)


# --- corrupt sidecars: DataLossError naming the sidecar ---


def _sidecar(path, offsets, size=None, count=None) -> str:
    (path.parent / ".pipeline-index").mkdir(exist_ok=True)
    target = str(path.parent / ".pipeline-index" / f"{path.name}.index")
    size = path.stat().st_size if size is None else size
    count = len(offsets) if count is None else count
    head = struct.pack("<8sQQ", b"PLTFIDX1", count, size)
    with open(target, "wb") as f:
        f.write(head + struct.pack(f"<{len(offsets)}Q", *offsets))
    return target


def _three_records(tmp_path, kind=None):
    path = tmp_path / "a.tfrecord"
    with TFRecordWriter(str(path), kind) as w:
        for r in (b"a", b"bb", b"ccc"):
            w.write(r)
    return path  # records at 0, 17, 35; 54 bytes uncompressed


@pytest.mark.parametrize(
    "offsets, what",
    [
        ([0, 17, 2**63], "offset 9223372036854775808 of record 2 is not below 2"),
        ([0, 17, 2**64 - 1], "not below 2\\*\\*63"),
        ([0, 35, 17], "record 2 at 17 does not follow record 1 at 35"),
        ([0, 17, 17], "record 2 at 17 does not follow"),
        ([0, 10, 35], "record 1 at 10 does not follow record 0"),
        ([0, 17, 54], "record 2 at 54 is past the end of the file \\(54 bytes"),
        ([0, 17, 2**40], "past the end of the file"),
        ([5, 17, 35], "the first record is at 5, expected 0"),
        ([], "lists no record, but the file has 54 bytes"),
    ],
)
def test_corrupt_offsets_name_the_sidecar(tmp_path, offsets, what):
    path = _three_records(tmp_path)
    target = _sidecar(path, offsets)
    for read in (
        lambda: index.read_index(str(path), compression_type=None),
        lambda: index.count_indexed(str(path), compression_type=None),
        lambda: list(index.read_from(str(path), 0)),
    ):
        with pytest.raises(DataLossError, match=what) as info:
            read()
        assert info.value.path == target
        assert "a.tfrecord.index" in str(info.value)


def test_offsets_past_any_possible_end_with_unknown_compression(tmp_path):
    path = _three_records(tmp_path)
    _sidecar(path, [0, 17, 2**50])
    with pytest.raises(DataLossError, match="a.tfrecord.index.*past the end"):
        index.read_index(str(path))


def test_compressed_offset_past_the_stream_names_the_sidecar(tmp_path):
    path = _three_records(tmp_path, "GZIP")
    target = _sidecar(path, [0, 17, 35, 400])  # within 1032x, past the 54 bytes
    assert index.count_indexed(str(path)) == 4  # only reading can tell
    with pytest.raises(
        DataLossError, match="a.tfrecord.index.*record 3 at 400"
    ) as info:
        list(index.read_from(str(path), 3, "GZIP"))
    assert info.value.path == target


@pytest.mark.parametrize("cut", [1, 8, 23])
def test_truncated_sidecar(tmp_path, cut):
    path = _three_records(tmp_path)
    target = _sidecar(path, [0, 17, 35])
    with open(target, "rb") as f:
        data = f.read()
    with open(target, "wb") as f:
        f.write(data[:-cut])
    with pytest.raises(DataLossError, match="a.tfrecord.index") as info:
        index.read_index(str(path))
    assert info.value.path == target


def test_sidecar_claiming_more_offsets_than_it_holds(tmp_path):
    path = _three_records(tmp_path)
    _sidecar(path, [0, 17, 35], count=2**61)
    with pytest.raises(DataLossError, match="a.tfrecord.index.*truncated"):
        index.read_index(str(path))
