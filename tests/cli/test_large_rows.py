"""Rows over pyarrow's 1 MiB block, and a clean, prompt exit of the process.

The CLI runs in a subprocess (``python -m pipeline``): before the fix it
could not read such rows, and died at exit (134, ``PyGILState_Release``) or
never exited, pyarrow's reader threads still reading a Python file object.
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.cli._csv_chunks import row_chunks
from pipeline.errors import InvalidArgumentError

_EXIT_TIMEOUT_S = 60
_MiB = 1 << 20


@pytest.fixture(scope="module")
def big_rows(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big")
    two = b"x" * (2 * _MiB)
    three = b'"' + b"y\n" * (3 * _MiB // 2) + b'"'  # a quoted field, with newlines
    (folder / "two.csv.gz").write_bytes(
        gzip.compress(b"id,text\n1,short\n2," + two + b"\n3,end\n")
    )
    (folder / "three.csv").write_bytes(b"id,text\n1," + three + b"\n2,z\n")
    return folder, {"two.csv.gz": len(two), "three.csv": 3 * _MiB}


def _cli(*argv: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", *argv],
        capture_output=True,
        timeout=_EXIT_TIMEOUT_S,
    )
    assert done.returncode == 0, (done.returncode, done.stderr.decode()[-2000:])
    return done


@pytest.mark.slow
@pytest.mark.parametrize("name", ["two.csv.gz", "three.csv"])
def test_every_reading_command_exits_cleanly(big_rows, tmp_path, name):
    folder, longest = big_rows
    path = str(folder / name)
    rows = [json.loads(x) for x in _cli("head", path, "--json").stdout.splitlines()]
    assert [r["id"] for r in rows] == [1, 2, 3] if name == "two.csv.gz" else [1, 2]
    assert len(rows[1 if name == "two.csv.gz" else 0]["text"]) == longest[name]
    schema = json.loads(_cli("schema", path, "--json").stdout)
    assert schema["features"]["text"]["kind"] == "string"
    stats = json.loads(_cli("stats", path, "--json").stdout)
    assert stats["records"] == len(rows)
    assert stats["features"]["text"]["strings"]["max_bytes"] == longest[name]
    count = json.loads(_cli("count", path, "--json").stdout)
    assert count["total"] == len(rows)
    summary = _cli("verify", path).stdout.decode().splitlines()[-1]
    assert summary == f"1 file, {len(rows)} records, 0 problems"
    out = tmp_path / "out"
    _cli("convert", path, "--to", "parquet", "--out", str(out), "--name", "c")
    again = _cli("head", str(out / "c-00000-of-00001.parquet"), "--json")
    assert [json.loads(x) for x in again.stdout.splitlines()] == rows


@pytest.mark.slow
def test_head_stops_early_and_exits(tmp_path):
    # many blocks after the few rows shown: nothing is left reading at exit
    body = b"".join(b"%d,%s\n" % (i, b"v" * (i % 90)) for i in range(300_000))
    (tmp_path / "many.csv.gz").write_bytes(gzip.compress(b"a,b\n" + body))
    for _ in range(3):
        done = _cli("head", str(tmp_path / "many.csv.gz"), "-n", "2", "--json")
        assert done.stdout.splitlines() == [b'{"a": 0}', b'{"a": 1, "b": "v"}']


def test_bad_row_error_in_a_subprocess_exits_with_1(tmp_path):
    # head raises at the first bad row (stats would skip and count it)
    (tmp_path / "bad.csv.gz").write_bytes(
        gzip.compress(b"a,b\n" + b"1,2\n" * 100_000 + b"3\n" + b"4,5\n" * 100_000)
    )
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "head", str(tmp_path / "bad.csv.gz")],
        capture_output=True,
        timeout=_EXIT_TIMEOUT_S,
    )
    assert done.returncode == 1, done.stderr.decode()[-2000:]
    assert b"Expected 2 columns, got 1" in done.stderr


@given(
    st.lists(st.sampled_from([b"a", b",", b'"', b"\n", b"xy", b"\r"]), max_size=60),
    st.integers(1, 9),
)
def test_row_chunks_cut_only_between_rows(parts, size):
    data = b"".join(parts)
    chunks = list(row_chunks(io.BytesIO(data), "f.csv", size))
    assert b"".join(chunks) == data
    assert all(chunks)
    for chunk in chunks[:-1]:
        assert chunk.endswith(b"\n") and chunk.count(b'"') % 2 == 0


def test_row_chunks_grow_for_a_long_row():
    data = b"a,b\n1," + b"z" * 5000 + b"\n2,3"
    chunks = list(row_chunks(io.BytesIO(data), "f.csv", 64))
    assert [len(c) for c in chunks] == [4, 5003, 3]


def test_row_chunks_bounded(monkeypatch):
    from pipeline.cli import _csv_chunks

    monkeypatch.setattr(_csv_chunks, "_MAX_ROW_BYTES", 100)
    data = b"a\n" + b'"' + b"q\n" * 200
    with pytest.raises(InvalidArgumentError, match=r"row at byte 2 of 'f.csv'"):
        list(row_chunks(io.BytesIO(data), "f.csv", 16))
