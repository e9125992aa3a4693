"""``next_many`` hands out the same elements, in the same order and with the
same states, as ``next`` does, through sources, take, skip, flat_map and batch."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.graph.base import IterContext, Node
from pipeline.graph.batching import BatchNode
from pipeline.graph.combining import FlatMapNode
from pipeline.graph.failures import ElementFailure
from pipeline.graph.slicing import SkipNode, TakeNode
from pipeline.graph.sources import BlockSourceNode, RangeNode


class _Blocks:
    """A block source over fixed blocks; ``None`` items become failures."""

    element_spec = None
    cardinality = -2

    def __init__(self, blocks: list[list[Any]], alone: bool) -> None:
        self.data, self.failures_alone = blocks, alone

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


@st.composite
def _blocks(draw, alone: bool):
    count = draw(st.integers(0, 5))
    out, k = [], 0
    for _ in range(count):
        if alone and draw(st.integers(0, 4)) == 0:
            out.append([None])
            continue
        size = draw(st.integers(1, 6))
        block = []
        for _ in range(size):
            fail = not alone and draw(st.integers(0, 5)) == 0
            block.append(None if fail else k)
            k += 1
        out.append(block)
    return out


@st.composite
def _pipelines(draw):
    alone = draw(st.booleans())
    node: Node = BlockSourceNode((), _Blocks(draw(_blocks(alone)), alone))
    if draw(st.booleans()):
        inner = node
        node = FlatMapNode((RangeNode((), 0, draw(st.integers(0, 3)), 1),),
                           fn=lambda _i: inner)  # fmt: skip
    for _ in range(draw(st.integers(0, 2))):
        if draw(st.booleans()):
            node = TakeNode((node,), count=draw(st.integers(-1, 12)))
        else:
            node = SkipNode((node,), count=draw(st.integers(-1, 5)))
    return node


def _by_next(node: Node) -> list[Any]:
    return [_label(x) for x in IterContext().build(node)]


@settings(max_examples=300)
@given(_pipelines(), st.lists(st.integers(1, 7), min_size=1, max_size=30))
def test_runs_are_the_elements_next_gives(node, limits):
    want = _by_next(node)
    it, got, k = IterContext().build(node), [], 0
    while True:
        try:
            run = it.next_many(limits[k % len(limits)])
        except StopIteration:
            break
        assert 1 <= len(run) <= limits[k % len(limits)]
        failures = [isinstance(x, ElementFailure) for x in run]
        assert not any(failures) or failures == [True]  # a failure comes alone
        # the state after a run resumes right after it
        state = it.get_state()
        rest = IterContext().build(node)
        rest.set_state(state)
        got += [_label(x) for x in run]
        assert [_label(x) for x in rest] == want[len(got) :]
        k += 1
    assert got == want


@settings(max_examples=200)
@given(_pipelines(), st.integers(1, 5), st.booleans())
def test_batches_match_element_by_element_batching(node, size, drop):
    batched = BatchNode((node,), batch_size=size, drop_remainder=drop)
    elements = _by_next(node)
    got = []
    for b in IterContext().build(batched):
        got.append(_label(b) if isinstance(b, ElementFailure) else b.tolist())
    want, run = [], []
    for x in elements:  # batch's rule: a failure replaces the partial batch
        if isinstance(x, tuple):
            want.append(x)
            run = []
            continue
        run.append(x)
        if len(run) == size:
            want.append(run)
            run = []
    if run and not drop:
        want.append(run)
    assert got == want
