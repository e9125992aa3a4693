"""A ``map``'s ``element_spec`` where the function's output shape depends on
the data: TF traces the function and reports None for such dims.

Not in TF's test files; the expected specs are TF 2.21's (these cases run
against it). pipeline learns a map's spec from one sample output, so the
parsing functions declare their outputs' static shapes (see
``pipeline.io.output_shapes``).
"""

from __future__ import annotations

import numpy as np
from conformance_parsing import bytes_feature, example, float_feature, int64_feature
from conformance_support import elements, spec_shapes


def _records():
    def record(ints, floats):
        return example(
            {
                "a": int64_feature(ints),
                "c": int64_feature(ints),
                "b": float_feature(floats),
                "s": bytes_feature([b"x"] * len(ints)),
            }
        )

    return [record([1, 2, 3], [1.0, 2.0]), record([4], [3.0, 4.0])]


def _features(api):
    io = api.io
    return {
        "a": io.VarLenFeature(api.int64),
        "b": io.FixedLenFeature([2], api.float32),
        "r": io.RaggedFeature(api.int64, value_key="c"),
        "s": io.FixedLenSequenceFeature(
            [], api.string, allow_missing=True, default_value=b""
        ),
    }


def test_parse_single_example_in_map_reports_unknown_dims(api):
    features = _features(api)
    ds = api.data.Dataset.from_tensor_slices(_records())
    ds = ds.map(lambda r: api.io.parse_single_example(r, features))
    spec = ds.element_spec
    assert spec_shapes(spec) == {"a": (None,), "b": (2,), "r": (None,), "s": (None,)}
    assert type(spec["a"]).__name__ == "SparseTensorSpec"
    assert [type(spec[k]).__name__ for k in "brs"] == ["TensorSpec"] * 3
    got = [(e["r"].tolist(), e["s"].tolist()) for e in elements(ds)]
    assert got == [([1, 2, 3], [b"x"] * 3), ([4], [b"x"])]


def test_a_parsed_leaf_returned_as_is_keeps_the_declared_shape(api):
    features = _features(api)
    ds = api.data.Dataset.from_tensor_slices(_records())
    ds = ds.map(lambda r: (api.io.parse_single_example(r, features)["s"], 1))
    assert spec_shapes(ds.element_spec) == ((None,), ())
    ds = api.data.Dataset.from_tensor_slices(_records())
    ds = ds.map(lambda r: api.io.parse_single_example(r, features)["r"])
    assert spec_shapes(ds.element_spec) == (None,)
    assert [e.tolist() for e in elements(ds)] == [[1, 2, 3], [4]]


def test_fixed_shapes_stay_known(api):
    features = {"b": api.io.FixedLenFeature([2], api.float32)}
    ds = api.data.Dataset.from_tensor_slices(_records())
    ds = ds.map(lambda r: api.io.parse_single_example(r, features)["b"])
    assert spec_shapes(ds.element_spec) == (2,)
    assert np.asarray(elements(ds)).tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_parse_example_in_map_takes_the_batch_dim_from_its_input(api):
    features = _features(api)
    ds = api.data.Dataset.from_tensor_slices(_records())
    parsed = ds.batch(2).map(lambda r: api.io.parse_example(r, features))
    spec = parsed.element_spec
    assert spec_shapes(spec) == {
        "a": (None, None),
        "b": (None, 2),
        "r": (None, None),
        "s": (None, None),
    }
    assert spec["r"].ragged_rank == 1
    parsed = ds.batch(2, drop_remainder=True)
    parsed = parsed.map(lambda r: api.io.parse_example(r, features))
    assert spec_shapes(parsed.element_spec)["b"] == (2, 2)
    assert spec_shapes(parsed.element_spec)["s"] == (2, None)
    (got,) = elements(parsed)
    assert got["r"] == [[1, 2, 3], [4]]
    assert got["s"].tolist() == [[b"x"] * 3, [b"x", b"", b""]]


def test_decode_csv_in_map_keeps_the_input_batch_dim(api):
    ds = api.data.Dataset.from_tensor_slices([b"1,a", b"3,b", b"5,c"]).batch(2)
    ds = ds.map(lambda x: api.io.decode_csv(x, [[0], [""]]))
    spec = ds.element_spec
    assert [tuple(s.shape) for s in spec] == [(None,), (None,)]
    rows = [[v.tolist() for v in element] for element in ds.as_numpy_iterator()]
    assert rows == [[[1, 3], [b"a", b"b"]], [[5], [b"c"]]]
