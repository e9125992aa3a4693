"""record_defaults normalisation and its memo in decode_csv."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl
from pipeline import errors
from pipeline.io.csv_spec import CsvOptions, column_specs


def test_specs_from_every_form():
    specs = column_specs(
        [np.int64, np.array([], np.float32), np.array([b"x"], dtype=object),
         np.array(["u"]), [1.5], 7, "s", np.float64(2.0)]
    )  # fmt: skip
    got = [(s.dtype, s.required, s.default) for s in specs]
    assert got == [
        (np.dtype(np.int64), True, None),
        (np.dtype(np.float32), True, None),
        (np.dtype(object), False, b"x"),
        (np.dtype(object), False, b"u"),
        (np.dtype(np.float32), False, 1.5),
        (np.dtype(np.int32), False, 7),
        (np.dtype(object), False, b"s"),
        (np.dtype(np.float64), False, 2.0),
    ]


@pytest.mark.parametrize(
    "bad", [[[1, 2]], [True], [None], [np.array([1, 2])], [np.bool_]]
)
def test_bad_entries(bad):
    with pytest.raises(errors.InvalidArgumentError):
        column_specs(bad)


def test_memo_keeps_types_and_signed_zero_apart():
    rows = [","] * 20
    a, b = pl.io.decode_csv(rows, [[0], [0.0]])
    c, d = pl.io.decode_csv(rows, [[0.0], [-0.0]])
    assert a.dtype == np.int32 and b.dtype == np.float32
    assert c.dtype == np.float32 and np.signbit(d).all() and not np.signbit(c).any()
    e, f = pl.io.decode_csv(rows, [["0"], [b"1"]])
    assert e.tolist() == [b"0"] * 20 and f.tolist() == [b"1"] * 20


def test_options_validation():
    assert CsvOptions.make("|", False, "NA", [0, 2], 2).select_cols == (0, 2)
    assert CsvOptions.make(",", True, "", [], 0).select_cols is None
    with pytest.raises(ValueError, match="strictly increasing"):
        CsvOptions.make(",", True, "", [1, 1], 2)
    with pytest.raises(ValueError, match="negative"):
        CsvOptions.make(",", True, "", [-1, 1], 2)
