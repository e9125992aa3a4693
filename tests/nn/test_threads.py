"""The BLAS thread policy of nn loops: the tuner's decisions and the loop wiring.

The tuner is driven with made-up step times, so these tests do not depend on the
machine; the loop tests replace the BLAS's thread setter with a recorder.
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import nn
from pipeline.nn import layers
from pipeline.nn.backend import blas, threads
from pipeline.nn.backend.threads import LoopThreads, ThreadTuner


def _drive(tuner, cost_of, steps, examples=256):
    """Runs ``steps`` steps whose time is ``cost_of(threads)``; the counts used."""
    used = []
    for _ in range(steps):
        tuner.before_step()
        count = tuner._applied
        used.append(count)
        tuner.after_step(cost_of(count), examples)
    return used


def _tuner(**kwargs):
    applied = []
    tuner = ThreadTuner([1, 2], applied.append, **kwargs)
    return tuner, applied


def test_picks_the_faster_count_and_sets_it_only_on_change():
    tuner, applied = _tuner()
    used = _drive(tuner, {1: 1.0, 2: 0.6}.get, 20)
    assert used[:6] == [1, 1, 1, 2, 2, 2]  # probe: 3 steps each
    assert set(used[6:]) == {2} and tuner.chosen == 2
    assert applied == [1, 2]


def test_a_collapsing_count_is_dropped_after_one_step():
    tuner, _ = _tuner()
    used = _drive(tuner, {1: 1.0, 2: 30.0}.get, 10)
    assert used[:5] == [1, 1, 1, 2, 1]
    assert tuner.chosen == 1


def test_the_hold_pays_for_probing_the_loser():
    # one probe step of a 30x slower loser costs 29 steps; at a 5% budget the
    # hold must be at least 29 / 0.05 = 580 steps
    tuner, _ = _tuner(hold_steps=8)
    used = _drive(tuner, {1: 1.0, 2: 30.0}.get, 700)
    # probe (1, 1, 1, 2), hold 580 steps, probe (1, 1, 1, 2) again
    assert [i for i, n in enumerate(used) if n == 2] == [3, 4 + 580 + 3]


def test_a_winner_is_held_twice_as_long_each_time():
    tuner, _ = _tuner(probe_steps=1, hold_steps=4)
    used = _drive(tuner, {1: 1.0, 2: 1.01}.get, 60)
    probe_starts = [i for i in range(1, len(used)) if used[i] == 2]
    gaps = np.diff(probe_starts).tolist()
    assert gaps[:3] == [4 + 2, 8 + 2, 16 + 2]  # hold + one step per candidate


def test_reprobes_at_once_when_the_choice_gets_slow():
    tuner, _ = _tuner(hold_steps=1000)
    load = {"busy": False}

    def cost(count):
        if load["busy"]:
            return {1: 1.0, 2: 20.0}[count]
        return {1: 1.0, 2: 0.6}[count]

    _drive(tuner, cost, 10)
    assert tuner.chosen == 2
    load["busy"] = True
    _drive(tuner, cost, 15)  # 8 slow steps fill the window, then a probe
    assert tuner.chosen == 1 and tuner.probes == 2


def test_step_times_are_per_example():
    tuner, _ = _tuner(probe_steps=1)
    tuner.before_step()
    tuner.after_step(1.0, 256)  # 1 thread
    tuner.before_step()
    tuner.after_step(0.5, 64)  # 2 threads: half the time, a quarter of the batch
    assert tuner.chosen == 1


class _FakeBlas:
    def __init__(self, monkeypatch, count=2, busy=False):
        self.count = count
        self.calls = []
        monkeypatch.setattr(blas, "get_num_threads", lambda: self.count)
        monkeypatch.setattr(blas, "set_num_threads", self.set)
        # the machine's real load must not decide these tests
        monkeypatch.setattr(threads, "machine_busy", lambda *a: busy)

    def set(self, n):
        previous, self.count = self.count, n
        self.calls.append(n)
        return previous


def _fit(model, epochs=1):
    x = np.random.default_rng(0).normal(size=(64, 3)).astype(np.float32)
    model.fit(x, x[:, :1], batch_size=8, epochs=epochs, verbose=0)


def _model():
    model = nn.Sequential([layers.Input((3,)), layers.Dense(4), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


def test_fit_tunes_then_restores_the_thread_count(monkeypatch):
    fake = _FakeBlas(monkeypatch)
    model = _model()
    _fit(model, epochs=2)
    assert fake.count == 2
    assert 1 in fake.calls
    tuner = model._loop_threads["train"]._tuner
    assert tuner.candidates == [1, 2] and set(tuner.reference) == {1, 2}
    model.predict(np.zeros((4, 3), np.float32), verbose=0)
    assert set(model._loop_threads) == {"train", "predict"} and fake.count == 2


@pytest.mark.parametrize("setting, during", [("1", {1}), ("off", set())])
def test_the_environment_fixes_or_disables_the_policy(monkeypatch, setting, during):
    monkeypatch.setenv("PIPELINE_BLAS_THREADS", setting)
    fake = _FakeBlas(monkeypatch)
    with LoopThreads() as loop:
        loop.before_step()
        loop.after_step(0.01, 8)
        assert fake.count == (1 if during else 2)
    assert set(fake.calls) <= during | {2} and fake.count == 2


def test_a_single_threaded_blas_is_left_alone(monkeypatch):
    fake = _FakeBlas(monkeypatch, count=1)
    _fit(_model())
    assert set(fake.calls) <= {1}


def test_nested_loops_choose_between_one_and_the_outer_count(monkeypatch):
    fake = _FakeBlas(monkeypatch)
    outer, inner = LoopThreads(), LoopThreads()
    with outer:
        fake.set(1)  # the outer loop's tuner chose 1 thread
        with inner:
            assert inner._tuner.candidates == [1, 2]
        assert fake.count == 1
    assert fake.count == 2 and threads._nesting["depth"] == 0


def test_the_tuner_follows_a_changed_blas_default(monkeypatch):
    fake = _FakeBlas(monkeypatch)
    loop = LoopThreads()
    with loop:
        assert loop._tuner.candidates == [1, 2]
    fake.count = 4
    with loop:
        assert loop._tuner.candidates == [1, 4]
    fake.count = 1
    with loop:
        loop.before_step()
    assert fake.calls == [2, 4, 1]  # each exit restores; nothing is tuned at 1


def test_a_busy_machine_is_not_probed_with_more_threads():
    asked = []

    def busy(threads_to_try, current):
        asked.append((threads_to_try, current))
        return True

    tuner, applied = _tuner(busy=busy)
    used = _drive(tuner, lambda n: 1.0 if n == 1 else 0.1, 200)
    assert set(used) == {1} and applied == [1]
    assert tuner.chosen == 1 and set(tuner.reference) == {1}
    assert asked[0] == (2, 1) and len(asked) == tuner.probes


def test_the_probe_tries_more_threads_again_once_the_machine_is_free():
    state = {"busy": True}
    tuner, applied = _tuner(busy=lambda threads_to_try, current: state["busy"])
    _drive(tuner, lambda n: 1.0 if n == 1 else 0.5, 50)
    assert 2 not in applied
    state["busy"] = False
    _drive(tuner, lambda n: 1.0 if n == 1 else 0.5, 400)
    assert 2 in applied and tuner.chosen == 2


@pytest.mark.parametrize(
    ("runnable", "to_try", "current", "busy"),
    [
        (1, 2, 1, False),  # this thread alone: room for 2 on 2 CPUs
        (2, 2, 1, True),  # one other runnable thread: 3 on 2 CPUs
        (2, 2, 2, False),  # the other runnable one is our own BLAS worker
        (5, 2, 1, True),
        (None, 2, 1, False),  # no /proc/loadavg: never busy
    ],
)
def test_machine_busy_counts_the_other_runnable_threads(
    monkeypatch, runnable, to_try, current, busy
):
    monkeypatch.setattr(threads, "_runnable_now", lambda: runnable)
    monkeypatch.setattr(threads, "_cpus", lambda: 2)
    assert threads.machine_busy(to_try, current) is busy


def test_runnable_now_reads_the_running_field():
    count = threads._runnable_now()
    assert isinstance(count, int) and count >= 1  # this thread is running


def test_fit_on_a_busy_machine_stays_at_one_thread(monkeypatch):
    fake = _FakeBlas(monkeypatch, busy=True)
    _fit(_model(), epochs=2)
    assert fake.calls == [1, 2] * 2  # 1 in each epoch's loop, 2 restored after it
