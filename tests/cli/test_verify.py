"""``pipeline verify``."""

from __future__ import annotations

import gzip
import json

from pipeline.cli import main
from pipeline.io.tfrecord_writer import TFRecordWriter


def test_sound_files_pass(data, capsys):
    names = ["a.csv", "b.csv.gz", "c.tsv", "ex.tfrecord", "ex.tfrecord.gz",
             "raw.tfrecord", "t.parquet", "lines.txt"]  # fmt: skip
    assert main(["verify", *(str(data / n) for n in names)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "8 files, 70 records, 0 problems"


def test_corrupt_tfrecord_names_record_and_offset(data, capsys):
    path = data / "corrupt.tfrecord"
    blob = path.read_bytes()
    assert main(["verify", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3
    assert out[-1] == "1 file, 5 records, 1 problem, 1 file not read to the end"
    # the flipped byte is in the middle: find which record it falls in
    offset, index = 0, 0
    while True:
        length = int.from_bytes(blob[offset : offset + 8], "little")
        if offset + 12 + length + 4 > len(blob) // 2:
            break
        offset, index = offset + 16 + length, index + 1
    assert out[0].startswith(f"{path}: record {index} ")
    assert "corrupted record at" in out[0] and "byte" in out[0]
    assert out[1].startswith(f"{path}: {index} records read, reading stopped at byte")


def test_bad_data_crc_reading_goes_on(tmp_path, capsys):
    path = tmp_path / "r.tfrecord"
    with TFRecordWriter(str(path)) as w:
        for r in (b"aaaa", b"bbbb", b"cccc"):
            w.write(r)
    blob = bytearray(path.read_bytes())
    blob[20 + 12] ^= 1  # a data byte of record 1 (records are 20 bytes)
    path.write_bytes(bytes(blob))
    assert main(["verify", str(path), "--format", "tfrecord-raw", "--json"]) == 1
    problems = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(p["record"], p["offset"]) for p in problems] == [(1, 32)]


def test_record_that_is_not_an_example(tmp_path, capsys):
    path = tmp_path / "x.tfrecord"
    with TFRecordWriter(str(path)) as w:
        w.write(b"\x0a\x00")  # an empty Example
        w.write(b"\x0a\x05\x0a")  # truncated
    assert main(["verify", str(path), "--format", "tfrecord"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{path}: record 1 (byte 18): not an Example")


def test_csv_rows_with_wrong_field_count(tmp_path, capsys):
    text = b'a,b\n1,2\n3\n"x\ny",5\n6,7,8\n'
    (tmp_path / "v.csv.gz").write_bytes(gzip.compress(text))
    assert main(["verify", str(tmp_path / "v.csv.gz")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{tmp_path}/v.csv.gz: record 1 (line 3, byte 8): expected 2 fields, got 1",
        f"{tmp_path}/v.csv.gz: record 3 (line 6, byte 18): expected 2 fields, got 3",
        f"{tmp_path}/v.csv.gz: 2 records read, 2 unreadable records",
        "1 file, 2 records, 2 problems, 2 unreadable records",
    ]


def test_empty_csv_is_a_problem(data, capsys):
    assert main(["verify", str(data / "empty.csv")]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{data}/empty.csv: (byte 0): empty file: expected a header line",
        "1 file, 0 records, 1 problem",  # nothing was there to be left unread
    ]


def test_truncated_gzip_is_a_problem(tmp_path, capsys):
    blob = gzip.compress(b"a,b\n" + b"1,2\n" * 1000)
    (tmp_path / "t.csv.gz").write_bytes(blob[: len(blob) - 6])
    assert main(["verify", str(tmp_path / "t.csv.gz"), "--format", "csv"]) == 1
    assert "problem" in capsys.readouterr().out


def test_line_scanner_is_chunking_independent():
    from hypothesis import given
    from hypothesis import strategies as st

    from pipeline.cli._verify_csv import _LineScanner, line_starts

    @given(
        st.lists(st.sampled_from([b"a", b",", b'"', b"\n", b"xy"]), max_size=40),
        st.integers(1, 7),
    )
    def check(parts, size):
        data = b"".join(parts)
        rows = set(range(1, 12))
        scanner = _LineScanner(rows)
        for i in range(0, len(data), size):
            scanner.feed(data[i : i + size])
        assert scanner.feed(b"", final=True) == line_starts(data, rows)
        for row, (_, offset) in line_starts(data, rows).items():
            assert offset == 0 or data[offset - 1 : offset] == b"\n", row

    check()


def test_truncated_parquet_is_a_problem(data, tmp_path, capsys):
    blob = (data / "t.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(blob[: len(blob) // 2])
    assert main(["verify", str(tmp_path / "cut.parquet")]) == 1
    out = capsys.readouterr().out
    assert "cut.parquet" in out
    assert (
        out.splitlines()[-1]
        == "1 file, 0 records, 1 problem, 1 file not read to the end"
    )
