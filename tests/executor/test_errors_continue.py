"""After an element's error the iterator goes on (as tf.data's): the same
outcomes threaded or not, resumable from a state saved right after the error,
and no thread left once closed."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl

D = pl.data.Dataset


def flaky(x):
    if int(x) % 7 == 3:
        raise KeyError(f"bad {int(x)}")
    return x * 10


def outcomes(it, limit=10_000):
    out = []
    for _ in range(limit):
        try:
            out.append(np.asarray(next(it)).tolist())
        except StopIteration:
            return out
        except KeyError as e:
            out.append(f"error {e.args[0]}")
    raise AssertionError("did not end")


def want(name):
    order = list(range(40))
    if name == "parallel_interleave":  # inputs 0-9 and 10-19 alternate, then 20-39
        order = [v for a in (0, 20) for i in range(10) for v in (a + i, a + 10 + i)]
    return [f"error bad {i}" if i % 7 == 3 else i * 10 for i in order]


PIPELINES = {
    "map": lambda: D.range(40).map(flaky),
    "parallel_map": lambda: D.range(40).map(flaky, num_parallel_calls=3),
    "map_prefetch": lambda: D.range(40).map(flaky).prefetch(2),
    "parallel_interleave": lambda: D.range(4).interleave(
        lambda i: D.range(i * 10, i * 10 + 10).map(flaky),
        cycle_length=2,
        num_parallel_calls=2,
    ),
}


@pytest.mark.parametrize("name", sorted(PIPELINES))
def test_errors_are_raised_in_place_and_iteration_goes_on(no_thread_leak, name):
    ds = PIPELINES[name]()
    with iter(ds) as it:
        assert outcomes(it) == want(name)
    plain = ds.with_options(pl.data.Options(optimize=False))
    with iter(plain) as it:
        assert outcomes(it) == want(name)


@pytest.mark.parametrize("name", sorted(PIPELINES))
def test_state_saved_after_an_error_resumes_after_it(no_thread_leak, name):
    ds = PIPELINES[name]()
    with iter(ds) as it:
        head, error = [], None
        while error is None:
            try:
                head.append(np.asarray(next(it)).tolist())
            except KeyError as e:
                error = f"error {e.args[0]}"
        state = it.get_state()
        rest = outcomes(it)
    assert head + [error] + rest == want(name)
    assert rest and len(head) < 5
    with iter(ds) as again:
        again.set_state(state)
        assert outcomes(again) == rest


def test_the_error_keeps_its_type_note_and_cause(no_thread_leak):
    with iter(D.range(5).map(flaky, num_parallel_calls=2)) as it:
        next(it), next(it), next(it)
        with pytest.raises(KeyError) as info:
            next(it)
    assert "at element index 3" in " ".join(info.value.__notes__)


def test_an_interrupt_still_ends_the_run(no_thread_leak):
    def interrupt(x):
        if int(x) == 2:
            raise KeyboardInterrupt
        return x

    it = iter(D.range(10).map(interrupt, num_parallel_calls=2))
    assert [int(next(it)) for _ in range(2)] == [0, 1]
    with pytest.raises(KeyboardInterrupt):
        next(it)
    with pytest.raises(StopIteration):
        next(it)  # a fatal failure closed the iterator


def test_stop_iteration_in_a_filter_is_invalid_argument():
    def pred(x):
        if int(x) == 1:
            raise StopIteration
        return True

    it = iter(D.range(3).filter(pred))
    assert int(next(it)) == 0
    with pytest.raises(pl.errors.InvalidArgumentError, match="StopIteration"):
        next(it)
    assert int(next(it)) == 2
