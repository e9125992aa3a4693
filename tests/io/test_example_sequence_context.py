"""An empty Feature{} in a SequenceExample's context: TF's errors, and where."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import InvalidArgumentError
from pipeline.io.example_sequence_context import empty_context_error

# context {"c": Feature{}} and {"c": [4]}, written from the wire format
EMPTY = bytes.fromhex("0a070a050a01631200")
FOUR = bytes.fromhex("0a0c0a0a0a016312051a030a0104")
FLOAT = bytes.fromhex("0a0f0a0d0a0163120812060a040000803f")  # {"c": [1.0]}


def test_the_first_record_with_an_empty_feature_is_named():
    spec = {"c": pl.io.FixedLenFeature([], np.int64, default_value=0)}
    err = empty_context_error([FOUR, EMPTY, EMPTY], spec, ["a", "b", "c"], False)
    assert err.message == "Unexpected number of elements in example b"
    assert (err.record_index, err.feature) == (1, "c")


def test_none_without_empty_features_or_fixed_len_specs():
    fixed = {"c": pl.io.FixedLenFeature([], np.int64, default_value=0)}
    assert empty_context_error([FOUR, b""], fixed, ["a", "b"], False) is None
    var = {"c": pl.io.VarLenFeature(np.int64)}
    assert empty_context_error([EMPTY], var, ["a"], False) is None


def test_a_type_mismatch_is_reported_before_the_empty_feature():
    # TF checks the types of every record first
    spec = {"c": pl.io.FixedLenFeature([], np.int64, default_value=0)}
    with pytest.raises(InvalidArgumentError, match="Name: n1, Context feature: c"):
        pl.io.parse_sequence_example([EMPTY, FLOAT], spec, example_names=["n0", "n1"])


def test_parse_example_still_reads_it_as_missing():
    spec = {"c": pl.io.FixedLenFeature([], np.int64, default_value=9)}
    assert pl.io.parse_example([EMPTY, FOUR], spec)["c"].tolist() == [9, 4]
