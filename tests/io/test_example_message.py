"""pipeline.io.example_message: byte-identical to TF's deterministic serialization."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import load_fixture_json

from pipeline.errors import InvalidArgumentError
from pipeline.io.example_message import (
    BytesList,
    Example,
    Feature,
    Features,
    FloatList,
    Int64List,
    serialize_example,
)


def _feature(spec):
    kind = spec["kind"]
    if kind is None:
        return Feature()
    if kind == "bytes_list":
        return Feature(
            bytes_list=BytesList([base64.b64decode(v) for v in spec["value_b64"]])
        )
    if kind == "float_list":
        return Feature(float_list=FloatList(np.array(spec["value"], np.float32)))
    return Feature(int64_list=Int64List(spec["value"]))


def _array(spec):
    """The serialize_example input for a feature spec (arrays or None)."""
    kind = spec["kind"]
    if kind is None:
        return None
    if kind == "bytes_list":
        return np.array([base64.b64decode(v) for v in spec["value_b64"]], dtype=object)
    if kind == "float_list":
        return np.array([float(v) for v in spec["value"]], dtype=np.float32)
    return np.array(spec["value"], dtype=np.int64)


def _items():
    return load_fixture_json("tfrecord", "example_serialization.json")["items"]


def test_message_serialization_matches_tensorflow():
    for item in _items():
        expected = base64.b64decode(item["serialized_deterministic_b64"])
        if item["features"] is None:
            example = Example()
        else:
            example = Example(
                Features({k: _feature(v) for k, v in item["features"].items()})
            )
        assert example.SerializeToString() == expected, item["name"]
        assert Example.FromString(expected) == example, item["name"]
        assert Example.FromString(expected).SerializeToString() == expected


def test_serialize_example_matches_tensorflow():
    for item in _items():
        if item["features"] is None:
            continue
        values = {k: _array(v) for k, v in item["features"].items()}
        expected = base64.b64decode(item["serialized_deterministic_b64"])
        assert serialize_example(values) == expected, item["name"]


def test_examples_json_roundtrip():
    data = load_fixture_json("tfrecord", "examples.json")
    for ex in data["examples"]:
        serialized = base64.b64decode(ex["serialized_b64"])
        values = {k: _array(v) for k, v in ex["features"].items()}
        assert serialize_example(values) == serialized, ex["index"]
        parsed = Example.FromString(serialized)
        assert sorted(parsed.features.feature) == sorted(ex["features"])


def test_key_order_prefix_rule():
    out = serialize_example(
        {k: np.array([1]) for k in ["a", "", "ab", "b", "k9", "k10"]}
    )
    keys = [f for f in Example.FromString(out).features.feature]
    assert keys == ["ab", "a", "b", "k10", "k9", ""]


def test_python_values_and_accessors():
    ex = Example.from_dict({"s": "hé", "i": [1, 2], "f": [0.5], "b": True})
    feats = ex.features.feature
    assert feats["s"].bytes_list.value == ["hé".encode()]
    assert feats["i"].int64_list.value.tolist() == [1, 2]
    assert feats["f"].WhichOneof("kind") == "float_list"
    assert feats["b"].int64_list.value.tolist() == [1]
    assert feats["i"].float_list.value.tolist() == []  # unset kind reads empty
    copy = Example()
    assert copy.ParseFromString(ex.SerializeToString()) > 0 and copy == ex


def test_errors():
    with pytest.raises(InvalidArgumentError, match="at most one"):
        Feature(bytes_list=BytesList(), int64_list=Int64List())
    with pytest.raises(InvalidArgumentError, match="dtype"):
        serialize_example({"c": np.array([1 + 2j])})
    with pytest.raises(InvalidArgumentError, match="Could not parse"):
        Example.FromString(b"\x0a\x05\x0a")


@given(
    st.dictionaries(
        st.text(max_size=4),
        st.one_of(
            st.none(),
            st.lists(st.integers(-(2**63), 2**63 - 1), max_size=4).map(
                lambda v: np.array(v, np.int64)
            ),
            st.lists(st.integers(0, 2**31), max_size=3).map(
                lambda v: np.array(v, np.uint32)
            ),
            st.lists(st.floats(width=32), max_size=4).map(
                lambda v: np.array(v, np.float32)
            ),
            st.lists(st.floats(), max_size=2).map(lambda v: np.array(v, np.float64)),
            st.lists(st.binary(max_size=4), max_size=3).map(
                lambda v: np.array(v, object)
            ),
            st.lists(st.text(max_size=3), max_size=2).map(
                lambda v: np.array(v, object)
            ),
        ),
        max_size=5,
    )
)
def test_serialize_example_fast_path_equals_message_path(values):
    encoded = serialize_example(values)
    assert encoded == Example.from_dict(values).SerializeToString()
    assert Example.FromString(encoded) == Example.from_dict(values)


def _entry(key: bytes, feature: bytes) -> bytes:
    # One map entry of Features, built by hand: tag 1 (key), tag 2 (Feature).
    body = b"\x0a" + bytes([len(key)]) + key + b"\x12" + bytes([len(feature)])
    return b"\x0a" + bytes([len(body) + len(feature)]) + body + feature


def test_key_that_is_not_utf8_round_trips_byte_for_byte():
    # Feature{int64_list{value: 5}} under keys b"a" and b"\xffb", in TF's
    # deterministic (bytewise) order.
    feature = b"\x1a\x03\x0a\x01\x05"
    entries = _entry(b"a", feature) + _entry(b"\xffb", feature)
    record = b"\x0a" + bytes([len(entries)]) + entries
    example = Example.FromString(record)
    assert sorted(example.features.feature) == ["a", "\udcffb"]
    assert example.features.feature["\udcffb"].int64_list.value == [5]
    assert example.SerializeToString() == record
    assert serialize_example({"\udcffb": np.array([5]), "a": [5]}) == record


def test_key_with_a_lone_surrogate_that_stands_for_no_byte():
    example = Example(Features({"x\ud800": Feature(int64_list=Int64List([1]))}))
    with pytest.raises(InvalidArgumentError, match=r"lone surrogate.*index 1"):
        example.SerializeToString()
    with pytest.raises(InvalidArgumentError, match=r"Feature key 'x\\ud800'"):
        serialize_example({"x\ud800": np.array([1])})
