"""CSV sniffing of other delimiters, a byte order mark, a preamble to skip and
the given CSV options (issue 15)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.errors import InvalidArgumentError
from pipeline.io.detect import detect, sniff_csv


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_semicolons_in_a_csv_file_are_sniffed(tmp_path):
    # printf 'a;b\n1;2\n' > a.csv was read as one column "col0"
    d = detect(_write(tmp_path, "a.csv", b"a;b\n1;2\n"))
    assert (d.format, d.delimiter, d.header) == ("csv", ";", True)


@pytest.mark.parametrize(
    "name, text, delimiter, fmt",
    [
        ("p.csv", b"id|name\n1|ann\n2|bob\n", "|", "csv"),
        ("t.csv", b"id\tname\n1\tann\n2\tbob\n", "\t", "tsv"),
        ("s.dat", b"id;name\n1;ann\n2;bob\n", ";", "csv"),
        ("c.dat", b"id,name\n1,ann\n2,bob\n", ",", "csv"),
    ],
)
def test_each_delimiter_is_sniffed(tmp_path, name, text, delimiter, fmt):
    d = detect(_write(tmp_path, name, text))
    assert (d.format, d.delimiter, d.header) == (fmt, delimiter, True)


def test_decimal_commas_do_not_make_a_comma_file(tmp_path):
    # European CSV: ';' between fields, ',' in numbers; every data row splits
    # into 3 on ',' too, but the header does not
    rows = b"".join(b"%d,5;%d,25;x\n" % (i, i) for i in range(60))
    d = detect(_write(tmp_path, "eu.csv", b"mass;length;tag\n" + rows))
    assert (d.format, d.delimiter, d.header) == ("csv", ";", True)


def test_semicolons_inside_a_comma_file_stay_text(tmp_path):
    text = b"name,age\n" + b"".join(b"Smith; J %d,%d\n" % (i, i) for i in range(30))
    d = detect(_write(tmp_path, "people.csv", text))
    assert (d.delimiter, d.header) == (",", True)


def test_sniff_prefers_the_comma_on_a_tie():
    assert sniff_csv(["a;b,c", "1;2,3"]) == (",", True)


def test_a_byte_order_mark_is_not_part_of_the_header(tmp_path):
    # an all-string table: the header is found by its names, which the BOM spoiled
    d = detect(_write(tmp_path, "a.csv", b"\xef\xbb\xbfname,city\nann,paris\n"))
    assert (d.format, d.delimiter, d.header) == ("csv", ",", True)


def test_skip_rows_leaves_the_preamble_out_of_sniffing(tmp_path):
    text = b"# exported 2024-01-01\n# units: mm\nbill;mass\n39.1;3750\n46.5;4500\n"
    path = _write(tmp_path, "p.dat", text)
    assert detect(path).format == "text"
    d = detect(path, skip_rows=2)
    assert (d.format, d.delimiter, d.header, d.skip_rows) == ("csv", ";", True, 2)


def test_given_delimiter_makes_text_csv(tmp_path):
    path = _write(tmp_path, "notes.txt", b"x y z\n1 2 3\n4 5 6\n")
    assert detect(path).format == "text"
    d = detect(path, delimiter=" ")
    assert (d.format, d.delimiter, d.header) == ("csv", " ", True)
    d = detect(_write(tmp_path, "t.txt", b"x\ty\n1\t2\n"), delimiter="\t")
    assert (d.format, d.delimiter) == ("tsv", "\t")


def test_given_delimiter_overrides_the_sniffed_one(tmp_path):
    path = _write(tmp_path, "a.csv", b"a;b,c\n1;2,3\n")
    assert detect(path).delimiter == ","
    assert detect(path, delimiter=";").delimiter == ";"


def test_format_text_wins_over_a_delimiter(tmp_path):
    d = detect(_write(tmp_path, "a.csv", b"a;b\n1;2\n"), "text", delimiter=";")
    assert (d.format, d.delimiter) == ("text", None)


def test_na_values_help_find_the_header(tmp_path):
    # names that do not look like identifiers above numbers and NA markers
    text = b"bill%,mass%\n39.1,NA\nNA,3750\n"
    path = _write(tmp_path, "a.csv", text)
    assert detect(path).header is False
    d = detect(path, na_values=("NA",))
    assert (d.header, d.na_values) == (True, ("NA",))


def test_options_are_kept_for_every_format(tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"a": [1]}), path)
    d = detect(str(path), skip_rows=1, na_values=("NA",))
    assert (d.format, d.skip_rows, d.na_values, d.delimiter) == (
        "parquet", 1, ("NA",), None,
    )  # fmt: skip


def test_empty_csv_takes_the_given_delimiter(tmp_path):
    d = detect(_write(tmp_path, "e.csv", b""), delimiter=";")
    assert (d.format, d.delimiter, d.empty) == ("csv", ";", True)


@pytest.mark.parametrize("delimiter", ["ab", "", '"', "\n"])
def test_bad_delimiter_raises(tmp_path, delimiter):
    path = _write(tmp_path, "a.csv", b"a,b\n1,2\n")
    with pytest.raises(InvalidArgumentError, match="`delimiter` must be one character"):
        detect(path, delimiter=delimiter)


def test_negative_skip_rows_raises(tmp_path):
    path = _write(tmp_path, "a.csv", b"a,b\n1,2\n")
    with pytest.raises(InvalidArgumentError, match=r"`skip_rows` must be >= 0.*-1"):
        detect(path, skip_rows=-1)
