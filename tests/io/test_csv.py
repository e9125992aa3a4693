"""decode_csv against TF's golden cases, record_defaults forms, shapes, errors."""

from __future__ import annotations

import builtins

import numpy as np
import pytest
from support import load_fixture_json

import pipeline as pl
from pipeline import errors
from pipeline.io import csv_fast

_DTYPES = {
    "int32": np.int32,
    "int64": np.int64,
    "float32": np.float32,
    "float64": np.float64,
    "string": object,
}


def _cases():
    return load_fixture_json("csv", "decode_csv_cases.json")["cases"]


def _defaults(specs):
    out = []
    for spec in specs:
        dtype = _DTYPES[spec["dtype"]]
        if spec["required"]:
            out.append(np.array([], dtype=dtype))
        else:
            value = spec["default"]
            out.append(np.array([value.encode() if dtype is object else value], dtype))
    return out


def _expected(column, repeat):
    values = column["values"] * repeat
    if column["dtype"] == "string":
        return np.array([v.encode() for v in values], dtype=object)
    values = [float(v) if isinstance(v, str) else v for v in values]
    return np.array(values, dtype=_DTYPES[column["dtype"]])


def _kwargs(case):
    kwargs = {
        "field_delim": case["field_delim"],
        "use_quote_delim": case["use_quote_delim"],
        "na_value": case["na_value"],
    }
    if case["select_cols"] is not None:
        kwargs["select_cols"] = case["select_cols"]
    return kwargs


def _assert_same(got, want):
    assert got.dtype == want.dtype
    assert got.shape == want.shape
    if want.dtype.kind == "f":
        assert np.array_equal(got, want, equal_nan=True)
        assert np.array_equal(np.signbit(got), np.signbit(want))  # -0.0 kept
    else:
        assert got.tolist() == want.tolist()


# repeat=1 takes the per-record path; repeat=40 makes a batch big enough for
# the vectorized path. Repeating an error case keeps its first bad record index.
@pytest.mark.parametrize("repeat", [1, 40])
def test_decode_csv_golden_cases(repeat):
    for case in _cases():
        records = case["records"] * repeat
        call = lambda c=case, r=records: pl.io.decode_csv(  # noqa: E731
            r, _defaults(c["record_defaults"]), **_kwargs(c)
        )
        if "expected_error" in case:
            err = case["expected_error"]
            cls = getattr(errors, err["class"], None) or getattr(builtins, err["class"])
            with pytest.raises(cls) as info:
                call()
            assert err["message"].strip() in str(info.value), case["name"]
            continue
        got = call()
        assert len(got) == len(case["expected"]), case["name"]
        for column, want in zip(got, case["expected"]):
            _assert_same(column, _expected(want, repeat))


def test_vectorized_path_is_taken_for_big_batches(monkeypatch):
    calls = []
    monkeypatch.setattr(
        csv_fast, "decode_records", lambda *a, **k: calls.append(1) or 1 / 0
    )
    out = pl.io.decode_csv(["1,2.5,x"] * 100, [[0], [0.0], [""]])
    assert calls == []
    assert out[0].sum() == 100 and out[2][0] == b"x"


def test_record_defaults_forms():
    cols = pl.io.decode_csv(
        ["1,2,3,4,5,6,7"] * 3,
        [
            [0],
            ["house"],
            0.5,
            np.int64,
            pl.string,
            np.array([9], np.float64),
            np.array([], dtype=object),
        ],
    )
    assert [c.dtype for c in cols] == [
        np.int32,
        object,
        np.float32,
        np.int64,
        object,
        np.float64,
        object,
    ]
    assert cols[1].tolist() == [b"2"] * 3


def test_big_python_int_default_is_int64():
    (col,) = pl.io.decode_csv(["5"], [[2**40]])
    assert col.dtype == np.int64


def test_empty_list_default_is_a_required_float32_column():
    (col,) = pl.io.decode_csv(["1.5"], [[]])  # TF: [] is an empty float32 tensor
    assert col.dtype == np.float32 and col.tolist() == [1.5]
    with pytest.raises(errors.InvalidArgumentError, match="required but missing"):
        pl.io.decode_csv(["1,"], [[], []])


def test_bad_delimiter():
    with pytest.raises(errors.InvalidArgumentError, match="1 char"):
        pl.io.decode_csv(["1"], [[0]], field_delim=";;")


def test_select_cols_length_mismatch():
    with pytest.raises(ValueError, match="do not match"):
        pl.io.decode_csv(["1,2"], [[0], [0]], select_cols=[1])


def test_shapes_scalar_and_nested():
    (a, b) = pl.io.decode_csv("3,x", [[0], [""]])
    assert a.shape == () and a.dtype == np.int32 and int(a) == 3
    assert b.item() == b"x"
    (c,) = pl.io.decode_csv([["1", "2", "3"], ["4", "5", "6"]], [[0]])
    assert c.shape == (2, 3) and c.tolist() == [[1, 2, 3], [4, 5, 6]]
    (d,) = pl.io.decode_csv(np.array([b"7", b"8"]), [np.int64])
    assert d.tolist() == [7, 8]


def test_empty_batch():
    (a, b) = pl.io.decode_csv([], [[0], [""]])
    assert a.shape == (0,) and a.dtype == np.int32 and b.dtype == object


def test_strings_are_bytes_and_records_may_be_bytes():
    (col,) = pl.io.decode_csv([b"\xc3\xa9t\xc3\xa9", "\u00e9"] * 10, [[""]])
    assert col[0] == "été".encode() and col[1] == "é".encode()


def test_error_attributes_name_record_and_column():
    records = ["1,2"] * 30 + ["1,x"] + ["1,2"] * 5
    with pytest.raises(errors.InvalidArgumentError) as info:
        pl.io.decode_csv(records, [[0], [0]])
    assert info.value.record_index == 30 and info.value.column == 1
    assert "record 30" in str(info.value)


def test_first_error_in_record_order_wins_across_columns():
    records = ["1,2"] * 20 + ["1,bad"] + [",2"] + ["1,2"] * 20
    with pytest.raises(errors.InvalidArgumentError, match="record 20 is not"):
        pl.io.decode_csv(records, [np.int32, [0]])
    records = ["1,2"] * 20 + [",2"] + ["1,bad"] + ["1,2"] * 20
    with pytest.raises(errors.InvalidArgumentError, match="required but missing"):
        pl.io.decode_csv(records, [np.int32, [0]])


def test_quote_errors_in_big_batches():
    good = ['"a,b",1'] * 30
    for bad, msg in [
        ('"ab"c,1', "escaped by another quote"),
        ('"ab,1', "end with quote"),
        ('a"b,1', "Unquoted"),
        ("a\rb,1", "Unquoted"),
        ("a\nb,1", "Unquoted"),
    ]:
        with pytest.raises(errors.InvalidArgumentError, match=msg) as info:
            pl.io.decode_csv(good + [bad] + good, [[""], [0]])
        assert info.value.record_index == 30


def test_quoted_newline_is_data():
    (a, b) = pl.io.decode_csv(['"x\ny",1'] * 20 + ['"p\r\nq",2'], [[""], [0]])
    assert a[0] == b"x\ny" and a[-1] == b"p\r\nq" and b[-1] == 2


def test_hex_and_whitespace_in_big_batches():
    records = ["0x10, 7,+3"] * 20
    with pytest.raises(errors.InvalidArgumentError, match="valid int32: 0x10"):
        pl.io.decode_csv(records, [[0], [0.0], [0]])
    a, b = pl.io.decode_csv(["0x10, 7"] * 20, [[0.0], [0]])
    assert a[0] == 16.0 and b[0] == 7


def test_decode_csv_notes_vectorizable_call():
    from pipeline.io import vectorized

    with vectorized.tracing() as calls:
        pl.io.decode_csv("1", [[0]])
    assert calls == ["decode_csv"]


def test_cr_lf_at_field_start_are_skipped_like_tf():
    # Checked against TF 2.21: CR/LF where a field would start are skipped.
    a, b = pl.io.decode_csv(["\n\n,x", "\r\ry,z"], [[""], [""]])
    assert a.tolist() == [b"", b"y"] and b.tolist() == [b"x", b"z"]
    with pytest.raises(errors.InvalidArgumentError, match="Expect 2 fields but have 1"):
        pl.io.decode_csv(["a,\n"], [[""], [""]])


@pytest.mark.parametrize("repeat", [1, 40])
def test_negative_nan_keeps_its_sign(repeat):
    # TF 2.21 (and pyarrow) give "-nan" the sign bit.
    (col,) = pl.io.decode_csv(["-nan", "nan", "-NaN(1)"] * repeat, [np.float32])
    assert np.isnan(col).all()
    assert np.signbit(col).tolist()[:3] == [True, False, True]
