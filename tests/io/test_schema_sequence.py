"""Schemas of SequenceExample feature lists: folding, JSON and parse specs."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import InvalidArgumentError
from pipeline.io.schema import Column, Schema, SchemaBuilder, spec_from_schema


def _list(kind, values, lengths, steps) -> Column:
    return Column(kind, np.array(values), np.array(lengths), steps=np.array(steps))


def test_fold_counts_records_steps_and_values_per_step():
    b = SchemaBuilder("tfrecord")
    b.update({"t": _list("int64", [1, 2, 3], [2, 0, 1], [2, -1, 1])})
    b.update({"t": _list("int64", [4, 5], [1, 1], [0, 2])})
    f = b.finish().features["t"]
    assert f.sequence and (f.present, f.records) == (4, 5)
    assert (f.min_steps, f.max_steps) == (0, 2)
    assert (f.min_length, f.max_length) == (0, 2)
    assert f.shape() is None  # values per step vary


def test_json_round_trip_and_spec():
    b = SchemaBuilder("tfrecord")
    b.update(
        {
            "id": Column("int64", np.array([7, 8]), np.array([1, 1])),
            "e": _list("float", [0.5, 1.0, 2.0, 3.0], [2, 2], [1, -1]),
        }
    )
    schema = Schema.from_json(b.finish().to_json())
    e = schema.features["e"]
    assert e.sequence and (e.min_steps, e.max_steps, e.present) == (1, 1, 1)
    spec = spec_from_schema(schema)
    assert set(spec) == {"id"} and spec.column_names == ["id"]
    assert list(spec.context_features) == ["id"]
    fl = spec.sequence_features["e"]
    assert isinstance(fl, pl.io.FixedLenSequenceFeature)
    assert list(fl.shape) == [2] and fl.dtype == np.float32 and fl.allow_missing
    assert not schema.features["id"].sequence


def test_every_record_with_the_list_gives_allow_missing_false():
    b = SchemaBuilder()
    b.update({"e": _list("int64", [1, 2], [1, 1], [1, 1])})
    fl = spec_from_schema(b.finish()).sequence_features["e"]
    assert list(fl.shape) == [] and not fl.allow_missing


def test_a_name_seen_as_list_and_as_feature_is_refused():
    b = SchemaBuilder()
    b.update({"x": Column("int64", np.array([1]), np.array([1]))})
    with pytest.raises(InvalidArgumentError, match="both a context feature and"):
        b.update({"x": _list("int64", [1], [1], [1])})


def test_example_schemas_keep_an_empty_sequence_spec():
    b = SchemaBuilder()
    b.update({"x": Column("int64", np.array([1]), np.array([1]))})
    spec = spec_from_schema(b.finish())
    assert spec.sequence_features == {} and set(spec.context_features) == {"x"}
    assert "sequence" not in b.finish().to_json()
