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
