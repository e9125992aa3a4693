"""Line splitting and fixed-length records: TF's rules, block boundaries, resume."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import errors
from pipeline.io import text


def _tf_lines(data: bytes) -> list[bytes]:
    """TF's ReadLine rule, written independently: split at \\n, drop every \\r.

    Checked against TF 2.21: b"a\\rb\\nc\\r\\r\\n" gives [b"ab", b"c"], and a last
    line b"x\\r" without newline gives b"x".
    """
    out, line = [], bytearray()
    for c in data:
        if c == 10:
            out.append(bytes(line))
            line = bytearray()
        elif c != 13:
            line.append(c)
    if line:  # a last line of only CRs is no line (TF 2.21: b"a\\n\\r" -> [b"a"])
        out.append(bytes(line))
    return out


def _all_lines(path, **kw):
    return [line for block, _ in text.read_lines(path, **kw) for line in block]


@given(st.binary(max_size=300).map(lambda b: b.replace(b"x", b"\n")))
def test_lines_match_tf_rule(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("t") / "f.txt"
    path.write_bytes(data)
    assert _all_lines(str(path)) == _tf_lines(data)


def test_lines_across_chunk_boundaries(tmp_path, monkeypatch):
    monkeypatch.setattr(text, "_DEFAULT_BUFFER_BYTES", 7)
    monkeypatch.setattr(text, "_BLOCK_LINES", 3)
    data = b"abc\r\ndefgh\r\n\r\nij\nklmnopqrstu\r\nv\r"
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    assert _all_lines(str(path)) == _tf_lines(data)
    assert _tf_lines(data)[-1] == b"v"  # TF drops \r even without a newline


def test_resume_from_every_position(tmp_path, monkeypatch):
    monkeypatch.setattr(text, "_DEFAULT_BUFFER_BYTES", 8)
    monkeypatch.setattr(text, "_BLOCK_LINES", 2)
    data = b"".join(b"line%d\r\n" % i for i in range(20)) + b"tail"
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    want = _tf_lines(data)
    blocks = list(text.read_lines(str(path)))
    done = 0
    for lines, pos in blocks:
        done += len(lines)
        assert _all_lines(str(path), position=pos) == want[done:]


def test_gzip_lines(tmp_path):
    path = tmp_path / "f.txt.gz"
    path.write_bytes(gzip.compress(b"a\nb\n"))
    assert _all_lines(str(path), compression_type="GZIP") == [b"a", b"b"]
    assert _all_lines(str(path), compression_type="AUTO") == [b"a", b"b"]


def test_missing_file():
    with pytest.raises(errors.NotFoundError):
        _all_lines("/no/such/file.txt")


def _fixed(path, *args, **kw):
    return [r for block, _ in text.read_fixed_length(path, *args, **kw) for r in block]


def test_fixed_length_header_footer(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"HDR" + bytes(range(12)) + b"FT")
    got = _fixed(str(path), 4, header_bytes=3, footer_bytes=2)
    assert got == [bytes(range(0, 4)), bytes(range(4, 8)), bytes(range(8, 12))]


def test_fixed_length_partial_record_fails_like_tf(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"HHabcdefgFF")
    blocks = text.read_fixed_length(str(path), 3, 2, 2)
    with pytest.raises(errors.InvalidArgumentError, match="body length 7 bytes"):
        next(blocks)  # before any record, as TF checks the file size first
    gz = tmp_path / "f.bin.gz"
    gz.write_bytes(gzip.compress(b"abcdefg"))
    got = []
    with pytest.raises(errors.DataLossError, match="not an exact multiple"):
        for block, _ in text.read_fixed_length(str(gz), 3, compression_type="GZIP"):
            got.extend(block)
    assert got == [b"abc", b"def"]


def test_fixed_length_chunks_and_resume(tmp_path, monkeypatch):
    monkeypatch.setattr(text, "_DEFAULT_BUFFER_BYTES", 5)
    data = b"HH" + b"".join(bytes([i]) * 3 for i in range(10)) + b"FFFF"
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    want = [bytes([i]) * 3 for i in range(10)]
    blocks = list(text.read_fixed_length(str(path), 3, 2, 4))
    assert [r for b, _ in blocks for r in b] == want
    done = 0
    for records, offset in blocks:
        done += len(records)
        assert _fixed(str(path), 3, 2, 4, offset=offset) == want[done:]


def test_fixed_length_rejects_bad_size(tmp_path):
    with pytest.raises(errors.InvalidArgumentError, match="record_bytes"):
        _fixed(str(tmp_path / "x"), 0)


def test_small_files_follow_tf_uint64_rule(tmp_path):
    # TF 2.21: body size is computed in uint64, so a file smaller than
    # header + footer passes when the wrapped size is a multiple of the record
    # size (and then has no record); one that ends inside the header fails.
    path = tmp_path / "s.bin"
    path.write_bytes(b"\nb")
    assert _fixed(str(path), 2, 2, 2) == []
    path.write_bytes(b"")
    assert _fixed(str(path), 3, 0, 1) == []
    path.write_bytes(b"a")
    with pytest.raises(errors.DataLossError):
        _fixed(str(path), 1, 2, 0)


def test_last_line_of_only_carriage_returns_is_no_line(tmp_path):
    path = tmp_path / "cr.txt"
    path.write_bytes(b"a\n\r\r")
    assert _all_lines(str(path)) == [b"a"]
