"""Sampling nodes: counter, random draws, weighted choice, directed interleave."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.errors import InvalidArgumentError
from pipeline.graph.base import INFINITE, UNKNOWN, IterContext
from pipeline.graph.failures import ElementFailure
from pipeline.graph.sampling import (
    CategoricalNode,
    CounterNode,
    DirectedInterleaveNode,
    RandomNode,
    stage_seed,
)
from pipeline.graph.sources import ListNode, RangeNode


def _take(node, n, ctx=None):
    it = (ctx or IterContext()).build(node)
    return [next(it) for _ in range(n)]


def test_counter_values_dtype_and_state():
    node = CounterNode((), 5, -2, np.int32)
    it = IterContext().build(node)
    assert [next(it) for _ in range(3)] == [5, 3, 1]
    state = it.get_state()
    again = IterContext().build(node)
    again.set_state(state)
    got = next(again)
    assert got == -1 and type(got) is np.int32
    assert node.cardinality() == INFINITE


def test_random_is_seeded_in_range_and_resumable():
    node = RandomNode((), seed=9)
    first = _take(node, 50)
    assert first == _take(node, 50)
    assert all(0 <= int(v) < 2**32 for v in first)
    it = IterContext().build(node)
    _ = [next(it) for _ in range(20)]
    restored = IterContext().build(node)
    restored.set_state(it.get_state())
    assert [next(restored) for _ in range(30)] == first[20:]


def test_random_rerandomize_uses_run_and_epoch():
    node = RandomNode((), seed=9, rerandomize=True)
    assert _take(node, 5, IterContext(run=0)) != _take(node, 5, IterContext(run=1))
    assert _take(node, 5, IterContext(epoch=(1,))) != _take(node, 5)
    fixed = RandomNode((), seed=9)
    assert _take(fixed, 5, IterContext(run=0)) == _take(fixed, 5, IterContext(run=3))


def test_stage_seed_without_seed_follows_the_root_seed():
    node = RangeNode((), 0, 1, 1)
    assert stage_seed(IterContext(seed=1), node, None, False) != stage_seed(
        IterContext(seed=2), node, None, False
    )


def test_categorical_follows_weights():
    node = CategoricalNode((), (0.7, 0.0, 0.3), seed=4)
    draws = np.array([int(v) for v in _take(node, 4000)])
    assert 1 not in set(draws.tolist())
    assert abs((draws == 0).mean() - 0.7) < 0.03


def test_categorical_weight_vectors_from_parent():
    weights = ListNode((), (np.array([0.0, 1.0]), np.array([1.0, 0.0])))
    assert [int(v) for v in IterContext().build(CategoricalNode((weights,)))] == [1, 0]


@pytest.mark.parametrize("bad", [(0.0, 0.0), (-1.0, 2.0), (np.nan, 1.0)])
def test_categorical_bad_weights(bad):
    with pytest.raises(InvalidArgumentError, match="non-negative with a positive sum"):
        _take(CategoricalNode((), bad, seed=1), 1)


def _choose(picks, *inputs, stop=True, skip=()):
    selector = ListNode((), tuple(np.int64(p) for p in picks))
    return DirectedInterleaveNode((selector, *inputs), stop, skip)


def test_directed_interleave_stop_and_skip():
    short, long = RangeNode((), 0, 1, 1), RangeNode((), 10, 20, 1)
    stop = _choose([0, 0, 1], short, long)
    assert [int(v) for v in IterContext().build(stop)] == [0]
    skip = _choose([0, 0, 1], short, long, stop=False)
    assert [int(v) for v in IterContext().build(skip)] == [0, 10]


def test_directed_interleave_ends_when_every_input_is_exhausted():
    node = _choose([0] * 10, RangeNode((), 0, 2, 1), stop=False)
    assert [int(v) for v in IterContext().build(node)] == [0, 1]
    never = _choose([0] * 10, RangeNode((), 0, 2, 1), stop=False, skip=(0,))
    assert list(IterContext().build(never)) == []


def test_directed_interleave_index_out_of_range_is_a_failure_in_place():
    items = list(IterContext().build(_choose([2, 0], RangeNode((), 0, 2, 1))))
    assert isinstance(items[0], ElementFailure)
    assert isinstance(items[0].exception, InvalidArgumentError)
    assert "got 2, expected an index in [0, 1)" in str(items[0].exception)
    assert int(items[1]) == 0


def test_directed_interleave_cardinality_and_state():
    inf = CounterNode((), 0, 1, np.int64)
    assert _choose([0], inf).cardinality() == INFINITE
    node = _choose([1, 0, 1, 1, 0], RangeNode((), 0, 5, 1), RangeNode((), 50, 55, 1))
    assert node.cardinality() == UNKNOWN
    full = [int(v) for v in IterContext().build(node)]
    assert full == [50, 0, 51, 52, 1]
    for k in range(len(full) + 1):
        it = IterContext().build(node)
        _ = [next(it) for _ in range(k)]
        again = IterContext().build(node)
        again.set_state(it.get_state())
        assert [int(v) for v in again] == full[k:]
