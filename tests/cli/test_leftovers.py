"""Temporary files of interrupted writes: named, never data, removable."""

from __future__ import annotations

import json
import subprocess
import sys

from pipeline.cli import main
from pipeline.cli._leftovers import final_name
from pipeline.io import fs
from pipeline.io.tfrecord_writer import TFRecordWriter


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


_DEAD = _dead_pid()  # a writer that is gone (a process that has ended)
_HIDDEN = f".a.tfrecord.pipeline-tmp-{_DEAD}-0123456789ab"  # fs_temp's form
_OLD = "b.tfrecord.tmp-0123456789ab"  # the name older versions used


def _folder(root, records=3):
    out = root / "out"
    out.mkdir()
    with TFRecordWriter(str(out / "a.tfrecord")) as w:
        for _ in range(records):
            w.write(b"data")
    for name in (_HIDDEN, _OLD):  # what a crash mid-write leaves: half a file
        (out / name).write_bytes((out / "a.tfrecord").read_bytes()[:20])
    return out


def test_final_names():
    assert final_name(f"x/{_HIDDEN}") == "a.tfrecord"
    assert final_name(_OLD) == "b.tfrecord"
    assert final_name("x/a.tfrecord") is None
    assert final_name(".hidden.csv") is None
    assert final_name("a.tmp-12") is None  # not twelve hex digits
    assert final_name(".a.csv.pipeline-tmp-x1") is None  # not fs_temp's form


def test_verify_names_leftovers_and_never_reads_them(tmp_path, capsys):
    out = _folder(tmp_path)
    assert main(["verify", str(out / "*")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"warning: {out}/{_HIDDEN}: temporary file of an interrupted write of "
        "'a.tfrecord', not data (--clean-temp removes it)",
        f"warning: {out}/{_OLD}: temporary file of an interrupted write of "
        "'b.tfrecord', not data (--clean-temp removes it)",
        "1 file, 3 records, 0 problems",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [_HIDDEN, _OLD, "a.tfrecord"]
    )


def test_verify_json_puts_warnings_on_stderr(tmp_path, capsys):
    out = _folder(tmp_path)
    assert main(["verify", str(out / "a.tfrecord"), "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("warning:") == 2


def test_verify_clean_temp_removes_them(tmp_path, capsys):
    out = _folder(tmp_path)
    assert main(["verify", str(out / "*"), "--clean-temp"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"removed {out}/{_HIDDEN} (temporary file of an interrupted write)",
        f"removed {out}/{_OLD} (temporary file of an interrupted write)",
        "1 file, 3 records, 0 problems",
    ]
    assert [p.name for p in out.iterdir()] == ["a.tfrecord"]
    assert main(["verify", str(out / "*")]) == 0
    assert "warning" not in capsys.readouterr().out


def test_other_commands_skip_leftovers(tmp_path, capsys):
    out = _folder(tmp_path)
    assert main(["count", str(out / "*"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [f["path"] for f in doc["files"]] == [f"{out}/a.tfrecord"]


def test_only_leftovers_is_a_clear_error(tmp_path, capsys):
    out = _folder(tmp_path)
    assert main(["count", str(out / "b*")]) == 1
    err = capsys.readouterr().err
    assert "only temporary files left by interrupted writes" in err and _OLD in err


def test_leftovers_in_an_fsspec_folder(capsys):
    base = "memory://leftovers-cli/out"
    with fs.open_output(f"{base}/a.txt") as f:
        f.write(b"x\n")
    with fs.open_output(f"{base}/{_HIDDEN}") as f:
        f.write(b"half")
    assert main(["verify", f"{base}/*"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"warning: {base}/{_HIDDEN}: temporary file")
    assert out[-1] == "1 file, 1 record, 0 problems"


def test_convert_removes_stale_leftovers_of_its_outputs(data, tmp_path, capsys):
    out = tmp_path / "o"
    out.mkdir()
    mine = f".in-00000-of-00001.tfrecord.pipeline-tmp-{_DEAD}-0a1b2c3d4e5f"
    other = f".other.tfrecord.pipeline-tmp-{_DEAD}-0a1b2c3d4e5f"
    for name in (mine, other):
        (out / name).write_bytes(b"half")
    (data / "in.csv").write_bytes((data / "a.csv").read_bytes())
    argv = ["convert", str(data / "in.csv"), "--to", "tfrecord", "--out", str(out)]
    assert main(argv) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"removed {out}/{mine} (left by an interrupted write of this output)",
        f"{out}/in-00000-of-00001.tfrecord: 12 records",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [other, "in-00000-of-00001.tfrecord"]
    )


def test_the_writers_own_temporary_file_is_recognised(tmp_path, capsys):
    # whatever name the library's atomic writer gives its temporary file,
    # verify must name it and not read it (an interrupted write, caught live)
    out = tmp_path / "out"
    out.mkdir()
    (out / "done.txt").write_bytes(b"x\n")
    writer = fs.open_output(str(out / "c.txt"))
    try:
        writer.write(b"half a line")
        writer.flush()
        (temp,) = [p for p in out.iterdir() if p.name != "done.txt"]
        assert main(["verify", str(out / "*")]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines == [
            f"warning: {temp}: temporary file of an interrupted write of 'c.txt', "
            "not data (--clean-temp removes it)",
            "1 file, 1 record, 0 problems",
        ]
    finally:
        writer.abort()


def test_clean_temp_keeps_the_file_of_a_writer_still_running(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    writer = fs.open_output(str(out / "c.txt"))
    try:
        writer.write(b"half a line")
        writer.flush()
        (temp,) = list(out.iterdir())
        assert main(["verify", str(out / "*"), "--clean-temp"]) != 0
        assert temp.exists()  # this process is still writing it
    finally:
        writer.abort()
