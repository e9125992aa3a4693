"""Streaming statistics: exact moments, bounded sketches, missing values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.io.schema import Column
from pipeline.io.stats import StatsBuilder
from pipeline.io.stats_sketches import Histogram, HyperLogLog, TopK


def _num(values, lengths=None, kind="float"):
    values = np.asarray(values, dtype=np.float64 if kind == "float" else np.int64)
    if lengths is None:
        lengths = np.ones(len(values), dtype=np.int64)
    return Column(kind, values, np.asarray(lengths, dtype=np.int64))


def _str(values, lengths=None):
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    if lengths is None:
        lengths = np.ones(len(values), dtype=np.int64)
    return Column("string", arr, np.asarray(lengths, dtype=np.int64))


@given(
    st.lists(
        st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=0, max_size=40),
        min_size=1,
        max_size=6,
    )
)
def test_moments_match_numpy_over_any_batching(batches):
    b = StatsBuilder()
    for values in batches:
        b.update({"x": _num(values)})
    everything = np.array([v for batch in batches for v in batch], dtype=np.float64)
    s = b.finish()["x"]
    assert s.records == len(everything)
    if len(everything) == 0:
        assert s.numbers is None or s.numbers.count == 0
        return
    n = s.numbers
    assert n.count == len(everything)
    assert n.min == everything.min() and n.max == everything.max()
    assert n.mean == pytest.approx(everything.mean(), rel=1e-9, abs=1e-6)
    assert n.std == pytest.approx(everything.std(), rel=1e-6, abs=1e-6)
    assert n.zeros_pct == pytest.approx(100 * np.mean(everything == 0))
    assert sum(n.histogram["counts"]) == len(everything)
    edges = n.histogram["edges"]
    assert edges[0] <= n.min and n.max < edges[-1]
    assert len(edges) == len(n.histogram["counts"]) + 1


def test_histogram_counts_each_bin_exactly():
    rng = np.random.default_rng(0)
    values = rng.normal(50, 20, 5000)
    h = Histogram(32)
    for chunk in np.array_split(values, 7):
        h.update(chunk)
    r = h.result(values.min(), values.max())
    edges = np.array(r["edges"])
    expected, _ = np.histogram(values, edges)
    assert r["counts"] == expected.tolist()
    assert len(r["counts"]) <= 32


def test_nan_and_infinity_are_counted_apart():
    b = StatsBuilder()
    b.update({"x": _num([1.0, np.nan, np.inf, -np.inf, 3.0])})
    n = b.finish()["x"].numbers
    assert (n.count, n.nan, n.inf, n.min, n.max, n.mean) == (5, 1, 2, 1.0, 3.0, 2.0)


def test_missing_and_valency():
    b = StatsBuilder()
    b.update({"v": _num([1, 2, 3, 4, 5], [2, -1, 3, -1], kind="int64")})
    b.update({"other": _num([1.0])})  # "v" absent from this batch of 1 record
    s = b.finish()
    v = s["v"]
    assert (v.records, v.present, v.missing, v.missing_pct) == (5, 2, 3, 60.0)
    assert (v.min_length, v.max_length, v.mean_length) == (2, 3, 2.5)
    assert s["other"].missing == 4


def test_strings_distinct_top_k_and_lengths():
    b = StatsBuilder(top_k=2)
    b.update({"s": _str([b"aa", b"b", b"aa", b"ccc", b"aa", b"b"])})
    st_ = b.finish()["s"].strings
    assert (st_.count, st_.distinct, st_.distinct_exact) == (6, 3, True)
    assert st_.top == [(b"aa", 3), (b"b", 2)] and st_.top_exact
    assert (st_.min_bytes, st_.max_bytes) == (1, 3)
    assert st_.mean_bytes == pytest.approx(11 / 6)


def test_distinct_switches_to_an_estimate_past_the_limit():
    b = StatsBuilder(distinct_limit=1000, top_k_capacity=500)
    for start in range(0, 20_000, 4000):
        b.update({"s": _str([str(i).encode() for i in range(start, start + 4000)])})
    s = b.finish()["s"].strings
    assert not s.distinct_exact and abs(s.distinct - 20_000) < 20_000 * 0.03
    assert not s.top_exact
    acc = b._features["s"].strings
    assert acc.exact is None and len(acc.top.counts) <= 500  # bounded memory


def test_hyperloglog_small_counts_are_near_exact():
    h = HyperLogLog()
    h.update(np.array([f"k{i}".encode() for i in range(300)] * 3, dtype=object))
    assert abs(h.estimate() - 300) <= 3


def test_top_k_keeps_frequent_values_when_pruning():
    t = TopK(1, capacity=10)
    common = np.array([b"hot"] * 50, dtype=object)
    rare = np.array([f"r{i}".encode() for i in range(100)], dtype=object)
    t.update(common)
    t.update(rare)
    t.update(common)
    top, exact = t.result()
    assert top == [(b"hot", 100)] and not exact


def test_to_dict_is_jsonable():
    import json

    b = StatsBuilder()
    b.update({"s": _str([b"\xff", b"x"]), "n": _num([1.0, 2.0])})
    docs = {k: v.to_dict() for k, v in b.finish().items()}
    text = json.dumps(docs)
    assert '"missing_pct": 0.0' in text and "\\\\xff" in text


def test_integer_histogram_uses_whole_bins():
    b = StatsBuilder()
    b.update({"n": _num([0, 1, 1, 3], kind="int64")})
    h = b.finish()["n"].numbers.histogram
    assert h == {"edges": [0.0, 1.0, 2.0, 3.0, 4.0], "counts": [1, 2, 0, 1]}


def test_reported_histogram_merges_neighbours_exactly():
    values = np.random.default_rng(1).uniform(0, 1000, 10_000)
    h = Histogram(256)
    h.update(values)
    r = h.result(values.min(), values.max(), max_bins=32)
    assert len(r["counts"]) <= 32
    expected, _ = np.histogram(values, np.array(r["edges"]))
    assert r["counts"] == expected.tolist()
    assert len(r["counts"]) >= 16  # enough resolution


def test_narrow_range_gets_many_bins():
    b = StatsBuilder()
    b.update({"x": _num(np.random.default_rng(2).normal(40.75, 0.05, 5000))})
    assert len(b.finish()["x"].numbers.histogram["counts"]) >= 16
