"""parse_example's one-walk path against its two-pass path."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import InvalidArgumentError
from pipeline.io import example_plan
from pipeline.io.example import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    parse_example,
)
from pipeline.io.example_message import serialize_example
from pipeline.types import SparseTensor

values_st = st.one_of(
    st.none(),
    st.lists(st.integers(-5, 5), min_size=1, max_size=2).map(np.array),
    st.lists(st.floats(-2, 2, width=32), min_size=1, max_size=2).map(
        lambda v: np.array(v, np.float32)
    ),
    st.lists(st.binary(max_size=3), min_size=1, max_size=2).map(
        lambda v: np.array(v, object)
    ),
)
example_st = st.dictionaries(st.sampled_from(["a", "b", "c"]), values_st)
_SPECS = [
    FixedLenFeature([], "int64", 0),
    FixedLenFeature([], "float32"),
    FixedLenFeature([2], "string", [b"x", b"y"]),
    FixedLenFeature([1, 2], "float32", 0.5),
    VarLenFeature("int64"),
    VarLenFeature("string"),
    FixedLenSequenceFeature([], "float32", allow_missing=True),
]


def _parse(records, spec, one_walk: bool):
    plan = example_plan.plan_of(spec)
    before = plan.one_walk
    plan.one_walk = one_walk and before
    try:
        return parse_example(records, spec, example_names=[f"r{i}" for i in range(9)])
    except InvalidArgumentError as err:
        return ("error", err.message, err.record_index)
    finally:
        plan.one_walk = before


@given(
    st.lists(example_st, max_size=6),
    st.dictionaries(st.sampled_from(["a", "b", "c"]), st.sampled_from(_SPECS)),
)
def test_one_walk_matches_two_passes(examples, spec):
    records = [serialize_example(e) for e in examples]
    got, want = _parse(records, spec, True), _parse(records, spec, False)
    if isinstance(want, tuple):
        assert got == want
        return
    assert list(got) == list(want)
    for key, value in want.items():
        if isinstance(value, SparseTensor):
            for part in ("indices", "values", "dense_shape"):
                _same(getattr(got[key], part), getattr(value, part))
        else:
            _same(got[key], value)


def _same(a, b):
    assert a.dtype == b.dtype and a.shape == b.shape
    assert a.tolist() == b.tolist() if a.dtype == object else a.tobytes() == b.tobytes()


def test_specs_without_composite_features_take_the_one_walk():
    from pipeline.io.example_features import SparseFeature

    dense = {"a": FixedLenFeature([], "int64", 0)}
    mixed = {**dense, "b": VarLenFeature("int64")}
    assert example_plan.plan_of(dense).parser is not None
    assert example_plan.plan_of(mixed).parser is not None
    sparse = {**dense, "c": SparseFeature("i", "v", "float32", 4)}
    assert example_plan.plan_of(sparse).parser is None


def test_errors_of_the_one_walk_are_the_two_pass_errors():
    rec = serialize_example({"a": np.array([1.5], np.float32)})
    spec = {"a": FixedLenFeature([], "int64", 0)}
    with pytest.raises(InvalidArgumentError, match=r"Name: r1, Key: a, Index: 1\. "):
        parse_example([b"", rec], spec, example_names=["r0", "r1"])
    with pytest.raises(InvalidArgumentError, match=r"record 1, byte 0"):
        parse_example([b"", b"\x08"], spec)


def test_a_twin_bound_after_the_plan_was_cached_gets_its_own_parser():
    from pipeline import _kernels
    from pipeline.io.example_plan import plan_of

    spec = {"x": FixedLenFeature([], "int64", 0)}
    native = plan_of(spec).parser
    saved = _kernels._cache.get("example_fused")
    _kernels._cache["example_fused"] = _kernels.reference("example_fused")
    try:
        twin = plan_of(spec).parser
        assert type(twin).__module__ == "pipeline._reference.example_fused"
        assert twin is not native
    finally:
        _kernels._cache["example_fused"] = saved
    back = plan_of(spec).parser  # the kernel in use again, its own parser
    assert type(back).__module__ == type(native).__module__
    assert back.parse([]) is not None
