"""Static shapes declared by the parsing functions for a map's element_spec."""

from __future__ import annotations

import collections

import numpy as np

import pipeline as pl
from pipeline.io.example_message import serialize_example
from pipeline.io.output_shapes import collecting, declare, declare_parsed

FEATURES = {
    "seq": pl.io.FixedLenSequenceFeature([], pl.int64, allow_missing=True),
    "fixed": pl.io.FixedLenFeature([2], pl.int64),
}


def _record(i: int) -> bytes:
    return serialize_example(
        {
            "seq": np.arange(i + 1, dtype=np.int64),
            "fixed": np.array([i, i], np.int64),
        }
    )


def test_declare_outside_collecting_is_a_no_op():
    value = np.zeros(2)
    declare(value, (None,))
    with collecting() as shapes:
        pass
    assert shapes.shape_of(value) is None


def test_declared_shape_belongs_to_that_object_only():
    value, other = np.zeros(2), np.zeros(2)
    with collecting() as shapes:
        declare(value, (None,))
        declare(other, (5,), like=value)
    assert shapes.shape_of(value) == (None,)
    assert shapes.shape_of(np.zeros(2)) is None
    assert shapes.declared(other) == ((5,), value)
    assert shapes.refers_to_inputs()


def test_declare_parsed_single_and_batched():
    out = {"seq": np.arange(3), "fixed": np.zeros(2), "other": np.zeros(1)}
    with collecting() as shapes:
        declare_parsed(out, FEATURES)
    assert shapes.shape_of(out["seq"]) == (None,)
    assert shapes.declared(out["fixed"]) is None  # the sample's shape is TF's
    assert shapes.declared(out["other"]) is None
    batch = np.array([b"r"], object)
    with collecting() as shapes:
        declare_parsed(out, FEATURES, like=batch)
    assert shapes.declared(out["fixed"]) == ((2,), batch)
    assert shapes.declared(out["seq"]) == ((None,), batch)


def test_map_spec_uses_the_declared_shapes_and_calls_upstream_once():
    seen: collections.Counter[int] = collections.Counter()

    def make(i):
        seen[int(i)] += 1
        return _record(int(i))

    ds = pl.data.Dataset.range(5).map(make).batch(2)
    ds = ds.map(lambda r: pl.io.parse_example(r, FEATURES))
    spec = ds.element_spec
    assert spec["seq"].shape == (None, None)
    assert spec["fixed"].shape == (None, 2)
    got = [b["seq"].tolist() for b in ds]
    # record i holds 0..i; a batch pads to its longest with 0
    assert got == [[[0, 0], [0, 1]], [[0, 1, 2, 0], [0, 1, 2, 3]], [[0, 1, 2, 3, 4]]]
    assert dict(seen) == {i: 1 for i in range(5)}


def test_a_computed_output_keeps_the_samples_shape():
    ds = pl.data.Dataset.from_tensor_slices([_record(2), _record(0)])
    ds = ds.map(lambda r: pl.io.parse_single_example(r, FEATURES)["seq"] + 1)
    assert ds.element_spec.shape == (3,)  # a departure from TF's (None,)
