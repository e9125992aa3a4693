"""Public-API cases of tensorflow/python/data/kernel_tests/snapshot_test.py.

``SnapshotTest`` only: the legacy ``snapshot.legacy_snapshot`` and the
checkpoint cases use TF internals. Each library reads back what it wrote.
"""

from __future__ import annotations

import multiprocessing
import os

import numpy as np
import pytest
from conformance_checkpoint import restored_after
from conformance_support import (
    assert_produces,
    assert_produces_unordered,
    assert_same,
    elements,
)

EXPECTED = [b"Record %d of file %d" % (r, f) for f in range(10) for r in range(100)]


@pytest.fixture
def snapshot_dir(tmp_path):
    path = tmp_path / "snapshot"
    path.mkdir()
    return str(path)


@pytest.fixture
def records(api, tmp_path):
    """10 TFRecord files of 100 records; the fixture's list of their names."""
    names = []
    for f in range(10):
        name = str(tmp_path / f"tf_record.{f}.txt")
        with api.io.TFRecordWriter(name) as w:
            for r in range(100):
                w.write(b"Record %d of file %d" % (r, f))
        names.append(name)
    return names


def _remove(names):
    for name in names:
        os.remove(name)


def _listed(folder):
    return [p for p in sorted(os.listdir(folder)) if "-tmp-" not in p]


def assert_snapshot_directory_contains(directory, fingerprints, runs, shards):
    listed = [p for p in _listed(directory) if not p.endswith("-graph.pbtxt")]
    assert len(listed) == fingerprints
    for name in listed:
        fingerprint_dir = os.path.join(directory, name)
        inside = _listed(fingerprint_dir)
        assert len(inside) == runs + 1
        assert inside[runs] == "snapshot.metadata"
        for run in inside[:runs]:
            files = sorted(os.listdir(os.path.join(fingerprint_dir, run)))
            assert files == [f"{i:08d}.shard" for i in range(shards)]


def test_create_snapshot_dataset(api, snapshot_dir):
    api.data.Dataset.from_tensors([1, 2, 3]).snapshot(path=snapshot_dir)


def test_read_snapshot_dataset_default(api, snapshot_dir, records):
    ds = api.data.TFRecordDataset(records).snapshot(path=snapshot_dir)
    assert_produces(ds, EXPECTED)
    cpus = multiprocessing.cpu_count()
    assert_snapshot_directory_contains(snapshot_dir, 1, 1, cpus)
    _remove(records)
    again = api.data.TFRecordDataset(records).snapshot(path=snapshot_dir)
    assert_produces(again, EXPECTED)


def test_read_snapshot_auto_write_snappy_read(api, snapshot_dir, records):
    ds = api.data.TFRecordDataset(records)
    assert_produces(ds.snapshot(path=snapshot_dir, compression="AUTO"), EXPECTED)
    _remove(records)
    again = api.data.TFRecordDataset(records)
    assert_produces(again.snapshot(path=snapshot_dir, compression="SNAPPY"), EXPECTED)


def test_read_snapshot_custom_shard_fn(api, snapshot_dir, records):
    ds = api.data.TFRecordDataset(records).snapshot(
        path=snapshot_dir, shard_func=lambda _: np.int64(0)
    )
    assert_produces(ds, EXPECTED)
    assert_snapshot_directory_contains(snapshot_dir, 1, 1, 1)
    _remove(records)
    again = api.data.TFRecordDataset(records).snapshot(
        path=snapshot_dir, shard_func=lambda _: 0
    )
    assert_produces(again, EXPECTED)


def test_read_snapshot_custom_reader_fn(api, snapshot_dir, records):
    def reader(ds):
        return ds.interleave(lambda x: x, cycle_length=4, num_parallel_calls=4)

    ds = api.data.TFRecordDataset(records).snapshot(
        path=snapshot_dir, reader_func=reader
    )
    assert_produces(ds, EXPECTED)
    cpus = multiprocessing.cpu_count()
    assert_snapshot_directory_contains(snapshot_dir, 1, 1, cpus)
    _remove(records)
    again = api.data.TFRecordDataset(records).snapshot(snapshot_dir, reader_func=reader)
    assert_produces_unordered(again, EXPECTED)


def test_invalid_shard_fn(api, snapshot_dir):
    with pytest.raises(TypeError):
        ds = api.data.Dataset.range(1000).snapshot(
            path=snapshot_dir, shard_func=lambda _: "invalid_fn"
        )
        next(iter(ds))


def test_invalid_reader_fn(api, snapshot_dir):
    with pytest.raises(TypeError):
        ds = api.data.Dataset.range(1000).snapshot(
            path=snapshot_dir, reader_func=lambda x: x + 1
        )
        next(iter(ds))


def test_roundtrip_empty_snapshot(api, snapshot_dir):
    ds = api.data.Dataset.range(0).snapshot(path=snapshot_dir)
    assert_produces(ds, [])
    assert_snapshot_directory_contains(snapshot_dir, 1, 1, 0)
    assert_produces(ds.snapshot(path=snapshot_dir), [])


def test_write_snapshot_simple(api, snapshot_dir):
    ds = api.data.Dataset.range(1000).snapshot(path=snapshot_dir)
    assert_produces(ds, range(1000))
    cpus = multiprocessing.cpu_count()
    assert_snapshot_directory_contains(snapshot_dir, 1, 1, cpus)


def test_write_snapshot_multiple_fingerprints(api, snapshot_dir):
    assert_produces(api.data.Dataset.range(1000).snapshot(snapshot_dir), range(1000))
    assert_produces(api.data.Dataset.range(2000).snapshot(snapshot_dir), range(2000))
    cpus = multiprocessing.cpu_count()
    assert_snapshot_directory_contains(snapshot_dir, 2, 1, cpus)


def test_same_fingerprint_multiple_complete_runs(api, snapshot_dir):
    assert_produces(api.data.Dataset.range(1000).snapshot(snapshot_dir), range(1000))
    assert_produces(api.data.Dataset.range(1000).snapshot(snapshot_dir), range(1000))
    cpus = multiprocessing.cpu_count()
    assert_snapshot_directory_contains(snapshot_dir, 1, 1, cpus)


def test_same_fingerprint_incomplete_run_restart(api, snapshot_dir):
    first = iter(api.data.Dataset.range(1000).snapshot(path=snapshot_dir))
    assert [int(next(first)) for _ in range(500)] == list(range(500))
    second = iter(api.data.Dataset.range(1000).snapshot(path=snapshot_dir))
    assert [int(next(second)) for _ in range(500)] == list(range(500))
    for i in range(500, 1000):
        assert int(next(first)) == i
        assert int(next(second)) == i
    for it in (first, second):
        with pytest.raises(StopIteration):
            next(it)
    cpus = multiprocessing.cpu_count()
    assert_snapshot_directory_contains(snapshot_dir, 1, 2, cpus)


def test_write_snapshot_custom_shard_function(api, snapshot_dir):
    ds = api.data.Dataset.range(1000).enumerate()
    ds = ds.snapshot(path=snapshot_dir, shard_func=lambda i, _: i % 2)
    ds = ds.map(lambda _, elem: elem)
    assert_produces(ds, range(1000))
    assert_snapshot_directory_contains(snapshot_dir, 1, 1, 2)


def test_write_snapshot_with_tuples(api, snapshot_dir):
    parts = [api.data.Dataset.range(k * 1000, (k + 1) * 1000) for k in range(4)]
    ds = api.data.Dataset.zip(tuple(parts)).snapshot(path=snapshot_dir)
    ranges = [range(k * 1000, (k + 1) * 1000) for k in range(4)]
    assert_produces(ds, list(zip(*ranges)))
    cpus = multiprocessing.cpu_count()
    assert_snapshot_directory_contains(snapshot_dir, 1, 1, cpus)


def test_write_snapshot_shuffle_same_fingerprint(api, snapshot_dir):
    def make():
        return api.data.Dataset.range(1000).shuffle(1000).snapshot(path=snapshot_dir)

    assert_produces_unordered(make(), range(1000))
    assert_produces_unordered(make(), range(1000))
    cpus = multiprocessing.cpu_count()
    assert_snapshot_directory_contains(snapshot_dir, 1, 1, cpus)


def test_read_using_flat_map(api, snapshot_dir):
    ds = api.data.Dataset.range(1000).snapshot(path=snapshot_dir)
    assert_produces(ds, range(1000))
    flat = api.data.Dataset.from_tensors(ds).flat_map(lambda x: x)
    assert_produces(flat, range(1000))
    cpus = multiprocessing.cpu_count()
    assert_snapshot_directory_contains(snapshot_dir, 1, 1, cpus)


def test_read_optimizable_using_flat_map(api, snapshot_dir):
    ds = api.data.Dataset.range(1000).shuffle(10).repeat(2)
    ds = ds.snapshot(path=snapshot_dir)
    assert_produces_unordered(ds, 2 * list(range(1000)))
    flat = api.data.Dataset.from_tensors(ds).flat_map(lambda x: x)
    assert_produces_unordered(flat, 2 * list(range(1000)))
    cpus = multiprocessing.cpu_count()
    assert_snapshot_directory_contains(snapshot_dir, 1, 1, cpus)


def test_repeat_and_prefetch(api, snapshot_dir):
    values = np.random.default_rng(1).random((16, 32))
    ds = api.data.Dataset.from_tensor_slices(values).snapshot(path=snapshot_dir)
    ds = ds.shuffle(buffer_size=16).batch(16).repeat().prefetch(1)
    for batch in elements(ds, limit=30):
        assert np.allclose(np.sort(batch, axis=0), np.sort(values, axis=0))


def test_name(api, snapshot_dir):
    ds = api.data.Dataset.from_tensors(42).snapshot(path=snapshot_dir, name="snapshot")
    assert_produces(ds, [42])


def _snapshot_range(api, path, repeat):
    def make():
        ds = api.data.Dataset.range(100).snapshot(path=path)
        return ds.repeat(2) if repeat else ds

    return make


def test_checkpoint_before_epoch_end_no_repeat(api, snapshot_dir, tmp_path):
    make = _snapshot_range(api, snapshot_dir, repeat=False)
    assert_same(restored_after(api, make, 50, str(tmp_path)), list(range(50, 100)))


def test_checkpoint_before_one_epoch_with_reading(api, snapshot_dir, tmp_path):
    make = _snapshot_range(api, snapshot_dir, repeat=True)
    got = restored_after(api, make, 50, str(tmp_path))
    assert_same(got, list(range(50, 100)) + list(range(100)))


def test_checkpoint_before_one_epoch_then_run_a_few_steps(api, snapshot_dir, tmp_path):
    make = _snapshot_range(api, snapshot_dir, repeat=False)
    assert_same(restored_after(api, make, 10, str(tmp_path)), list(range(10, 100)))


def test_checkpoint_after_one_epoch(api, snapshot_dir, tmp_path):
    make = _snapshot_range(api, snapshot_dir, repeat=True)
    assert_same(restored_after(api, make, 110, str(tmp_path)), list(range(10, 100)))
