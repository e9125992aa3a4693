"""Compiled SequenceExample indexers (index_feature_lists, index_steps) vs the twin."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from conformance_parsing import (
    bytes_feature,
    float_feature,
    int64_feature,
    sequence_example,
)
from hypothesis import given
from hypothesis import strategies as st

from pipeline import _kernels

ref = _kernels.reference("example")
nat = importlib.import_module("pipeline._native.example")
pytestmark = [pytest.mark.native]

KEYS = [b"a", b"b", b"", b"missing"]

feature_st = st.one_of(
    st.none(),
    st.lists(st.integers(-(2**63), 2**63 - 1), max_size=4).map(int64_feature),
    st.lists(st.floats(width=32, allow_nan=False), max_size=4).map(float_feature),
    st.lists(st.binary(max_size=6), max_size=3).map(bytes_feature),
)
record_st = st.builds(
    sequence_example,
    st.none() | st.dictionaries(st.sampled_from(["a", "c"]), feature_st, max_size=2),
    st.none()
    | st.dictionaries(
        st.sampled_from(["a", "b", "", "other"]),
        st.lists(feature_st, max_size=4),
        max_size=3,
    ),
)


def _agree(records):
    """Both kernels give the same answers on ``records``; returns the native ones."""
    lists = nat.index_feature_lists(records, KEYS)
    twin = ref.index_feature_lists(records, KEYS)
    assert lists[3:] == twin[3:]
    if lists[3] != nat.STATUS_OK:
        return None
    for x, y in zip(lists[:3], twin[:3]):
        np.testing.assert_array_equal(x, y)
    for f in range(len(KEYS)):
        steps = nat.index_steps(records, lists[1][f], lists[2][f])
        steps_twin = ref.index_steps(records, lists[1][f], lists[2][f])
        assert steps[5:] == steps_twin[5:]
        if steps[5] == nat.STATUS_OK:
            for x, y in zip(steps[:5], steps_twin[:5]):
                np.testing.assert_array_equal(x, y)
    return lists


@given(st.lists(record_st, max_size=4))
def test_valid_batches_agree(records):
    lists = _agree(records)
    assert lists is not None


@given(st.lists(record_st, min_size=1, max_size=3), st.data())
def test_mutated_batches_agree(records, data):
    b = data.draw(st.integers(0, len(records) - 1))
    rec = bytearray(records[b])
    if rec and data.draw(st.booleans()):
        at = data.draw(st.integers(0, len(rec) - 1))
        rec[at] ^= data.draw(st.integers(1, 255))
    else:
        rec = rec[: data.draw(st.integers(0, len(rec)))]
    records[b] = bytes(rec)
    _agree(records)


@given(st.lists(st.binary(max_size=40), max_size=4))
def test_random_bytes_agree(records):
    _agree(records)


def test_steps_of_a_known_record():
    rec = sequence_example(
        feature_lists={"a": [int64_feature([1, 2]), None, float_feature([0.5])]}
    )
    for module in (nat, ref):
        present, start, stop, status, _, _ = module.index_feature_lists([rec], [b"a"])
        assert status == module.STATUS_OK and present.tolist() == [[1]]
        splits, kind, count, *_, status, _, _ = module.index_steps(
            [rec], start[0], stop[0]
        )
        assert splits.tolist() == [0, 3]
        assert kind.tolist() == [3, 0, 2] and count.tolist() == [2, 0, 1]


def test_bad_bounds_and_types():
    for module in (nat, ref):
        with pytest.raises(ValueError, match="outside"):
            module.index_steps([b"ab"], [1], [5])
        with pytest.raises(ValueError, match="one entry per record"):
            module.index_steps([b"ab"], [0, 0], [1, 1])
        with pytest.raises(TypeError, match="record 0"):
            module.index_feature_lists(["text"], KEYS)
