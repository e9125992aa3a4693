"""KeyboardInterrupt, SystemExit and GeneratorExit raised in any pipeline
thread reach the consumer with their type, traceback and a note, and the run
stops (no hang, no thread left)."""

from __future__ import annotations

import re
import traceback

import pytest

import pipeline as pl
from pipeline.executor.readahead import ordered_map

D = pl.data.Dataset

FATAL = [KeyboardInterrupt, SystemExit, GeneratorExit]
BAD = 7


def _raiser(kind):
    def fatal_at_7(x):
        if int(x) == BAD:
            raise kind(f"stop at {int(x)}")
        return x

    return fatal_at_7


def _check(info, kind, stage, index):
    """The type, message, traceback and a note naming the stage and index."""
    assert type(info.value) is kind
    assert info.value.args == (f"stop at {BAD}",)
    notes = "\n".join(getattr(info.value, "__notes__", []))
    want = f"raised in pipeline stage {stage}.* at element index {index}$"
    assert re.search(want, notes, re.M), notes
    frames = traceback.extract_tb(info.value.__traceback__)
    assert any(f.name == "fatal_at_7" for f in frames)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", FATAL)
@pytest.mark.parametrize("ignore", [False, True])
def test_parallel_map_worker(kind, ignore, no_thread_leak):
    ds = D.range(40).map(_raiser(kind), num_parallel_calls=2)
    if ignore:  # ignore_errors drops errors, never an interrupt or an exit
        ds = ds.ignore_errors()
    it = iter(ds)
    got = [int(next(it)) for _ in range(BAD)]
    with pytest.raises(kind) as info:
        next(it)
    assert got == list(range(BAD))
    _check(info, kind, r"map\(fn=\S*fatal_at_7 @ test_fatal_errors", BAD)
    with pytest.raises(StopIteration):
        next(it)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", FATAL)
def test_map_worker_reading_its_input(kind, no_thread_leak):
    # the sequential map runs inside the parallel map's worker threads
    ds = D.range(40).map(_raiser(kind)).map(lambda x: x, num_parallel_calls=2)
    plain = pl.data.Options(optimize=False)  # no fusion, no final prefetch
    with iter(ds.with_options(plain)) as it:
        with pytest.raises(kind) as info:
            list(it)
    _check(info, kind, r"map\(fn=\S*<lambda> @ .*num_parallel_calls=2\)", BAD)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", FATAL)
def test_prefetch_thread(kind, no_thread_leak):
    ds = D.range(40).map(_raiser(kind)).prefetch(3)
    it = iter(ds)
    got = [int(next(it)) for _ in range(BAD)]
    with pytest.raises(kind) as info:
        next(it)
    assert got == list(range(BAD))  # the elements before it are not lost
    _check(info, kind, r"prefetch\(buffer_size=3\)", BAD)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", FATAL)
def test_interleave_thread(kind, no_thread_leak):
    fn = _raiser(kind)
    ds = D.range(2).interleave(
        lambda i: D.range(20).map(fn), cycle_length=2, num_parallel_calls=2
    )
    with iter(ds) as it:
        with pytest.raises(kind) as info:
            list(it)
    _check(info, kind, r"interleave\(fn=\S*<lambda> @ .*\) input", BAD)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", FATAL)
def test_readahead_function(kind, no_thread_leak):
    gen = ordered_map(_raiser(kind), iter(range(40)), workers=3)
    got = [next(gen) for _ in range(BAD)]
    with pytest.raises(kind) as info:
        next(gen)
    assert got == list(range(BAD))
    _check(info, kind, r"readahead\(\S*fatal_at_7 @ test_fatal_errors", BAD)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", FATAL)
def test_readahead_input(kind, no_thread_leak):
    fn = _raiser(kind)
    items = (fn(i) for i in range(40))
    gen = ordered_map(lambda x: x, items, workers=2)
    with pytest.raises(kind) as info:
        list(gen)
    _check(info, kind, r"readahead\(\S*<lambda> @ test_fatal_errors", BAD)
