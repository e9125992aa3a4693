"""The command structure: help, usage errors, error lines, exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.cli import main

COMMANDS = ["head", "schema", "stats", "count", "verify", "convert", "index", "bench"]


def test_help_lists_commands_and_examples(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert name in out
    assert "examples:" in out


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_help_has_examples(capsys, name):
    assert main([name, "--help"]) == 0
    out = capsys.readouterr().out
    assert "examples:" in out and f"pipeline {name}" in out


def test_no_command_is_a_usage_error(capsys):
    assert main([]) == 2


def test_unknown_option_is_a_usage_error(capsys):
    assert main(["count", "--bogus", "x"]) == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def test_python_dash_m_pipeline_works():
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.strip() == "pipeline 0.1.0"


@pytest.mark.parametrize("name", ["head", "schema", "stats", "count", "verify"])
def test_missing_path_is_one_line_on_stderr(capsys, tmp_path, name):
    missing = str(tmp_path / "nope.tfrecord")
    assert main([name, missing]) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "nope.tfrecord" in lines[0]
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("name", ["head", "schema", "stats", "count", "verify"])
def test_glob_matching_nothing(capsys, tmp_path, name):
    assert main([name, str(tmp_path / "*.parquet")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no files match" in err


@pytest.mark.parametrize("name", ["schema", "stats", "count", "index"])
def test_corrupt_tfrecord_is_one_line_with_the_offset(data, capsys, name):
    assert main([name, str(data / "corrupt.tfrecord")]) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "corrupt.tfrecord" in lines[0] and "corrupted record at" in lines[0]
    assert "Traceback" not in captured.err


def test_empty_files(data, tmp_path, capsys):
    (tmp_path / "e.tfrecord").write_bytes(b"")
    empty_tf, empty_csv = str(tmp_path / "e.tfrecord"), str(data / "empty.csv")
    assert main(["count", empty_tf, empty_csv, "--json"]) == 0
    assert '"total": 0' in capsys.readouterr().out
    assert main(["head", empty_tf]) == 0
    assert main(["verify", empty_tf]) == 0
    assert main(["verify", empty_csv]) == 1
    for name in ("schema", "stats"):
        capsys.readouterr()
        assert main([name, empty_csv]) == 1
        assert capsys.readouterr().err.count("\n") == 1


def test_undetectable_binary_is_one_line(tmp_path, capsys):
    (tmp_path / "blob").write_bytes(bytes(range(256)) * 8)
    assert main(["head", str(tmp_path / "blob")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--format" in err


def test_progress_bar_shows_records_per_second(data, capsys, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    from pipeline.cli import _common

    with _common.progress("testing", quiet=False) as bar:
        assert bar._bar is not None
        bar.advance(10)
        bar.describe("file")
        assert bar.records == 10
        task = bar._bar.tasks[0]
        assert task.completed == 10 and "records/s" in task.fields["rate"]
    with _common.progress("testing", quiet=True) as bar:
        assert bar._bar is None
