"""pipeline.io.example_ragged: the vectorized RaggedFeature build agrees with the
unit-by-unit one (used when ``validate=True``) on valid partitions."""

from __future__ import annotations

import numpy as np
from conformance_parsing import example, float_feature, int64_feature, sequence_example
from hypothesis import given
from hypothesis import strategies as st

from pipeline.io import RaggedFeature, parse_example, parse_sequence_example

KINDS = ["splits", "lengths", "starts", "limits", "rowids", "uniform"]


def _partition_list(kind: str, lengths: list[int]) -> list[int]:
    splits = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).tolist()
    return {
        "splits": splits,
        "lengths": lengths,
        "starts": splits[:-1],
        "limits": splits[1:],
        "rowids": np.repeat(np.arange(len(lengths)), lengths).tolist(),
    }[kind]


@st.composite
def unit_st(draw, kinds):
    """One unit: values and, per partition (outermost first), its list."""
    rows = draw(st.integers(0, 3))
    lists = []
    for kind in kinds:  # outermost first: each level's rows are the next's items
        if kind == "uniform":
            lists.append(None)
            rows *= 2
            continue
        lengths = draw(st.lists(st.integers(0, 3), min_size=rows, max_size=rows))
        if kind == "rowids" and lengths and lengths[-1] == 0:
            lengths[-1] = 1  # value_rowids cannot end in an empty row
        lists.append(_partition_list(kind, lengths))
        rows = sum(lengths)
    return [float(v) for v in range(rows)], lists


def _spec(kinds, validate):
    parts = [
        RaggedFeature.UniformRowLength(2)
        if kind == "uniform"
        else {
            "splits": RaggedFeature.RowSplits,
            "lengths": RaggedFeature.RowLengths,
            "starts": RaggedFeature.RowStarts,
            "limits": RaggedFeature.RowLimits,
            "rowids": RaggedFeature.ValueRowIds,
        }[kind](f"p{i}")
        for i, kind in enumerate(kinds)
    ]
    return RaggedFeature(
        np.float32, "v", parts, row_splits_dtype="int64", validate=validate
    )


def _features(values, lists):
    out = {"v": float_feature(values)}
    out.update(
        {f"p{i}": int64_feature(lst) for i, lst in enumerate(lists) if lst is not None}
    )
    return out


kinds_st = st.lists(st.sampled_from(KINDS), min_size=1, max_size=3)


@given(
    kinds_st.flatmap(lambda k: st.tuples(st.just(k), st.lists(unit_st(k), max_size=4)))
)
def test_vectorized_matches_unit_by_unit(case):
    kinds, units = case
    records = [example(_features(v, lists)) for v, lists in units]
    fast = parse_example(records, {"r": _spec(kinds, False)})["r"]
    slow = parse_example(records, {"r": _spec(kinds, True)})["r"]
    assert fast.to_list() == slow.to_list()
    assert fast.row_splits.dtype == slow.row_splits.dtype == np.int64


@given(
    kinds_st.flatmap(
        lambda k: st.tuples(
            st.just(k), st.lists(st.lists(unit_st(k), max_size=3), max_size=3)
        )
    )
)
def test_sequence_vectorized_matches_step_by_step(case):
    kinds, records = case
    serialized = []
    for steps in records:
        lists = {"v": [float_feature(v) for v, _ in steps]}
        for i, kind in enumerate(kinds):
            if kind != "uniform":
                lists[f"p{i}"] = [int64_feature(parts[i]) for _, parts in steps]
        serialized.append(sequence_example(feature_lists=lists))
    fast = parse_sequence_example(serialized, None, {"r": _spec(kinds, False)})[1]["r"]
    slow = parse_sequence_example(serialized, None, {"r": _spec(kinds, True)})[1]["r"]
    assert fast.to_list() == slow.to_list()
