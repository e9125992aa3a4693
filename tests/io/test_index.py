"""pipeline.io.index: record offsets sidecar."""

from __future__ import annotations

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
    (tmp_path / "a.tfrecord.index").write_bytes(b"garbage")
    with pytest.raises(DataLossError, match="not a record index"):
        index.read_index(str(path), target)
