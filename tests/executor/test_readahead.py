"""ordered_map: order, backpressure, errors in place, no thread left behind."""

from __future__ import annotations

import threading
import time

import pytest
from support import pipeline_threads

from pipeline.executor.readahead import ordered_map


def _slow_square(x: int) -> int:
    time.sleep(0.002 * (x % 3))  # finish out of order
    return x * x


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_results_come_in_input_order(workers):
    assert list(ordered_map(_slow_square, iter(range(40)), workers)) == [
        x * x for x in range(40)
    ]
    assert not pipeline_threads()


def test_an_error_in_fn_comes_in_its_place():
    def fn(x):
        if x == 5:
            raise ValueError("five")
        return x

    it = ordered_map(fn, iter(range(10)), workers=3)
    assert [next(it) for _ in range(5)] == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match="five"):
        next(it)
    assert not pipeline_threads()


def test_an_error_from_the_input_comes_after_the_items_before_it():
    def items():
        yield from range(3)
        raise OSError("disk")

    got = []
    with pytest.raises(OSError, match="disk"):
        for x in ordered_map(lambda x: x, items(), workers=2):
            got.append(x)
    assert got == [0, 1, 2]
    assert not pipeline_threads()


def test_at_most_ahead_items_are_read_before_they_are_taken():
    read = []

    def items():
        for i in range(100):
            read.append(i)
            yield i

    it = ordered_map(lambda x: x, items(), workers=2, ahead=3)
    next(it)
    time.sleep(0.05)
    assert len(read) <= 1 + 3
    it.close()
    assert not pipeline_threads()


def test_dropping_the_iterator_joins_its_threads():
    before = threading.active_count()
    for _ in range(20):
        it = ordered_map(_slow_square, iter(range(1000)), workers=2)
        next(it)
        del it
    assert not pipeline_threads()
    assert threading.active_count() == before
