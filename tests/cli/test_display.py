"""Data printed as data: markup and control characters in values, column and
feature names and file names, through every subcommand."""

from __future__ import annotations

import io
import json
import struct
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.cli._display import cell, console, html, shortest, visible, width
from pipeline.io.example_message import serialize_example
from pipeline.io.tfrecord_writer import TFRecordWriter

# What a hostile file may hold, and how it must show (escapes as plain text).
_MARKUP = ("[/x]", "[bold]x[/bold]")
_SHOWN = ("[/x]", "[bold]x[/bold]", "\\x1b[31m", "\\r")
_CSV = (
    b'id,"n[/x]","b[bold]x[/bold]","e\x1b[31mE","r\rR"\n'
    b'1,"[/x]","[bold]x[/bold]","\x1b[31mred","a\rb"\n'
    b'2,"v[/x]","[bold]y[/bold]","\x1b[31mred2","c\rd"\n'
)
_STEM = "d[bold]\x1b[31m\r"  # a file name holding the same ("/" cannot be)


def _assert_shown(out: str, expected=_SHOWN) -> None:
    assert "\x1b" not in out and "\r" not in out and "\x07" not in out
    for text in expected:
        assert text in out, (text, out)


@pytest.fixture
def hostile(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / f"{_STEM}.csv").write_bytes(_CSV)
    values = np.array([b"[bold]x[/bold]", b"a\rb\x1b[2J"], dtype=object)
    example = {"[/x]\x1b[31m": values, "id": np.array([1])}
    with TFRecordWriter(str(folder / f"{_STEM}.tfrecord")) as w:
        w.write(serialize_example(example))
    return folder


def test_visible_escapes_every_control_character():
    text = "".join(map(chr, range(0x20))) + "\x7f\x85\x9b\u202e\u2066\u2028"
    shown = visible(text)
    assert shown.isprintable()
    assert shown.startswith("\\x00\\x01") and "\\t\\n\\x0b\\x0c\\r" in shown
    assert shown.endswith("\\x1f\\x7f\\x85\\x9b\\u202e\\u2066\\u2028")
    assert visible("plain ü [b]") == "plain ü [b]"
    assert visible(b"\xff\x1b") == "\\xff\\x1b"


def test_cell_is_never_markup():
    assert cell("[/x]").plain == "[/x]" and cell("[bold]x[/bold]").spans == []


def test_html_escapes_markup_and_controls():
    assert html('<script>"\x1b') == "&lt;script&gt;&quot;\\x1b"


@pytest.mark.parametrize("command", ["head", "schema", "stats"])
def test_table_commands_show_csv_data_as_text(hostile, capsys, command):
    assert main([command, str(hostile / "*.csv")]) == 0
    captured = capsys.readouterr()
    _assert_shown(captured.out)
    _assert_shown(captured.out, ["n[/x]", "b[bold]x[/bold]", "e\\x1b[31mE", "r\\rR"])


def test_head_values_exact(hostile, capsys):
    assert main(["head", str(hostile / "*.csv"), "-n", "1"]) == 0
    out = capsys.readouterr().out
    _assert_shown(out, ["\\x1b[31mred", "a\\rb", *_MARKUP])


def test_head_of_examples_shows_names_and_values(hostile, capsys):
    assert main(["head", str(hostile / "*.tfrecord")]) == 0
    out = capsys.readouterr().out
    _assert_shown(out, ["  [/x]\\x1b[31m: string [[bold]x[/bold], a\\rb\\x1b[2J]"])


@pytest.mark.parametrize("command", ["schema", "stats"])
def test_examples_feature_names_and_values(hostile, capsys, command):
    assert main([command, str(hostile / "*.tfrecord")]) == 0
    _assert_shown(capsys.readouterr().out, ["[/x]\\x1b[31m", "[bold]x[/bold]"])


@pytest.mark.parametrize("command", ["count", "index"])
def test_file_names_are_shown_escaped(hostile, capsys, command):
    pattern = "*.tfrecord" if command == "index" else "*"
    assert main([command, str(hostile / pattern)]) == 0
    out = capsys.readouterr().out
    _assert_shown(out, ["d[bold]\\x1b[31m\\r."])


def test_verify_problem_lines_show_names_escaped(hostile, capsys):
    (hostile / f"{_STEM}.csv").write_bytes(_CSV + b"3\n")
    assert main(["verify", str(hostile / "*.csv")]) == 1
    out = capsys.readouterr().out
    _assert_shown(out, ["d[bold]\\x1b[31m\\r.csv: record 2 (line 4"])


def test_convert_messages_and_names(hostile, tmp_path, capsys):
    out_dir = tmp_path / "o"
    argv = ["convert", str(hostile / "*.csv"), "--to", "tfrecord", "--out"]
    assert main([*argv, str(out_dir), "--name", "s\x1b[1m[b]"]) == 0
    _assert_shown(capsys.readouterr().out, ["s\\x1b[1m[b]-00000-of-00001.tfrecord"])
    assert main(["head", str(out_dir / "*"), "-n", "1", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["e\x1b[31mE"] == ["\x1b[31mred"] and row["n[/x]"] == ["[/x]"]


def test_bench_table(hostile, capsys):
    assert main(["bench", str(hostile / "*.csv"), "--batch-size", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 records in") and "\x1b" not in out


def test_error_message_on_stderr_is_escaped(tmp_path, capsys):
    # the message names the file (and may quote the bad row): both hold controls
    path = tmp_path / "x\x1b[31m[b]\x07.csv"
    path.write_bytes(b"a,b\n1,2\n\x1b[31m[/x]\x07\n")
    assert main(["head", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("pipeline head: error:") and err.count("\n") == 1
    assert "\x1b" not in err and "\x07" not in err
    assert "x\\x1b[31m[b]\\x07.csv" in err


def test_stats_html_report_escapes(hostile, tmp_path, capsys):
    page_path = tmp_path / "r.html"
    assert main(["stats", str(hostile / "*.csv"), "--html", str(page_path)]) == 0
    page = page_path.read_text()
    assert "\x1b" not in page and "\r" not in page
    assert 'data-feature="e\\x1b[31mE"' in page and "[bold]x[/bold]" in page
    capsys.readouterr()
    (hostile / "tag.csv").write_bytes(b'"<script>x</script>"\n"<b>"\n')
    assert main(["stats", str(hostile / "tag.csv"), "--html", str(page_path)]) == 0
    page = page_path.read_text()
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page


def test_progress_label_is_not_markup(monkeypatch):
    import sys

    from pipeline.cli import _common

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    with _common.progress("testing", quiet=False) as bar:
        bar.describe("[/x]\x1b[31m")
        task = bar._bar.tasks[0]
        shown = [c.render(task) for c in bar._bar.columns[1:2]]
        assert [t.plain for t in shown] == ["[/x]\\x1b[31m"]


def _raw_example(key: bytes, value: bytes) -> bytes:
    """An Example with one bytes feature, encoded by hand (keys not UTF-8)."""

    def field(number: int, payload: bytes) -> bytes:
        assert len(payload) < 128
        return bytes([number << 3 | 2, len(payload)]) + payload

    feature = field(1, field(1, value))
    return field(1, field(1, field(1, key) + field(2, feature)))


@pytest.mark.parametrize("command", ["head", "schema", "stats"])
def test_feature_name_that_is_not_utf8(tmp_path, capsys, command):
    path = tmp_path / "k.tfrecord"
    with TFRecordWriter(str(path)) as w:
        w.write(_raw_example(b"k\xff\x1b", b"v\x1b"))
    assert main([command, str(path), "--format", "tfrecord"]) == 0
    out = capsys.readouterr().out
    out.encode("utf-8")  # no lone surrogate reaches the terminal
    _assert_shown(out, ["k\\xff\\x1b", "v\\x1b"])


def test_visible_turns_surrogates_into_escapes():
    assert visible("a\udcff\ud800") == "a\\xff\\ud800"


# --- floats as written, and the width a layout may fill ---


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        (6.45, "6.45"),
        (0.1, "0.1"),
        (1e-07, "1e-07"),
        (1e-45, "1e-45"),  # smallest subnormal
        (3.4028234663852886e38, "3.4028235e+38"),  # largest float32
        (123456789.0, "123456790.0"),  # float32 keeps 8 digits
        (-0.0, "-0.0"),
        (float("inf"), "inf"),
        (float("-inf"), "-inf"),
    ],
)
def test_shortest_float32_text(written, shown):
    (value,) = struct.unpack("<f", struct.pack("<f", written))  # a float32's value
    assert repr(shortest(np.array([value], np.float32)).tolist()[0]) == shown


def test_shortest_keeps_float64_and_other_dtypes():
    wide = np.array([6.449999809265137, 0.1])
    assert shortest(wide) is wide
    ints = np.array([1, 2])
    assert shortest(ints) is ints
    assert repr(shortest(np.array([0.1], np.float16)).tolist()[0]) == "0.1"
    assert np.isnan(shortest(np.array([np.nan], np.float32))[0])


@given(st.floats(width=32, allow_nan=False, allow_infinity=False))
def test_shortest_reads_back_as_the_same_float32(value):
    text = repr(shortest(np.array([value], np.float32)).tolist()[0])
    assert struct.pack("<f", float(text)) == struct.pack("<f", value)
    # no shorter: one significant digit fewer reads back as another float32
    digits = text.split("e")[0].replace("-", "").replace(".", "").strip("0")
    if len(digits) > 1 and value != 0:
        shorter = float(f"{value:.{len(digits) - 2}e}")
        assert struct.pack("<f", shorter) != struct.pack("<f", value)


def test_width_of_a_pipe(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    assert width(io.StringIO()) == 80
    monkeypatch.setenv("COLUMNS", "200")
    assert width(io.StringIO()) == 200
    for junk in ("", "0", "-5", "wide"):
        monkeypatch.setenv("COLUMNS", junk)
        assert width(io.StringIO()) == 80


def test_width_of_a_terminal_is_rich_s(monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("COLUMNS", "97")
    assert width() == 97 == console().width


def test_console_width_argument():
    assert console(io.StringIO()).width == 160  # not a terminal: wide
    assert console(io.StringIO(), width=1000).width == 1000
