"""pl.data.distribute: ranks x workers read every record once (or as equal says).

Workers are simulated here with ``shard_for_worker`` (what each DataLoader
worker runs); tests/integrations/test_torch.py runs real DataLoader workers.
"""

from __future__ import annotations

import collections
import itertools

import numpy as np
import pytest
import support
from hypothesis import given
from hypothesis import strategies as st

import pipeline as pl
from pipeline.data.replicas import replica_context, shard_for_worker
from pipeline.errors import DataLossError, InvalidArgumentError
from pipeline.io import fs

_names = itertools.count()


def write_files(counts, root=None, index=False):
    """TFRecord files holding consecutive record ids ``b"<id>"``, in file order."""
    prefix = root or f"memory://distribute-test/{next(_names)}"
    return support.write_id_tfrecords(prefix, counts, index=index)


def run_epoch(dataset, replicas, workers, equal, policy="auto"):
    """Per (rank, worker): the list of batches, each a list of record ids."""
    out = {}
    for rank in range(replicas):
        part = pl.data.distribute(dataset, replicas, rank, policy=policy, equal=equal)
        for worker in range(workers):
            batches = shard_for_worker(part, workers, worker)
            out[rank, worker] = [[int(r) for r in np.atleast_1d(b)] for b in batches]
    return out


def shares(counts, shards):
    """Records per shard, by the documented rules (AUTO: FILE iff files >= shards)."""
    total = sum(counts)
    if len(counts) >= shards:
        return [sum(counts[s::shards]) for s in range(shards)]
    return [total // shards + (s < total % shards) for s in range(shards)]


def check_epoch(out, counts, replicas, workers, equal):
    total, shards = sum(counts), replicas * workers
    seen = collections.Counter(
        r for batches in out.values() for b in batches for r in b
    )
    per_rank = [sum(len(out[r, w]) for w in range(workers)) for r in range(replicas)]
    want = shares(counts, shards)
    if equal is False:
        assert sorted(seen.elements()) == list(range(total))
        return
    assert len(set(per_rank)) == 1, per_rank  # every rank: the same batch count
    if equal == "pad":
        assert set(seen) == set(range(total))
        assert sum(seen.values()) - total == shards * max(want) - total
    else:  # drop: nothing twice, and exactly the shares' excess left out
        assert max(seen.values(), default=1) == 1
        assert total - len(seen) == total - shards * min(want)


@pytest.mark.parametrize("counts", [[6, 6, 6, 6], [3, 7, 1, 5, 4]])
@pytest.mark.parametrize("replicas", [1, 2, 3])
@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("equal", [False, "drop", "pad"])
def test_tfrecord_files_are_read_once_across_ranks_and_workers(
    counts, replicas, workers, equal
):
    files = write_files(counts)
    dataset = pl.data.TFRecordDataset(files).batch(2)
    out = run_epoch(dataset, replicas, workers, equal)
    check_epoch(out, counts, replicas, workers, equal)


def test_data_policy_drop_leaves_out_the_last_records_of_the_epoch():
    out = run_epoch(pl.data.Dataset.range(11).batch(2), 2, 2, "drop")
    seen = {r for batches in out.values() for b in batches for r in b}
    assert set(range(11)) - seen == {8, 9, 10}  # 11 mod 4 = 3 records dropped


def test_pad_repeats_a_short_shards_first_record():
    out = run_epoch(pl.data.Dataset.range(5), 2, 1, "pad")
    assert out[0, 0] == [[0], [2], [4]]
    assert out[1, 0] == [[1], [3], [1]]  # rank 1 padded with its first record


@given(
    counts=st.lists(st.integers(0, 7), min_size=1, max_size=5),
    replicas=st.integers(1, 3),
    workers=st.integers(1, 3),
    batch=st.integers(1, 3),
    equal=st.sampled_from([False, "drop", "pad"]),
)
def test_exactly_once_for_generated_shapes(counts, replicas, workers, batch, equal):
    shards = replicas * workers
    if equal == "pad" and min(shares(counts, shards)) == 0:
        with pytest.raises(InvalidArgumentError, match="cannot fill a shard"):
            run_epoch(pl.data.TFRecordDataset(write_files(counts)), shards, 1, "pad")
        return
    files = write_files(counts)
    out = run_epoch(
        pl.data.TFRecordDataset(files).batch(batch), replicas, workers, equal
    )
    check_epoch(out, counts, replicas, workers, equal)


def test_in_memory_data_with_map_shuffle_and_batch():
    x = np.arange(23)
    ds = pl.data.Dataset.from_tensor_slices(x).map(lambda v: v * 10).shuffle(8).batch(4)
    out = run_epoch(ds, 3, 2, False)
    seen = sorted(r for batches in out.values() for b in batches for r in b)
    assert seen == [10 * v for v in range(23)]


def test_explain_names_the_policy_and_why():
    files = write_files([2, 2, 2, 2])
    ds = pl.data.TFRecordDataset(files).batch(2)
    text = pl.data.distribute(ds, 2, 0).explain(print_plan=False)
    assert "policy=AUTO -> FILE (4 files >= 2 shards)" in text
    text = pl.data.distribute(ds, 3, 0, equal=False).explain(print_plan=False)
    assert "AUTO -> FILE (4 files >= 3 shards)" in text
    text = pl.data.distribute(ds, 8, 0, equal=False).explain(print_plan=False)
    assert "AUTO -> DATA (4 files < 8 shards)" in text


def test_counts_come_from_index_sidecars(tmp_path):
    files = write_files([3, 4], root=str(tmp_path), index=True)
    with open(files[1], "r+b") as f:  # break record 0's data CRC: reading skips it
        f.seek(12)
        f.write(b"9")
    ds = pl.data.TFRecordDataset(files)
    part = pl.data.distribute(ds, 2, 0, policy="file", equal="pad")
    assert "equal=pad 4 records" in part.explain(print_plan=False)  # index: 4
    (tmp_path / ".pipeline-index" / "part-1.tfrecord.index").unlink()
    part = pl.data.distribute(ds, 2, 0, policy="file", equal="pad")
    assert "equal=pad 3 records" in part.explain(print_plan=False)  # read: 3


def test_file_policy_needs_enough_files():
    ds = pl.data.TFRecordDataset(write_files([1, 1]))
    with pytest.raises(InvalidArgumentError, match="2 files for 3 shards"):
        pl.data.distribute(ds, 3, 0, policy="file")
    with pytest.raises(InvalidArgumentError, match="no list of files"):
        pl.data.distribute(pl.data.Dataset.range(4), 2, 0, policy="FILE")


def test_off_gives_every_rank_everything():
    out = run_epoch(pl.data.Dataset.range(4), 2, 1, True, policy="off")
    assert out[0, 0] == out[1, 0] == [[0], [1], [2], [3]]


def test_equal_past_a_filter_is_refused():
    ds = pl.data.Dataset.range(10).filter(lambda v: v % 3 > 0).batch(2)
    with pytest.raises(InvalidArgumentError, match=r"equal=False.*"):
        pl.data.distribute(ds, 2, 0)
    assert len(list(pl.data.distribute(ds, 2, 0, equal=False))) == 2


def test_equal_on_an_infinite_input_is_refused():
    endless = pl.data.Dataset.range(3).repeat()
    with pytest.raises(InvalidArgumentError, match="infinite"):
        pl.data.distribute(pl.data.Dataset.zip(endless, endless), 2, 0)
    # a repeat above the records is balanced epoch by epoch: 3 // 2 = 1 each
    part = pl.data.distribute(endless, 2, 1, equal="drop").take(4)
    assert [int(v) for v in part] == [1, 1, 1, 1]


def test_unseeded_shuffling_csv_reader_is_refused_for_data_sharding(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("a\n" + "".join(f"{i}\n" for i in range(6)))
    ds = pl.data.make_csv_dataset(str(path), 2, num_epochs=1, shuffle=True)
    with pytest.raises(InvalidArgumentError, match="shuffle_seed"):
        pl.data.distribute(ds, 2, 0, equal=False)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"num_replicas": 0, "rank": 0}, "num_replicas"),
        ({"num_replicas": 2, "rank": 2}, r"rank.*\[0, num_replicas=2\)"),
        ({"num_replicas": 2, "rank": 0, "policy": "rows"}, "policy"),
        ({"num_replicas": 2, "rank": 0, "equal": "trim"}, "equal"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        pl.data.distribute(pl.data.Dataset.range(4), **kwargs)


def test_replica_context_without_a_framework_is_one_replica():
    assert replica_context() == (1, 0)
    assert replica_context(3, 2) == (3, 2)
    with pytest.raises(ValueError, match="backend"):
        replica_context(backend="mpi")


def test_an_imported_jax_is_not_started_to_ask_for_the_rank():
    import subprocess
    import sys

    code = (
        "import jax\n"
        "from jax._src import xla_bridge\n"
        "from pipeline.data.replicas import replica_context\n"
        "print(replica_context(), xla_bridge.backends_are_initialized())\n"
        "jax.devices()\n"  # started by the user: now it is asked
        "print(replica_context(), xla_bridge.backends_are_initialized())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert out.stdout.split("\n")[:2] == ["(1, 0) False", "(1, 0) True"], out.stderr


# --- DATA sharding through record index sidecars -----------------------------


@pytest.mark.parametrize("counts", [[9], [3, 7], [4, 3]])
@pytest.mark.parametrize("replicas, workers", [(2, 2), (3, 1), (2, 3), (1, 3)])
@pytest.mark.parametrize("equal", [False, "drop", "pad"])
def test_indexed_files_are_read_once_across_ranks_and_workers(
    counts, replicas, workers, equal
):
    files = write_files(counts, index=True)
    dataset = pl.data.TFRecordDataset(files).batch(2)
    out = run_epoch(dataset, replicas, workers, equal)
    check_epoch(out, counts, replicas, workers, equal)
    if equal is False:  # disjoint contiguous ranges whose union is everything
        ranges = [[r for b in out[k] for r in b] for k in sorted(out)]
        assert [r for part in ranges for r in part] == list(range(sum(counts)))


def test_indexed_ranges_skip_empty_files():
    files = write_files([0, 5, 0, 2], index=True)
    out = run_epoch(pl.data.TFRecordDataset(files), 6, 1, False)
    assert [[int(b[0]) for b in out[r, 0]] for r in range(6)] == [
        [0, 1],
        [2],
        [3],
        [4],
        [5],
        [6],
    ]  # fmt: skip  (7 records: 2 + 1 + 1 + 1 + 1 + 1, files 0 and 2 empty)


def test_indexed_data_sharding_is_named_in_explain():
    files = write_files([3, 7], index=True)
    ds = pl.data.TFRecordDataset(files)
    text = pl.data.distribute(ds, 3, 1, equal=False).explain(print_plan=False)
    assert (
        "policy=AUTO -> DATA via index (2 files < 3 shards; each shard reads its "
        "own contiguous range of the 10 records)" in text
    )
    text = pl.data.distribute(ds, 3, 1, policy="data").explain(print_plan=False)
    assert "policy=DATA via index (each shard reads its own contiguous" in text


def test_a_shard_frames_only_its_own_records(monkeypatch):
    from pipeline.data import shuffle_reader, tfrecord_dataset

    files = write_files([6, 14], index=True)
    framed = []
    real = shuffle_reader._tfrecords

    def counting(path, buf, base, lo, n):
        framed.append((path, lo, n, len(buf)))
        return real(path, buf, base, lo, n)

    def whole_file_reader(*args, **kwargs):
        raise AssertionError("a shard read its files from the start")

    monkeypatch.setattr(shuffle_reader, "_tfrecords", counting)
    monkeypatch.setattr(tfrecord_dataset, "iter_blocks", whole_file_reader)
    part = pl.data.distribute(pl.data.TFRecordDataset(files), 4, 2, equal=False)
    assert [int(r) for r in part] == [10, 11, 12, 13, 14]
    assert [(p.rsplit("/", 1)[1], lo, n) for p, lo, n, _ in framed] == [
        ("part-1.tfrecord", 4, 5)
    ]
    assert framed[0][3] < fs.file_size(files[1]) / 2  # 5 of 14 records' bytes


def test_indexed_shard_resumes_from_its_state():
    from pipeline.graph.base import IterContext

    files = write_files([2500], index=True)
    part = pl.data.distribute(pl.data.TFRecordDataset(files), 2, 1, equal=False)
    it = IterContext().build(part._node)
    head = [int(next(it)) for _ in range(1100)]
    state = it.get_state()
    rest = [int(r) for r in it]
    again = IterContext().build(part._node)
    again.set_state(state)
    assert [int(r) for r in again] == rest
    assert head + rest == list(range(1250, 2500))


def test_indexed_shard_reports_a_bad_record_in_place(tmp_path):
    files = write_files([4, 6], root=str(tmp_path), index=True)
    with open(files[1], "r+b") as f:  # break the data CRC of record 4 + 0
        f.seek(12)
        f.write(b"9")
    ds = pl.data.TFRecordDataset(files)
    part = pl.data.distribute(ds, 2, 0, policy="data", equal=False)
    assert "via index" in part.explain(print_plan=False)
    ok = [int(r) for r in part.ignore_errors()]
    assert ok == [0, 1, 2, 3]  # record 4 (bad) left out, nothing else lost
    with pytest.raises(DataLossError, match="part-1.tfrecord"):
        list(part)


def test_without_sidecars_or_compressed_data_keeps_every_sth_record(tmp_path):
    files = write_files([5], root=str(tmp_path), index=True)
    (tmp_path / ".pipeline-index" / "part-0.tfrecord.index").unlink()
    part = pl.data.distribute(pl.data.TFRecordDataset(files), 2, 1, equal=False)
    assert [int(r) for r in part] == [1, 3]
    assert "via index" not in part.explain(print_plan=False)


def test_compressed_indexed_files_keep_every_sth_record(tmp_path):
    from pipeline.io.index import write_index
    from pipeline.io.tfrecord_writer import TFRecordOptions, TFRecordWriter

    path = str(tmp_path / "a.tfrecord.gz")
    with TFRecordWriter(path, TFRecordOptions("GZIP")) as w:
        for k in range(5):
            w.write(b"%d" % k)
    write_index(path, "GZIP")
    ds = pl.data.TFRecordDataset(path, compression_type="GZIP")
    part = pl.data.distribute(ds, 2, 1, equal=False)
    assert [int(r) for r in part] == [1, 3]
    assert "via index" not in part.explain(print_plan=False)
