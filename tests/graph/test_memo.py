"""User functions run once per element: no hidden calls for specs, probes or
checks (pipeline.graph.memo, the vectorize rewrite, the executor)."""

from __future__ import annotations

import collections

import numpy as np
import pytest

import pipeline as pl
from pipeline.graph.memo import SampleMemo, memo_apply, probing, results_equal
from pipeline.io.vectorized import in_batch_mode, note_vectorizable_call

D = pl.data.Dataset


class Counter:
    """A map function with a side effect: counts the elements it is given."""

    def __init__(self) -> None:
        self.seen: collections.Counter[int] = collections.Counter()

    def __call__(self, x):
        self.seen[int(x)] += 1
        return x * 2

    def once_each(self, n: int) -> bool:
        return dict(self.seen) == {i: 1 for i in range(n)}


@pytest.mark.parametrize("npc", [None, 1, 3, pl.data.AUTOTUNE])
def test_map_sees_each_element_once(no_thread_leak, npc):
    f = Counter()
    assert [int(x) for x in D.range(50).map(f, num_parallel_calls=npc)] == list(
        range(0, 100, 2)
    )
    assert f.once_each(50)


@pytest.mark.parametrize("npc", [None, 3])
def test_element_spec_output_is_reused_not_recomputed(no_thread_leak, npc):
    f = Counter()
    ds = D.range(20).map(f, num_parallel_calls=npc)
    assert ds.element_spec == pl.TensorSpec((), np.int64)
    assert sum(f.seen.values()) == 1  # the spec needed one call
    assert [int(x) for x in ds] == list(range(0, 40, 2))
    assert f.once_each(20)
    f.seen.clear()
    assert len(list(ds)) == 20 and f.once_each(20)  # a new epoch calls again


def test_fused_maps_reuse_the_outputs_of_their_specs():
    f, g = Counter(), Counter()
    ds = D.range(10).map(f).map(g)
    assert ds.element_spec.dtype == np.int64
    assert [int(x) for x in ds] == [4 * i for i in range(10)]
    assert f.once_each(10)
    assert dict(g.seen) == {2 * i: 1 for i in range(10)}


def test_spec_after_a_batch_reuses_the_upstream_outputs():
    f = Counter()
    ds = D.range(10).map(f).batch(3).map(lambda b: b.sum())
    assert ds.element_spec == pl.TensorSpec((), np.int64)
    assert [int(x) for x in ds] == [6, 24, 42, 18]
    assert f.once_each(10)


def test_map_then_batch_sees_each_element_once():
    f = Counter()
    out = [b.tolist() for b in D.range(7).map(f).batch(3)]
    assert out == [[0, 2, 4], [6, 8, 10], [12]]
    assert f.once_each(7)


def counting_parser(x):
    """A parser taking batches (as decode_csv does) that logs what it sees."""
    note_vectorizable_call("counting_parser")
    parsed.extend(np.atleast_1d(np.asarray(x)).tolist())
    modes.append(in_batch_mode())
    return np.asarray(x) + 100


parsed: list[int] = []
modes: list[bool] = []


def test_vectorized_map_batch_sees_each_element_once():
    parsed.clear()
    modes.clear()
    ds = D.range(10).map(counting_parser).batch(4)
    assert "vectorized_map" in ds.explain(print_plan=False)
    assert parsed == []  # deciding the rewrite called nothing
    out = [b.tolist() for b in ds]
    assert out == [[100, 101, 102, 103], [104, 105, 106, 107], [108, 109]]
    assert parsed == list(range(10)) and modes == [True, True, True]


def test_filter_flat_map_interleave_see_each_element_once(no_thread_leak):
    pred, fm, il = Counter(), Counter(), Counter()
    kept = D.range(12).filter(lambda x: pred(x) % 4 == 0)
    assert [int(x) for x in kept] == [0, 2, 4, 6, 8, 10]
    flat = D.range(5).flat_map(lambda x: D.from_tensors(fm(x)))
    assert [int(x) for x in flat] == [0, 2, 4, 6, 8]
    inter = D.range(6).interleave(
        lambda x: D.from_tensors(il(x)), cycle_length=2, num_parallel_calls=2
    )
    assert sorted(int(x) for x in inter) == [0, 2, 4, 6, 8, 10]
    assert pred.once_each(12) and fm.once_each(5) and il.once_each(6)


def test_memo_outside_probing_keeps_nothing():
    memo = SampleMemo()
    assert memo_apply(memo, lambda x: x + 1, 1) == 2
    assert memo.entries == []
    with probing():
        memo_apply(memo, lambda x: x + 1, np.int64(5))
    calls = []
    out = memo_apply(memo, lambda x: calls.append(x) or x, np.int64(5))
    assert out == 6 and calls == []  # the kept output, not a new call
    assert memo_apply(memo, lambda x: calls.append(x) or x, np.int64(5)) == 5


def test_memo_compares_dtype_and_structure():
    memo = SampleMemo()
    memo.put((np.int64(1), b"a"), "kept")
    assert memo.take((np.int32(1), b"a")) == (False, None)
    assert memo.take((np.int64(1), b"b")) == (False, None)
    assert memo.take((np.int64(1), b"a")) == (True, "kept")
    assert results_equal({"a": np.array([np.nan])}, {"a": np.array([np.nan])})
    assert not results_equal({"a": 1}, {"b": 1})


@pytest.mark.parametrize("npc", [None, 2])
def test_flat_map_and_interleave_specs_reuse_their_datasets(no_thread_leak, npc):
    fm, il = Counter(), Counter()
    flat = D.range(5).flat_map(lambda x: D.from_tensors(fm(x)))
    assert flat.element_spec == pl.TensorSpec((), np.int64)
    assert [int(x) for x in flat] == [0, 2, 4, 6, 8] and fm.once_each(5)
    inter = D.range(6).interleave(
        lambda x: D.from_tensors(x).map(il), cycle_length=2, num_parallel_calls=npc
    )
    assert inter.element_spec == pl.TensorSpec((), np.int64)
    assert sorted(int(x) for x in inter) == [0, 2, 4, 6, 8, 10]
    assert il.once_each(6)


def test_dataset_elements_are_compared_by_identity_not_iterated():
    seen = []
    inner = D.range(3).map(lambda x: seen.append(int(x)) or x)
    assert results_equal((1, inner), (1, inner))
    assert not results_equal((1, inner), (1, D.range(3)))
    assert seen == []
