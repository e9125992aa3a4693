"""CSV input options of every command (--na-value, --delimiter/--tsv,
--skip-rows, --columns), a byte order mark, parse errors that name file and
line, and globs over CSV files with different headers (issue 15).

The files are written here, shaped like palmerpenguins' CSV ("NA" for a
missing value), European semicolon CSV, and files with a preamble.
"""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.cli import _csv_chunks, main
from pipeline.io.tfrecord_writer import TFRecordWriter

PENGUINS = (
    b"species,island,bill_length_mm,body_mass_g,sex,year\n"
    b"Adelie,Torgersen,39.1,3750,male,2007\n"
    b"Adelie,Torgersen,NA,NA,NA,2007\n"
    b"Gentoo,Biscoe,46.5,4500,female,2008\n"
    b"Chinstrap,Dream,?,3800,female,2009\n"
)


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _json_lines(out: str) -> list:
    return [json.loads(line) for line in out.splitlines()]


def _schema(capsys, *argv) -> dict:
    assert main(["schema", *argv, "--json", "-q"]) == 0
    return json.loads(capsys.readouterr().out)["features"]


# --na-value


def test_without_na_value_na_makes_strings(tmp_path, capsys):
    features = _schema(capsys, _write(tmp_path, "p.csv", PENGUINS))
    assert features["bill_length_mm"]["kind"] == "string"
    assert features["body_mass_g"]["kind"] == "string"


def test_na_value_fields_are_missing_and_kinds_come_from_the_rest(tmp_path, capsys):
    path = _write(tmp_path, "p.csv", PENGUINS)
    features = _schema(capsys, path, "--na-value", "NA", "--na-value", "?")
    kinds = {n: f["kind"] for n, f in features.items()}
    assert kinds == {"species": "string", "island": "string",
                     "bill_length_mm": "float", "body_mass_g": "int64",
                     "sex": "string", "year": "int64"}  # fmt: skip
    assert features["bill_length_mm"]["present"] == 2
    assert features["body_mass_g"]["present"] == 3
    assert features["sex"]["present"] == 3  # "NA" is missing in strings too


def test_only_the_given_markers_are_missing(tmp_path, capsys):
    path = _write(tmp_path, "p.csv", PENGUINS)
    features = _schema(capsys, path, "--na-value", "NA")
    assert features["bill_length_mm"]["kind"] == "string"  # "?" is a value
    assert features["body_mass_g"]["kind"] == "int64"


def test_stats_count_na_as_missing(tmp_path, capsys):
    path = _write(tmp_path, "p.csv", PENGUINS)
    assert main(["stats", path, "--na-value", "NA", "--json", "-q"]) == 0
    mass = json.loads(capsys.readouterr().out)["features"]["body_mass_g"]
    assert (mass["kind"], mass["missing"], mass["numbers"]["min"]) == ("int64", 1, 3750)


def test_convert_writes_numbers_and_nulls(tmp_path, capsys):
    path = _write(tmp_path, "p.csv", PENGUINS)
    out = tmp_path / "out"
    argv = ["convert", path, "--to", "parquet", "--out", str(out), "-q"]
    assert main([*argv, "--na-value", "NA", "--na-value", "?"]) == 0
    table = pq.read_table(next(out.glob("*.parquet")))
    assert table.schema.field("body_mass_g").type == pa.int64()
    assert table.column("body_mass_g").to_pylist() == [3750, None, 4500, 3800]
    assert pa.types.is_floating(table.schema.field("bill_length_mm").type)
    assert table.column("sex").to_pylist() == ["male", None, "female", "female"]


def test_head_shows_na_fields_as_missing(tmp_path, capsys):
    path = _write(tmp_path, "p.csv", PENGUINS)
    assert main(["head", path, "--na-value", "NA", "-n", "2", "--json"]) == 0
    rows = _json_lines(capsys.readouterr().out)
    assert rows[1] == {"species": "Adelie", "island": "Torgersen", "year": 2007}


def test_help_says_no_marker_is_assumed(capsys):
    assert main(["schema", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--na-value TEXT" in text and "no other marker is assumed" in text
    assert "needs --delimiter ' '" in text


# --delimiter, --tsv


def test_semicolon_file_is_read_without_options(tmp_path, capsys):
    path = _write(tmp_path, "a.csv", b"a;b\n1;2\n")
    assert main(["head", path, "--json"]) == 0
    assert _json_lines(capsys.readouterr().out) == [{"a": 1, "b": 2}]


def test_european_csv(tmp_path, capsys):
    text = b"name;price\nbread;1,5\nmilk;0,99\n"
    path = _write(tmp_path, "eu.csv", text)
    assert main(["head", path, "--json"]) == 0
    assert _json_lines(capsys.readouterr().out) == [
        {"name": "bread", "price": "1,5"},
        {"name": "milk", "price": "0,99"},
    ]


@pytest.mark.parametrize(
    "argv, text",
    [
        (["--delimiter", " "], b"x y\n1 2\n3 4\n"),
        (["--delimiter", "|"], b"x|y\n1|2\n3|4\n"),
        (["--delimiter", "\\t"], b"x\ty\n1\t2\n3\t4\n"),
        (["--delimiter", "tab"], b"x\ty\n1\t2\n3\t4\n"),
        (["--tsv"], b"x\ty\n1\t2\n3\t4\n"),
    ],
)
def test_delimiter_options(tmp_path, capsys, argv, text):
    path = _write(tmp_path, "data.txt", text)
    assert main(["head", path, *argv, "--json"]) == 0
    assert _json_lines(capsys.readouterr().out) == [{"x": 1, "y": 2}, {"x": 3, "y": 4}]


def test_delimiter_overrides_the_sniffed_one(tmp_path, capsys):
    path = _write(tmp_path, "a.csv", b"a;b,c\n1;2,3\n")
    assert main(["head", path, "--delimiter", ";", "--json"]) == 0
    assert _json_lines(capsys.readouterr().out) == [{"a": 1, "b,c": "2,3"}]


def test_delimiter_goes_to_count_verify_and_stats(tmp_path, capsys):
    path = _write(tmp_path, "s.txt", b"x y\n1 2\n3 4\n5 6 7\n")
    assert main(["count", path, "--delimiter", " "]) == 1
    assert "Expected 2 columns, got 3" in capsys.readouterr().err
    assert main(["verify", path, "--delimiter", " "]) == 1
    assert "record 2 (line 4, byte 12): expected 2 fields, got 3" in (
        capsys.readouterr().out
    )


def test_tsv_with_another_delimiter_is_refused(tmp_path, capsys):
    path = _write(tmp_path, "a.csv", b"a,b\n1,2\n")
    assert main(["head", path, "--tsv", "--delimiter", ";"]) == 1
    assert "--tsv means a tab delimiter" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["ab", '"', ""])
def test_bad_delimiter_is_a_usage_error(tmp_path, capsys, bad):
    path = _write(tmp_path, "a.csv", b"a,b\n1,2\n")
    assert main(["head", path, "--delimiter", bad]) == 2
    assert "--delimiter: must be one character" in capsys.readouterr().err


# --skip-rows

PREAMBLE = (
    b"# palmerpenguins, exported 2024-01-01\n"
    b"# units: mm, g\n"
    b"species;bill_length_mm;body_mass_g\n"
    b"Adelie;39.1;3750\n"
    b'"Gentoo\n(new)";46.5;4500\n'
    b"Chinstrap;49.0;3800;extra\n"
)


def test_skip_rows_reads_past_a_preamble(tmp_path, capsys):
    path = _write(tmp_path, "p.csv", PREAMBLE[: PREAMBLE.index(b"Chinstrap")])
    assert main(["head", path, "--skip-rows", "2", "--json"]) == 0
    assert _json_lines(capsys.readouterr().out) == [
        {"species": "Adelie", "bill_length_mm": 39.1, "body_mass_g": 3750},
        {"species": "Gentoo\n(new)", "bill_length_mm": 46.5, "body_mass_g": 4500},
    ]
    assert main(["count", path, "--skip-rows", "2"]) == 0
    assert capsys.readouterr().out.endswith("total: 2\n")


def test_skip_rows_errors_count_the_preamble_lines(tmp_path, capsys):
    path = _write(tmp_path, "p.csv", PREAMBLE)
    where = PREAMBLE.index(b"Chinstrap")
    assert main(["verify", path, "--skip-rows", "2"]) == 1
    out = capsys.readouterr().out
    assert f"record 2 (line 7, byte {where}): expected 3 fields, got 4" in out
    assert main(["schema", path, "--skip-rows", "2"]) == 1
    err = capsys.readouterr().err
    assert f"'{path}', line 7 (record 2, byte {where}): Expected 3 columns" in err


def test_skip_rows_past_the_end(tmp_path, capsys):
    path = _write(tmp_path, "p.csv", b"# only a comment\n")
    assert main(["head", path, "--skip-rows", "1", "--format", "csv"]) == 1
    assert "is empty after the 1 lines of --skip-rows" in capsys.readouterr().err


def test_negative_skip_rows_is_a_usage_error(tmp_path, capsys):
    path = _write(tmp_path, "a.csv", b"a,b\n1,2\n")
    assert main(["head", path, "--skip-rows", "-1"]) == 2
    assert "--skip-rows: must be an integer >= 0" in capsys.readouterr().err


# a byte order mark


def test_bom_is_not_in_the_first_name(tmp_path, capsys):
    path = _write(tmp_path, "a.csv", b"\xef\xbb\xbfname,city\nann,paris\n")
    assert main(["head", path, "--json"]) == 0
    assert _json_lines(capsys.readouterr().out) == [{"name": "ann", "city": "paris"}]
    assert list(_schema(capsys, path)) == ["name", "city"]
    assert main(["head", path, "--columns", "name", "--json"]) == 0
    assert _json_lines(capsys.readouterr().out) == [{"name": "ann"}]


def test_bom_without_a_header_is_not_in_the_first_value(tmp_path, capsys):
    path = _write(tmp_path, "a.csv", b"\xef\xbb\xbf1,x\n2,y\n")
    assert main(["head", path, "--no-header", "--json"]) == 0
    assert _json_lines(capsys.readouterr().out) == [
        {"col0": 1, "col1": "x"},
        {"col0": 2, "col1": "y"},
    ]


# --columns


def test_columns_select_csv_in_the_given_order(tmp_path, capsys):
    path = _write(tmp_path, "p.csv", PENGUINS)
    assert main(["head", path, "--columns", "year, species", "-n", "1", "--json"]) == 0
    out = capsys.readouterr().out
    assert out == '{"year": 2007, "species": "Adelie"}\n'
    assert list(_schema(capsys, path, "--columns", "sex,year")) == ["sex", "year"]


def test_unknown_column_lists_the_available_ones(tmp_path, capsys):
    path = _write(tmp_path, "p.csv", PENGUINS)
    for command in ("head", "schema", "stats", "count", "verify", "convert", "bench"):
        argv = ["--to", "csv", "--out", str(tmp_path / "o")] * (command == "convert")
        assert main([command, path, "--columns", "year,bill_depth_mm", *argv]) == 1
        out, err = capsys.readouterr()
        assert not out
        where = f"pipeline {command}: error: --columns: '{path}'"  # not a warning
        assert f"{where} has no column 'bill_depth_mm'" in err, command
        assert "its columns are 'species', 'island', 'bill_length_mm'" in err


def test_columns_select_parquet(tmp_path, capsys):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"x": [1, 2], "y": [0.25, 0.5], "s": ["u", "v"]}), path)
    assert main(["head", str(path), "--columns", "s,x", "--json"]) == 0
    assert _json_lines(capsys.readouterr().out) == [
        {"s": "u", "x": 1},
        {"s": "v", "x": 2},
    ]
    assert main(["head", str(path), "--columns", "z"]) == 1
    assert "has no column 'z'; its columns are 'x', 'y', 's'" in capsys.readouterr().err


def _examples_file(tmp_path):
    from tests.cli.conftest import encode_example

    path = str(tmp_path / "ex.tfrecord")
    with TFRecordWriter(path) as w:
        for i in range(3):
            w.write(encode_example({"id": [i], "name": [b"n%d" % i], "tags": [b"t"]}))
    return path


def test_columns_select_tfrecord_features(tmp_path, capsys):
    path = _examples_file(tmp_path)
    assert main(["head", path, "--columns", "name,id", "-n", "2", "--json"]) == 0
    assert _json_lines(capsys.readouterr().out) == [
        {"name": ["n0"], "id": [0]},
        {"name": ["n1"], "id": [1]},
    ]
    features = _schema(capsys, path, "--columns", "tags")
    assert list(features) == ["tags"]


def test_unknown_tfrecord_feature_lists_those_of_the_file(tmp_path, capsys):
    path = _examples_file(tmp_path)
    assert main(["stats", path, "--columns", "id,label"]) == 1
    err = capsys.readouterr().err
    assert f"error: --columns: '{path}' has no column 'label'; its columns are" in err
    assert all(f"'{n}'" in err for n in ("id", "name", "tags"))


def test_columns_with_no_selected_feature_in_a_block_keep_the_records(tmp_path, capsys):
    from tests.cli.conftest import encode_example

    path = str(tmp_path / "ex.tfrecord")
    with TFRecordWriter(path) as w:
        for i in range(5000):  # the first block of 4096 records lacks "late"
            w.write(encode_example({"id": [i], **({"late": [i]} if i > 4500 else {})}))
    features = _schema(capsys, path, "--columns", "late")
    assert (features["late"]["kind"], features["late"]["present"]) == ("int64", 499)
    assert main(["stats", path, "--columns", "late", "--json", "-q"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["records"], doc["features"]["late"]["missing"]) == (5000, 4501)


@pytest.mark.parametrize("bad", ["a,,b", "a,a", ""])
def test_bad_columns_is_a_usage_error(tmp_path, capsys, bad):
    path = _write(tmp_path, "a.csv", b"a,b\n1,2\n")
    assert main(["head", path, "--columns", bad]) == 2
    assert "argument --columns" in capsys.readouterr().err


# parse errors name the file and the line


def test_count_of_a_bad_row_names_file_line_and_record(tmp_path, capsys):
    good = _write(tmp_path, "a.csv", b"a,b,c,d,e\n1,2,3,4,5\n")
    bad = _write(tmp_path, "b.csv", b"a,b,c,d,e\n1,2,3,4,5\n" + b"1," * 13 + b"1\n")
    assert main(["count", good, bad]) == 1
    err = capsys.readouterr().err
    assert (
        f"CSV file '{bad}', line 3 (record 1, byte 20): Expected 5 columns, got 14"
        in err
    )


def test_parse_error_line_past_quotes_blank_lines_and_chunks(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(_csv_chunks, "_CHUNK_BYTES", 64)
    rows = [b"a,b\n"] + [b'"x\n%d",%d\n\n' % (i, i) for i in range(40)] + [b"1,2,3\n"]
    path = _write(tmp_path, "q.csv", b"".join(rows))
    line = 1 + 3 * 40 + 1  # header, 40 records of 3 lines each, the bad row
    offset = sum(map(len, rows[:-1]))
    for command in ("schema", "count"):  # (stats leaves bad rows out, counted)
        assert main([command, path, "-q"]) == 1
        err = capsys.readouterr().err
        assert f"line {line} (record 40, byte {offset}): Expected 2 columns" in err
    assert main(["verify", path]) == 1
    assert f"record 40 (line {line}, byte {offset})" in capsys.readouterr().out


# a glob over CSV files with different headers


def test_glob_over_different_headers_is_refused(tmp_path, capsys):
    _write(tmp_path, "a.csv", PENGUINS)
    _write(tmp_path, "b.csv", b"city,infant_mortality\nOslo,2\n")
    pattern = str(tmp_path / "*.csv")
    for command in ("head", "schema", "stats"):
        assert main([command, pattern]) == 1
        err = " ".join(capsys.readouterr().err.split())
        first, second = tmp_path / "a.csv", tmp_path / "b.csv"
        assert (
            f"'{first}' has 6 columns (species, island, bill_length_mm, body_mass_g, "
            f"sex, year), '{second}' has 2 columns (city, infant_mortality)"
        ) in err, command
        assert "Pass them separately" in err


def test_same_columns_in_another_order_are_a_different_header(tmp_path, capsys):
    _write(tmp_path, "a.csv", b"x,y\n1,2\n")
    _write(tmp_path, "b.csv", b"y,x\n3,4\n")
    out = tmp_path / "out"
    argv = ["convert", str(tmp_path / "*.csv"), "--to", "csv", "--out", str(out)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "column 1 is 'x' in the first, 'y' in the second" in err
    assert not out.exists()


def test_long_headers_are_shortened(tmp_path, capsys):
    names = [f"c{i}" for i in range(65)]
    _write(tmp_path, "a.csv", (",".join(names) + "\n" + "1," * 64 + "1\n").encode())
    names[40] = "other"
    _write(tmp_path, "b.csv", (",".join(names) + "\n" + "1," * 64 + "1\n").encode())
    assert main(["head", str(tmp_path / "*.csv")]) == 1
    err = capsys.readouterr().err
    assert "has 65 columns (c0, c1, c2, c3, c4, c5, ...)" in err
    assert "column 41 is 'c40' in the first, 'other' in the second" in err
    assert "c39" not in err


def test_per_file_commands_read_different_headers(tmp_path, capsys):
    _write(tmp_path, "a.csv", PENGUINS)
    _write(tmp_path, "b.csv", b"city,infant_mortality\nOslo,2\n")
    pattern = str(tmp_path / "*.csv")
    assert main(["count", pattern]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "total: 5"
    assert main(["verify", pattern]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 files, 5 records, 0 problems"


def test_columns_read_the_common_ones(tmp_path, capsys):
    _write(tmp_path, "a.csv", b"x,y,z\n1,2,3\n")
    _write(tmp_path, "b.csv", b"z,x\n6,4\n")
    assert main(["head", str(tmp_path / "*.csv"), "--columns", "x,z", "--json"]) == 0
    assert _json_lines(capsys.readouterr().out) == [{"x": 1, "z": 3}, {"x": 4, "z": 6}]


def test_same_headers_still_read_together(tmp_path, capsys):
    _write(tmp_path, "a.csv", b"x,y\n1,2\n")
    _write(tmp_path, "b.csv.gz", __import__("gzip").compress(b"x,y\n3,4\n"))
    _write(tmp_path, "c.tsv", b"x\ty\n5\t6\n")
    assert main(["head", str(tmp_path / "*"), "--json"]) == 0
    assert len(_json_lines(capsys.readouterr().out)) == 3


def test_index_leaves_the_preamble_out(tmp_path, capsys):
    from pipeline.io.line_index import build_line_index

    text = b"# preamble, 1\n# and 2\na;b\n1;2\n3;4\n"
    path = _write(tmp_path, "p.csv", text)
    assert main(["index", path, "--skip-rows", "2"]) == 0
    assert capsys.readouterr().out.endswith(": 2 records\n")
    starts = build_line_index(path, "csv", header=True, skip_lines=2).tolist()
    assert starts == [text.index(b"1;2"), text.index(b"3;4")]


@pytest.mark.parametrize(
    "argv",
    [
        ["--na-value", "NA"],
        ["--na-value", "NA", "--columns", "year,body_mass_g"],
        ["--na-value", "NA", "--skip-rows", "1", "--no-header", "--columns", "col5"],
    ],
)
def test_bench_takes_the_csv_options(tmp_path, capsys, no_thread_leak, argv):
    path = _write(tmp_path, "p.csv", PENGUINS.replace(b"?", b"NA"))
    assert main(["bench", path, "--json", "-q", "--batch-size", "3", *argv]) == 0
    assert json.loads(capsys.readouterr().out)["records"] == 4


def test_bench_refuses_two_na_values(tmp_path, capsys):
    path = _write(tmp_path, "p.csv", PENGUINS)
    assert main(["bench", path, "--na-value", "NA", "--na-value", "?"]) == 1
    assert "one --na-value at most" in capsys.readouterr().err


# the schema's hint for numbers with one token


def test_schema_hints_at_na_value(tmp_path, capsys):
    path = _write(tmp_path, "p.csv", PENGUINS)
    assert main(["schema", path, "-q"]) == 0  # bill_length_mm: NA and ?, no hint
    assert capsys.readouterr().err == (
        "hint: 'body_mass_g' holds numbers and 'NA': --na-value NA reads those "
        "fields as missing\n"
    )
    path = _write(tmp_path, "q.csv", PENGUINS.replace(b"Torgersen,NA", b"Torgersen,?"))
    assert main(["schema", path, "-q"]) == 0
    err = capsys.readouterr().err
    assert err == (
        "hint: 'bill_length_mm' holds numbers and '?'; 'body_mass_g' holds numbers "
        "and 'NA': --na-value '?' --na-value NA reads those fields as missing\n"
    )
    assert main(["schema", path, "-q", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["features"]["sex"]["kind"] == "string"
    assert err.startswith("hint: 'bill_length_mm' holds numbers")


def test_no_hint_with_na_value_or_for_real_strings(tmp_path, capsys):
    path = _write(tmp_path, "p.csv", PENGUINS)
    assert main(["schema", path, "-q", "--na-value", "NA", "--na-value", "?"]) == 0
    assert capsys.readouterr().err == ""
    text = b"code,size\nA1,1\nB2,2\n7,large\n8,small\n"
    assert main(["schema", _write(tmp_path, "s.csv", text), "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_convert_takes_the_csv_options(tmp_path, capsys):
    path = _write(tmp_path, "p.csv", PREAMBLE[: PREAMBLE.index(b"Chinstrap")])
    out = tmp_path / "out"
    argv = ["convert", path, "--to", "parquet", "--out", str(out), "-q"]
    argv += ["--skip-rows", "2", "--columns", "body_mass_g,species"]
    assert main(argv) == 0
    table = pq.read_table(next(out.glob("*.parquet")))
    assert table.column_names == ["body_mass_g", "species"]
    assert table.column("body_mass_g").to_pylist() == [3750, 4500]


def test_csv_options_on_a_txt_file_read_it_as_csv(tmp_path, capsys):
    text = b"# palmerpenguins\n\nspecies;mass\nAdelie;3750\nGentoo;NA\n"
    path = _write(tmp_path, "penguins.txt", text)
    assert main(["head", path, "--json"]) == 0  # no CSV option: lines of text
    assert json.loads(capsys.readouterr().out.splitlines()[0]) == {
        "line": "# palmerpenguins"
    }
    assert main(["head", path, "--skip-rows", "2", "--na-value", "NA", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows == [{"species": "Adelie", "mass": 3750}, {"species": "Gentoo"}]


@pytest.mark.parametrize(
    ("name", "content", "column"),
    [("notes.txt", b"one\ntwo\n", "line"), ("r.tfrecord", None, "record")],
)
def test_columns_of_text_and_raw_records(tmp_path, capsys, name, content, column):
    path = tmp_path / name
    if content is None:  # a TFRecord of records that are not Examples
        with TFRecordWriter(str(path)) as w:
            w.write(b"\xff\xff not an example")
    else:
        path.write_bytes(content)
    assert main(["head", str(path), "--columns", "sex"]) == 1
    err = capsys.readouterr().err
    assert "has no column 'sex'" in err and f"its columns are '{column}'" in err
    assert main(["head", str(path), "--columns", column, "--json", "-n", "1"]) == 0
    assert column in json.loads(capsys.readouterr().out)
