"""shuffle hands out runs (``next_many``) with the very elements, order and
states of the one-at-a-time algorithm, failures and the drain included."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.graph.base import IterContext, NodeIterator
from pipeline.graph.failures import ElementFailure
from pipeline.graph.shuffling import ShuffleIterator, ShuffleNode
from pipeline.graph.sources import BlockSourceNode


class _Blocks:
    """A block source over fixed blocks; ``None`` items become failures."""

    element_spec = None
    cardinality = -2
    failures_alone = False

    def __init__(self, blocks: list[list[Any]]) -> None:
        self.data = blocks

    def blocks(self, state):
        for i in range(0 if state is None else state["next"], len(self.data)):
            items = [
                ElementFailure(ValueError(f"bad {i}")) if x is None else x
                for x in self.data[i]
            ]
            yield items, {"next": i + 1}


def _label(item: Any) -> Any:
    if isinstance(item, ElementFailure):
        return ("failure", str(item.exception))
    return item


def _reference(items: list[Any], size: int, seed: list[int]) -> list[Any]:
    """tf.data's shuffle, one element at a time, as plain Python: fill the
    buffer, then each output is a uniform draw whose slot takes the next
    input; an input failure is passed on and the drawn element moves last."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))
    draws: list[float] = []

    def draw(n: int) -> int:
        if not draws:
            draws.extend(rng.random(512).tolist()[::-1])
        return int(draws.pop() * n)

    source, buffer, out = iter(items), [], []
    pending = next(source, StopIteration)
    while True:
        while pending is not StopIteration and len(buffer) < size:
            if isinstance(pending, ElementFailure):
                out.append(pending)
            else:
                buffer.append(pending)
            pending = next(source, StopIteration)
        if not buffer:
            return out
        i = draw(len(buffer))
        chosen = buffer[i]
        if pending is StopIteration or isinstance(pending, ElementFailure):
            buffer[i] = buffer[-1]
            buffer.pop()
            if pending is not StopIteration:  # the failure, then the element last
                out.append(pending)
                buffer.append(chosen)
                pending = next(source, StopIteration)
                continue
        else:
            buffer[i] = pending
            pending = next(source, StopIteration)
        out.append(chosen)


@st.composite
def _inputs(draw):
    blocks, k = [], 0
    for _ in range(draw(st.integers(0, 6))):
        block = []
        for _ in range(draw(st.integers(1, 9))):
            fail = draw(st.integers(0, 7)) == 0
            block.append(None if fail else k)
            k += 1
        blocks.append(block)
    return blocks


def _node(blocks: list[list[Any]], size: int, seed: int) -> ShuffleNode:
    source = BlockSourceNode((), _Blocks(blocks))
    return ShuffleNode((source,), buffer_size=size, seed=seed)


def _flat(blocks: list[list[Any]]) -> list[Any]:
    return [
        ElementFailure(ValueError(f"bad {i}")) if x is None else x
        for i, block in enumerate(blocks)
        for x in block
    ]


def _runs(it: NodeIterator, limits: list[int]) -> list[list[Any]]:
    runs, k = [], 0
    while True:
        try:
            runs.append(it.next_many(limits[k % len(limits)]))
        except StopIteration:
            return runs
        k += 1


@settings(max_examples=300)
@given(_inputs(), st.integers(1, 12), st.integers(0, 3),
       st.lists(st.integers(1, 9), min_size=1, max_size=8))  # fmt: skip
def test_next_and_runs_give_the_reference_order(blocks, size, seed, limits):
    node = _node(blocks, size, seed)
    it = IterContext().build(node)
    assert isinstance(it, ShuffleIterator)
    want = [_label(x) for x in _reference(_flat(blocks), size, [seed])]
    assert [_label(x) for x in IterContext().build(node)] == want
    runs = _runs(it, limits)
    for run, limit in zip(runs, limits * len(runs)):
        assert 1 <= len(run) <= limit
        failures = [isinstance(x, ElementFailure) for x in run]
        assert not any(failures) or failures == [True]  # a failure comes alone
    assert [_label(x) for run in runs for x in run] == want


@settings(max_examples=150)
@given(_inputs(), st.integers(1, 12), st.lists(st.integers(1, 9), min_size=1))
def test_the_state_after_a_run_resumes_right_after_it(blocks, size, limits):
    node = _node(blocks, size, 5)
    want = [_label(x) for x in IterContext().build(node)]
    it, got, k = IterContext().build(node), [], 0
    while True:
        try:
            run = it.next_many(limits[k % len(limits)])
        except StopIteration:
            break
        got += [_label(x) for x in run]
        rest = IterContext().build(node)
        rest.set_state(it.get_state())
        assert [_label(x) for x in rest] == want[len(got) :]
        k += 1
    assert got == want


def test_a_run_over_a_full_buffer_takes_many_elements_at_once():
    node = _node([list(range(1000))], 100, 1)
    it = IterContext().build(node)
    run = it.next_many(256)
    assert len(run) == 256 and len(set(run)) == 256
    want = _reference(list(range(1000)), 100, [1])
    assert run == want[:256]
