"""``pipeline head``."""

from __future__ import annotations

import json
import struct

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pipeline as pl
from pipeline.cli import main
from pipeline.io.tfrecord_writer import TFRecordWriter


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


# --- wide rows: the layout follows the width ---

# palmerpenguins-like: 8 columns, "NA" for missing, a quoted field
PENGUINS = (
    b"species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,"
    b"body_mass_g,sex,year\n"
    b"Adelie,Torgersen,39.1,18.7,181,3750,male,2007\n"
    b'Adelie,"Torgersen",NA,NA,NA,NA,NA,2007\n'
    b"Gentoo,Biscoe,46.1,13.2,211,4500,female,2007\n"
)
PENGUIN_NAMES = PENGUINS.split(b"\n")[0].decode().split(",")
PENGUIN_ROWS = [
    ["Adelie", "Torgersen", "39.1", "18.7", "181", "3750", "male", "2007"],
    ["Adelie", "Torgersen", "NA", "NA", "NA", "NA", "NA", "2007"],
]


def _wide_csv(path, header: bool = True) -> tuple[list[str], list[list[str]]]:
    """sklearn digits-like: 64 pixel columns and a target (65 columns), values
    written as numpy.savetxt writes them; returns the names and the values as
    they must show."""
    names = [f"pixel_{i // 8}_{i % 8}" for i in range(64)] + ["target"]
    rows = [[(r * 7 + i) % 17 for i in range(65)] for r in range(3)]
    lines = [",".join(names)] if header else []
    lines += [",".join(f"{v:.18e}" for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return names, [[f"{float(v)!r}" for v in row] for row in rows]


def _blocks(out: str) -> list[list[str]]:
    """The vertical layout's blocks: the lines after each ``record i:``."""
    blocks: list[list[str]] = []
    for i, line in enumerate(out.splitlines()):
        if line == f"record {len(blocks)}:":
            blocks.append([])
        else:
            assert blocks, f"line {i} before any 'record' line: {line!r}"
            blocks[-1].append(line)
    return blocks


def _vertical_lines(names: list[str], values: list[str]) -> list[str]:
    pad = max(map(len, names))
    return [f"  {n.ljust(pad)}  {v}".rstrip() for n, v in zip(names, values)]


def _table_rows(out: str) -> list[list[str]]:
    """The cells of a rich table's header and body rows, stripped."""
    rows = []
    for line in out.splitlines():
        if line[:1] in "┃│":
            rows.append([c.strip() for c in line[1:-1].replace("┃", "│").split("│")])
    return rows


@pytest.mark.parametrize("columns", [80, 200])
def test_65_columns_show_one_block_per_record(tmp_path, capsys, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    names, rows = _wide_csv(tmp_path / "digits.csv")
    assert main(["head", str(tmp_path / "digits.csv"), "-n", "2"]) == 0
    out = capsys.readouterr().out
    assert "┃" not in out and "│" not in out
    assert _blocks(out) == [_vertical_lines(names, row) for row in rows[:2]]
    assert max(map(len, out.splitlines())) <= columns


@pytest.mark.parametrize("columns", [80, 200])
def test_65_columns_without_header(tmp_path, capsys, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    _, rows = _wide_csv(tmp_path / "digits.csv", header=False)
    assert main(["head", str(tmp_path / "digits.csv"), "-n", "3"]) == 0
    names = [f"col{i}" for i in range(65)]
    assert _blocks(capsys.readouterr().out) == [
        _vertical_lines(names, row) for row in rows
    ]


def test_8_columns_are_a_table_at_200(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    (tmp_path / "penguins.csv").write_bytes(PENGUINS)
    assert main(["head", str(tmp_path / "penguins.csv"), "-n", "2"]) == 0
    out = capsys.readouterr().out
    assert _table_rows(out) == [PENGUIN_NAMES, *PENGUIN_ROWS]
    assert "record 0:" not in out and max(map(len, out.splitlines())) <= 200


def test_8_columns_are_blocks_at_80(tmp_path, capsys, monkeypatch):
    # the table takes 104 columns (widest cells 79, rules 25): not in 80
    monkeypatch.setenv("COLUMNS", "80")
    (tmp_path / "penguins.csv").write_bytes(PENGUINS)
    assert main(["head", str(tmp_path / "penguins.csv"), "-n", "2"]) == 0
    out = capsys.readouterr().out
    assert _blocks(out) == [_vertical_lines(PENGUIN_NAMES, r) for r in PENGUIN_ROWS]


def test_a_table_that_fits_exactly_stays_a_table(tmp_path, capsys, monkeypatch):
    (tmp_path / "penguins.csv").write_bytes(PENGUINS)
    path = str(tmp_path / "penguins.csv")
    monkeypatch.setenv("COLUMNS", "104")  # widest cells 79, rules 25
    assert main(["head", path, "-n", "2"]) == 0
    out = capsys.readouterr().out
    assert max(map(len, out.splitlines())) == 104 and "record 0:" not in out
    monkeypatch.setenv("COLUMNS", "103")
    assert main(["head", path, "-n", "2"]) == 0
    assert capsys.readouterr().out.startswith("record 0:\n")


def test_vertical_flag_forces_blocks(data, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["head", str(data / "a.csv"), "-n", "3", "--vertical"]) == 0
    assert _blocks(capsys.readouterr().out) == [
        ["  id     0", "  score  0.0", "  city   paris"],
        ["  id     1", "  score  0.5", "  city   rome"],
        ["  id     2", "  score  1.0", "  city"],  # missing: nothing shown
    ]


def test_no_vertical_flag_forces_a_full_table(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    names, rows = _wide_csv(tmp_path / "digits.csv")
    argv = ["head", str(tmp_path / "digits.csv"), "-n", "2", "--no-vertical"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert _table_rows(out) == [names, *rows[:2]]  # no cell squeezed or cut


def test_no_vertical_on_examples_is_a_table(data, capsys):
    argv = ["head", str(data / "ex.tfrecord"), "-n", "2", "--no-vertical"]
    assert main(argv) == 0
    assert _table_rows(capsys.readouterr().out) == [
        ["id", "score", "tags", "name"],
        ["[0]", "[0.0]", "[]", "[n0]"],
        ["[1]", "[0.25]", "[a]", "[n1]"],
    ]


def test_vertical_names_and_values_are_data(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    names = [f"c{i}" for i in range(30)] + ["n\x1b[31m[/x]"]
    values = [str(i) for i in range(30)] + ['"[bold]v\r\x07"']
    text = ",".join(f'"{n}"' for n in names) + "\n" + ",".join(values) + "\n"
    (tmp_path / "w.csv").write_text(text)
    assert main(["head", str(tmp_path / "w.csv")]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out and "\x07" not in out
    assert "  n\\x1b[31m[/x]  [bold]v\\r\\x07" in out.splitlines()


def test_width_comes_from_a_terminal(tmp_path, capsys, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    (tmp_path / "penguins.csv").write_bytes(PENGUINS)
    path = str(tmp_path / "penguins.csv")
    monkeypatch.setenv("COLUMNS", "120")  # rich reads it for a terminal
    assert main(["head", path, "-n", "1"]) == 0
    assert "record 0:" not in capsys.readouterr().out
    monkeypatch.setenv("COLUMNS", "90")
    assert main(["head", path, "-n", "1"]) == 0
    assert capsys.readouterr().out.startswith("record 0:\n")


# --- floats as written ---


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _float_example(name: str, values: list[float]) -> bytes:
    """An Example with one FloatList feature, encoded by hand (packed float32)."""
    packed = struct.pack(f"<{len(values)}f", *values)
    feature = _field(2, _field(1, packed))
    return _field(1, _field(1, _field(1, name.encode()) + _field(2, feature)))


# float32 values as a FloatList holds them, and their shortest text at float32
FLOAT32 = [6.45, 0.1, 1e-07, 0.23, 16777216.0, 3.4028235e38, -0.0]
FLOAT32_SHOWN = "6.45, 0.1, 1e-07, 0.23, 16777216.0, 3.4028235e+38, -0.0"
SPECIAL = [float("nan"), float("inf"), float("-inf")]


def _write_records(path, records: list[bytes]) -> str:
    with TFRecordWriter(str(path)) as w:
        for r in records:
            w.write(r)
    return str(path)


def test_example_floats_show_at_float32_precision(tmp_path, capsys):
    path = _write_records(
        tmp_path / "f.tfrecord",
        [_float_example("x", FLOAT32), _float_example("x", SPECIAL)],
    )
    assert main(["head", path]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "record 0:",
        f"  x: float [{FLOAT32_SHOWN}]",
        "record 1:",
        "  x: float [nan, inf, -inf]",
    ]


def test_example_floats_in_json_are_the_shortest_numbers(tmp_path, capsys):
    path = _write_records(
        tmp_path / "f.tfrecord",
        [_float_example("x", FLOAT32), _float_example("x", SPECIAL)],
    )
    assert main(["head", path, "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == '{"x": [' + FLOAT32_SHOWN + "]}"
    assert lines[1] == '{"x": [NaN, Infinity, -Infinity]}'  # Python's json
    read_back = np.array(json.loads(lines[0])["x"], dtype=np.float32)
    assert read_back.tobytes() == struct.pack("<7f", *FLOAT32)


def test_float64_columns_keep_every_digit(tmp_path, capsys, monkeypatch):
    # a float64 written with 16 digits stays so: no float32 rounding to 6.45
    monkeypatch.setenv("COLUMNS", "200")
    text = "carat,price\n0.23,1\n6.449999809265137,2\n1e-7,3\n1.50,4\nNaN,5\n-inf,6\n"
    (tmp_path / "d.csv").write_text(text)
    assert main(["head", str(tmp_path / "d.csv"), "-n", "6"]) == 0
    column = [row[0] for row in _table_rows(capsys.readouterr().out)]
    assert column == [
        "carat",
        "0.23",
        "6.449999809265137",
        "1e-07",
        "1.5",
        "nan",
        "-inf",
    ]
    assert main(["head", str(tmp_path / "d.csv"), "-n", "4", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"carat": 0.23,' in out and '"carat": 6.449999809265137,' in out
    assert '"carat": 1e-07,' in out and '"carat": 1.5,' in out


def test_parquet_floats_at_their_own_precision(tmp_path, capsys):
    table = pa.table(
        {
            "d": pa.array([0.1, 6.449999809265137, 1e-07], pa.float64()),
            "f": pa.array(np.array([6.45, 0.1, float("inf")], np.float32)),
            "lf": pa.array(
                [np.array([0.23, 1e-07], np.float32), None, []],
                pa.list_(pa.float32()),
            ),
        }
    )
    pq.write_table(table, tmp_path / "t.parquet")
    assert main(["head", str(tmp_path / "t.parquet"), "--json"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        '{"d": 0.1, "f": 6.45, "lf": [0.23, 1e-07]}',
        '{"d": 6.449999809265137, "f": 0.1}',
        '{"d": 1e-07, "f": Infinity, "lf": []}',
    ]
    assert main(["head", str(tmp_path / "t.parquet"), "--no-vertical"]) == 0
    assert _table_rows(capsys.readouterr().out) == [
        ["d", "f", "lf"],
        ["0.1", "6.45", "[0.23, 1e-07]"],
        ["6.449999809265137", "0.1", ""],
        ["1e-07", "inf", "[]"],
    ]


def test_feature_list_floats_at_float32_precision(tmp_path, capsys):
    steps = [[6.45, 0.1], [], [1e-07]]
    lists = pl.io.FeatureLists(
        {
            "emb": pl.io.FeatureList(
                [pl.io.Feature(float_list=pl.io.FloatList(s)) for s in steps]
            )
        }
    )
    record = pl.io.SequenceExample(pl.io.Features({}), lists).SerializeToString()
    path = _write_records(tmp_path / "s.tfrecord", [record])
    assert main(["head", path]) == 0
    assert "  emb: float feature list, 3 steps [[6.45, 0.1], [], [1e-07]]" in (
        capsys.readouterr().out.splitlines()
    )
    assert main(["head", path, "--json"]) == 0
    assert capsys.readouterr().out == '{"emb": [[6.45, 0.1], [], [1e-07]]}\n'


def _tfx_example(fare: float | None, trip_miles: float) -> bytes:
    """A taxi-like Example as TFX writes it: a missing value is an empty
    ``Feature{}`` (the map entry is there, its value has no bytes)."""

    def entry(name: str, feature: bytes) -> bytes:
        return _field(1, _field(1, name.encode()) + _field(2, feature))

    fare_feature = (
        b"" if fare is None else _field(2, _field(1, struct.pack("<f", fare)))
    )
    miles = _field(2, _field(1, struct.pack("<f", trip_miles)))
    return _field(1, entry("fare", fare_feature) + entry("trip_miles", miles))


def test_tfx_gzip_shards_floats_as_written(tmp_path, capsys):
    fares = [6.45, None, 12.05, 0.1, None, 52.8]
    for shard in range(3):
        records = [_tfx_example(f, 1.2 + i) for i, f in enumerate(fares)]
        name = f"data_tfrecord-{shard:05d}-of-00003.gz"
        with TFRecordWriter(str(tmp_path / name), "GZIP") as w:
            for r in records[shard * 2 : shard * 2 + 2]:
                w.write(r)
    assert main(["head", str(tmp_path / "data_tfrecord-*"), "-n", "6", "--json"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert [r.split('"trip_miles": ')[1] for r in rows] == [
        "[1.2]}",
        "[2.2]}",
        "[3.2]}",
        "[4.2]}",
        "[5.2]}",
        "[6.2]}",
    ]
    shown = [json.loads(r).get("fare") for r in rows]
    assert [shown[i] for i in (0, 2, 3, 5)] == [[6.45], [12.05], [0.1], [52.8]]
    assert '"fare": [12.05]' in rows[2]


def test_vertical_names_align_by_terminal_cells(tmp_path, capsys):
    (tmp_path / "u.csv").write_text("名前,ab\nx,y\n", encoding="utf-8")
    assert main(["head", str(tmp_path / "u.csv"), "--vertical", "--header"]) == 0
    # 名前 takes 4 cells, as ab plus 2 spaces of padding
    assert capsys.readouterr().out.splitlines() == [
        "record 0:",
        "  名前  x",
        "  ab    y",
    ]


def test_long_names_do_not_push_every_value_right(tmp_path, capsys):
    long = "n" * 50
    (tmp_path / "l.csv").write_text(f"{long},a\n1,2\n")
    assert main(["head", str(tmp_path / "l.csv"), "--vertical"]) == 0
    pad = " " * 31  # names padded to 32 cells at most
    assert capsys.readouterr().out.splitlines() == [
        "record 0:",
        f"  {long}  1",
        f"  a{pad}  2",
    ]
