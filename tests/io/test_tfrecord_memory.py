"""pipeline.io.tfrecord: a header claiming a huge record costs no memory.

The reader grows a long record only as its bytes arrive, in bounded steps, and
not at all when the file's size shows it cannot hold it; it then fails with
`DataLossError` naming the file and offset. Each case runs in a subprocess
that reports its peak resident memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from pipeline import _kernels
from pipeline.errors import DataLossError
from pipeline.io import tfrecord
from pipeline.io.tfrecord_writer import TFRecordWriter

_ROOT = Path(__file__).resolve().parents[2]
_MB = 1 << 20
_CLAIM = 2**40  # the header's record length: 1 TiB

_PROBE = """
import json, resource, sys
from pipeline.errors import DataLossError
from pipeline.io import tfrecord
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    n = sum(len(b) for b in tfrecord.iter_blocks(sys.argv[1], sys.argv[2] or None))
    out = {"records": n}
except DataLossError as e:
    out = {"error": str(e), "offset": e.offset, "path": e.path}
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
out["grown_mb"] = grown / 1024
print(json.dumps(out))
"""


def _probe(path, compression: str = "") -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path), compression],
        capture_output=True,
        text=True,
        cwd=str(_ROOT),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _header(length: int) -> bytes:
    return _kernels.reference("tfrecord").header(length)


def _assert_truncated_at_0(got: dict, path) -> None:
    assert "error" in got, got
    assert got["error"].startswith(f"truncated record at 0: expected {_CLAIM + 16}")
    assert got["offset"] == 0 and got["path"] == str(path)


def test_plain_file_claiming_a_huge_record(tmp_path):
    path = tmp_path / "plain.tfrecord"
    path.write_bytes(_header(_CLAIM) + b"\0" * _MB)
    got = _probe(path)
    _assert_truncated_at_0(got, path)
    assert f"the file ends after {_MB + 12}" in got["error"]
    assert got["grown_mb"] < 16, got


@pytest.mark.slow
def test_sparse_file_claiming_a_huge_record_is_not_read(tmp_path):
    path = tmp_path / "sparse.tfrecord"
    with open(path, "wb") as f:
        f.write(_header(_CLAIM))
        f.truncate(768 * _MB)  # a hole: no disk used, zeros when read
    got = _probe(path)
    _assert_truncated_at_0(got, path)
    assert got["grown_mb"] < 16, got


@pytest.mark.slow
def test_gzip_claiming_a_huge_record_grows_only_with_real_data(tmp_path):
    path = tmp_path / "bomb.tfrecord.gz"
    real_mb = 100
    deflate = zlib.compressobj(6, zlib.DEFLATED, 31)
    with open(path, "wb") as f:
        f.write(deflate.compress(_header(_CLAIM)))
        for _ in range(real_mb):
            f.write(deflate.compress(b"\0" * _MB))
        f.write(deflate.flush())
    assert os.path.getsize(path) < _MB  # a small file that inflates to 100 MB
    got = _probe(path, "GZIP")
    _assert_truncated_at_0(got, path)
    # the bytes that are really there, plus one read step: not 2x, not 1 TiB
    assert got["grown_mb"] < real_mb + 40, got


@pytest.mark.parametrize("compression", [None, "GZIP"])
def test_long_records_still_read_whole(tmp_path, compression):
    path = str(tmp_path / "long.tfrecord")
    records = [b"a" * (40 * _MB + 3), b"", b"b" * 5, bytes(range(256)) * 70_000]
    with TFRecordWriter(path, compression) as w:
        for r in records:
            w.write(r)
    got = []
    for block in tfrecord.iter_blocks(path, compression, buffer_size=4096):
        got.extend(block.records)
    assert [len(r) for r in got] == [len(r) for r in records]
    assert got == records


def test_truncated_long_record_names_file_and_offset(tmp_path):
    path = tmp_path / "cut.tfrecord"
    with TFRecordWriter(str(path)) as w:
        w.write(b"small")
        w.write(b"x" * (3 * _MB))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 100])
    with pytest.raises(DataLossError, match=r"truncated record at 21: .*cut\.tfrecord"):
        list(tfrecord.iter_records(str(path), buffer_size=4096))
