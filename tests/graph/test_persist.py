"""snapshot: runs, reuse, damaged metadata, fingerprints, state; load's state."""

from __future__ import annotations

import os

import numpy as np
import pytest
from testing_state import check_state

import pipeline as pl
from pipeline.errors import DataLossError, UnimplementedError
from pipeline.graph.base import IterContext
from pipeline.graph.persist import fingerprint
from pipeline.io import dataset_files as files

Dataset = pl.data.Dataset


def _runs(path):
    (fp,) = os.listdir(path)
    folder = os.path.join(path, fp)
    return folder, sorted(p for p in os.listdir(folder) if p != "snapshot.metadata")


def test_second_iteration_reads_the_run_instead_of_the_input(tmp_path):
    calls = []

    def record(x):
        calls.append(int(x))
        return x

    ds = Dataset.range(5).map(record).snapshot(str(tmp_path))
    assert [int(x) for x in ds] == [0, 1, 2, 3, 4]
    first_calls = len(calls)
    assert [int(x) for x in ds] == [0, 1, 2, 3, 4]
    assert len(calls) == first_calls  # the input did not run again


def test_an_interrupted_iteration_leaves_no_finished_run(tmp_path, no_thread_leak):
    ds = Dataset.range(100).snapshot(str(tmp_path))
    with iter(ds) as it:
        next(it)
    folder, runs = _runs(tmp_path)
    assert not os.path.exists(os.path.join(folder, "snapshot.metadata"))
    assert [os.listdir(os.path.join(folder, r)) for r in runs] == [[]]
    assert [int(x) for x in ds] == list(range(100))
    assert os.path.exists(os.path.join(folder, "snapshot.metadata"))


def test_damaged_snapshot_metadata_names_the_file(tmp_path):
    ds = Dataset.range(3).snapshot(str(tmp_path))
    list(ds)
    folder, _ = _runs(tmp_path)
    path = os.path.join(folder, "snapshot.metadata")
    meta = files.read_metadata(path)
    meta["element_spec"] = {"shape": [], "dtype": "int64"}
    meta["run"] = "../elsewhere"
    files.write_metadata(path, meta)
    with pytest.raises(DataLossError, match="is not a 16-digit hex name") as info:
        list(ds)
    assert info.value.path == path


def test_snappy_cannot_write_a_new_run(tmp_path):
    ds = Dataset.range(3).snapshot(str(tmp_path), compression="SNAPPY")
    with pytest.raises(UnimplementedError, match="SNAPPY"):
        list(ds)


def test_gzip_snapshot_round_trips_structures(tmp_path):
    ds = Dataset.from_tensor_slices({"a": np.arange(4), "s": ["w", "x", "y", "z"]})
    snap = ds.snapshot(str(tmp_path), compression="GZIP")
    first = [(int(e["a"]), e["s"]) for e in snap]
    assert first == [(int(e["a"]), e["s"]) for e in snap]
    assert first == [(0, b"w"), (1, b"x"), (2, b"y"), (3, b"z")]


def test_fingerprint_follows_data_and_functions():
    a = Dataset.from_tensor_slices(np.arange(3)).map(lambda x: x + 1)
    b = Dataset.from_tensor_slices(np.arange(3)).map(lambda x: x + 1)
    c = Dataset.from_tensor_slices(np.arange(4)).map(lambda x: x + 1)
    d = Dataset.from_tensor_slices(np.arange(3)).map(lambda x: x + 2)
    assert fingerprint(a._node) == fingerprint(b._node)
    assert len({fingerprint(n._node) for n in (a, c, d)}) == 3


def test_state_restores_while_reading_a_run(tmp_path):
    def make():
        return Dataset.range(9).snapshot(str(tmp_path))

    list(make())  # finish a run first
    check_state(make)


def test_load_state_restores_at_every_step(tmp_path):
    Dataset.range(7).map(lambda x: (x, np.full(int(x), x))).save(str(tmp_path))
    check_state(lambda: Dataset.load(str(tmp_path)))


def test_invalid_shard_func_results(tmp_path):
    with pytest.raises(TypeError, match="shard_func"):
        Dataset.range(3).save(str(tmp_path / "a"), shard_func=lambda x: "s")
    with pytest.raises(pl.errors.InvalidArgumentError, match=">= 0"):
        Dataset.range(3).save(str(tmp_path / "b"), shard_func=lambda x: -x - 1)


def test_save_rejects_unknown_checkpoint_args_and_non_paths(tmp_path):
    with pytest.raises(TypeError, match="checkpoint_args"):
        Dataset.range(3).save(str(tmp_path), checkpoint_args={"nope": 1})
    with pytest.raises(TypeError, match="path"):
        Dataset.range(3).save(3)


def test_fingerprint_of_a_self_referring_function_ends():
    def outer():
        def again(x):
            return x if x < 1 else again(x - 1)

        return again

    node = Dataset.range(2).map(outer())._node
    assert fingerprint(node) == fingerprint(node)


def test_a_state_reading_a_run_that_was_replaced_is_not_found(tmp_path):
    ds = Dataset.range(6).snapshot(str(tmp_path))
    list(ds)
    it = IterContext().build(ds._node)
    next(it)
    state = it.get_state()
    it.close()
    folder, _ = _runs(tmp_path)
    path = os.path.join(folder, "snapshot.metadata")
    meta = files.read_metadata(path)
    meta["run"] = "0" * 16
    meta["element_spec"] = {"shape": [], "dtype": "int64"}
    files.write_metadata(path, meta)
    again = IterContext().build(ds._node)
    with pytest.raises(pl.errors.NotFoundError, match="no longer the finished run"):
        again.set_state(state)
