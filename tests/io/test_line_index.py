"""pipeline.io.line_index: where each line of a text file / row of a CSV starts."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pipeline as pl
from pipeline.errors import InvalidArgumentError
from pipeline.io import fs
from pipeline.io.line_index import build_line_index, write_line_index


def _write(path, data):
    with fs.open_output(path) as f:
        f.write(data)
    return path


@pytest.mark.parametrize(
    "data, starts",
    [
        (b"", []),
        (b"a", [0]),
        (b"a\n", [0]),
        (b"a\nbc", [0, 2]),
        (b"\n\n", [0, 1]),  # two empty lines
        (b"a\n\r", [0]),  # a last line of carriage returns only is no line
        (b"a\r\n\r\nb", [0, 3, 5]),
    ],
)
def test_text_line_starts(data, starts):
    path = _write("memory://lineidx-test/t.txt", data)
    assert build_line_index(path).tolist() == starts


@given(st.lists(st.sampled_from([b"a", b"b", b"\r", b"\n", b"xy"]), max_size=30))
def test_text_index_agrees_with_text_line_dataset(pieces):
    data = b"".join(pieces)
    path = _write("memory://lineidx-test/h.txt", data)
    starts = build_line_index(path).tolist()
    lines = list(pl.data.TextLineDataset(path))
    assert len(starts) == len(lines)
    ends = starts[1:] + [len(data)]
    cut = [data[a:b].rstrip(b"\n").replace(b"\r", b"") for a, b in zip(starts, ends)]
    if cut and not data.endswith(b"\n"):
        cut[-1] = data[starts[-1] :].split(b"\n")[0].replace(b"\r", b"")
    assert cut == lines


def test_csv_rows_are_quote_aware_and_skip_the_header():
    data = b'h1,h2\n1,"a\nb"\n2,"say ""hi""\n"\n3,c'
    path = _write("memory://lineidx-test/a.csv", data)
    assert build_line_index(path, "csv", header=True).tolist() == [6, 14, 30]
    assert build_line_index(path, "csv").tolist() == [0, 6, 14, 30]
    assert build_line_index(path, "text").tolist() == [0, 6, 11, 14, 28, 30]


def test_csv_quotes_carry_across_read_chunks(monkeypatch):
    monkeypatch.setattr("pipeline.io.line_index._CHUNK", 4)
    path = _write("memory://lineidx-test/b.csv", b'x,"1\n2\n3"\ny\n')
    assert build_line_index(path, "csv").tolist() == [0, 10]


def test_sidecar_layout(tmp_path):
    path = _write(str(tmp_path / "a.txt"), b"ab\ncd\n")
    target = write_line_index(path)
    raw = Path(target).read_bytes()
    assert raw[:8] == b"PLTXIDX1"
    assert struct.unpack_from("<QQ", raw, 8) == (2, 6)
    assert struct.unpack_from("<2Q", raw, 24) == (0, 3)
    write_line_index(path, "csv", header=True)
    raw = Path(target).read_bytes()
    assert raw[:8] == b"PLCVIDX1" and struct.unpack_from("<QQQ", raw, 8) == (1, 6, 3)


def test_bad_format_and_compressed_files_are_refused(tmp_path):
    path = _write(str(tmp_path / "a.txt"), b"x\n")
    with pytest.raises(InvalidArgumentError, match="'text' or 'csv'.*'json'"):
        build_line_index(path, "json")
    gz = str(tmp_path / "a.txt.gz")
    with fs.open_output(gz, "GZIP") as f:
        f.write(b"x\n")
    with pytest.raises(InvalidArgumentError, match=r"a\.txt\.gz.*compressed"):
        write_line_index(gz)
