"""Cases of tensorflow/python/data/experimental/kernel_tests/csv_dataset_test.py."""

from __future__ import annotations

import gzip
import zlib

import numpy as np
import pytest
from conformance_support import assert_produces, elements, is_tensorflow, to_numpy


def csv_dataset(api):
    """CsvDataset: TF keeps it under ``tf.data.experimental``."""
    return (
        api.data.experimental.CsvDataset if is_tensorflow(api) else api.data.CsvDataset
    )


def _files(tmp_path, inputs, linebreak="\n", compression_type=None):
    names = []
    for i, rows in enumerate(inputs):
        path = tmp_path / f"temp_{i}.csv"
        data = linebreak.join(rows).encode("utf-8")
        if compression_type == "GZIP":
            data = gzip.compress(data)
        elif compression_type == "ZLIB":
            data = zlib.compress(data)
        path.write_bytes(data)
        names.append(str(path))
    return names


def _expected(api, names, **kwargs):
    """What reading the lines and decoding each with ``decode_csv`` gives."""
    out = []
    for line in api.data.TextLineDataset(names):
        out.append(tuple(to_numpy(c) for c in api.io.decode_csv(line, **kwargs)))
    return out


def _by_comparison(api, tmp_path, inputs, **kwargs):
    names = _files(tmp_path, inputs)
    want = _expected(api, names, **kwargs)
    assert_produces(csv_dataset(api)(names, **kwargs), want)


def _produces(
    api, tmp_path, inputs, expected, linebreak="\n", compression_type=None, **kw
):
    names = _files(tmp_path, inputs, linebreak, compression_type)
    ds = csv_dataset(api)(names, compression_type=compression_type, **kw)
    assert_produces(ds, [tuple(row) for row in expected])


def _fails(api, tmp_path, inputs, message, **kw):
    names = _files(tmp_path, inputs)
    with pytest.raises(api.errors.InvalidArgumentError, match=message):
        elements(csv_dataset(api)(names, **kw))


@pytest.mark.parametrize(
    ("inputs", "kwargs"),
    [
        ([["1,2,3,4"]], {"record_defaults": [[]] * 4}),
        ([["1,2,3,4", "5,6,7,8"]], {"record_defaults": [[0]] * 4}),
        ([["1.0,2.1,3.2,4.3", "5.4,6.5,7.6,8.7"]], {"record_defaults": [[0.0]] * 4}),
        (
            [["1.0,2.1,hello,4.3", "5.4,6.5,goodbye,8.7"]],
            {"record_defaults": [[""]] * 4},
        ),
        ([['1,2"3,4']], {"record_defaults": [[""]] * 3, "use_quote_delim": False}),
        (
            [["1,2.1,3.2,4.3", "5,6.5,7.6,8.7"]],
            {
                "record_defaults": [
                    np.array([], np.int32),
                    np.array([], np.float32),
                    np.array([], object),
                    np.array([], np.float64),
                ]
            },
        ),
        (
            [['1,2,"3,4"', '"5,6",7,8']],
            {"record_defaults": [[""]] * 4, "use_quote_delim": False},
        ),
        ([["1:2:3:4", "5:6:7:8"]], {"record_defaults": [[0]] * 4, "field_delim": ":"}),
        ([["1,NA,3,4", "NA,6,7,8"]], {"record_defaults": [[0]] * 4, "na_value": "NA"}),
        (
            [["1,2,3,4", '"5","6","7","8"']],
            {"record_defaults": [[""]] * 2, "select_cols": [1, 2]},
        ),
        ([["1,2,3,4", "5,6,7,8"], ["5,6,7,8"]], {"record_defaults": [[0]] * 4}),
        (
            [['"a","b","c :)","d"', '"e","f","g :(","h"']],
            {"record_defaults": [[""]] * 4},
        ),
        (
            [['1.0,2.1,"she said: ""hello""",4.3', "5.4,6.5,goodbye,8.7"]],
            {"record_defaults": [[""]] * 4},
        ),
    ],
    ids=[
        "required_fields",
        "int",
        "float",
        "string",
        "no_quote_delim_and_unquoted_quotes",
        "mixed_types",
        "use_quote_delim_false",
        "field_delim",
        "na_value",
        "select_cols",
        "multiple_files",
        "quoted",
        "escaped_quotes",
    ],
)
def test_csv_dataset_matches_decode_csv(api, tmp_path, inputs, kwargs):
    _by_comparison(api, tmp_path, inputs, **kwargs)


def test_required_fields_are_float32(api, tmp_path):
    names = _files(tmp_path, [["1,2"]])
    ds = csv_dataset(api)(names, record_defaults=[[]] * 2)
    assert [
        np.dtype(
            s.dtype.as_numpy_dtype if hasattr(s.dtype, "as_numpy_dtype") else s.dtype
        )
        for s in ds.element_spec
    ] == [np.dtype(np.float32)] * 2
    assert_produces(ds, [(1.0, 2.0)])


@pytest.mark.parametrize(
    ("inputs", "expected", "kwargs"),
    [
        (
            [[",,,", "1,1,1,", ",2,2,2"]],
            [[0, 0, 0, 0], [1, 1, 1, 0], [0, 2, 2, 2]],
            {"record_defaults": [[0]] * 4},
        ),
        ([["0", "", "2"]], [["0"], ["NA"], ["2"]], {"record_defaults": [["NA"]]}),
        (
            [["0, 1, 2, 3"]],
            [[0.0, 1.0, 2.0, 3.0]],
            {"record_defaults": [[0.0]] * 4},
        ),
        (
            [["col1,col2", "1,2"]],
            [[1, 2]],
            {"record_defaults": [[0]] * 2, "header": True},
        ),
        ([["col1,col2"]], [], {"record_defaults": [[0]] * 2, "header": True}),
        ([[""]], [], {"record_defaults": [[""]] * 2}),
        ([['"0"', '"1"', '"2"']], [["0"], ["1"], ["2"]], {"record_defaults": [[""]]}),
        (
            [['a,b,"""c""\n0","d\ne"', "f,g,h,i"]],
            [["a", "b", '"c"\n0', "d\ne"], ["f", "g", "h", "i"]],
            {"record_defaults": [[""]] * 4},
        ),
        (
            [['1,"2\n3",4', "5,6,7"]],
            [["1"], ["5"]],
            {"record_defaults": [[""]], "select_cols": [0]},
        ),
        (
            [["1,2,3", "5,6,7"]],
            [["1"], ["5"]],
            {"record_defaults": [[""]], "exclude_cols": [1, 2]},
        ),
        (
            [['a,"b\n\nx","""c""\n \n0","d\ne"', "f,g,h,i"]],
            [["a", "b\n\nx", '"c"\n \n0', "d\ne"], ["f", "g", "h", "i"]],
            {"record_defaults": [[""]] * 4},
        ),
    ],
    ids=[
        "empty_fields",
        "one_col",
        "leading_and_trailing_spaces",
        "header",
        "header_and_no_records",
        "empty_file",
        "one_col_and_quotes",
        "new_line",
        "new_line_in_unselected_col",
        "exclude_col",
        "multiple_new_lines",
    ],
)
def test_csv_dataset_produces(api, tmp_path, inputs, expected, kwargs):
    _produces(api, tmp_path, inputs, expected, **kwargs)


def test_scalar_defaults(api, tmp_path):
    _produces(
        api,
        tmp_path,
        [[",,,", "1,1,1,", ",2,2,2"]],
        [[0, 0, 0, 0], [1, 1, 1, 0], [0, 2, 2, 2]],
        record_defaults=[api.constant(0, dtype=np.int64)] * 4,
    )


def test_rank_2_defaults(api, tmp_path):
    _fails(
        api,
        tmp_path,
        [[",,,", "1,1,1,", ",2,2,2"]],
        "Each record default should be at most rank 1",
        record_defaults=[api.constant([[0]], dtype=np.int64)] * 4,
    )


def test_type_defaults(api, tmp_path):
    _produces(
        api,
        tmp_path,
        [["1.0,2.0", "3.0,4.0"]],
        [[1.0, 2.0], [3.0, 4.0]],
        record_defaults=[api.float32, [0.0]],
    )


@pytest.mark.parametrize(
    ("inputs", "message", "kwargs"),
    [
        (
            [['1,2"3,4']],
            "Unquoted fields cannot have quotes inside",
            {"record_defaults": [[""]] * 3},
        ),
        (
            [['"a"b","c","d"']],
            "Quote inside a string has to be escaped by another quote",
            {"record_defaults": [[""]] * 3},
        ),
        (
            [["1,2,3,4", "5,6,7,8"]],
            "Expect 2 fields but have 1 in record",
            {"record_defaults": [[0]] * 2, "select_cols": [3, 4]},
        ),
        (
            [["0,"]],
            "Field 1 is required but missing in record!",
            {"record_defaults": [[]] * 2},
        ),
        (
            [["0,1,2,3"]],
            "Expect 2 fields but have more in record",
            {"record_defaults": [[0.0]] * 2},
        ),
        (
            [["0,1,2,3"]],
            "Expect 5 fields but have 4 in record",
            {"record_defaults": [[0.0]] * 5},
        ),
        (
            [[]],
            "Can't read header of file",
            {"record_defaults": [[0]] * 2, "header": True},
        ),
        (
            [["", "1,2"]],
            "Expect 2 fields but have 1 in record",
            {"record_defaults": [[""]] * 2},
        ),
        (
            [["1,2,3", "5,6,7"]],
            "Either select_cols or exclude_cols should be empty",
            {"record_defaults": [[""]], "select_cols": [0], "exclude_cols": [1, 2]},
        ),
        (
            [["1,2,3", "5,6,7"]],
            "Expect 1 fields but have more in record",
            {"record_defaults": [[""]], "exclude_cols": [0]},
        ),
        (
            [["1,2,3", "5,6,7"]],
            "Expect 3 fields but have 2 in record",
            {"record_defaults": [[""]] * 3, "exclude_cols": [0]},
        ),
        (
            [['a,b,c,"a']],
            "Reached end of file without closing quoted field in record",
            {"record_defaults": [[""]] * 4},
        ),
        (
            [["a,b,c,d"]],
            "buffer_size should be positive",
            {"record_defaults": [[""]] * 4, "buffer_size": 0},
        ),
    ],
    ids=[
        "unquoted_quotes",
        "unescaped_quotes",
        "select_cols_too_high",
        "missing_default",
        "fewer_defaults_than_fields",
        "more_defaults_than_fields",
        "header_empty_file",
        "empty_record",
        "select_and_exclude_cols",
        "exclude_col_defaults_too_low",
        "exclude_col_defaults_too_high",
        "terminate_mid_record",
        "invalid_buffer_size",
    ],
)
def test_csv_dataset_errors(api, tmp_path, inputs, message, kwargs):
    _fails(api, tmp_path, inputs, message, **kwargs)


@pytest.mark.parametrize(
    "inputs",
    [
        [['1,"2"3",4', '1,"2"3",4",5,5', 'a,b,"c"d"', "e,f,g"]],
        [['1,2"3,4', 'a,b,c"d', '9,8"7,6,5', "e,f,g"]],
    ],
    ids=["unescaped_quotes", "unquoted_quotes"],
)
def test_ignore_errors_keeps_later_rows(api, tmp_path, inputs):
    names = _files(tmp_path, inputs)
    ds = csv_dataset(api)(names, record_defaults=[[""]] * 3).ignore_errors()
    assert_produces(ds, [(b"e", b"f", b"g")])


def test_chained_ops(api, tmp_path):
    names = _files(tmp_path, [["1,,3,4", "5,6,,8"]])
    want = _expected(api, names, record_defaults=[[0]] * 4)
    ds = csv_dataset(api)(names, record_defaults=[[0]] * 4).repeat(5).prefetch(1)
    assert_produces(ds, want * 5)


_PLAIN = [["abc,def,ghi", "0,1,2", ",,"]]
_PLAIN_OUT = [["abc", "def", "ghi"], ["0", "1", "2"], ["NA", "NA", "NA"]]
_QUOTED = [['"\n\n\n","\r\r\r","abc"', '"0","1","2"', '"","",""']]
_QUOTED_OUT = [["\n\n\n", "\r\r\r", "abc"], ["0", "1", "2"], ["NA", "NA", "NA"]]


@pytest.mark.parametrize(
    ("inputs", "expected", "linebreak", "compression_type"),
    [
        (_PLAIN, _PLAIN_OUT, "\n", None),
        (_PLAIN, _PLAIN_OUT, "\r", None),
        (_PLAIN, _PLAIN_OUT, "\r\n", None),
        (_QUOTED, _QUOTED_OUT, "\n", None),
        (_QUOTED, _QUOTED_OUT, "\r", None),
        (_QUOTED, _QUOTED_OUT, "\r\n", None),
        (_QUOTED, _QUOTED_OUT, "\r\n", "GZIP"),
        (_QUOTED, _QUOTED_OUT, "\r\n", "ZLIB"),
    ],
    ids=["lf", "cr", "crlf", "quoted_lf", "quoted_cr", "quoted_crlf", "gzip", "zlib"],
)
def test_every_buffer_size(
    api, tmp_path, inputs, expected, linebreak, compression_type
):
    for size in [*range(1, 21), None]:
        _produces(
            api,
            tmp_path,
            inputs,
            expected,
            linebreak=linebreak,
            compression_type=compression_type,
            record_defaults=[["NA"]] * 3,
            buffer_size=size,
        )


def test_make_csv_dataset_keeps_select_columns(api, tmp_path):
    names = _files(tmp_path, [["a,b,c", "1,2,3", "4,5,6"]])
    select = ["a", "c"]
    make = (
        api.data.experimental.make_csv_dataset
        if is_tensorflow(api)
        else api.data.make_csv_dataset
    )
    make(names, batch_size=1, select_columns=select)
    assert select == ["a", "c"]


def test_checkpoint_core_values(api, tmp_path):
    """The checkpoint test's dataset: 10 rows of 7 ints, 14 epochs, buffer 2."""
    rows = [",".join(str(7 * j + i) for i in range(7)) for j in range(10)]
    names = _files(tmp_path, [rows])
    ds = csv_dataset(api)(names[0], record_defaults=[[0]] * 7, buffer_size=2)
    got = elements(ds.repeat(14))
    assert len(got) == 140
    assert_produces(
        csv_dataset(api)(names[0], record_defaults=[[0]] * 7, buffer_size=2),
        [tuple(7 * j + i for i in range(7)) for j in range(10)],
    )
