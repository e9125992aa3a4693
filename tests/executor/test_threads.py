"""Threads: named daemons, stopped when closed, exhausted, failed or dropped."""

from __future__ import annotations

import gc
import threading
import time

import numpy as np
import pytest
from support import pipeline_threads, wait_no_pipeline_threads

import pipeline as pl

D = pl.data.Dataset


def threaded(n=10_000):
    return (
        D.range(n)
        .map(lambda x: x + 1, num_parallel_calls=2)
        .interleave(lambda x: D.range(3), cycle_length=2, num_parallel_calls=2)
        .prefetch(4)
    )


def test_threads_are_named_daemons_and_stop_on_close(no_thread_leak):
    it = iter(threaded())
    next(it)
    threads = pipeline_threads()
    assert threads and all(t.daemon for t in threads)
    assert {t.name.rsplit("-", 1)[0] for t in threads} >= {
        "pipeline-prefetch",
        "pipeline-map",
    }
    it.close()
    it.close()  # idempotent
    assert not wait_no_pipeline_threads()
    with pytest.raises(StopIteration):
        next(it)


def test_no_threads_before_first_next(no_thread_leak):
    it = iter(threaded())
    assert not pipeline_threads()
    it.close()


def test_context_manager_and_exhaustion(no_thread_leak):
    with iter(threaded(50)) as it:
        next(it)
    assert not wait_no_pipeline_threads()
    assert len(list(threaded(20))) == 60
    assert not wait_no_pipeline_threads()


def test_failure_keeps_iterating_then_close_stops_threads(no_thread_leak):
    def bad(x):
        if x == 500:
            raise KeyError("x")
        return x

    it = iter(D.range(100_000).map(bad, num_parallel_calls=2).prefetch(8))
    with pytest.raises(KeyError):
        for _ in it:
            pass
    assert int(next(it)) == 501  # as tf.data: the next element follows the error
    it.close()
    assert not wait_no_pipeline_threads()


def test_failure_in_a_with_block_stops_threads(no_thread_leak):
    def bad(x):
        if x == 500:
            raise KeyError("x")
        return x

    with pytest.raises(KeyError):
        with iter(D.range(100_000).map(bad, num_parallel_calls=2).prefetch(8)) as it:
            for _ in it:
                pass
    assert not wait_no_pipeline_threads()


def test_dropped_iterator_is_collected_and_stops(no_thread_leak):
    it = iter(threaded())
    next(it)
    del it
    gc.collect()
    assert not wait_no_pipeline_threads()


def test_a_thousand_abandoned_iterators(no_thread_leak):
    ds = D.range(1_000_000).map(lambda x: x, num_parallel_calls=2).prefetch(2)
    for _ in range(1000):
        it = iter(ds)
        next(it)
    del it
    gc.collect()
    assert not wait_no_pipeline_threads(10.0)


def test_slow_consumer_keeps_buffers_bounded(no_thread_leak):
    produced = []

    def count(x):
        produced.append(1)
        return np.zeros(10)

    it = iter(D.range(100_000).map(count, num_parallel_calls=2).prefetch(4))
    next(it)
    time.sleep(0.3)
    first = len(produced)
    time.sleep(0.3)
    assert len(produced) == first < 5_000
    it.close()


def test_blocked_producer_unblocks_on_close(no_thread_leak):
    it = iter(D.range(10**9).prefetch(1))
    next(it)
    start = time.monotonic()
    it.close()
    assert time.monotonic() - start < 2.0
    assert not [t for t in threading.enumerate() if t.name.startswith("pipeline-")]


def test_threads_sharing_one_iterator_each_get_their_own_elements():
    from pipeline.executor.runner import DatasetIterator
    from pipeline.graph.base import Node, NodeIterator

    class Racy(NodeIterator):
        """Reads, waits, then writes its position: unsafe unless serialized."""

        def __init__(self) -> None:
            super().__init__()
            self.i = 0

        def __next__(self):
            v = self.i
            time.sleep(0.0005)
            self.i = v + 1
            if v >= 60:
                raise StopIteration
            return v

    class RacyNode(Node):
        def make_iterator(self, ctx):
            return Racy()

    it = DatasetIterator(RacyNode(()), pl.data.Options(optimize=False))
    got, lock = [], threading.Lock()

    def consume():
        for v in it:
            with lock:
                got.append(v)

    threads = [threading.Thread(target=consume) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(60))
