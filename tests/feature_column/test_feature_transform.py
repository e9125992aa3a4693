"""Conformance: every feature_columns.json case through our numpy DenseFeatures."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from support import fixture_path, load_fixture_json

import pipeline as pl
from pipeline import errors

fc = pl.feature_column
DATA = load_fixture_json("feature_column", "feature_columns.json")
DTYPES = {
    "float32": np.float32,
    "float64": np.float64,
    "int64": np.int64,
    "int32": np.int32,
    "string": object,
}


def tensor(spec):
    dtype = DTYPES[spec["dtype"]]
    if spec["kind"] == "dense":
        values = spec["values"]
        if dtype is object:
            arr = np.array(values, dtype=object)
            flat = [v.encode() for v in arr.reshape(-1).tolist()]
            return np.array(flat, dtype=object).reshape(spec["shape"])
        return np.array(values, dtype=dtype).reshape(spec["shape"])
    values = spec["values"]
    if dtype is object:
        values = np.array([v.encode() for v in values], dtype=object)
    else:
        values = np.array(values, dtype=dtype)
    return pl.SparseTensor(spec["indices"], values, spec["dense_shape"])


def normalizer(expr):
    if expr is None:
        return None
    return eval(f"lambda x: {expr}")  # noqa: S307  (fixture expressions)


def build(c):
    t = c["type"]
    if t == "numeric_column":
        return fc.numeric_column(
            c["key"],
            tuple(c["shape"]),
            c["default_value"],
            DTYPES[c["dtype"]],
            normalizer(c["normalizer_fn"]),
        )
    if t == "bucketized_column":
        return fc.bucketized_column(build(c["source_column"]), c["boundaries"])
    if t == "categorical_column_with_vocabulary_list":
        return fc.categorical_column_with_vocabulary_list(
            c["key"],
            c["vocabulary_list"],
            c["dtype"],
            c["default_value"],
            c["num_oov_buckets"],
        )
    if t == "categorical_column_with_vocabulary_file":
        path = str(fixture_path("feature_column", c["vocabulary_file"]))
        return fc.categorical_column_with_vocabulary_file(
            c["key"],
            path,
            c["vocabulary_size"],
            c["dtype"],
            c["default_value"],
            c["num_oov_buckets"],
        )
    if t == "categorical_column_with_identity":
        return fc.categorical_column_with_identity(
            c["key"], c["num_buckets"], c["default_value"]
        )
    if t == "categorical_column_with_hash_bucket":
        return fc.categorical_column_with_hash_bucket(
            c["key"], c["hash_bucket_size"], c["dtype"]
        )
    if t == "crossed_column":
        keys = [k if isinstance(k, str) else build(k) for k in c["keys"]]
        return fc.crossed_column(keys, c["hash_bucket_size"], c["hash_key"])
    if t == "indicator_column":
        return fc.indicator_column(build(c["categorical_column"]))
    if t == "embedding_column":
        value = np.array(c["initializer"]["value"], dtype=np.float32)
        return fc.embedding_column(
            build(c["categorical_column"]),
            c["dimension"],
            c["combiner"],
            initializer=lambda shape, dtype=None: value,
            max_norm=c["max_norm"],
            trainable=c["trainable"],
        )
    if t == "weighted_categorical_column":
        return fc.weighted_categorical_column(
            build(c["categorical_column"]), c["weight_feature_key"], DTYPES[c["dtype"]]
        )
    raise AssertionError(f"unknown column type {t}")


def features_for(case):
    source = case["features_from"]
    if source == "parse_example":
        parse_example = pl.io.parse_example
        columns = [build(c) for c in case["columns"]]
        serialized = np.array(
            [base64.b64decode(s) for s in case["serialized_examples_b64"]], dtype=object
        )
        return parse_example(serialized, fc.make_parse_example_spec(columns))
    feats = {k: tensor(v) for k, v in DATA["features"].items()}
    if source == "features_int32_code":
        feats["code"] = feats["code"].astype(np.int32)
    return feats


def expected_error_class(name):
    return (
        getattr(errors, name, None)
        or {"ValueError": ValueError, "TypeError": TypeError}[name]
    )


@pytest.mark.parametrize("case", DATA["cases"], ids=lambda c: c["name"])
def test_case(case):
    if "expected_error" in case:
        err = expected_error_class(case["expected_error"]["class"])
        with pytest.raises(err):
            columns = [build(c) for c in case["columns"]]
            fc.dense_features(columns, features_for(case))
        return
    columns = [build(c) for c in case["columns"]]
    got = fc.dense_features(columns, features_for(case))
    out = case["output"]
    assert got.dtype == np.float32
    assert list(got.shape) == out["shape"]
    np.testing.assert_allclose(
        got, np.array(out["values"], np.float32), rtol=1e-5, atol=1e-6
    )
    ordered = sorted(columns, key=lambda c: c.name)
    start = 0
    for column, part in zip(ordered, case["layout"]):
        assert column.name == part["column_name"]
        assert (start, column.width) == (part["start"], part["width"])
        start += column.width


def test_exact_categorical_outputs():
    # parsed/decoded values (indicator, bucketize) must match exactly
    for case in DATA["cases"]:
        if "output" not in case or "embedding" in str(case["columns"]):
            continue
        if case["features_from"] != "features" or "normalizer" in case["name"]:
            continue
        got = fc.dense_features([build(c) for c in case["columns"]], features_for(case))
        want = np.array(case["output"]["values"], np.float32)
        assert np.array_equal(got, want), case["name"]


def test_hash_bucket_column_fixture():
    data = load_fixture_json("hashing", "hash_bucket_column.json")
    for kind, dtype in (("int64", np.int64), ("string", object)):
        section = data[kind]
        raw = section["inputs"]
        values = (
            np.array([v.encode() for v in raw], dtype=object)
            if dtype is object
            else np.array(raw, dtype=np.int64)
        )
        n = len(raw)
        sparse = pl.SparseTensor([[i, 0] for i in range(n)], values, [n, 1])
        for res in section["results"]:
            col = fc.categorical_column_with_hash_bucket(
                "k", res["hash_bucket_size"], kind
            )
            ids = fc.transform_ids(col, {"k": sparse})
            assert ids.values.tolist() == res["ids"]
            dense = fc.transform_dense(
                fc.indicator_column(col), {"k": values.reshape(n, 1)}
            )
            argmax = [int(np.argmax(r)) if r.any() else None for r in dense]
            assert argmax == res["dense_input_indicator_argmax"]


def test_parse_spec_of_ordering_case():
    case = next(c for c in DATA["cases"] if c["name"] == "ordering_multi_column")
    spec = fc.make_parse_example_spec([build(c) for c in case["columns"]])
    want = DATA["make_parse_example_spec_of_ordering_case"]
    assert sorted(spec) == sorted(want)
    names = {"float32": np.float32, "int64": np.int64, "string": object}
    for key, feature in spec.items():
        kind = want[key]["type"]
        assert type(feature).__name__ == kind, key
        assert feature.dtype == np.dtype(names[want[key]["dtype"]]), key
        if kind == "FixedLenFeature":
            assert list(feature.shape) == want[key]["shape"], key
            assert feature.default_value == want[key]["default_value"], key


def test_parse_spec_matches_the_cases_stored_spec():
    for case in DATA["cases"]:
        if case["features_from"] != "parse_example":
            continue
        spec = fc.make_parse_example_spec([build(c) for c in case["columns"]])
        want = case["parse_example_spec"]
        assert sorted(spec) == sorted(want)
        for key, feature in spec.items():
            assert type(feature).__name__ == want[key]["type"]
            if want[key]["type"] == "FixedLenFeature":
                default = feature.default_value
                got = None if default is None else list(np.ravel(default))
                assert got == want[key]["default_value"], key
                assert list(feature.shape) == want[key]["shape"], key
