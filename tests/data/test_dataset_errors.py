"""Failures: user-function errors reach the consumer; ignore_errors drops and counts."""

from __future__ import annotations

import logging
import pathlib
import traceback

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import DataLossError
from pipeline.graph.failures import ElementFailure
from pipeline.io import tfrecord

Dataset = pl.data.Dataset


class Boom(Exception):
    pass


def explode_on_3(x):
    if x == 3:
        raise Boom(f"bad {int(x)}")
    return x


@pytest.mark.parametrize("parallel", [None, 3])
def test_user_error_has_original_type_traceback_and_note(parallel, no_thread_leak):
    ds = Dataset.range(10).map(explode_on_3, num_parallel_calls=parallel)
    it = iter(ds)
    got = [int(next(it)) for _ in range(3)]
    with pytest.raises(Boom, match="bad 3") as info:
        next(it)
    assert got == [0, 1, 2]
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "explode_on_3 @ test_dataset_errors.py" in notes
    assert "element index 3" in notes
    frames = traceback.extract_tb(info.value.__traceback__)
    assert any(f.name == "explode_on_3" for f in frames)


def test_ignore_errors_drops_user_failures_and_batches_continue():
    ds = Dataset.range(8).map(explode_on_3).ignore_errors()
    assert [int(x) for x in ds] == [0, 1, 2, 4, 5, 6, 7]
    # tf.data fuses map and batch: a failure loses its whole batch [3, 4, 5]
    batched = Dataset.range(8).map(explode_on_3).batch(3).ignore_errors()
    assert [b.tolist() for b in batched] == [[0, 1, 2], [6, 7]]
    par = Dataset.range(8).map(explode_on_3, num_parallel_calls=2)
    assert [b.tolist() for b in par.batch(3).ignore_errors()] == [[0, 1, 2], [6, 7]]


def test_source_failure_discards_only_the_partial_batch():
    ds = Dataset._from_block_source(_FlakySource()).batch(2).ignore_errors()
    # records 1 and 4 are bad: [0, (1)] fails, then [2, 3], then [(4)] fails, [5]
    assert [b.tolist() for b in ds] == [[2, 3], [5]]


class _FlakySource:
    """A block source reporting records 1 and 4 as bad."""

    element_spec = pl.TensorSpec((), np.int64)
    cardinality = pl.data.UNKNOWN_CARDINALITY

    def __str__(self):
        return "FlakySource()"

    def blocks(self, state):
        start = 0 if state is None else state["next"]
        for i in range(start, 6, 3):
            block = []
            for j in range(i, i + 3):
                if j in (1, 4):
                    err = DataLossError(
                        f"corrupted record at {j * 10}", path="f", offset=j * 10
                    )
                    block.append(
                        ElementFailure(err, raw=b"raw%d" % j, where={"offset": j * 10})
                    )
                else:
                    block.append(np.int64(j))
            yield block, {"next": i + 3}


def test_source_failures_surface_or_are_counted(caplog):
    ds = Dataset._from_block_source(_FlakySource())
    it = iter(ds)
    assert int(next(it)) == 0
    with pytest.raises(DataLossError, match="corrupted record at 10") as info:
        next(it)
    assert info.value.offset == 10
    with caplog.at_level(logging.WARNING, logger="pipeline.data"):
        out = [int(x) for x in ds.ignore_errors(log_warning=True)]
    assert out == [0, 2, 3, 5]
    assert sum("corrupted record" in r.getMessage() for r in caplog.records) == 2


def test_max_bad_records():
    ds = Dataset._from_block_source(_FlakySource())
    assert [int(x) for x in ds.ignore_errors(max_bad_records=2)] == [0, 2, 3, 5]
    with pytest.raises(DataLossError, match="at most 1") as info:
        list(ds.ignore_errors(max_bad_records=1))
    assert info.value.offset == 40


def test_quarantine_writes_raw_records(tmp_path):
    path = str(tmp_path / "bad.tfrecord")
    ds = Dataset._from_block_source(_FlakySource()).ignore_errors(quarantine=path)
    assert [int(x) for x in ds] == [0, 2, 3, 5]
    records = list(tfrecord.iter_records(path))
    assert len(records) == 2 and records[0].endswith(b"\nraw1")
    assert b'"offset": 10' in records[0] and b"corrupted record" in records[0]


def test_failure_mid_batch_with_drop_remainder_is_reported_not_an_end():
    ds = Dataset._from_block_source(_FlakySource()).batch(2, drop_remainder=True)
    it = iter(ds)
    with pytest.raises(DataLossError, match="at 10"):
        next(it)
    # ignore_errors: [0, (1)] fails, [2, 3], [(4)] fails, [5] is dropped (short)
    kept = ds.ignore_errors()
    assert [b.tolist() for b in kept] == [[2, 3]]


def _ignore_stats(it):
    (entry,) = [s for s in it.stats() if s["stage"].startswith("ignore_errors")]
    return entry


def test_stats_count_dropped_source_failures(no_thread_leak):
    ds = Dataset._from_block_source(_FlakySource()).ignore_errors()
    with iter(ds) as it:
        assert [int(x) for x in it] == [0, 2, 3, 5]
        entry = _ignore_stats(it)
    assert entry["dropped"] == 2 and entry["produced"] == 4
    assert entry["records_lost"] == 2 and entry["bytes_lost"] == 0


class _LossySource:
    """Records 0-9 of a shard; a broken header at record 4 loses 4..9 (60 bytes)."""

    element_spec = pl.TensorSpec((), np.int64)
    cardinality = pl.data.UNKNOWN_CARDINALITY

    def __str__(self):
        return "LossySource()"

    def blocks(self, state):
        if state is not None:
            return
        err = DataLossError("corrupted record length at 40", path="f", offset=40)
        err.records_lost, err.bytes_lost = 6, 60  # what the source knows it lost
        lost = ElementFailure(err, where={"offset": 40})
        yield [np.int64(j) for j in range(4)] + [lost], {"done": True}


def test_stats_count_the_records_a_failure_reports_lost(no_thread_leak):
    ds = Dataset._from_block_source(_LossySource()).ignore_errors()
    with iter(ds) as it:
        assert [int(x) for x in it] == [0, 1, 2, 3]
        entry = _ignore_stats(it)
    assert entry["dropped"] == 1
    assert entry["records_lost"] == 6 and entry["bytes_lost"] == 60


def every_seventh_fails(x):
    if x % 7 == 3:
        raise Boom(f"bad {int(x)}")
    return x


@pytest.mark.parametrize("parallel", [None, 3])
def test_stats_dropped_equals_the_bad_elements(parallel, no_thread_leak):
    ds = Dataset.range(100).map(every_seventh_fails, num_parallel_calls=parallel)
    ds = ds.ignore_errors().prefetch(4)
    bad = [x for x in range(100) if x % 7 == 3]  # 14 of them
    with iter(ds) as it:
        assert [int(x) for x in it] == [x for x in range(100) if x not in bad]
        entry = _ignore_stats(it)
    assert entry["dropped"] == len(bad) == 14
    assert entry["records_lost"] == 14 and entry["produced"] == 86


def test_stats_dropped_inside_interleave_are_summed(no_thread_leak):
    def shard(i):
        return (
            Dataset.range(10 * i, 10 * i + 10).map(every_seventh_fails).ignore_errors()
        )

    ds = Dataset.range(3).interleave(shard, cycle_length=2, num_parallel_calls=2)
    with iter(ds) as it:
        out = sorted(int(x) for x in it)
        entry = _ignore_stats(it)
    bad = [x for x in range(30) if x % 7 == 3]  # 3, 10, 17, 24
    assert out == [x for x in range(30) if x not in bad]
    assert entry["dropped"] == 4 and entry["runs"] == 3


def _shard_with_broken_length_header(tmp_path, records=100, broken=50):
    """A TFRecord file whose record ``broken`` has a bad length CRC."""
    path = str(tmp_path / "shard.tfrecord")
    payloads = [b"record-%03d" % i for i in range(records)]
    with pl.io.TFRecordWriter(path) as w:
        for p in payloads:
            w.write(p)
    frame = 12 + len(payloads[0]) + 4  # every payload has the same length
    data = bytearray(pathlib.Path(path).read_bytes())
    data[broken * frame + 8] ^= 0xFF  # the masked CRC of the length
    pathlib.Path(path).write_bytes(bytes(data))
    return path, payloads, broken * frame, len(data)


def test_tfrecord_broken_length_header_is_one_dropped_element(tmp_path, no_thread_leak):
    path, payloads, _, _ = _shard_with_broken_length_header(tmp_path)
    ds = pl.data.TFRecordDataset(path).ignore_errors()
    with iter(ds) as it:
        assert list(it) == payloads[:50]  # the framing is lost: the rest goes
        entry = _ignore_stats(it)
    assert entry["dropped"] == 1 and entry["produced"] == 50


def test_tfrecord_broken_length_header_reports_the_records_lost(tmp_path):
    path, payloads, offset, size = _shard_with_broken_length_header(tmp_path)
    with iter(pl.data.TFRecordDataset(path).ignore_errors()) as it:
        assert list(it) == payloads[:50]
        entry = _ignore_stats(it)
    assert entry["records_lost"] == 50 and entry["bytes_lost"] == size - offset
