"""pipeline.io.example_encode: block serialization equals serialize_example.

Each record of `encode_examples` is compared with `serialize_example` (the
plain-Python twin, byte-identical to TensorFlow's deterministic bytes) on the
same features, in both layouts (rows of a grid, and part by part), and read
back with `parse_example`.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pipeline as pl
from pipeline.errors import InvalidArgumentError
from pipeline.io import example_encode, example_encode_rows
from pipeline.io.example_encode import encode_examples
from pipeline.io.example_encode_parts import codes_of, varint_sizes
from pipeline.io.example_message import serialize_example

_INT64 = st.integers(-(2**63), 2**63 - 1)
_EDGE_INTS = st.sampled_from([0, 1, 127, 128, 16383, 16384, -1, 2**63 - 1, -(2**63)])
_FLOATS = st.one_of(
    st.floats(width=32, allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, float("nan"), float("inf"), -float("inf")]),
)
_BYTES = st.one_of(st.binary(max_size=40), st.sampled_from([b"", b"\xff\xfe", b"\x00"]))
_NAMES = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=6),
    st.sampled_from(["a", "ab", "b", "", "a\x00", "caf\u00e9"]),
)


def _records(columns: dict, n: int) -> list[bytes]:
    """Each record through serialize_example (the twin)."""
    out = []
    for i in range(n):
        features = {}
        for name, (values, lengths) in columns.items():
            if lengths[i] >= 0:
                start = int(np.maximum(lengths[:i], 0).sum())
                features[name] = values[start : start + lengths[i]]
        out.append(serialize_example(features))
    return out


@st.composite
def _column(draw, n: int):
    kind = draw(st.sampled_from(["int", "float", "float64", "bytes"]))
    scalar = draw(st.booleans())
    most = 1 if scalar else 4
    lengths = draw(st.lists(st.integers(-1, most), min_size=n, max_size=n))
    k = sum(max(v, 0) for v in lengths)
    if kind == "int":
        ints = st.lists(st.one_of(_INT64, _EDGE_INTS), min_size=k, max_size=k)
        values = np.array(draw(ints), dtype=np.int64)
    elif kind == "bytes":
        values = np.empty(k, dtype=object)
        values[:] = draw(st.lists(_BYTES, min_size=k, max_size=k))
    else:
        floats = draw(st.lists(_FLOATS, min_size=k, max_size=k))
        values = np.array(floats, dtype=np.float64 if kind == "float64" else np.float32)
    return values, np.array(lengths, dtype=np.int64)


@st.composite
def _columns(draw):
    n = draw(st.integers(1, 12))
    names = draw(st.lists(_NAMES, max_size=12, unique=True))
    return {name: draw(_column(n)) for name in names}, n


def _spy(monkeypatch) -> list:
    """Record what each call of the grid layout returned (None: refused)."""
    seen: list = []
    real = example_encode_rows.encode_rows

    def spy(*args):
        seen.append(real(*args))
        return seen[-1]

    monkeypatch.setattr(example_encode, "encode_rows", spy)
    return seen


@pytest.fixture(params=["rows", "parts"])
def layout(request, monkeypatch):
    """Both layouts: rows of a grid, and part by part (the grid refused);
    the list of what the grid layout returned."""
    if request.param == "parts":
        monkeypatch.setattr(example_encode_rows, "_PADDING_RATIO", 0)
        monkeypatch.setattr(example_encode_rows, "_SLACK_BYTES", -1)
    return request.param, _spy(monkeypatch)


def _check_layout(layout) -> None:
    name, seen = layout
    assert seen, "the grid layout was not tried"
    assert all((block is None) == (name == "parts") for block in seen)


_FIXTURE_OK = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@_FIXTURE_OK
@given(data=_columns())
def test_records_equal_serialize_example(data, layout):
    columns, n = data
    block = encode_examples(columns, n)
    assert block.records() == _records(columns, n)
    _check_layout(layout)


@given(data=_columns(), head=st.integers(0, 13), tail=st.integers(0, 5))
def test_spare_bytes_around_records(data, head, tail):
    columns, n = data
    block = encode_examples(columns, n, head=head, tail=tail)
    stride = block.lengths + head + tail
    assert block.starts.tolist() == (np.cumsum(stride) - stride + head).tolist()
    assert len(block.data) == int(stride.sum())
    assert block.records() == _records(columns, n)


@given(data=_columns())
def test_parse_example_reads_the_input_back(data):
    columns, n = data
    block = encode_examples(columns, n)
    spec = {}
    for name, (values, _) in columns.items():
        dtype = pl.string if values.dtype == object else values.dtype
        spec[name] = pl.io.VarLenFeature(np.float32 if dtype == np.float64 else dtype)
    parsed = pl.io.parse_example(np.array(block.records(), dtype=object), spec)
    for name, (values, lengths) in columns.items():
        got = parsed[name]
        counts = np.bincount(got.indices[:, 0], minlength=n)
        assert counts.tolist() == np.maximum(lengths, 0).tolist()
        if values.dtype == object:
            assert got.values.tolist() == values.tolist()
        else:
            want = values.astype(np.float32) if values.dtype.kind == "f" else values
            assert got.values.tobytes() == want.tobytes()  # nan, -0.0 exactly


def test_many_features_and_records_match_in_both_layouts(layout):
    rng = np.random.default_rng(3)
    n, columns = 300, {}
    for j in range(40):
        lengths = rng.integers(-1, 3, n)
        k = int(np.maximum(lengths, 0).sum())
        if j % 3 == 0:
            values = rng.integers(-(2**62), 2**62, k) >> rng.integers(0, 62, k)
        elif j % 3 == 1:
            values = rng.normal(size=k).astype(np.float32)
        else:
            values = np.array([bytes(rng.integers(0, 256, j)) for _ in range(k)],
                              dtype=object)  # fmt: skip
        columns[f"f{j:02d}"] = (values, lengths)
    assert encode_examples(columns).records() == _records(columns, n)
    _check_layout(layout)


def test_one_long_value_takes_the_part_by_part_layout(monkeypatch):
    seen = _spy(monkeypatch)
    big = np.array([b"x" * 3_000_000, b"y"], dtype=object)
    columns = {"s": (big, np.array([1, 1] + [-1] * 998))}
    block = encode_examples(columns)
    assert seen == [None]  # 1000 rows of 3 MB would be mostly padding
    assert block.records() == _records(columns, 1000)
    assert len(block.data) == int(block.lengths.sum())


def test_str_values_are_utf8_like_bytes_list():
    values = np.array(["é", b"\xff", "x"], dtype=object)
    columns = {"s": (values, np.array([2, 1]))}
    assert encode_examples(columns).records() == _records(columns, 2)


def test_bool_and_unsigned_values_are_int64_lists():
    columns = {
        "b": (np.array([True, False]), np.array([1, 1])),
        "u": (np.array([2**64 - 1, 5], dtype=np.uint64), np.array([2, -1])),
    }
    assert encode_examples(columns).records() == _records(columns, 2)


def test_no_columns_gives_empty_examples():
    assert encode_examples({}, 2).records() == [b"\n\x00", b"\n\x00"]
    assert encode_examples({}).records() == []


def test_lengths_that_do_not_add_up_name_the_feature():
    with pytest.raises(InvalidArgumentError, match=r"'x'.* add up to 3 values, got 2"):
        encode_examples({"x": (np.array([1, 2]), np.array([1, 2]))})


def test_columns_of_different_sizes_are_refused():
    columns = {"a": (np.array([1]), np.array([1])), "b": (np.array([1]), [1, -1])}
    with pytest.raises(InvalidArgumentError, match=r"different numbers.*\[1, 2\]"):
        encode_examples(columns)
    with pytest.raises(InvalidArgumentError, match=r"different numbers.*\[1, 3\]"):
        encode_examples({"a": (np.array([1]), np.array([1]))}, num_records=3)


def test_unsupported_dtype_names_the_feature():
    with pytest.raises(InvalidArgumentError, match=r"'z'.*dtype complex128"):
        encode_examples({"z": (np.array([1j]), np.array([1]))})


def test_varint_sizes_at_each_width_boundary():
    values = [0, 127, 128, 2**14 - 1, 2**14, 2**63 - 1, -1, -(2**63)]
    assert varint_sizes(np.array(values)).tolist() == [1, 1, 2, 2, 3, 9, 10, 10]


def test_codes_of_wide_and_narrow_keys():
    assert codes_of(np.array([7, 7]))[1] is None
    distinct, codes = codes_of(np.array([10**9, 3, 10**9]))
    assert distinct == [3, 10**9] and codes.tolist() == [1, 0, 1]
    distinct, codes = codes_of(np.array([4, -1, 4, 9]))
    assert distinct == [-1, 4, 9] and codes.tolist() == [1, 0, 1, 2]


def test_value_sizes_far_apart_match_in_both_layouts(layout):
    sizes = [0, 1, 5000, 9000, 130, 20000]  # prefixes keyed over a wide range
    values = np.array([b"v" * s for s in sizes], dtype=object)
    ints = np.array([1, 2**40, -5, 3])
    columns = {
        "s": (values, np.array([1, 1, 1, 1, 1, 1])),
        "t": (values[::-1].copy(), np.array([2, 0, -1, 3, 1, 0])),
        "i": (ints, np.array([1, -1, 2, 0, 1, 0])),
    }
    assert encode_examples(columns).records() == _records(columns, 6)
    _check_layout(layout)
