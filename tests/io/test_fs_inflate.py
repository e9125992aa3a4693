"""pipeline.io.fs_inflate: buffered lines and reads from GZIP/ZLIB streams."""

from __future__ import annotations

import gzip
import io
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import DataLossError
from pipeline.io.fs_inflate import InflateStream

COMPRESS = {"GZIP": gzip.compress, "ZLIB": zlib.compress}


def _lines(stream) -> list[bytes]:
    out = []
    while line := stream.readline():
        out.append(line)
    return out


@pytest.mark.parametrize("kind", ["GZIP", "ZLIB"])
@pytest.mark.parametrize("line_bytes", [100_000, 80])
def test_readline_of_4_mb_takes_whole_chunks(kind, line_bytes, monkeypatch):
    # counted, not timed: IOBase.readline's byte-per-call reading would check
    # the buffer once per byte (millions of times); ours once or twice a line
    row = bytes(range(32, 127)) * (line_bytes // 95 + 1)
    lines = [
        row[: line_bytes - 1 - i % 7] + b"\n" for i in range(4_000_000 // line_bytes)
    ]
    data = b"".join(lines)
    assert len(data) > 3_800_000
    stream = InflateStream(io.BytesIO(COMPRESS[kind](data)), kind, "big.txt.gz")
    calls = []
    available = stream._available
    monkeypatch.setattr(stream, "_available", lambda: calls.append(1) or available())
    got = _lines(stream)
    assert got == lines
    assert len(calls) <= 2 * len(lines) + 64, len(calls)


@given(
    st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")), max_size=30),
    st.booleans(),
    st.lists(st.one_of(st.none(), st.integers(-1, 50)), min_size=1, max_size=60),
)
def test_readline_matches_bytesio(parts, trailing_newline, sizes):
    data = b"\n".join(parts) + (b"\n" if trailing_newline else b"")
    ours = InflateStream(io.BytesIO(gzip.compress(data)), "GZIP", "a.gz")
    oracle = io.BytesIO(data)
    for size in sizes:
        assert ours.readline(size) == oracle.readline(size)
    assert ours.read() == oracle.read()


def test_readline_interleaves_with_read():
    data = b"ab\ncd\nef"
    s = InflateStream(io.BytesIO(zlib.compress(data)), "ZLIB", "a.zz")
    assert s.read(1) == b"a"
    assert s.readline() == b"b\n"
    assert s.peek()[:2] == b"cd"
    assert s.readline(1) == b"c"
    assert list(s) == [b"d\n", b"ef"]


def test_readline_gives_good_lines_then_raises():
    data = b"".join(b"line %d\n" % i for i in range(5000))
    cut = gzip.compress(data)[:-100]
    s = InflateStream(io.BytesIO(cut), "GZIP", "cut.gz")
    got = []
    with pytest.raises(DataLossError, match="cut.gz"):
        while line := s.readline():
            got.append(line)
    assert got and b"".join(got) == data[: len(b"".join(got))]
