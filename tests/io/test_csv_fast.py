"""The vectorized CSV path gives the per-record path's results and errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import assert_columns_equal

from pipeline import errors
from pipeline.io import csv_fast
from pipeline.io.csv_records import decode_records
from pipeline.io.csv_spec import ColumnSpec, CsvOptions

_NUMBERS = [
    "1",
    "-0",
    "7",
    " 7",
    "+5",
    "00012",
    "2147483648",
    "9223372036854775808",
    "1e3",
    "1.5",
    ".5",
    "1.",
    "nan",
    "-inf",
    "Infinity",
    "0x10",
    "1e39",
    "1e-50",
    "abc",
    " ",
    "NA",
    "",
    "3",
    "0.1",
    "16777217",
    "1e",
    "-",
]
_NUMERIC_BITS = st.sampled_from(_NUMBERS)
_TEXT = st.text(alphabet='ab,"\r\n 1.', max_size=6)
_SPECS = [
    ColumnSpec(np.dtype(np.int32), np.int32(-1), False),
    ColumnSpec(np.dtype(np.int64)),
    ColumnSpec(np.dtype(np.float32), np.float32(0.5), False),
    ColumnSpec(np.dtype(np.float64)),
    ColumnSpec(np.dtype(object), b"dflt", False),
    ColumnSpec(np.dtype(object)),
]


def _outcome(fn):
    try:
        return "ok", fn()
    except errors.InvalidArgumentError as e:
        return "error", (str(e), e.record_index, e.column)


def _same(a, b):
    assert a[0] == b[0], (a, b)
    if a[0] == "error":
        assert a[1] == b[1]
        return
    assert_columns_equal(a[1], b[1])


def _check(records, specs, opts):
    fast = _outcome(lambda: csv_fast.decode_batch(records, specs, opts))
    _same(fast, _outcome(lambda: decode_records(records, specs, opts)))
    # The same batch through the per-record tier alone (the kernel refusing).
    saved = csv_fast._plain
    csv_fast._plain = lambda *args: None
    try:
        fast = _outcome(lambda: csv_fast.decode_batch(records, specs, opts))
    finally:
        csv_fast._plain = saved
    slow = _outcome(lambda: decode_records(records, specs, opts))
    _same(fast, slow)


@st.composite
def _rows(draw, width):
    cells = [draw(st.one_of(_NUMERIC_BITS, _TEXT)) for _ in range(width)]
    if draw(st.booleans()):
        cells = [f'"{c}"' if '"' not in c else c for c in cells]
    return ",".join(cells).encode()


@given(
    st.lists(st.integers(0, len(_SPECS) - 1), min_size=1, max_size=4),
    st.data(),
    st.booleans(),
    st.sampled_from(["", "NA"]),
)
def test_fast_matches_reference_on_random_rows(columns, data, quotes, na):
    specs = [_SPECS[i] for i in columns]
    good = data.draw(_rows(len(specs)))
    extra = data.draw(st.lists(_rows(len(specs)), max_size=3))
    records = [good] * 20 + extra + [good] * 3
    _check(records, specs, CsvOptions(b",", quotes, na.encode(), None))


@given(st.lists(st.sampled_from(_NUMBERS), min_size=1, max_size=3))
def test_fast_matches_reference_on_numbers(cells):
    for spec in _SPECS[:4]:
        records = [c.encode() for c in cells] * 8
        _check(records, [spec], CsvOptions())


@given(st.lists(st.integers(0, 6), min_size=1, max_size=3, unique=True), st.data())
def test_fast_matches_reference_with_select_cols(cols, data):
    cols = sorted(cols)
    specs = [_SPECS[4]] * len(cols)
    width = data.draw(st.integers(1, 8))
    row = ",".join(str(i) for i in range(width)).encode()
    odd = data.draw(st.sampled_from([row, row + b",x", b"", b"0"]))
    records = [row] * 20 + [odd]
    _check(records, specs, CsvOptions(select_cols=tuple(cols)))


@pytest.mark.parametrize("delim", [b"|", b"\t", b";", b" "])
def test_other_delimiters(delim):
    records = [delim.join([b"1", b'"x' + delim + b'y"', b"2.5"])] * 30
    specs = [_SPECS[0], _SPECS[4], _SPECS[2]]
    _check(records, specs, CsvOptions(delim=delim))
    out = csv_fast.decode_batch(records, specs, CsvOptions(delim=delim))
    assert out[1][0] == b"x" + delim + b"y"


@given(st.lists(st.binary(max_size=12), min_size=1, max_size=6), st.booleans())
def test_arbitrary_bytes_never_crash(records, quotes):
    specs = [_SPECS[0], _SPECS[3], _SPECS[4]]
    _check(records * 5, specs, CsvOptions(b",", quotes, b"", None))


@pytest.mark.parametrize(
    "records",
    [
        [b'"a', b'b"', b"c\nd"],  # a quote pair across records, a bare newline
        [b'1,"x\ny"', b"2,z"] * 10,  # quoted newlines inside records
        [b'"p""\nq",1', b"c,2"] * 10,
    ],
)
def test_records_holding_newlines_keep_their_own_ends(records):
    width = records[0].count(b",") + 1 if b"," in records[1] else 1
    specs = [_SPECS[4]] * width
    buf = b"\n".join(records) + b"\n"
    joined = _outcome(
        lambda: csv_fast.decode_buffer(
            buf, len(records), specs, CsvOptions(), records=lambda: records
        )
    )
    _same(joined, _outcome(lambda: decode_records(records, specs, CsvOptions())))
