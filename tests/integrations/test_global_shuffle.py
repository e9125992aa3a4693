"""pl.data.global_shuffle: a keyed permutation of every record, each epoch anew."""

from __future__ import annotations

import collections
import itertools

import pytest
import support
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch_resume import resume_matches
from torchdata.stateful_dataloader import StatefulDataLoader

import pipeline as pl
from pipeline.data.replicas import shard_for_worker
from pipeline.errors import DataLossError, FailedPreconditionError, InvalidArgumentError
from pipeline.graph.permuting import feistel
from pipeline.io.index import write_index
from pipeline.io.tfrecord_writer import TFRecordWriter

pytestmark = [
    # torchdata 0.11 calls a torch function that torch 2.13 deprecates
    pytest.mark.filterwarnings("ignore:'set_vital' is deprecated"),
]

_names = itertools.count()


def indexed_files(counts, root=None):
    prefix = root or f"memory://gshuffle-test/{next(_names)}"
    return support.write_id_tfrecords(prefix, counts)


@given(n=st.integers(1, 300), key=st.integers(0, 2**64 - 1))
def test_feistel_is_a_bijection_of_the_range(n, key):
    assert sorted(feistel(key, n, p) for p in range(n)) == list(range(n))


def test_feistel_rejects_positions_outside_the_range():
    with pytest.raises(ValueError, match=r"\[0, n=5\)"):
        feistel(1, 5, 5)


def test_every_record_once_and_a_new_order_each_epoch():
    files = indexed_files([40, 3, 57])
    ds = pl.data.global_shuffle(files, seed=2, block_records=4, window_blocks=3)
    first, second = ([int(r) for r in ds] for _ in range(2))
    assert sorted(first) == sorted(second) == list(range(100))
    assert first != second
    # records move across files and far from their place, not only in a buffer
    assert max(abs(i - r) for i, r in enumerate(first)) > 50
    again = pl.data.global_shuffle(files, seed=2, block_records=4, window_blocks=3)
    assert [int(r) for r in again] == first  # the seed fixes the epochs' orders


def test_repeat_epochs_are_permuted_differently():
    files = indexed_files([30])
    ds = pl.data.global_shuffle(files, seed=1, block_records=2, window_blocks=2)
    out = [int(r) for r in ds.repeat(2)]
    assert sorted(out[:30]) == sorted(out[30:]) == list(range(30))
    assert out[:30] != out[30:]


@pytest.mark.parametrize("replicas, workers", [(1, 2), (2, 1), (2, 3), (3, 2)])
def test_ranks_and_workers_take_disjoint_slices(replicas, workers):
    files = indexed_files([21, 16])
    ds = pl.data.global_shuffle(files, seed=4, block_records=3, window_blocks=2)
    seen = collections.Counter()
    for rank in range(replicas):
        part = pl.data.distribute(ds, replicas, rank, equal=False)
        for worker in range(workers):
            seen.update(int(r) for r in shard_for_worker(part, workers, worker))
    assert sorted(seen.elements()) == list(range(37))
    text = pl.data.distribute(ds, replicas, 0, equal=False).explain(print_plan=False)
    assert "SLICE" in text


def test_equal_shards_under_distribute():
    files = indexed_files([25])
    ds = pl.data.global_shuffle(files, seed=4, block_records=2, window_blocks=2)
    # 13 blocks (the last one short), windows of 2 blocks: 7 windows; shard 0 of
    # 3 gets windows 0, 3, 6 (4 + 4 + 1 records), shards 1 and 2 get 8 each
    parts = [list(pl.data.distribute(ds, 3, r, equal="drop")) for r in range(3)]
    assert [len(p) for p in parts] == [8, 8, 8]
    assert len({int(r) for p in parts for r in p}) == 24


def test_memory_is_one_window(tmp_path):
    files = indexed_files([5000], root=str(tmp_path))
    ds = pl.data.global_shuffle(files, seed=0, block_records=8, window_blocks=4)
    source = ds._node.source.bind(0, 0)
    first_block = next(iter(source.blocks(None)))[0]
    assert len(first_block) == 32  # one window of 4 blocks of 8 records


def test_stateful_dataloader_resume_in_a_new_process(tmp_path):
    files = indexed_files([9, 8], root=str(tmp_path))
    full = resume_matches(tmp_path, files, "global", stop=2)
    assert sorted(r for b in full for r in b) == list(range(17))


def test_iterator_state_is_a_few_integers():
    files = indexed_files([50])
    ds = pl.data.global_shuffle(files, seed=3, block_records=4, window_blocks=2)
    it = iter(ds)
    for _ in range(11):
        next(it)
    state = it.get_state()
    rest = list(it)
    it2 = iter(ds)
    it2.set_state(state)
    assert list(it2) == rest
    source_state = state["iterator"]
    assert "window" in str(source_state) and len(str(source_state)) < 300


def test_torch_workers_see_every_record_once(tmp_path):
    files = indexed_files([20, 13], root=str(tmp_path))
    ds = pl.data.global_shuffle(files, seed=0, block_records=2, window_blocks=2)
    loader = StatefulDataLoader(ds.batch(4).to_torch(), batch_size=None, num_workers=2)
    assert sorted(int(r) for b in loader for r in b) == list(range(33))
    assert isinstance(loader, torch.utils.data.DataLoader)


def test_missing_or_stale_index_and_bad_arguments(tmp_path):
    path = str(tmp_path / "a.tfrecord")
    with TFRecordWriter(path) as w:
        w.write(b"x")
    with pytest.raises(FileNotFoundError, match=r"a\.tfrecord\.index"):
        pl.data.global_shuffle(path)
    write_index(path)
    with TFRecordWriter(path) as w:
        w.write(b"longer")
    with pytest.raises(FailedPreconditionError, match="stale"):
        pl.data.global_shuffle(path)
    write_index(path)
    with pytest.raises(InvalidArgumentError, match="block_records"):
        pl.data.global_shuffle(path, block_records=0)


def test_a_file_shorter_than_its_index_says_is_data_loss(tmp_path):
    path = str(tmp_path / "a.tfrecord")
    with TFRecordWriter(path) as w:
        for k in range(4):
            w.write(b"%d" % k)
    write_index(path)
    with open(path, "r+b") as f:  # break record 2's length CRC: framing ends there
        f.seek(2 * 17 + 8)
        f.write(b"\0\0\0\0")
    with pytest.raises(DataLossError, match=r"a\.tfrecord"):
        list(pl.data.global_shuffle(path, seed=0, block_records=4))
