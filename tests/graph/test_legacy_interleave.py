"""parallel_interleave's order: a failed input takes its slot's turn, and the
slot's next turn passes; the state resumes at every step."""

from __future__ import annotations

import numpy as np

from pipeline.graph.base import IterContext
from pipeline.graph.elementwise import MapNode
from pipeline.graph.failures import ElementFailure
from pipeline.graph.legacy_interleave import ParallelInterleaveNode
from pipeline.graph.slicing import RepeatNode
from pipeline.graph.sources import ListNode, TensorsNode


def _fail_on_five(x):
    if x == 5:
        raise ValueError("five")
    return x


def _node():
    values = ListNode((), (np.int64(4), np.int64(5), np.int64(6)))
    checked = MapNode((values,), fn=_fail_on_five)
    return ParallelInterleaveNode(
        (checked,),
        fn=lambda x: RepeatNode((TensorsNode((), x),), count=int(x)),
        cycle_length=2,
    )


def _plain(items):
    return ["E" if isinstance(i, ElementFailure) else int(i) for i in items]


def test_failure_takes_the_turn_then_the_slot_passes_once():
    got = _plain(IterContext().build(_node()))
    assert got == [4, "E", 4, 4, 6, 4, 6, 6, 6, 6, 6]


def test_state_at_every_step():
    full = _plain(IterContext().build(_node()))
    for k in range(len(full) + 1):
        it = IterContext().build(_node())
        _ = [next(it) for _ in range(k)]
        again = IterContext().build(_node())
        again.set_state(it.get_state())
        assert _plain(again) == full[k:]
