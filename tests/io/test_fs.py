"""pipeline.io.fs: globbing, compressed streams, atomic writes."""

from __future__ import annotations

import gzip
import os
import zlib

import pytest

from pipeline.errors import DataLossError, InvalidArgumentError, NotFoundError
from pipeline.io import fs


def _write(path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)


def test_expand_local_sorted_and_dedup(tmp_path):
    for name in ["b.txt", "a.txt", "c.csv"]:
        _write(tmp_path / name, b"x")
    got = fs.expand([str(tmp_path / "*.txt"), str(tmp_path / "a.txt")])
    assert got == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]


def test_expand_file_url_keeps_prefix(tmp_path):
    _write(tmp_path / "a.txt", b"x")
    assert fs.expand(f"file://{tmp_path}/*.txt") == [f"file://{tmp_path}/a.txt"]


def test_expand_no_match_names_pattern(tmp_path):
    pattern = str(tmp_path / "nothing-*.csv")
    with pytest.raises(NotFoundError, match="nothing-") as info:
        fs.expand(pattern)
    assert info.value.path == pattern


def test_expand_memory_fs():
    for name in ["m2", "m1"]:
        with fs.open_output(f"memory://expand-test/{name}") as f:
            f.write(b"x")
    assert fs.expand("memory://expand-test/m*") == [
        "memory://expand-test/m1",
        "memory://expand-test/m2",
    ]
    with pytest.raises(NotFoundError):
        fs.expand("memory://expand-test/zz*")


@pytest.mark.parametrize(
    ("path", "kind", "expected"),
    [
        ("a.gz", "AUTO", "GZIP"),
        ("a.zz", "auto", "ZLIB"),
        ("a.tfrecord", "AUTO", ""),
        ("a.gz", None, ""),
        ("a", "gzip", "GZIP"),
        ("a", "", ""),
    ],
)
def test_compression_of(path, kind, expected):
    assert fs.compression_of(path, kind) == expected


def test_compression_of_rejects_unknown():
    with pytest.raises(InvalidArgumentError, match="compression_type"):
        fs.compression_of("a", "BZ2")


def test_open_input_missing_file(tmp_path):
    with pytest.raises(NotFoundError):
        fs.open_input(str(tmp_path / "missing"))


PAYLOAD = bytes(range(256)) * 5000


@pytest.mark.parametrize(
    ("kind", "compress"),
    [("GZIP", gzip.compress), ("ZLIB", zlib.compress), ("", lambda b: b)],
)
def test_open_input_decompresses(tmp_path, kind, compress):
    path = tmp_path / "data"
    _write(path, compress(PAYLOAD))
    with fs.open_input(str(path), kind) as f:
        assert f.read() == PAYLOAD


def test_gzip_concatenated_members_read_as_one(tmp_path):
    path = tmp_path / "cat.gz"
    _write(path, gzip.compress(b"first-") + gzip.compress(b"second"))
    with fs.open_input(str(path), "AUTO") as f:
        assert f.read() == b"first-second"


def test_zlib_ignores_trailing_bytes(tmp_path):
    path = tmp_path / "z"
    _write(path, zlib.compress(b"payload") + b"garbage after the stream")
    with fs.open_input(str(path), "ZLIB") as f:
        assert f.read() == b"payload"


@pytest.mark.parametrize(
    ("kind", "compress"), [("GZIP", gzip.compress), ("ZLIB", zlib.compress)]
)
def test_truncated_stream_yields_prefix_then_raises(tmp_path, kind, compress):
    blob = compress(PAYLOAD)
    path = tmp_path / "cut"
    _write(path, blob[: len(blob) // 2])
    got = b""
    with fs.open_input(str(path), kind) as f:
        with pytest.raises(DataLossError, match="end marker") as info:
            while chunk := f.read(4096):
                got += chunk
    assert len(got) > 0 and PAYLOAD.startswith(got)
    assert info.value.path == str(path)


def test_gzip_missing_trailer_raises(tmp_path):
    path = tmp_path / "notrailer.gz"
    _write(path, gzip.compress(b"abc" * 100)[:-8])
    with fs.open_input(str(path), "GZIP") as f, pytest.raises(DataLossError):
        f.read()


def test_gzip_corrupt_data_check(tmp_path):
    blob = bytearray(gzip.compress(b"hello world" * 10))
    blob[-6] ^= 0xFF  # inside the CRC-32 trailer
    path = tmp_path / "bad.gz"
    _write(path, bytes(blob))
    with fs.open_input(str(path), "GZIP") as f:
        with pytest.raises(DataLossError, match="inflate"):
            f.read()


def test_empty_compressed_file_is_empty(tmp_path):
    path = tmp_path / "empty.gz"
    _write(path, b"")
    with fs.open_input(str(path), "GZIP") as f:
        assert f.read() == b""


@pytest.mark.parametrize(
    ("kind", "decompress"),
    [("GZIP", gzip.decompress), ("ZLIB", zlib.decompress), (None, lambda b: b)],
)
def test_atomic_writer_compression(tmp_path, kind, decompress):
    path = tmp_path / "out"
    with fs.open_output(str(path), kind) as f:
        f.write(PAYLOAD[:1000])
        f.flush()
        f.write(PAYLOAD[1000:])
    assert decompress(path.read_bytes()) == PAYLOAD
    assert os.listdir(tmp_path) == ["out"]


def test_atomic_writer_hidden_until_close(tmp_path):
    path = tmp_path / "out"
    w = fs.open_output(str(path))
    w.write(b"abc")
    assert not path.exists()
    w.close()
    w.close()  # idempotent
    assert path.read_bytes() == b"abc"
    with pytest.raises(ValueError, match="closed"):
        w.write(b"x")


def test_atomic_writer_removes_temp_on_error(tmp_path):
    path = tmp_path / "out"
    _write(path, b"old")
    with pytest.raises(RuntimeError):
        with fs.open_output(str(path)) as f:
            f.write(b"new")
            raise RuntimeError("boom")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out"]


def test_file_size_and_exists(tmp_path):
    path = tmp_path / "s"
    _write(path, b"12345")
    assert fs.file_size(str(path)) == 5
    assert fs.exists(str(path)) and not fs.exists(str(tmp_path / "nope"))
    with pytest.raises(NotFoundError):
        fs.file_size(str(tmp_path / "nope"))


def test_a_missing_cloud_file_system_names_the_extra(monkeypatch):
    import sys

    import pipeline as pl
    from pipeline.errors import UnimplementedError

    monkeypatch.setitem(sys.modules, "gcsfs", None)  # import gcsfs fails
    with pytest.raises(UnimplementedError, match=r"pip install 'pipeline\[gcs\]'"):
        list(pl.data.TFRecordDataset("gs://bucket/train-0.tfrecord"))


def test_a_missing_file_system_of_another_scheme_says_what_fsspec_said():
    import fsspec

    from pipeline.errors import UnimplementedError
    from pipeline.io import fs

    fsspec.register_implementation(
        "pltestfs", "no_such_module_xyz.FS", clobber=True, errtxt="install xyz-fs"
    )
    with pytest.raises(UnimplementedError, match=r"pltestfs:// .*install xyz-fs"):
        fs.expand("pltestfs://bucket/a*")


def test_writing_into_a_missing_folder_names_the_path_given(tmp_path):
    from pipeline.errors import NotFoundError
    from pipeline.io import fs

    target = str(tmp_path / "no_such_dir" / "r.html")
    with pytest.raises(NotFoundError, match="no_such_dir") as info:
        fs.open_output(target)
    assert "pipeline-tmp" not in str(info.value)
    assert info.value.path == target
