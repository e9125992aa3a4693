"""Stopping a threaded stage is race-free: set_state/close never touch the
parent while an old thread may still be inside it, and say so when a thread
does not stop in time."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from pipeline.errors import FailedPreconditionError
from pipeline.executor import stages
from pipeline.executor.stages import PrefetchIterator
from pipeline.executor.workers import ParallelMapIterator
from pipeline.graph.base import NodeIterator

_TIMEOUT_S = 0.2


class BlockingParent(NodeIterator):
    """0, 1, 2, ...; ``next`` of element ``block_at`` waits for ``release``.

    Records every call made from outside while a thread is inside ``next``.
    """

    def __init__(self, block_at: int, stop: int = 40) -> None:
        super().__init__()
        self.i, self.block_at, self.stop = 0, block_at, stop
        self.inside = 0
        self.entered, self.release = threading.Event(), threading.Event()
        self.overlaps: list[str] = []
        self.closed = 0

    def __next__(self):
        self.inside += 1
        try:
            if self.i == self.block_at and not self.release.is_set():
                self.entered.set()
                self.release.wait(10)
            if self.i >= self.stop:
                raise StopIteration
            self.i += 1
            return self.i - 1
        finally:
            self.inside -= 1

    def _touch(self, what: str) -> None:
        if self.inside:
            self.overlaps.append(what)

    def get_state(self):
        self._touch("get_state")
        return {"i": self.i}

    def set_state(self, state):
        self._touch("set_state")
        self.i = state["i"]

    def close(self):
        self._touch("close")
        self.closed += 1


def _prefetch(parent):
    return PrefetchIterator(None, parent, "prefetch(test)", 2)


def _map(parent):
    return ParallelMapIterator(None, parent, lambda e, i: e, "map(test)", 2, True)


def _wait(pred, timeout_s=5.0):
    deadline = time.monotonic() + timeout_s
    while not pred() and time.monotonic() < deadline:
        time.sleep(0.005)
    return pred()


@pytest.fixture
def short_timeout(monkeypatch):
    monkeypatch.setattr(stages, "_JOIN_TIMEOUT_S", _TIMEOUT_S)


STAGES = [(_prefetch, "pipeline-prefetch-0", 3), (_map, "pipeline-map-", 6)]


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("make", "thread", "block_at"), STAGES)
def test_set_state_refuses_while_a_thread_is_inside_the_parent(
    make, thread, block_at, short_timeout, caplog, no_thread_leak
):
    parent = BlockingParent(block_at)
    stage = make(parent)
    assert next(stage) == 0
    state = stage.get_state()
    assert parent.entered.wait(5)
    start = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        with pytest.raises(FailedPreconditionError, match=f"{thread}.*still reading"):
            stage.set_state(state)
    assert time.monotonic() - start < 10 * _TIMEOUT_S
    warned = [r for r in caplog.records if r.name == "pipeline"]
    assert any(thread in r.getMessage() for r in warned), caplog.text
    assert parent.overlaps == [] and parent.closed == 0  # left alone
    parent.release.set()
    # the thread leaves, sees it was abandoned, closes the parent itself
    assert _wait(lambda: parent.closed == 1)
    stage.close()
    assert parent.overlaps == [] and parent.closed == 1


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("make", "thread", "block_at"), STAGES)
def test_close_leaves_the_parent_to_a_stuck_thread(
    make, thread, block_at, short_timeout, caplog, no_thread_leak
):
    parent = BlockingParent(block_at)
    stage = make(parent)
    assert next(stage) == 0
    assert parent.entered.wait(5)
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        stage.close()
        stage.close()  # idempotent: no second wait or warning
    warned = [r.getMessage() for r in caplog.records if r.name == "pipeline"]
    assert warned and len(set(warned)) == len(warned), warned  # once per thread
    assert all("did not stop within 0.2 s" in m for m in warned)
    assert any(thread in m for m in warned)
    assert parent.closed == 0
    parent.release.set()
    assert _wait(lambda: parent.closed == 1)
    assert parent.overlaps == []


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("make", "thread", "block_at"), STAGES)
def test_set_state_waits_for_a_thread_that_leaves_in_time(
    make, thread, block_at, no_thread_leak
):
    parent = BlockingParent(block_at)
    stage = make(parent)
    assert [next(stage) for _ in range(2)] == [0, 1]
    state = stage.get_state()
    assert parent.entered.wait(5)
    threading.Timer(0.2, parent.release.set).start()
    stage.set_state(state)  # waits (default timeout) rather than racing
    assert parent.overlaps == []
    assert list(stage) == list(range(2, 40))
    stage.close()
    assert parent.closed == 1


@pytest.mark.timeout(30)
def test_late_map_result_is_discarded_after_restore(
    short_timeout, caplog, no_thread_leak
):
    gate, busy = threading.Event(), threading.Event()

    def mapper(e, i):
        if e == 5 and not gate.is_set():
            busy.set()
            gate.wait(10)
            return -1  # the old run's late result: must not show up
        return e * 10

    parent = BlockingParent(block_at=-1, stop=12)
    stage = ParallelMapIterator(None, parent, mapper, "map(test)", 2, True)
    assert next(stage) == 0
    state = stage.get_state()
    assert busy.wait(5)
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        stage.set_state(state)  # the old worker is in the mapper, not the parent
    assert any("pipeline-map-" in r.getMessage() for r in caplog.records)
    gate.set()
    assert list(stage) == [e * 10 for e in range(1, 12)]
    stage.close()
    assert parent.overlaps == []
