"""`RangeIterator.next_many`: runs of the values ``next`` gives, one at a time."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pipeline.graph.sources import RangeIterator


def _one_by_one(it: RangeIterator) -> list:
    return list(iter(lambda: next(it, None), None))


@given(
    st.integers(-50, 50),
    st.integers(-50, 50),
    st.integers(-7, 7).filter(bool),
    st.lists(st.integers(1, 9), min_size=1, max_size=30),
    st.sampled_from([np.int64, np.int32]),
)
def test_runs_are_the_values_and_types_of_next(start, stop, step, limits, dtype):
    want = _one_by_one(RangeIterator(start, stop, step, dtype))
    it, got = RangeIterator(start, stop, step, dtype), []
    for limit in limits:
        try:
            run = it.next_many(limit)
        except StopIteration:
            break
        assert 1 <= len(run) <= limit
        got += run
    got += _one_by_one(it)  # the state after the runs resumes right after them
    assert got == want
    assert [type(v) for v in got] == [type(v) for v in want]


def test_the_end_raises_stop_iteration():
    it = RangeIterator(0, 3, 1)
    assert it.next_many(10) == [0, 1, 2]
    try:
        it.next_many(1)
    except StopIteration:
        return
    raise AssertionError("no StopIteration at the end")
