"""`graph.batch_cutting` against a list-slicing reference of batch semantics."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.graph.batch_cutting import BatchCutter, gather, keeps_batch
from pipeline.graph.failures import ElementFailure

FAIL = "F"

# A stream: a list of runs (row counts) and failures, in order.
streams = st.lists(st.one_of(st.integers(0, 9), st.just(FAIL)), max_size=12)


def _reference(stream: list, size: int, drop: bool) -> list:
    """Batches as lists of global row numbers (failures as FAIL), by slicing."""
    out, pending, row = [], [], 0
    for event in stream:
        if event == FAIL:
            out.append(FAIL)
            pending = []
            continue
        pending += list(range(row, row + event))
        row += event
        while len(pending) >= size:
            out.append(pending[:size])
            pending = pending[size:]
    if pending and not drop:
        out.append(pending)
    return out


def _starts(stream: list) -> list[int]:
    """The global row number of each event's first row."""
    starts, row = [], 0
    for event in stream:
        starts.append(row)
        row += 0 if event == FAIL else event
    return starts


def _cut(stream: list, size: int, drop: bool, first: int = 0, skip: int = 0):
    """Run a cutter over ``stream[first:]`` (skipping ``skip`` rows of its
    first run); yield (batch rows or FAIL, resume position) as a source would.

    A run is the event's index; the resume position is ``(event, row)``.
    """
    starts = _starts(stream)
    cutter = BatchCutter(size)
    for ei in range(first, len(stream)):
        event = stream[ei]
        if event == FAIL:
            cutter.drop_pending()
            yield FAIL, (ei + 1, 0)
            continue
        cutter.add(ei, event, skip if ei == first else 0)
        for pieces in cutter.cuts():
            yield _rows(pieces, starts), _resume(cutter, pieces)
    pieces = cutter.rest(drop)
    if pieces:
        yield _rows(pieces, starts), (len(stream), 0)


def _rows(pieces, starts) -> list[int]:
    return [starts[ei] + k for ei, lo, hi in pieces for k in range(lo, hi)]


def _resume(cutter: BatchCutter, pieces) -> tuple[int, int]:
    start = cutter.next_start()
    if start is not None:
        return start
    ei, _, hi = pieces[-1]
    return ei, hi


@given(streams, st.integers(1, 7), st.booleans())
def test_cutter_matches_list_slicing(stream, size, drop):
    got = [rows for rows, _ in _cut(stream, size, drop)]
    assert got == _reference(stream, size, drop)


@given(streams, st.integers(1, 7), st.booleans(), st.data())
def test_cutter_state_round_trip(stream, size, drop, data):
    """Resuming at the position after batch k gives the batches after k."""
    out = list(_cut(stream, size, drop))
    if not out:
        return
    k = data.draw(st.integers(0, len(out) - 1))
    first, skip = out[k][1]
    rest = [rows for rows, _ in _cut(stream, size, drop, first, skip)]
    assert rest == [rows for rows, _ in out[k + 1 :]]


def test_cutter_across_runs_and_remainder():
    cutter = BatchCutter(4)
    cutter.add("a", 3)
    cutter.add("b", 5, lo=1)  # rows 1..4 of b
    assert list(cutter.cuts()) == [[("a", 0, 3), ("b", 1, 2)]]
    assert cutter.next_start() == ("b", 2)
    assert cutter.rest(drop_remainder=True) is None
    assert cutter.rest(drop_remainder=False) == [("b", 2, 5)]
    assert cutter.next_start() is None and cutter.count == 0


def test_failure_drops_the_batch_being_built():
    cutter = BatchCutter(3)
    cutter.add("a", 2)
    cutter.drop_pending()
    cutter.add("b", 3)
    assert list(cutter.cuts()) == [[("b", 0, 3)]]


@pytest.mark.parametrize(
    ("count", "size", "drop", "kept"),
    [
        (0, 2, False, False),
        (1, 2, False, True),
        (1, 2, True, False),
        (2, 2, True, True),
    ],
)
def test_keeps_batch(count, size, drop, kept):
    assert keeps_batch(count, size, drop) is kept


# Pull side: elements are ints or FAIL; next_many hands out runs of at most
# ``chunk`` good elements, or one failure alone.
elements = st.lists(st.one_of(st.integers(0, 99), st.just(FAIL)), max_size=25)


def _puller(items: list, chunk: int):
    values = [
        ElementFailure(ValueError(i)) if x == FAIL else x for i, x in enumerate(items)
    ]
    pos = [0]

    def pull(limit: int) -> list:
        i = pos[0]
        if i >= len(values):
            raise StopIteration
        if isinstance(values[i], ElementFailure):
            pos[0] += 1
            return [values[i]]
        j = i
        while j < len(values) and j - i < min(limit, chunk):
            if isinstance(values[j], ElementFailure):
                break
            j += 1
        pos[0] = j
        return values[i:j]

    return pull


def _shown(items: list) -> object:
    if items and isinstance(items[-1], ElementFailure):
        return ("fail", items[-1].exception.args[0])
    return items


def _pull_reference(items: list, size: int, fill: bool) -> list:
    """Outputs of repeated `gather` calls, by slicing the element list."""
    out, i = [], 0
    while i < len(items):
        chunk = items[i : i + size]
        if FAIL in chunk:
            bad = chunk.index(FAIL)
            out.append(("fail", i + bad))
            i += len(chunk) if fill else bad + 1
        else:
            out.append(chunk)
            i += len(chunk)
    return out


@given(elements, st.integers(1, 6), st.integers(1, 8), st.booleans())
def test_gather_matches_list_slicing(items, size, chunk, fill):
    pull = _puller(items, chunk)
    got = []
    while True:
        batch = gather(pull, size, fill)
        if not batch:
            break
        got.append(_shown(batch))
    assert got == _pull_reference(items, size, fill)
