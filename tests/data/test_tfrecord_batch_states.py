"""`TFRecordDataset(...).batch(n)` read as whole batches: states at every batch.

The reader's batches of one block of records go to the engine together; a
state taken after any batch resumes with exactly the batches that follow.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import pipeline as pl
from pipeline.io.tfrecord_writer import TFRecordWriter


def _files(tmp_path, counts):
    paths = []
    for f, count in enumerate(counts):
        path = tmp_path / f"s{f}.tfrecord"
        with TFRecordWriter(str(path)) as w:
            for r in range(count):
                w.write(f"{f}:{r}:".encode() + b"x" * (r % 300))
        paths.append(str(path))
    return paths


def _batches(it):
    return [b.tolist() for b in it]


@pytest.mark.parametrize("batch, drop", [(7, False), (64, True), (1, False)])
@pytest.mark.parametrize("buffer_size", [4096, None])
def test_a_state_after_any_batch_resumes_with_the_rest(
    tmp_path, no_thread_leak, batch, drop, buffer_size
):
    files = _files(tmp_path, [150, 0, 333])
    ds = pl.data.TFRecordDataset(files, buffer_size=buffer_size)
    ds = ds.batch(batch, drop_remainder=drop)
    with iter(ds) as it:
        states, every = [it.get_state()], []
        for b in it:
            every.append(b.tolist())
            states.append(it.get_state())
    flat = [r for b in every for r in b]
    expected = [f"{f}:{r}:".encode() + b"x" * (r % 300) for f, n in
                enumerate([150, 0, 333]) for r in range(n)]  # fmt: skip
    if drop:
        expected = expected[: len(expected) // batch * batch]
    assert flat == expected
    assert all(len(b) == batch for b in every[:-1])
    for k in range(0, len(states), max(1, len(states) // 12)):
        with iter(ds) as again:
            again.set_state(states[k])
            assert _batches(again) == every[k:], k


def test_a_bad_record_between_states_is_reported_after_a_restore(
    tmp_path, no_thread_leak
):
    (path,) = _files(tmp_path, [40])
    data = bytearray(Path(path).read_bytes())
    data[12 + 3] ^= 0xFF  # record 0's data: 40 records, the first one bad
    k = 12 + len(b"0:0:") + 4
    for r in range(1, 30):  # record 30's data
        k += 12 + len(f"0:{r}:".encode()) + r % 300 + 4
    data[k + 12 + 1] ^= 0xFF
    Path(path).write_bytes(bytes(data))
    ds = pl.data.TFRecordDataset(path, buffer_size=4096).batch(8)
    ds = ds.ignore_errors()
    with iter(ds) as it:
        got = _batches(it)
    names = [r.split(b":")[1] for b in got for r in b]
    assert b"0" not in names and b"30" not in names
    with iter(ds) as it:
        first = next(it).tolist()
        state = it.get_state()
        rest = _batches(it)
    assert [first, *rest] == got
    with iter(ds) as again:
        again.set_state(state)
        assert _batches(again) == rest
