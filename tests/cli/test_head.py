"""``pipeline head``."""

from __future__ import annotations

import json

from pipeline.cli import main


def test_csv_table(data, capsys):
    assert main(["head", str(data / "a.csv"), "-n", "2"]) == 0
    out = capsys.readouterr().out
    assert "city" in out and "paris" in out and "rome" in out
    assert "0.5" in out


def test_gzip_csv_json_lines(data, capsys):
    assert main(["head", str(data / "b.csv.gz"), "-n", "3", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows == [
        {"id": 0, "score": 0.0, "city": "paris"},
        {"id": 1, "score": 0.5, "city": "rome"},
        {"id": 2, "score": 1.0},  # empty field: missing
    ]


def test_head_spans_files_in_order(data, capsys):
    assert (
        main(["head", str(data / "a.csv"), str(data / "c.tsv"), "-n", "14", "--json"])
        == 0
    )
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == 14
    assert json.loads(rows[12])["id"] == 0  # first row of the second file


def test_text_lines(data, capsys):
    assert main(["head", str(data / "lines.txt"), "-n", "2", "--json"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        '{"line": "hello world"}',
        '{"line": "second line"}',
    ]


def test_parquet_lists_and_nulls(data, capsys):
    assert main(["head", str(data / "t.parquet"), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0] == {"x": 1, "y": 0.5, "s": "u", "v": [1, 2]}
    assert rows[2] == {"y": 2.5, "s": "u", "v": []}
    assert rows[3]["x"] == 4 and "v" not in rows[3] and "s" not in rows[3]


def test_raw_tfrecord(data, capsys):
    assert main(["head", str(data / "raw.tfrecord"), "-n", "2"]) == 0
    out = capsys.readouterr().out
    assert "record" in out


def test_negative_n_is_an_error(data, capsys):
    assert main(["head", str(data / "a.csv"), "-n", "-1"]) == 1
    assert "`-n` must be >= 0" in capsys.readouterr().err


def test_header_override(data, capsys):
    argv = ["head", str(data / "a.csv"), "-n", "1", "--json", "--no-header"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out) == {
        "col0": "id",
        "col1": "score",
        "col2": "city",
    }


def test_examples_show_kinds_and_values(data, capsys):
    assert main(["head", str(data / "ex.tfrecord"), "-n", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "record 1:" in out
    assert "  id: int64 [1]" in out and "  score: float [0.25]" in out
    assert "  tags: string [a]" in out and "  name: string [n1]" in out


def test_format_override_reads_csv_as_text(data, capsys):
    assert (
        main(["head", str(data / "a.csv"), "-n", "1", "--format", "text", "--json"])
        == 0
    )
    assert json.loads(capsys.readouterr().out) == {"line": "id,score,city"}
