"""Schema inference from ragged columns, JSON round trip, load_spec."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pipeline.errors import InvalidArgumentError, NotFoundError
from pipeline.io import example, fs
from pipeline.io.schema import Column, Schema, SchemaBuilder, load_spec, merge_kinds


def _col(kind, values, lengths, **kw):
    dtype = object if kind == "string" else None
    return Column(kind, np.array(values, dtype=dtype), np.array(lengths), **kw)


def _built(*batches):
    b = SchemaBuilder("tfrecord")
    for batch in batches:
        b.update(batch)
    return b.finish()


def test_fixed_variable_and_missing_features():
    s = _built(
        {
            "fixed": _col("int64", [1, 2, 3, 4], [2, 2]),
            "var": _col("string", [b"a", b"b", b"c"], [1, 2]),
        },
        {"fixed": _col("int64", [5, 6], [2]), "opt": _col("float", [0.5], [1])},
    )
    f, v, o = s.features["fixed"], s.features["var"], s.features["opt"]
    assert s.records == 3
    assert (f.kind, f.fixed_length, f.shape(), f.presence) == ("int64", 2, [2], 1.0)
    assert (v.kind, v.present, v.min_length, v.max_length) == ("string", 2, 1, 2)
    assert v.shape() is None
    assert (o.kind, o.present, o.records, o.shape()) == ("float", 1, 3, None)
    assert v.examples == [b"a", b"b", b"c"]


def test_scalar_feature_has_empty_shape():
    s = _built({"x": _col("float", [1.0, 2.0], [1, 1])})
    assert s.features["x"].shape() == []


def test_kinds_widen_across_batches():
    s = _built({"x": _col("int64", [1], [1])}, {"x": _col("float", [1.5], [1])})
    assert s.features["x"].kind == "float"
    assert merge_kinds("float", "string") == "string"
    assert merge_kinds("int64", "int64") == "int64"


def test_never_present_feature_is_a_string():
    s = _built({"x": _col("int64", [], [-1, -1])})
    f = s.features["x"]
    assert (f.kind, f.present, f.presence, f.min_length) == ("string", 0, 0.0, 0)


def test_json_round_trip():
    s = _built(
        {"a": _col("int64", [1, 2], [1, 1]), "b": _col("string", [b"x"], [1, -1])}
    )
    doc = json.loads(s.to_json())
    assert doc["features"]["a"] == {
        "kind": "int64",
        "shape": [],
        "min_length": 1,
        "max_length": 1,
        "presence": 1.0,
        "present": 2,
        "examples": [1, 2],
    }
    back = Schema.from_json(s.to_json())
    assert back.features["b"].presence == 0.5
    assert back.features["b"].shape() is None


def test_bad_kind_in_document_raises():
    doc = {"records": 1, "features": {"a": {"kind": "complex"}}}
    with pytest.raises(InvalidArgumentError, match="kind must be one of"):
        Schema.from_json(json.dumps(doc))


def _save(s: Schema, path: str) -> str:
    with fs.open_output(path) as f:
        f.write(s.to_json().encode())
    return path


def test_load_spec_builds_parse_features_and_record_defaults():
    s = _built(
        {
            "n": _col("int64", [1, 2], [1, 1]),
            "v": _col("float", [0.5, 1.5, 2.5], [1, 2]),
            "s": _col("string", [b"a"], [1, -1]),
        }
    )
    spec = load_spec(_save(s, "memory://test-schema/spec.json"))
    assert list(spec) == ["n", "v", "s"]
    assert isinstance(spec["n"], example.FixedLenFeature)
    assert tuple(spec["n"].shape) == () and spec["n"].dtype == np.int64
    assert isinstance(spec["v"], example.VarLenFeature)
    assert spec["v"].dtype == np.float32
    assert isinstance(spec["s"], example.VarLenFeature)
    n, v, st = spec.record_defaults
    assert (n.dtype, n.size) == (np.int64, 0)  # required
    assert (v.dtype, v.size) == (np.float32, 0)
    assert st.dtype == object and st.tolist() == [b""]  # optional, default b""
    assert spec.column_names == ["n", "v", "s"]


def test_load_spec_errors(tmp_path):
    with pytest.raises(NotFoundError):
        load_spec(str(tmp_path / "missing.json"))
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(InvalidArgumentError, match="not a schema document"):
        load_spec(str(bad))
