"""to_torch(): tensors, real DataLoader workers, and resuming in a new process."""

from __future__ import annotations

import collections
import warnings

import numpy as np
import pytest
import support
import torch
from torch_resume import resume_matches

import pipeline as pl
from pipeline.errors import FailedPreconditionError
from pipeline.integrations.torch import TorchIterableDataset, to_tensors

pytestmark = [
    # torchdata 0.11 calls a torch function that torch 2.13 deprecates
    pytest.mark.filterwarnings("ignore:'set_vital' is deprecated"),
    # 3 workers on a 2-core machine: torch suggests fewer
    pytest.mark.filterwarnings("ignore:This DataLoader will create"),
]


def write_files(root, counts, index=False):
    return support.write_id_tfrecords(str(root), counts, index=index)


def ids(batch):
    return [int(r) for r in batch]


def test_numeric_leaves_are_shared_not_copied():
    array = np.arange(6, dtype=np.float32)
    out = to_tensors({"x": array, "pair": (np.int64(3), array[:2])})
    array[0] = 42.0
    assert out["x"][0].item() == 42.0 and out["pair"][1][0].item() == 42.0
    assert out["pair"][0].dtype == torch.int64 and out["pair"][0].item() == 3


def test_read_only_arrays_convert_without_a_warning():
    array = np.frombuffer(np.arange(3, dtype=np.int32).tobytes(), dtype=np.int32)
    assert not array.flags.writeable
    assert to_tensors(array).tolist() == [0, 1, 2]  # warnings are errors here


def test_strings_stay_object_arrays_and_sparse_becomes_coo():
    strings = np.array([b"a", b"bc"], dtype=object)
    sparse = pl.SparseTensor([[0, 1], [2, 0]], np.array([5.0, 7.0], np.float32), [3, 2])
    out = to_tensors((strings, sparse, b"raw"))
    assert out[0] is strings and out[2] == b"raw"
    assert out[1].is_sparse
    assert out[1].to_dense().tolist() == [[0.0, 5.0], [0.0, 0.0], [7.0, 0.0]]


def test_parsed_examples_come_out_as_tensors():
    rows = {
        "f": np.array([[1.0], [2.0]], np.float32),
        "s": np.array([b"x", b"y"], object),
    }
    ds = pl.data.Dataset.from_tensor_slices(rows).batch(2)
    (batch,) = list(torch.utils.data.DataLoader(ds.to_torch(), batch_size=None))
    assert batch["f"].tolist() == [[1.0], [2.0]] and batch["s"].tolist() == [b"x", b"y"]


def test_device_moves_tensors():
    tds = pl.data.Dataset.range(2).batch(2).to_torch(device="cpu")
    assert isinstance(tds, TorchIterableDataset)
    assert next(iter(tds)).device == torch.device("cpu")


def _loader_epoch(dataset, workers, **kwargs):
    loader = torch.utils.data.DataLoader(
        dataset.to_torch(), batch_size=None, num_workers=workers, **kwargs
    )
    return [ids(b) for b in loader]


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("counts", [[4, 4, 4], [5, 1, 3, 2]])
def test_dataloader_workers_read_every_record_once(tmp_path, workers, counts):
    files = write_files(tmp_path, counts)
    batches = _loader_epoch(pl.data.TFRecordDataset(files).batch(2), workers)
    assert sorted(r for b in batches for r in b) == list(range(sum(counts)))


@pytest.mark.slow
@pytest.mark.parametrize("replicas", [1, 2, 3])
@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("equal", [False, "drop", "pad"])
def test_ranks_times_workers_in_real_dataloaders(tmp_path, replicas, workers, equal):
    counts = [4, 1, 3, 2, 5]
    files = write_files(tmp_path, counts)
    ds = pl.data.TFRecordDataset(files).batch(2)
    per_rank = [
        _loader_epoch(pl.data.distribute(ds, replicas, r, equal=equal), workers)
        for r in range(replicas)
    ]
    seen = collections.Counter(r for batches in per_rank for b in batches for r in b)
    shards = replicas * workers
    if len(counts) >= shards:
        share = [sum(counts[s::shards]) for s in range(shards)]
    else:
        share = [15 // shards + (s < 15 % shards) for s in range(shards)]
    if equal is False:
        assert sorted(seen.elements()) == list(range(15))
        return
    assert len({len(batches) for batches in per_rank}) == 1
    if equal == "pad":
        assert set(seen) == set(range(15))
        assert sum(seen.values()) == shards * max(share)
    else:
        assert max(seen.values()) == 1 and len(seen) == shards * min(share)


@pytest.mark.parametrize(("replicas", "workers"), [(2, 3), (3, 2)])
def test_indexed_records_are_read_once_by_real_dataloader_workers(
    tmp_path, replicas, workers
):
    # 2 files for 6 shards (ranks x workers): DATA sharding, each worker reading
    # its own contiguous range of records through the index sidecars
    files = write_files(tmp_path, [9, 14], index=True)
    ds = pl.data.TFRecordDataset(files).batch(2)
    parts = [pl.data.distribute(ds, replicas, r, equal=False) for r in range(replicas)]
    # with 3 ranks for 2 files the ranks alone already shard by record
    assert ("DATA via index" in parts[0].explain()) == (replicas > len(files))
    per_rank = [_loader_epoch(part, workers) for part in parts]
    assert sorted(r for batches in per_rank for b in batches for r in b) == list(
        range(23)
    )


def test_pin_memory_keeps_the_batches(tmp_path):
    files = write_files(tmp_path, [3, 3])
    ds = pl.data.TFRecordDataset(files).map(lambda r: r).batch(2)
    with warnings.catch_warnings():  # without an accelerator torch warns
        warnings.filterwarnings("ignore", message=".*pin_memory.*")
        batches = _loader_epoch(ds, 2, pin_memory=True)
    assert sorted(r for b in batches for r in b) == list(range(6))


def test_stateful_dataloader_resumes_in_a_new_process(tmp_path):
    files = write_files(tmp_path, [7, 5, 9])
    full = resume_matches(tmp_path, files, "records", stop=3)
    assert sorted(r for b in full for r in b) == list(range(21))


def test_state_from_another_worker_count_is_refused():
    tds = pl.data.Dataset.range(4).to_torch()
    tds.load_state_dict({"epoch": 0, "workers": 2, "worker": 1, "iterator": None})
    with pytest.raises(FailedPreconditionError, match="worker 1 of 2.*worker 0 of 1"):
        iter(tds)


def test_set_epoch_reshuffles_and_repeats_by_epoch():
    tds = pl.data.Dataset.range(20).shuffle(20, seed=1).to_torch()
    tds.set_epoch(0)
    first = [int(v) for v in tds]
    tds.set_epoch(1)
    second = [int(v) for v in tds]
    tds.set_epoch(0)
    again = [int(v) for v in tds]
    assert sorted(first) == sorted(second) == list(range(20))
    assert first != second and first == again


def test_no_thread_outlives_an_abandoned_iteration(no_thread_leak):
    tds = pl.data.Dataset.range(1000).map(lambda v: v, num_parallel_calls=2).to_torch()
    it = iter(tds)
    next(it)
    it.close()
    for _ in tds:
        pass
