"""Cases of TF's data/experimental/kernel_tests/make_csv_dataset_test.py."""

from __future__ import annotations

import gzip
import zlib

import numpy as np
import pytest
from conformance_support import assert_same, elements, is_tensorflow, spec_shapes

_NAMES = [f"col{i}" for i in range(5)]
_ROWS = [
    [",".join(_NAMES), "0,1,2,3,4", "5,6,7,8,9"],
    [",".join(_NAMES), "10,11,12,13,14", "15,16,17,18,19"],
]
_OUT = [
    [0, 1, 2, 3, b"4"],
    [5, 6, 7, 8, b"9"],
    [10, 11, 12, 13, b"14"],
    [15, 16, 17, 18, b"19"],
]


def make_csv_dataset(api):
    """make_csv_dataset: TF keeps it under ``tf.data.experimental``."""
    if is_tensorflow(api):
        return api.data.experimental.make_csv_dataset
    return api.data.make_csv_dataset


def _defaults():
    return [
        np.array([], np.int32),
        np.array([], np.int64),
        np.array([], np.float32),
        np.array([], np.float64),
        np.array([], object),
    ]


def _files(tmp_path, inputs, compression_type=None):
    names = []
    for i, rows in enumerate(inputs):
        data = "\n".join(rows).encode("utf-8")
        if compression_type == "GZIP":
            data = gzip.compress(data)
        elif compression_type == "ZLIB":
            data = zlib.compress(data)
        path = tmp_path / f"temp_{i}.csv"
        path.write_bytes(data)
        names.append(str(path))
    return names


def _batches(rows, keys, batch_size, num_epochs):
    """The expected batches: rows repeated, cut into dicts of columns."""
    flat = [row for _ in range(num_epochs) for row in rows]
    out = []
    for start in range(0, len(flat), batch_size):
        chunk = flat[start : start + batch_size]
        out.append({k: [row[n] for row in chunk] for n, k in enumerate(keys)})
    return out


def _check(
    api,
    tmp_path,
    inputs,
    rows,
    keys,
    batch_size=1,
    num_epochs=1,
    label_name=None,
    **kwargs,
):
    names = _files(tmp_path, inputs, kwargs.get("compression_type"))
    ds = make_csv_dataset(api)(
        names,
        batch_size=batch_size,
        num_epochs=num_epochs,
        label_name=label_name,
        **kwargs,
    )
    want = _batches(rows, keys, batch_size, num_epochs)
    if label_name is not None:
        want = [(b, b.pop(label_name)) for b in want]
    assert_same(elements(ds), want)


def test_make_csv_dataset(api, tmp_path):
    _check(
        api,
        tmp_path,
        _ROWS,
        _OUT,
        _NAMES,
        column_names=_NAMES,
        label_name="col0",
        shuffle=False,
        header=True,
        column_defaults=_defaults(),
    )


def test_batch_size_and_epochs(api, tmp_path):
    _check(
        api,
        tmp_path,
        _ROWS,
        _OUT,
        _NAMES,
        column_names=_NAMES,
        label_name="col0",
        batch_size=3,
        num_epochs=10,
        shuffle=False,
        header=True,
        column_defaults=_defaults(),
    )


@pytest.mark.parametrize("compression_type", ["GZIP", "ZLIB"])
def test_compression_type(api, tmp_path, compression_type):
    _check(
        api,
        tmp_path,
        _ROWS,
        _OUT,
        _NAMES,
        column_names=_NAMES,
        label_name="col0",
        shuffle=False,
        header=True,
        column_defaults=_defaults(),
        compression_type=compression_type,
    )


def test_duplicate_column_names(api, tmp_path):
    names = _files(tmp_path, _ROWS)
    with pytest.raises(ValueError):
        make_csv_dataset(api)(
            names,
            batch_size=1,
            column_defaults=_defaults(),
            label_name="col0",
            column_names=_NAMES * 2,
        )


def test_label_not_a_column(api, tmp_path):
    names = _files(tmp_path, _ROWS)
    message = (
        r"`label_name` provided must be one of the columns: "
        r"\['col0', 'col1', 'col2', 'col3', 'col4'\]. Received: not_a_real_label."
    )
    with pytest.raises(ValueError, match=message):
        make_csv_dataset(api)(
            names,
            batch_size=1,
            column_defaults=_defaults(),
            label_name="not_a_real_label",
            column_names=_NAMES,
        )


def test_no_label(api, tmp_path):
    _check(
        api,
        tmp_path,
        _ROWS,
        _OUT,
        _NAMES,
        column_names=_NAMES,
        shuffle=False,
        header=True,
        column_defaults=_defaults(),
    )


def test_no_header(api, tmp_path):
    inputs = [["0,1,2,3,4", "5,6,7,8,9"], ["10,11,12,13,14", "15,16,17,18,19"]]
    _check(
        api,
        tmp_path,
        inputs,
        _OUT,
        _NAMES,
        column_names=_NAMES,
        label_name="col0",
        shuffle=False,
        header=False,
        column_defaults=_defaults(),
    )


def test_types_as_defaults(api, tmp_path):
    inputs = [
        [",".join(x[0] for x in _NAMES), *_ROWS[0][1:]],
        [",".join(x[0] for x in _NAMES), *_ROWS[1][1:]],
    ]
    types = [np.int32, np.int64, np.float32, np.float64, api.string]
    _check(
        api,
        tmp_path,
        inputs,
        _OUT,
        _NAMES,
        column_names=_NAMES,
        label_name="col0",
        shuffle=False,
        header=True,
        column_defaults=types,
    )


def test_no_column_names(api, tmp_path):
    _check(
        api,
        tmp_path,
        _ROWS,
        _OUT,
        _NAMES,
        label_name="col0",
        shuffle=False,
        header=True,
        column_defaults=_defaults(),
    )


def test_type_inference_mismatch(api, tmp_path):
    names = _files(tmp_path, _ROWS)
    with pytest.raises(ValueError):
        make_csv_dataset(api)(
            names,
            column_names=[*_NAMES, "extra_name"],
            column_defaults=None,
            batch_size=2,
            num_epochs=10,
        )


_BIG = [[",".join(_NAMES), f"0,{2**33},2.0,3e50,rabbit"]]
_BIG_OUT = [[0, 2**33, 2.0, 3e50, b"rabbit"]]


def test_type_inference(api, tmp_path):
    _check(
        api,
        tmp_path,
        _BIG,
        _BIG_OUT,
        _NAMES,
        column_names=_NAMES,
        label_name="col0",
        shuffle=False,
        header=True,
    )


def test_type_inference_dtypes(api, tmp_path):
    names = _files(tmp_path, _BIG)
    ds = make_csv_dataset(api)(names, batch_size=1, num_epochs=1, shuffle=False)
    got = {k: np.asarray(v).dtype for k, v in elements(ds)[0].items()}
    assert got == {
        "col0": np.int32,
        "col1": np.int64,
        "col2": np.float32,
        "col3": np.float64,
        "col4": np.dtype(object),
    }


def test_type_inference_fallthrough(api, tmp_path):
    inputs = [
        [
            ",".join(_NAMES),
            ",,,,",
            "0,0,0.0,0.0,0.0",
            f"0,{2**33},2.0,3e50,rabbit",
            ",,,,",
        ]
    ]
    rows = [
        [0, 0, 0, 0, b""],
        [0, 0, 0, 0, b"0.0"],
        [0, 2**33, 2.0, 3e50, b"rabbit"],
        [0, 0, 0, 0, b""],
    ]
    _check(
        api,
        tmp_path,
        inputs,
        rows,
        _NAMES,
        column_names=_NAMES,
        label_name="col0",
        shuffle=False,
        header=True,
    )


_SELECT = [1, 3, 4]
_SELECT_OUT = [[row[i] for i in _SELECT] for row in _BIG_OUT]
_SELECT_KEYS = [_NAMES[i] for i in _SELECT]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"column_names": _NAMES, "with_defaults": True, "select_columns": _SELECT},
        {"column_names": _NAMES, "select_columns": _SELECT},
        {"select_columns": _SELECT},
        {"column_names": _NAMES, "select_columns": _SELECT_KEYS},
    ],
    ids=["defaults", "inferred_types", "inferred_names", "by_name"],
)
def test_select_columns(api, tmp_path, kwargs):
    kwargs = dict(kwargs)
    if kwargs.pop("with_defaults", False):
        kwargs["column_defaults"] = [_defaults()[i] for i in _SELECT]
    _check(
        api,
        tmp_path,
        _BIG,
        _SELECT_OUT,
        _SELECT_KEYS,
        shuffle=False,
        header=True,
        **kwargs,
    )


def test_select_columns_errors(api, tmp_path):
    names = _files(tmp_path, _BIG)
    with pytest.raises(ValueError):
        make_csv_dataset(api)(
            names,
            batch_size=1,
            column_defaults=_defaults(),
            column_names=_NAMES,
            select_columns=_SELECT,
        )
    with pytest.raises(ValueError):
        make_csv_dataset(api)(
            names,
            batch_size=1,
            column_defaults=[[0]],
            column_names=_NAMES,
            label_name=None,
            select_columns=["invalid_col_name"],
        )


def _series(start):
    return ",".join(str(i) for i in range(start, start + 5))


@pytest.mark.parametrize("batch_size", [1, 2])
def test_shuffle_seed(api, tmp_path, batch_size):
    inputs = [
        [",".join(_NAMES)] + [_series(5 * i) for i in range(15)],
        [",".join(_NAMES)] + [_series(5 * i) for i in range(15, 20)],
    ]
    names = _files(tmp_path, inputs)

    def run(seed):
        ds = make_csv_dataset(api)(
            names,
            column_defaults=_defaults(),
            column_names=_NAMES,
            batch_size=batch_size,
            header=True,
            shuffle=True,
            shuffle_seed=seed,
            num_epochs=2,
        )
        return elements(ds, limit=20 // batch_size)

    first, again, other = run(5), run(5), run(6)
    assert_same(first, again)
    col0 = [b["col0"].tolist() for b in first]
    assert col0 != [b["col0"].tolist() for b in other]


def test_indefinite_repeat_shape(api, tmp_path):
    names = _files(tmp_path, _ROWS)
    ds = make_csv_dataset(api)(names, batch_size=32, num_epochs=None)
    for shape in spec_shapes(ds.element_spec).values():
        assert shape[0] == 32


@pytest.mark.parametrize(
    ("encoding", "first"), [("utf-8", "\ufeffa"), ("utf-8-sig", "a")]
)
def test_byte_order_mark_in_header(api, tmp_path, encoding, first):
    # not a case of the TF file: a UTF-8 BOM is part of the first name unless
    # the encoding is utf-8-sig, as TF reads it
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfa,b\n1,x\n2,y\n")
    ds = make_csv_dataset(api)(
        str(path), 2, shuffle=False, num_epochs=1, encoding=encoding
    )
    assert_same(elements(ds), [{first: [1, 2], "b": [b"x", b"y"]}])
