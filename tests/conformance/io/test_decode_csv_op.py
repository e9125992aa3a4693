"""Cases of tensorflow/python/kernel_tests/io_ops/decode_csv_op_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_same, to_numpy


def _decode(api, **kwargs):
    return [to_numpy(c) for c in api.io.decode_csv(**kwargs)]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        # simple: a quoted int parses
        ({"records": ["1", "2", '"3"'], "record_defaults": [[1]]}, [[1, 2, 3]]),
        # scalar (non-list) defaults
        (
            {"records": ["1,4", "2,5", "3,6"], "record_defaults": [1, 2]},
            [[1, 2, 3], [4, 5, 6]],
        ),
        # no quote delimiter keeps the quotes
        (
            {
                "records": ["1", "2", '"3"'],
                "record_defaults": [[""]],
                "use_quote_delim": False,
            },
            [[b"1", b"2", b'"3"']],
        ),
        # a scalar record: an empty quoted field takes the default
        ({"records": '1,""', "record_defaults": [[3], [4]]}, [1, 4]),
        # a 2-D batch of records
        (
            {"records": [["1", "2"], ['""', "4"]], "record_defaults": [[5]]},
            [[[1, 2], [5, 4]]],
        ),
        (
            {
                "records": [["1", "2"], ['""', '"']],
                "record_defaults": [[""]],
                "use_quote_delim": False,
            },
            [[[b"1", b"2"], [b'""', b'"']]],
        ),
        (
            {
                "records": ["1.0", "-1.79e+308", '"1.79e+308"'],
                "record_defaults": [np.array([], dtype=np.double)],
            },
            [[1.0, -1.79e308, 1.79e308]],
        ),
        (
            {
                "records": ["1", "2", '"2147483648"'],
                "record_defaults": [np.array([], dtype=np.int64)],
            },
            [[1, 2, 2147483648]],
        ),
        (
            {
                "records": ['"1.0"', '"ab , c"', '"a\nbc"', '"ab""c"', " abc "],
                "record_defaults": [["1"]],
            },
            [[b"1.0", b"ab , c", b"a\nbc", b'ab"c', b" abc "]],
        ),
        (
            {
                "records": ["1.0,4,aa", "0.2,5,bb", "3,6,cc"],
                "record_defaults": [[1.0], [1], ["aa"]],
            },
            [[1.0, 0.2, 3.0], [4, 5, 6], [b"aa", b"bb", b"cc"]],
        ),
        (
            {
                "records": ["2.0,NA,aa", "NA,5,bb", "3,6,NA"],
                "record_defaults": [[0.0], [0], [""]],
                "na_value": "NA",
            },
            [[2.0, 0.0, 3.0], [0, 5, 6], [b"aa", b"bb", b""]],
        ),
        (
            {
                "records": [",1,", "0.2,3,bcd", "3.0,,"],
                "record_defaults": [[1.0], [0], ["a"]],
            },
            [[1.0, 0.2, 3.0], [1, 3, 0], [b"a", b"bcd", b"a"]],
        ),
        (
            {
                "records": [",1,", "0.2,3,bcd", '3.0,,"'],
                "record_defaults": [[1.0], [0], ["a"]],
                "use_quote_delim": False,
            },
            [[1.0, 0.2, 3.0], [1, 3, 0], [b"a", b"bcd", b'"']],
        ),
        (
            {
                "records": ["1\t1", "0.2\t3", "3.0\t"],
                "record_defaults": [[1.0], [0]],
                "field_delim": "\t",
            },
            [[1.0, 0.2, 3.0], [1, 3, 0]],
        ),
        (
            {
                "records": [",,", "4,5,6"],
                "record_defaults": [[1], [2]],
                "select_cols": [0, 1],
            },
            [[1, 4], [2, 5]],
        ),
        (
            {
                "records": [",,", "4,5,6"],
                "record_defaults": [[0], [1], [2]],
                "select_cols": [0, 1, 2],
            },
            [[0, 4], [1, 5], [2, 6]],
        ),
        # a numpy array of defaults: one float64 column per element
        (
            {"records": "1,2,3,4,5", "record_defaults": np.zeros(5)},
            [1.0, 2.0, 3.0, 4.0, 5.0],
        ),
    ],
    ids=[
        "simple",
        "scalar_defaults",
        "no_quote_delim",
        "scalar_record",
        "2d",
        "2d_no_quote_delim",
        "double",
        "int64",
        "complex_string",
        "multi_records",
        "na",
        "with_defaults",
        "with_defaults_no_quote_delim",
        "tab_delim",
        "select_cols",
        "select_cols_incl_last",
        "numpy_defaults",
    ],
)
def test_decode_csv_values(api, kwargs, expected):
    assert_same(_decode(api, **kwargs), expected)


def test_decode_csv_dtypes(api):
    out = _decode(api, records=["1.0,4,aa"], record_defaults=[[1.0], [1], ["aa"]])
    assert [c.dtype.kind for c in out] == ["f", "i", "O"]
    assert out[0].dtype == np.float32 and out[1].dtype == np.int32


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {
                "records": [",1", "0.2,3", "3.0,"],
                "record_defaults": [[1.0], np.array([], dtype=np.int32)],
            },
            "Field 1 is required but missing in record 2!",
        ),
        (
            {
                "records": [",1", "0.2,234a", "3.0,2"],
                "record_defaults": [[1.0], np.array([], dtype=np.int32)],
            },
            "Field 1 in record 1 is not a valid int32: 234a",
        ),
        (
            {
                "records": ["1", "9999999999999999999999999", "3"],
                "record_defaults": [[1]],
            },
            "Field 0 in record 1 is not a valid int32: ",
        ),
        (
            {
                "records": [",1", "0.2,2", "3.0adf,3"],
                "record_defaults": [[1.0], np.array([], dtype=np.int32)],
            },
            "Field 0 in record 2 is not a valid float: ",
        ),
        (
            {"records": ['"1,a,"', "0.22", 'a"bc'], "record_defaults": [["a"]]},
            "Unquoted fields cannot have quotes/CRLFs inside",
        ),
        (
            {"records": [",1", "0.2,2", "3.0adf,3"], "record_defaults": [[1.0]]},
            "Expect 1 fields but have 2 in record 0",
        ),
        (
            {"records": ['"'], "record_defaults": [["default"]]},
            "Quoted field has to end with quote followed.*",
        ),
        (
            {
                "records": [",,", "4,5,6"],
                "record_defaults": [[0], [1], [2]],
                "select_cols": [0, 1, 3],
            },
            "Expect 3 fields but have 2 in record 0",
        ),
        (
            {
                "records": ["1,2,3"],
                "record_defaults": [[0], [1]],
                "select_cols": [0, 3],
            },
            "Expect 2 fields but have 1 in record 0",
        ),
    ],
    ids=[
        "required_missing",
        "wrong_int",
        "int_out_of_range",
        "wrong_float",
        "wrong_string",
        "wrong_defaults",
        "short_quoted_string",
        "wrong_select_cols_incl_last",
        "select_cols_too_high",
    ],
)
def test_decode_csv_invalid_records(api, kwargs, message):
    with pytest.raises(api.errors.InvalidArgumentError, match=message):
        _decode(api, **kwargs)


def test_decode_csv_rank_2_default(api):
    with pytest.raises(
        api.errors.InvalidArgumentError,
        match="Each record default should be at most rank 1",
    ):
        _decode(api, records=["1", "2", "3"], record_defaults=[[[0]]])


@pytest.mark.parametrize(
    ("select_cols", "defaults", "message"),
    [
        (
            [0],
            [[0], [0], [0]],
            "Length of select_cols and record_defaults do not match.",
        ),
        ([1, 0], [[0], [1]], "select_cols is not strictly increasing."),
        ([-1, 0], [[0], [1]], "select_cols contains negative values."),
    ],
    ids=["length", "sorting", "negative"],
)
def test_decode_csv_bad_select_cols(api, select_cols, defaults, message):
    with pytest.raises(ValueError, match=message):
        _decode(
            api, records=["1,2,3"], record_defaults=defaults, select_cols=select_cols
        )
