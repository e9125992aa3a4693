"""The CSV delimiter and header sniff (`pipeline.io.csv_sniff`)."""

from __future__ import annotations

import pytest

from pipeline.io.csv_sniff import MOST_ROWS, best_delimiter, sniff_csv


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_each_delimiter(delimiter):
    lines = [delimiter.join(r) for r in (["id", "name"], ["1", "ann"], ["2", "bob"])]
    assert sniff_csv(lines) == (delimiter, True)


def test_the_first_line_must_split_as_the_rest():
    # decimal commas: every data line splits into 3 on ',', the header does not
    lines = ["mass;length;tag"] + [f"{i},5;{i},25;x" for i in range(40)]
    assert sniff_csv(lines) == (";", True)


def test_comma_wins_a_tie():
    assert sniff_csv(["a;b,c", "1;2,3"]) == (",", True)


def test_one_ragged_row_in_a_small_file():
    lines = ["a;b;c", "1;2;3", "4;5;6", "7;8;9;10"]
    assert sniff_csv(lines) is None  # 3 of 4 rows agree: under 90 %
    assert best_delimiter(lines, MOST_ROWS, ()) == (";", True)


def test_given_delimiter_splits_any_lines():
    assert sniff_csv(["x y z", "1 2"], " ") == (" ", True)


def test_na_values_are_neither_numbers_nor_names():
    lines = ["bill%,mass%", "39.1,NA", "NA,3750"]
    assert sniff_csv(lines) == (",", False)
    assert sniff_csv(lines, na_values=("NA",)) == (",", True)


def test_single_column_and_blank_lines_are_not_csv():
    assert sniff_csv(["x", "1", "2"]) is None
    assert sniff_csv(["", "  "]) is None
