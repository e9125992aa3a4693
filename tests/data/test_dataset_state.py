"""get_state/set_state resumes exactly, for every transformation (sequential and
threaded), with the reusable checker of tests/testing_state.py."""

from __future__ import annotations

import numpy as np
import pytest
from testing_state import assert_elements_equal, check_state

import pipeline as pl
from pipeline.graph.failures import ElementFailure

D = pl.data.Dataset
SEQ = pl.data.Options(optimize=False)


def _gen():
    yield from range(7)


class _Blocks:
    """A block source of 0..9 in blocks of 3, with record 4 reported bad."""

    element_spec = pl.TensorSpec((), np.int64)
    cardinality = pl.data.UNKNOWN_CARDINALITY

    def blocks(self, state):
        start = 0 if state is None else state["next"]
        for i in range(start, 10, 3):
            block = [np.int64(j) for j in range(i, min(i + 3, 10))]
            if i <= 4 < i + 3:
                block[4 - i] = ElementFailure(ValueError("bad 4"))
            yield block, {"next": i + 3}


PIPELINES = {
    "from_tensor_slices": lambda: D.from_tensor_slices(
        {"a": np.arange(6), "s": list("abcdef")}
    ),
    "from_tensors": lambda: D.from_tensors([1, 2]),
    "from_generator": lambda: D.from_generator(
        _gen, output_signature=pl.TensorSpec((), np.int64)
    ),
    "range": lambda: D.range(5),
    "block_source": lambda: D._from_block_source(_Blocks()).ignore_errors(),
    "block_source_prefetch": lambda: (
        D._from_block_source(_Blocks())
        .ignore_errors()
        .map(lambda x: x * 2, num_parallel_calls=2)
    ),
    "zip": lambda: D.zip(D.range(4), D.range(10, 20)),
    "map": lambda: D.range(9).map(lambda x: x * 3),
    "map_parallel": lambda: D.range(40).map(lambda x: x + 1, num_parallel_calls=3),
    "random_map": lambda: D.range(9).random_map(lambda x, r: r.integers(99), seed=3),
    "random_map_parallel": lambda: D.range(30).random_map(
        lambda x, r: r.integers(99), seed=3, num_parallel_calls=2
    ),
    "filter": lambda: D.range(12).filter(lambda x: x % 3 != 0),
    "flat_map": lambda: D.range(4).flat_map(lambda x: D.range(x)),
    "interleave": lambda: D.range(6).interleave(
        lambda x: D.range(x), cycle_length=3, block_length=2
    ),
    "interleave_parallel": lambda: D.range(6).interleave(
        lambda x: D.range(x), cycle_length=3, block_length=2, num_parallel_calls=3
    ),
    "batch": lambda: D.range(10).batch(3),
    "padded_batch": lambda: D.range(6).map(lambda x: np.arange(x)).padded_batch(4),
    "unbatch": lambda: D.range(10).batch(3).unbatch(),
    "rebatch": lambda: D.range(10).batch(4).rebatch(3),
    "shuffle": lambda: D.range(20).shuffle(6, seed=1),
    "shuffle_repeat": lambda: D.range(6).shuffle(4, seed=2).repeat(3),
    "shuffle_unseeded": lambda: D.range(12).shuffle(5),
    "repeat": lambda: D.range(3).repeat(3),
    "take_skip": lambda: D.range(20).skip(3).take(8),
    "shard": lambda: D.range(20).shard(3, 1),
    "enumerate": lambda: D.from_tensor_slices(["a", "b", "c"]).enumerate(),
    "concatenate": lambda: D.range(3).concatenate(D.range(7, 10)),
    "window": lambda: D.range(8).window(3, 2).flat_map(lambda w: w.batch(3)),
    "cache": lambda: D.range(5).map(lambda x: x * 2).cache().repeat(2),
    "prefetch": lambda: D.range(30).prefetch(4),
    "ignore_errors": lambda: (
        D.from_tensor_slices([1, 0, 2, 0, 3])
        .map(lambda x: {1: 1, 2: 2, 3: 3}[int(x)])
        .ignore_errors()
    ),
    "take_while": lambda: D.range(10).take_while(lambda x: x < 6),
    "unique": lambda: D.from_tensor_slices([3, 1, 3, 2, 1, 4]).unique(),
    "deep": lambda: (
        D.range(50)
        .shuffle(10, seed=4)
        .map(lambda x: (x, x * 2), num_parallel_calls=2)
        .batch(4)
        .prefetch(2)
        .unbatch()
        .filter(lambda a, b: a % 2 == 0)
    ),
}


@pytest.mark.parametrize("name", sorted(PIPELINES))
def test_state_resumes_exactly(name, no_thread_leak):
    check_state(PIPELINES[name])


@pytest.mark.parametrize("name", ["shuffle_repeat", "map_parallel", "interleave"])
def test_state_resumes_without_optimizations(name, no_thread_leak):
    check_state(lambda: PIPELINES[name]().with_options(SEQ), steps=[0, 3, 7])


def test_state_after_exhaustion_stays_exhausted():
    it = iter(D.range(3))
    assert len(list(it)) == 3
    again = iter(D.range(3))
    again.set_state(it.get_state())
    assert list(again) == []


def test_restored_run_equals_uninterrupted_run():
    make = PIPELINES["deep"]
    with iter(make()) as it:
        full = list(it)
    with iter(make().with_options(pl.data.Options(seed=11))) as it:
        head = [next(it) for _ in range(7)]
        state = it.get_state()
    with iter(make().with_options(pl.data.Options(seed=11))) as it:
        it.set_state(state)
        rest = list(it)
    assert len(head) + len(rest) == len(full)
    with iter(make().with_options(pl.data.Options(seed=11))) as it:
        assert_elements_equal(head + rest, list(it))
