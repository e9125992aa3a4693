"""pipeline.io.tfrecord_writer: byte-identical framing, compression, atomicity."""

from __future__ import annotations

import base64
import gc
import glob
import gzip
import os
import signal
import subprocess
import sys
import warnings
import zlib
from pathlib import Path

import pytest
from support import fixture_path, load_fixture_json

from pipeline.errors import InvalidArgumentError, NotFoundError
from pipeline.io import fs
from pipeline.io.fs_temp import final_name_of, find_temp_leftovers, is_temp_leftover
from pipeline.io.tfrecord import iter_records
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


# --- temporary names, leftovers of killed writers, dropped writers ---

_KILLED_WRITER = """
import sys, time
from pipeline.io.tfrecord_writer import TFRecordWriter
w = TFRecordWriter(sys.argv[1])
for i in range(1000):
    w.write(b"record %d" % i)
w.flush()
print("written", flush=True)
time.sleep(60)
"""


def _kill_mid_write(path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(path)],
        stdout=subprocess.PIPE,
        cwd=str(Path(__file__).resolve().parents[2]),
    )
    try:
        assert child.stdout.readline() == b"written\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()


def test_killed_writer_leaves_a_hidden_temp_that_globs_skip(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    final = out / "part-0.tfrecord"
    _kill_mid_write(final)
    assert not final.exists()
    leftovers = find_temp_leftovers(out)
    assert len(leftovers) == 1
    name = os.path.basename(leftovers[0])
    assert name.startswith(".part-0.tfrecord.pipeline-tmp-")
    assert is_temp_leftover(name) and final_name_of(name) == "part-0.tfrecord"
    assert os.path.getsize(leftovers[0]) > 0  # the flushed records are there
    assert glob.glob(str(out / "*.tfrecord")) == []
    assert glob.glob(str(out / "*")) == []
    with pytest.raises(NotFoundError):
        fs.expand(str(out / "*"))
    with TFRecordWriter(str(final)) as w:  # the next write cleans up
        w.write(b"new")
    assert find_temp_leftovers(out) == []
    assert list(iter_records(str(final))) == [b"new"]


def test_leftovers_of_running_writers_and_other_names_are_kept(tmp_path):
    live = TFRecordWriter(str(tmp_path / "a.tfrecord"))  # this process: running
    other = tmp_path / ".b.tfrecord.pipeline-tmp-999999999-0123456789ab"
    other.write_bytes(b"x")  # another final name: not ours to clean
    with TFRecordWriter(str(tmp_path / "a.tfrecord")) as w:
        w.write(b"1")
    assert len(find_temp_leftovers(tmp_path)) == 2
    live.close()
    assert find_temp_leftovers(tmp_path) == [str(other)]


def test_temp_names_on_other_filesystems_are_hidden_too():
    w = TFRecordWriter("memory://tmpnames/x.tfrecord")
    w.write(b"a")
    w.flush()
    with pytest.raises(NotFoundError):
        fs.expand("memory://tmpnames/*")
    w.close()
    assert fs.expand("memory://tmpnames/*") == ["memory://tmpnames/x.tfrecord"]


def test_dropped_writer_still_produces_its_file(tmp_path):
    path = tmp_path / "dropped.tfrecord"
    with pytest.warns(ResourceWarning, match="dropped.tfrecord.*not closed"):
        w = TFRecordWriter(str(path), "GZIP")
        w.write(b"kept")
        del w
        gc.collect()
    assert list(iter_records(str(path), "GZIP")) == [b"kept"]
    assert find_temp_leftovers(tmp_path) == []


def test_closed_or_aborted_writer_does_not_warn(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = TFRecordWriter(str(tmp_path / "a.tfrecord"))
        w.close()
        v = TFRecordWriter(str(tmp_path / "b.tfrecord"))
        v.abort()
        del w, v
        gc.collect()
    assert not (tmp_path / "b.tfrecord").exists()
