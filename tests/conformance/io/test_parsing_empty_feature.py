"""An empty ``Feature{}`` (a map entry whose Feature sets no list: TFX's
missing value) beside records with values, for each kind of parse spec.

TensorFlow 2.21 reads it as a missing feature in ``parse_example``: a
``FixedLenFeature`` takes its default (and without one fails as for an absent
key), a ``VarLenFeature`` or ``RaggedFeature`` of any dtype gets no values,
and ``FixedLenSequenceFeature(allow_missing=True)`` pads the row. Checked
with ``--api=tensorflow`` (``make conformance-tf``).
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_parsing import (
    check,
    empty_feature,
    example,
    int64_feature,
    sequence_example,
    sparse,
)


def _records():
    return [
        example({"a": empty_feature(), "s": empty_feature()}),
        example({"a": int64_feature([3]), "s": empty_feature()}),
    ]


def test_fixed_len_takes_its_default(api):
    spec = {"a": api.io.FixedLenFeature([], api.int64, default_value=-7)}
    check(api.io.parse_example(_records(), spec), {"a": np.array([-7, 3], np.int64)})


def test_fixed_len_without_default_is_required(api):
    spec = {"a": api.io.FixedLenFeature([], api.int64)}
    with pytest.raises(
        api.errors.InvalidArgumentError,
        match=r"Feature: a \(data type: int64\) is required but could not be found",
    ):
        api.io.parse_example(_records(), spec)


@pytest.mark.parametrize("dtype", ["int64", "float32", "string"])
def test_var_len_of_any_dtype_gets_no_values(api, dtype):
    spec = {"s": api.io.VarLenFeature(getattr(api, dtype))}
    values = np.empty(0, object if dtype == "string" else dtype)
    check(api.io.parse_example(_records(), spec), {"s": sparse([], values, [2, 0])})


def test_var_len_beside_values(api):
    spec = {"a": api.io.VarLenFeature(api.int64)}
    out = api.io.parse_example(_records(), spec)
    check(out, {"a": sparse([[1, 0]], np.array([3], np.int64), [2, 1])})


def test_fixed_len_sequence_with_allow_missing_pads(api):
    spec = {"a": api.io.FixedLenSequenceFeature([], api.int64, allow_missing=True)}
    out = api.io.parse_example(_records(), spec)
    check(out, {"a": np.array([[0], [3]], np.int64)})


def test_ragged_gets_an_empty_row(api):
    spec = {"a": api.io.RaggedFeature(api.int64)}
    out = api.io.parse_example(_records(), spec)["a"]
    assert [list(map(int, row)) for row in out.to_list()] == [[], [3]]


# SequenceExample: TF's parser reads an empty Feature{} in the context as a
# list of no values (a FixedLenFeature refuses it, default or not), and an
# empty Feature{} time step as a step of no values.


def _sequences():
    return [
        sequence_example({"c": empty_feature()}, {"t": [int64_feature([1])]}),
        sequence_example({"c": int64_feature([4])}, {"t": [int64_feature([2])]}),
    ]


@pytest.mark.parametrize("default", [9, None])
def test_sequence_context_fixed_len_refuses_it(api, default):
    spec = {"c": api.io.FixedLenFeature([], api.int64, default_value=default)}
    with pytest.raises(
        api.errors.InvalidArgumentError,
        match="Unexpected number of elements in example n0",
    ):
        api.io.parse_sequence_example(
            _sequences(), context_features=spec, example_names=["n0", "n1"]
        )


@pytest.mark.parametrize(("shape", "size"), [([], 1), ([2], 2)])
def test_single_sequence_context_without_default(api, shape, size):
    spec = {"c": api.io.FixedLenFeature(shape, api.int64)}
    with pytest.raises(
        api.errors.InvalidArgumentError,
        match=f"Inconsistent max number of elements for feature c: expected {size}, "
        "but found 0",
    ):
        api.io.parse_single_sequence_example(_sequences()[0], context_features=spec)


def test_single_sequence_context_with_default(api):
    spec = {"c": api.io.FixedLenFeature([], api.int64, default_value=9)}
    with pytest.raises(
        api.errors.InvalidArgumentError, match="Unexpected number of elements"
    ):
        api.io.parse_single_sequence_example(_sequences()[0], context_features=spec)


def test_sequence_context_var_len_gets_no_values(api):
    spec = {"c": api.io.VarLenFeature(api.int64)}
    ctx, _, _ = api.io.parse_sequence_example(_sequences(), context_features=spec)
    check(ctx, {"c": sparse([[1, 0]], np.array([4], np.int64), [2, 1])})


def test_empty_step_is_a_step_of_no_values(api):
    rec = sequence_example(
        {}, {"t": [int64_feature([1]), empty_feature(), int64_feature([2])]}
    )
    spec = {"t": api.io.VarLenFeature(api.int64)}
    _, lists = api.io.parse_single_sequence_example(rec, sequence_features=spec)
    check(lists, {"t": sparse([[0, 0], [2, 0]], np.array([1, 2], np.int64), [3, 1])})
    fixed = {"t": api.io.FixedLenSequenceFeature([], api.int64)}
    with pytest.raises(
        api.errors.InvalidArgumentError, match="Key: t, Index: 1.  Number of values"
    ):
        api.io.parse_single_sequence_example(rec, sequence_features=fixed)
