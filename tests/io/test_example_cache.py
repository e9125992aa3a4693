"""parse_example's cached parse plans follow in-place changes of the spec dict."""

from __future__ import annotations

import numpy as np

from pipeline.io.example import parse_example
from pipeline.io.example_message import serialize_example
from pipeline.io.example_spec import FixedLenFeature, VarLenFeature


def test_spec_dict_changed_in_place_is_reparsed():
    rec = serialize_example(
        {"a": np.array([3], np.int64), "b": np.array([1.5], np.float32)}
    )
    features = {"a": FixedLenFeature([], "int64")}
    assert parse_example([rec], features)["a"].tolist() == [3]
    features["a"] = VarLenFeature("int64")
    assert parse_example([rec], features)["a"].values.tolist() == [3]
    features["b"] = FixedLenFeature([], "float32")
    out = parse_example([rec], features)
    assert sorted(out) == ["a", "b"] and out["b"].tolist() == [1.5]
    del features["a"]
    assert list(parse_example([rec], features)) == ["b"]
