"""iterator.stats(): per stage counters and the parallelism AUTOTUNE chose."""

from __future__ import annotations

import time

import pytest

import pipeline as pl
from pipeline import _config
from pipeline.executor.buffers import CLOSED, BoundedBuffer

D = pl.data.Dataset


def slow(x):
    time.sleep(0.001)
    return x


def test_stats_per_stage(no_thread_leak):
    ds = (
        D.range(200)
        .map(slow, num_parallel_calls=pl.data.AUTOTUNE)
        .batch(10)
        .prefetch(2)
        .with_options(pl.data.Options(num_threads=2))
    )
    with iter(ds) as it:
        assert len(list(it)) == 20
        stats = {s["stage"].split("(")[0]: s for s in it.stats()}
    m = stats["map"]
    assert m["produced"] == 200
    assert m["parallelism"] == 2
    assert m["busy_s"] >= 0.2 * 0.9  # 200 x 1 ms of work, over all workers
    assert 1 <= m["block_size"] <= 256
    p = stats["prefetch"]
    assert p["produced"] == 20 and 0.0 <= p["buffer_fill"] <= 1.0
    assert p["wait_input_s"] > 0  # the prefetch waited on the slow map


def test_num_threads_option_caps_autotune(no_thread_leak):
    ds = D.range(50).map(slow, num_parallel_calls=pl.data.AUTOTUNE)
    with iter(ds.with_options(pl.data.Options(num_threads=3))) as it:
        list(it)
        (m,) = [s for s in it.stats() if s["stage"].startswith("map")]
    assert m["parallelism"] == 3


def test_bounded_buffer_close_wakes_waiters():
    buf = BoundedBuffer(1)
    assert buf.put(1)
    import threading

    results = []
    t = threading.Thread(target=lambda: results.append(buf.put(2)))
    t.start()
    time.sleep(0.05)
    buf.close()
    t.join(1)
    assert results == [False] and buf.get() is CLOSED


def test_autotune_default_is_the_core_count():
    from pipeline.executor import autotune

    assert autotune.parallelism(pl.data.AUTOTUNE) == _config.num_threads()


def test_autotune_measures_thread_counts_and_records_the_choice(no_thread_leak):
    def python_work(x):
        total = 0
        for i in range(200):  # holds the GIL: more threads do not help
            total += i
        return x + total

    opts = pl.data.Options(num_threads=2)
    ds = D.range(20_000).map(python_work, num_parallel_calls=pl.data.AUTOTUNE)
    with iter(ds.with_options(opts)) as it:
        out = [int(v) for v in it]
        (m,) = [s for s in it.stats() if s["stage"].startswith("map")]
    assert out == [i + 19900 for i in range(20_000)]
    rates = m["autotune"]
    assert set(rates) == {"2", "1"} and min(rates.values()) > 0
    # wall-clock rates on a shared machine decide; the choice must be the one
    # they imply (2 threads only when more than 10% faster than 1)
    assert m["parallelism"] == (2 if rates["2"] > 1.1 * rates["1"] else 1)


class _Clock:
    """A fake ``time`` module for the tuner: seconds advance when told."""

    def __init__(self):
        self.now = 100.0

    def perf_counter(self):
        return self.now


def _feed(tuner, clock, seconds_per_block, blocks, elements=10):
    for _ in range(blocks):
        clock.now += seconds_per_block
        tuner.on_block(elements)


@pytest.mark.parametrize(
    ("speedup", "chosen"), [(2.0, 2), (1.2, 2), (1.05, 1), (1.0, 1), (0.7, 1)]
)
def test_tuner_keeps_more_threads_only_when_10_percent_faster(
    speedup, chosen, monkeypatch
):
    from pipeline.executor import tuning
    from pipeline.executor.stages import StageStats

    clock = _Clock()
    monkeypatch.setattr(tuning, "time", clock)
    gate, stats = tuning.Gate(2), StageStats("map", 2)
    tuner = tuning.ParallelismTuner(gate, 2, stats)
    # 2 threads: 4 settling blocks, then a 6-block window of 10 elements each
    _feed(tuner, clock, 0.01 / speedup, 4 + 6)
    assert gate.limit == 1 and stats.autotune is None  # now measuring 1 thread
    _feed(tuner, clock, 0.01, 4 + 6)
    assert stats.autotune == {"2": round(1000 * speedup), "1": 1000}
    assert stats.parallelism == chosen and gate.limit == chosen
    _feed(tuner, clock, 1.0, 20)  # decided once: later blocks change nothing
    assert stats.parallelism == chosen and gate.limit == chosen


def test_explicit_parallelism_is_not_tuned(no_thread_leak):
    ds = D.range(5_000).map(lambda x: x + 1, num_parallel_calls=2)
    with iter(ds) as it:
        list(it)
        (m,) = [s for s in it.stats() if s["stage"].startswith("map")]
    assert m["autotune"] is None and m["parallelism"] == 2
