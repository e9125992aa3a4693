"""Column names and types inferred from CSV files: what bad header and
inference rows raise (file, line and what was expected)."""

from __future__ import annotations

import pytest

from pipeline.errors import InvalidArgumentError
from pipeline.io.csv_infer import infer_column_names, infer_column_types


def _file(tmp_path, data: bytes, name: str = "f.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_header_bytes_that_are_not_utf8_are_refused_with_file_and_line(tmp_path):
    path = _file(tmp_path, b"a,b\xff\xfe,c\n1,2,3\n")
    with pytest.raises(InvalidArgumentError, match=r"utf-8 text in the header") as e:
        infer_column_names([path])
    assert e.value.path == path and e.value.line == 1
    assert "b'\\xff\\xfe'" in str(e.value) and "column 1" in str(e.value)
    assert "f.csv" in str(e.value) and "line 1" in str(e.value)
    assert isinstance(e.value, ValueError)


def test_header_in_another_encoding_reads(tmp_path):
    path = _file(tmp_path, "é,b\n1,2\n".encode("latin-1"))
    assert infer_column_names([path], encoding="latin-1") == ["é", "b"]


def test_undecodable_bytes_in_data_rows_make_a_string_column(tmp_path):
    path = _file(tmp_path, b"a,b,c\n1,\xff\xfe,2.5\n2,x,3\n")
    assert infer_column_types([path], 3) == ["int32", "string", "float32"]


def test_encoding_error_that_cannot_be_escaped_names_the_file(tmp_path):
    # A UTF-16 file cut after an odd byte: the last byte does not decode.
    path = _file(tmp_path, "a,b\n1,2\n".encode("utf-16-le") + b"\x00")
    with pytest.raises(InvalidArgumentError, match=r"Expected utf-16-le text") as e:
        infer_column_types([path], 2, encoding="utf-16-le")
    assert e.value.path == path and e.value.line == 3


def test_duplicate_names_in_the_header(tmp_path):
    path = _file(tmp_path, b"a,b,a\n1,2,3\n")
    with pytest.raises(
        InvalidArgumentError,
        match=r"Cannot have duplicate column names\. Column 2 repeats 'a'",
    ) as e:
        infer_column_names([path])
    assert e.value.path == path and e.value.line == 1


@pytest.mark.parametrize(
    ("data", "found"), [(b"", "an empty file"), (b"\n1,2\n", "an empty line")]
)
def test_missing_header_row(tmp_path, data, found):
    path = _file(tmp_path, data)
    with pytest.raises(InvalidArgumentError, match=f"header row.*got {found}") as e:
        infer_column_names([path])
    assert e.value.path == path and e.value.line == 1


def test_headers_that_differ_across_files(tmp_path):
    first = _file(tmp_path, b"a,b\n1,2\n", "0.csv")
    second = _file(tmp_path, b"a,c\n1,2\n", "1.csv")
    with pytest.raises(
        InvalidArgumentError, match=r"different column names.*\['a', 'c'\]"
    ) as e:
        infer_column_names([first, second])
    assert e.value.path == second


def test_field_over_the_csv_module_limit(tmp_path):
    big = b"x" * (1 << 18)
    path = _file(tmp_path, b"a,b\n1,2\n3," + big + b"\n")
    with pytest.raises(InvalidArgumentError, match=r"field larger than field limit"):
        infer_column_types([path], 2)
    header = _file(tmp_path, b"a," + big + b"\n1,2\n", "h.csv")
    with pytest.raises(InvalidArgumentError, match=r"Expected a CSV row") as e:
        infer_column_names([header])
    assert e.value.path == header and e.value.line == 1


def test_row_with_wrong_field_count_names_its_first_line(tmp_path):
    # Row 2 spans lines 2-3 (a quoted line break); row 3 starts on line 4.
    path = _file(tmp_path, b'a,b\n1,"x\ny"\n5\n')
    with pytest.raises(
        InvalidArgumentError,
        match=r"Problem inferring types: CSV row has different number of fields "
        r"than expected: expected 2, got 1",
    ) as e:
        infer_column_types([path], 2)
    assert e.value.path == path and e.value.line == 4
    assert "line 4" in str(e.value)
