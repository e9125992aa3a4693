"""The parallel interleave moves blocks: its order is tf.data's deterministic
interleave order (checked against a small model written here), whatever the
pull sizes; failures come alone, in their turn; a state saved in the middle of
an assembled block resumes exactly; no thread outlives an iterator."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pipeline as pl
from pipeline.executor.interleave import ParallelInterleaveIterator
from pipeline.graph.base import IterContext
from pipeline.graph.combining import InterleaveNode
from pipeline.graph.elementwise import MapNode
from pipeline.graph.failures import ElementFailure
from pipeline.graph.sources import RangeNode

D = pl.data.Dataset
BASE = 1000
#: The thread-leak check runs once after all examples (each closes its iterator).
ONE_LEAK_CHECK = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def model(lengths, cycle, block, bad=()):
    """TF's interleave order, written out: ``(input, k)`` pairs; the pairs
    in ``bad`` are failures, which use their slot's turn (parallel rule)."""
    pending, slots = list(range(len(lengths))), [None] * cycle
    slot = taken = 0
    out = []
    while pending or any(s is not None for s in slots):
        cur = slots[slot]
        if cur is None and pending:
            slots[slot] = [pending.pop(0), 0]
            continue
        if cur is None or cur[1] >= lengths[cur[0]]:
            slots[slot] = None
            slot, taken = (slot + 1) % cycle, 0
            continue
        pair = (cur[0], cur[1])
        out.append(("bad", pair) if pair in bad else pair)
        cur[1] += 1
        taken += 1
        if taken >= block:
            slot, taken = (slot + 1) % cycle, 0
    return out


def _raise_if_bad(bad):
    def check(x):
        pair = (int(x) // BASE, int(x) % BASE)
        if pair in bad:
            raise KeyError(pair)
        return x

    return check


def node_of(lengths, cycle, block, bad=()):
    def inner(x):
        i = int(x)
        node = RangeNode((), i * BASE, i * BASE + lengths[i], 1)
        return MapNode((node,), fn=_raise_if_bad(bad)) if bad else node

    return InterleaveNode(
        (RangeNode((), 0, len(lengths), 1),),
        fn=inner,
        cycle_length=cycle,
        block_length=block,
        num_parallel_calls=2,
    )


def as_pairs(items):
    out = []
    for item in items:
        if isinstance(item, ElementFailure):
            out.append(("bad", item.exception.args[0]))
        else:
            out.append((int(item) // BASE, int(item) % BASE))
    return out


def pull(it, sizes):
    """Everything left in ``it``, pulled with ``next_many`` of the given sizes
    in turn; each run is checked: failure-free, or one failure alone."""
    got, k = [], 0
    while True:
        try:
            run = it.next_many(sizes[k % len(sizes)])
        except StopIteration:
            return got
        k += 1
        assert 1 <= len(run) <= sizes[(k - 1) % len(sizes)]
        fails = [isinstance(x, ElementFailure) for x in run]
        assert not any(fails) or fails == [True], "a failure must come alone"
        got.extend(run)


SHAPES = dict(
    lengths=st.lists(st.integers(0, 60), min_size=0, max_size=9),
    cycle=st.integers(1, 5),
    block=st.integers(1, 4),
    sizes=st.lists(st.integers(1, 300), min_size=1, max_size=4),
)


@ONE_LEAK_CHECK
@given(**SHAPES)
def test_order_is_tf_interleave_order_for_any_pull_sizes(
    no_thread_leak, lengths, cycle, block, sizes
):
    it = ParallelInterleaveIterator(IterContext(), node_of(lengths, cycle, block), 2)
    try:
        got = as_pairs(pull(it, sizes))
    finally:
        it.close()
    assert got == model(lengths, cycle, block)


@ONE_LEAK_CHECK
@given(**SHAPES, cut=st.integers(0, 200))
def test_state_saved_anywhere_resumes_exactly(
    no_thread_leak, lengths, cycle, block, sizes, cut
):
    node = node_of(lengths, cycle, block)
    want = model(lengths, cycle, block)
    it = ParallelInterleaveIterator(IterContext(), node, 2)
    try:
        head = []
        while len(head) < min(cut, len(want)):
            head.extend(it.next_many(sizes[0]))
        state = it.get_state()
        rest = as_pairs(pull(it, sizes[1:] or sizes))
    finally:
        it.close()
    again = ParallelInterleaveIterator(IterContext(), node, 2)
    try:
        again.set_state(state)
        resumed = as_pairs(pull(again, sizes))
    finally:
        again.close()
    assert as_pairs(head) + rest == want
    assert resumed == rest


@ONE_LEAK_CHECK
@given(
    lengths=st.lists(st.integers(0, 30), min_size=1, max_size=6),
    cycle=st.integers(2, 4),
    block=st.integers(1, 3),
    bad_at=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 29)), max_size=4),
)
def test_failures_come_alone_in_their_turn(
    no_thread_leak, lengths, cycle, block, bad_at
):
    bad = frozenset(bad_at)
    it = ParallelInterleaveIterator(
        IterContext(), node_of(lengths, cycle, block, bad), 2
    )
    try:
        got = as_pairs(pull(it, [64, 7]))
    finally:
        it.close()
    assert got == model(lengths, cycle, block, bad)


def test_blocks_move_many_elements_per_call(no_thread_leak):
    node = node_of([5000] * 8, 8, 1)
    it = ParallelInterleaveIterator(IterContext(), node, 8)
    try:
        runs = []
        while sum(map(len, runs)) < 20_000:
            runs.append(it.next_many(256))
    finally:
        it.close()
    # after the first blocks arrive, whole batches come in one call (one
    # element goes alone where a reader's block ends)
    in_whole = sum(len(r) for r in runs if len(r) == 256)
    assert in_whole >= 0.75 * sum(map(len, runs))


def test_batch_over_file_shards_keeps_tf_order(no_thread_leak, tmp_path):
    files = []
    for i, n in enumerate([700, 3, 0, 1500, 40, 999, 1, 2600]):
        path = tmp_path / f"shard-{i}.txt"
        path.write_bytes(b"".join(b"%d,%d\n" % (i, k) for k in range(n)))
        files.append(str(path))
    lengths = [700, 3, 0, 1500, 40, 999, 1, 2600]

    def lines(cycle, block, calls):
        ds = D.from_tensor_slices(files).interleave(
            pl.data.TextLineDataset,
            cycle_length=cycle,
            block_length=block,
            num_parallel_calls=calls,
        )
        return [tuple(map(int, x.split(b","))) for b in ds.batch(256) for x in b]

    for cycle, block in [(8, 1), (3, 5), (4, 64)]:
        want = model(lengths, cycle, block)
        assert lines(cycle, block, pl.data.AUTOTUNE) == want
        assert lines(cycle, block, None) == want  # the sequential reference


def test_deterministic_false_gives_the_same_elements(no_thread_leak):
    ds = D.range(6).interleave(
        lambda x: D.range(x * 100, x * 100 + 50),
        cycle_length=3,
        num_parallel_calls=3,
        deterministic=False,
    )
    got = [int(v) for b in ds.batch(32) for v in b]
    assert sorted(got) == sorted(x * 100 + k for x in range(6) for k in range(50))


@pytest.mark.parametrize("calls", [2, pl.data.AUTOTUNE])
def test_dataset_state_mid_batch_stream_resumes(no_thread_leak, calls):
    ds = (
        D.range(8)
        .interleave(
            lambda x: D.range(x * BASE, x * BASE + 900),
            cycle_length=8,
            num_parallel_calls=calls,
        )
        .batch(100)
    )
    with iter(ds) as it:
        head = [next(it) for _ in range(37)]
        state = it.get_state()
        rest = [b.tolist() for b in it]
    with iter(ds) as again:
        again.set_state(state)
        assert [b.tolist() for b in again] == rest
    flat = np.concatenate([*head, *map(np.array, rest)])
    assert as_pairs(flat) == model([900] * 8, 8, 1)


def test_any_order_hands_runs_of_one_input_each_element_once(no_thread_leak):
    lengths = [900, 10, 0, 800, 700]
    node = node_of(lengths, 3, 1).replace(deterministic=False)
    it = ParallelInterleaveIterator(IterContext(), node, 8)
    try:
        runs = []
        while True:
            try:
                runs.append(as_pairs(it.next_many(256)))
            except StopIteration:
                break
    finally:
        it.close()
    got = [p for run in runs for p in run]
    assert sorted(got) == sorted(model(lengths, 3, 1))
    one_input = [r for r in runs if len(r) > 1 and len({i for i, _ in r}) == 1]
    assert sum(map(len, one_input)) > 0.5 * len(got)


@pytest.mark.parametrize("where", ["node", "options"])
def test_any_order_state_resumes_each_element_once(no_thread_leak, where):
    ds = D.range(6).interleave(
        lambda x: D.range(x * BASE, x * BASE + 700),
        cycle_length=3,
        num_parallel_calls=3,
        deterministic=False if where == "node" else None,
    )
    if where == "options":
        ds = ds.with_options(pl.data.Options(deterministic=False))
    ds = ds.batch(64)
    with iter(ds) as it:
        head = [v for _ in range(20) for v in next(it).tolist()]
        state = it.get_state()
    with iter(ds) as again:
        again.set_state(state)
        rest = [v for b in again for v in b.tolist()]
    assert sorted(head + rest) == [x * BASE + k for x in range(6) for k in range(700)]
