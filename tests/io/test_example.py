"""pipeline.io.example: every parse case of the TF golden fixtures."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from support import all_kernels, fixture_path, load_fixture_json

import pipeline as pl
from pipeline import errors as pl_errors
from pipeline.io import vectorized
from pipeline.io.example import parse_example, parse_single_example
from pipeline.io.example_spec import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
)
from pipeline.io.tfrecord import iter_records
from pipeline.types import SparseTensor

SPEC = "examples.json"
NP = {"int64": np.int64, "float32": np.float32, "string": object}


@pytest.fixture(params=["native", "reference"])
def kernel(request):
    """Run the test wholly compiled, then wholly on the pure-Python twins."""
    with all_kernels(request.param) as bound:
        yield bound["example"]


def _b64(value):
    if isinstance(value, list):
        return [_b64(v) for v in value]
    return base64.b64decode(value)


def _float(value):
    if isinstance(value, list):
        return [_float(v) for v in value]
    return float(value)  # "NaN" / "Infinity" spellings included


def _spec(entry):
    dtype = entry["dtype"]
    if "default_value_b64" in entry:
        default = entry["default_value_b64"]
        default = None if default is None else _b64(default)
    else:
        default = entry.get("default_value")
    if entry["type"] == "FixedLenFeature":
        return FixedLenFeature(entry["shape"], dtype, default_value=default)
    if entry["type"] == "VarLenFeature":
        return VarLenFeature(dtype)
    return FixedLenSequenceFeature(
        entry["shape"], dtype, allow_missing=entry["allow_missing"],
        default_value=default,
    )  # fmt: skip


def _values(tensor):
    if "values_b64" in tensor:
        return np.array(_b64(tensor["values_b64"]), dtype=object)
    if tensor["dtype"] == "float32":
        return np.array(_float(tensor["values"]), dtype=np.float32)
    return np.array(tensor["values"], dtype=NP[tensor["dtype"]])


def _check(got, tensor, name):
    values = _values(tensor)
    if tensor["kind"] == "sparse":
        assert isinstance(got, SparseTensor), name
        rank = len(tensor["dense_shape"])
        expected_idx = np.array(tensor["indices"], np.int64).reshape(-1, rank)
        np.testing.assert_array_equal(got.indices, expected_idx, err_msg=name)
        assert got.dense_shape.tolist() == tensor["dense_shape"], name
        assert got.values.dtype == values.dtype, name
        np.testing.assert_array_equal(got.values, values.reshape(-1), err_msg=name)
        return
    assert isinstance(got, np.ndarray), name
    assert got.dtype == values.dtype, name
    assert list(got.shape) == tensor["shape"], name
    if got.dtype == np.float32:  # bit-exact, NaN and -0.0 included
        assert got.tobytes() == values.reshape(got.shape).tobytes(), name
    else:
        np.testing.assert_array_equal(got, values.reshape(got.shape), err_msg=name)


def _inputs(case, examples):
    records = case["records"]
    if records == "inline":
        return _b64(case["serialized_b64"])
    if isinstance(records, list):
        return [_b64(examples[i]["serialized_b64"]) for i in records]
    return _b64(examples[records]["serialized_b64"])


def _run(case, examples):
    features = {k: _spec(v) for k, v in case["features"].items()}
    inputs = _inputs(case, examples)
    if "parse_single_example" in case["function"]:
        return parse_single_example(inputs, features)
    return parse_example(inputs, features)


def _cases():
    return load_fixture_json("tfrecord", SPEC)["parse_cases"]


def test_every_parse_case(kernel):
    data = load_fixture_json("tfrecord", SPEC)
    for case in data["parse_cases"]:
        if "expected_error" in case:
            cls = getattr(pl_errors, case["expected_error"]["class"], ValueError)
            with pytest.raises(cls) as info:
                _run(case, data["examples"])
            for key in case["features"]:
                assert key in str(info.value), case["name"]
            continue
        got = _run(case, data["examples"])
        assert sorted(got) == sorted(case["expected"]), case["name"]
        for key, tensor in case["expected"].items():
            _check(got[key], tensor, f"{case['name']}/{key}")


def test_error_messages_name_record_and_expectation(kernel):
    data = load_fixture_json("tfrecord", SPEC)
    by_name = {c["name"]: c for c in data["parse_cases"]}
    case = by_name["error_dtype_mismatch"]
    with pytest.raises(pl_errors.InvalidArgumentError, match="expected type: int64"):
        _run(case, data["examples"])
    case = by_name["error_required_missing"]
    with pytest.raises(pl_errors.InvalidArgumentError, match="required") as info:
        _run(case, data["examples"])
    records = [data["examples"][i]["features"] for i in case["records"]]
    first_missing = next(i for i, r in enumerate(records) if "score" not in r)
    assert info.value.record_index == first_missing


@pytest.mark.parametrize("compression", ["none", "gzip", "zlib"])
def test_records_in_tfrecord_files(compression):
    data = load_fixture_json("tfrecord", SPEC)
    path = fixture_path("tfrecord", f"examples_{compression}.tfrecord")
    records = list(iter_records(str(path), compression.upper().replace("NONE", "")))
    assert records == [_b64(e["serialized_b64"]) for e in data["examples"]]


def test_single_example_batch_mode_behaves_as_parse_example(kernel):
    data = load_fixture_json("tfrecord", SPEC)
    recs = np.array([_b64(e["serialized_b64"]) for e in data["examples"]], object)
    features = {"id": FixedLenFeature([], "int64"), "tags": VarLenFeature("int64")}
    with vectorized.tracing() as calls:
        with vectorized.batch_mode():
            batched = parse_single_example(recs, features)
    assert calls == ["parse_single_example"]
    expected = parse_example(list(recs), features)
    np.testing.assert_array_equal(batched["id"], expected["id"])
    assert batched["tags"] == expected["tags"]


def test_empty_batch(kernel):
    out = parse_example(
        [], {"a": FixedLenFeature([2], "float32"), "b": VarLenFeature("string")}
    )
    assert out["a"].shape == (0, 2) and out["a"].dtype == np.float32
    assert out["b"].dense_shape.tolist() == [0, 0]


def test_malformed_record_names_index(kernel):
    good = _b64(load_fixture_json("tfrecord", SPEC)["examples"][0]["serialized_b64"])
    with pytest.raises(pl_errors.InvalidArgumentError, match="record 1") as info:
        parse_example([good, good[:-3]], {"id": VarLenFeature("int64")})
    assert info.value.record_index == 1


def test_duplicate_keys_last_wins_and_unpacked_values(kernel):
    def entry(key, feature):
        body = b"\x0a" + bytes([len(key)]) + key
        body += b"\x12" + bytes([len(feature)]) + feature
        return b"\x0a" + bytes([len(body)]) + body

    first = b"\x1a\x03\x0a\x01\x07"  # Int64List packed [7]
    second = b"\x1a\x04\x08\x05\x08\x06"  # Int64List unpacked [5, 6]
    entries = entry(b"k", first) + entry(b"k", second)
    record = b"\x0a" + bytes([len(entries)]) + entries
    out = parse_example([record], {"k": VarLenFeature("int64")})
    assert out["k"].values.tolist() == [5, 6]


def test_unsupported_dtype_is_refused_when_parsing_not_when_built():
    # as TF: the spec holds int32; the parse op takes only Example's three dtypes
    spec = FixedLenFeature([], np.int32)
    assert spec.dtype == np.int32
    record = pl.io.serialize_example({"a": np.array([1], np.int64)})
    with pytest.raises(pl_errors.InvalidArgumentError, match="'Tdense' of int32.*'a'"):
        pl.io.parse_example([record], {"a": spec})
    with pytest.raises(
        pl_errors.InvalidArgumentError, match="'sparse_types' of double"
    ):
        pl.io.parse_single_example(record, {"a": pl.io.VarLenFeature(np.float64)})
    with pytest.raises(pl_errors.InvalidArgumentError, match="must be a dtype"):
        FixedLenFeature([], "no such dtype")
