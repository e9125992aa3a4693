"""``verify`` and ``stats`` say what they could not read, per file."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pipeline.cli import main
from pipeline.io.tfrecord_writer import TFRecordWriter

_RECORD_BYTES = 16 + 40  # header, 40 data bytes, footer


@pytest.fixture
def damaged(tmp_path):
    """Ten raw records of 40 bytes; in one file record 3's length CRC is bad."""
    with TFRecordWriter(str(tmp_path / "ok.tfrecord")) as w:
        for i in range(10):
            w.write(bytes([65 + i]) * 40)
    blob = bytearray((tmp_path / "ok.tfrecord").read_bytes())
    blob[3 * _RECORD_BYTES + 9] ^= 0xFF  # a byte of record 3's length CRC
    (tmp_path / "stop.tfrecord").write_bytes(bytes(blob))
    blob = bytearray((tmp_path / "ok.tfrecord").read_bytes())
    blob[5 * _RECORD_BYTES + 20] ^= 0xFF  # a data byte of record 5
    (tmp_path / "crc.tfrecord").write_bytes(bytes(blob))
    (tmp_path / "rows.csv").write_bytes(b"a,b\n1,2\n3\n4,5\n6,7,8\n9,10\n")
    return tmp_path


def test_verify_names_the_unread_rest_of_a_file(damaged, capsys):
    path = damaged / "stop.tfrecord"
    assert main(["verify", str(path), "--format", "tfrecord-raw"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == [
        f"{path}: 3 records read, reading stopped at byte {3 * _RECORD_BYTES}: "
        "the rest of the file was not read",
        "1 file, 3 records, 1 problem, 1 file not read to the end",
    ]


def test_verify_counts_skipped_records_per_file(damaged, capsys):
    paths = [damaged / "crc.tfrecord", damaged / "ok.tfrecord"]
    assert main(["verify", *map(str, paths), "--format", "tfrecord-raw"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == [
        f"{paths[0]}: 9 records read, 1 unreadable record",
        "2 files, 19 records, 1 problem, 1 unreadable record",
    ]


def test_verify_json_says_which_problems_lose_what(damaged, capsys):
    argv = ["verify", str(damaged / "crc.tfrecord"), str(damaged / "stop.tfrecord")]
    assert main([*argv, "--format", "tfrecord-raw", "--json"]) == 1
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(x["record"], x["unreadable"]) for x in lines] == [
        (5, "record"),
        (3, "rest"),
    ]


def test_stats_leaves_out_and_reports_unreadable_records(damaged, capsys):
    paths = [str(damaged / n) for n in ("crc.tfrecord", "stop.tfrecord")]
    assert main(["stats", *paths, "--format", "tfrecord-raw", "--json"]) == 1
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert doc["records"] == 9 + 3
    assert doc["unreadable"] == {
        paths[0]: {"unreadable_records": 1, "stopped": None},
        paths[1]: {
            "unreadable_records": 0,
            "stopped": f"corrupted record at {3 * _RECORD_BYTES}: length CRC "
            f"mismatch (file {paths[1]!r}, record 3, header at byte "
            f"{3 * _RECORD_BYTES}); the rest of the file is not read: 7 records, "
            f"{7 * _RECORD_BYTES} bytes from byte {3 * _RECORD_BYTES}",
        },
    }
    err = captured.err.splitlines()
    assert err[0] == f"pipeline stats: warning: {paths[0]}: 1 unreadable record skipped"
    assert err[1].startswith(f"pipeline stats: warning: {paths[1]}: reading stopped")


def test_stats_csv_rows_left_out_are_counted(damaged, capsys):
    assert main(["stats", str(damaged / "rows.csv")]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("3 records, 2 features")
    assert captured.out.splitlines()[-1] == (
        "not in these figures: 2 unreadable records left out (see stderr)"
    )
    assert captured.err == (
        f"pipeline stats: warning: {damaged / 'rows.csv'}: "
        "2 unreadable records skipped\n"
    )


def test_stats_of_sound_files_reports_nothing_unreadable(damaged, capsys):
    assert main(["stats", str(damaged / "ok.tfrecord"), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["unreadable"] == {} and captured.err == ""


def test_stats_examples_that_do_not_decode_are_skipped(tmp_path, capsys):
    from pipeline.io.example_message import serialize_example

    path = tmp_path / "x.tfrecord"
    with TFRecordWriter(str(path)) as w:
        w.write(serialize_example({"v": np.array([1])}))
        w.write(b"\x0a\x05\x0a")  # truncated: not an Example
        w.write(serialize_example({"v": np.array([2])}))
    assert main(["stats", str(path), "--format", "tfrecord", "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["records"] == 2 and doc["features"]["v"]["numbers"]["max"] == 2
    assert doc["unreadable"][str(path)]["unreadable_records"] == 1
