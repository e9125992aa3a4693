"""CsvDataset's wording of decode_csv's faults, with our file/line/record/column."""

from __future__ import annotations

import pytest

from pipeline.io.csv_spec import csv_error
from pipeline.io.csv_wording import dataset_error


@pytest.mark.parametrize(
    ("message", "cut_off", "expected"),
    [
        (
            "Expect 2 fields but have 4 in record 5",
            False,
            "Expect 2 fields but have more in record",
        ),
        (
            "Expect 5 fields but have 4 in record 5",
            False,
            "Expect 5 fields but have 4 in record",
        ),
        (
            "Field 1 is required but missing in record 5!",
            False,
            "Field 1 is required but missing in record!",
        ),
        (
            "Field 1 in record 5 is not a valid int32: a",
            False,
            "Field 1 in record is not a valid int32: a",
        ),
        (
            "Unquoted fields cannot have quotes/CRLFs inside",
            False,
            "Unquoted fields cannot have quotes inside",
        ),
        (
            "Quoted field has to end with quote followed by delim or end",
            True,
            "Reached end of file without closing quoted field in record",
        ),
    ],
)
def test_dataset_wording(message, cut_off, expected):
    err = csv_error(message, record=5, path="d.csv", line=7, column=1)
    out = dataset_error(err, cut_off)
    assert str(out) == f"{expected} (file 'd.csv', line 7, record 5, column 1)"
    assert (out.path, out.line, out.record_index, out.column) == ("d.csv", 7, 5, 1)


def test_without_a_file_only_the_message():
    out = dataset_error(
        csv_error("Expect 1 fields but have 2 in record 0", record=0), False
    )
    assert str(out) == "Expect 1 fields but have more in record"
