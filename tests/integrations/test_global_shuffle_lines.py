"""pl.data.global_shuffle over indexed text and CSV files (format="text"/"csv")."""

from __future__ import annotations

import collections
import itertools

import numpy as np
import pytest

import pipeline as pl
from pipeline.data.replicas import shard_for_worker
from pipeline.errors import DataLossError, InvalidArgumentError
from pipeline.io import fs
from pipeline.io.index import write_index
from pipeline.io.line_index import write_line_index
from pipeline.io.tfrecord_writer import TFRecordWriter

_names = itertools.count()


def text_files(counts, crlf=False):
    """Files of lines ``row <k>``, k counting across the files."""
    prefix, files, k = f"memory://gshuf-lines/{next(_names)}", [], 0
    end = b"\r\n" if crlf else b"\n"
    for i, n in enumerate(counts):
        path = f"{prefix}/part-{i}.txt"
        with fs.open_output(path) as f:
            f.write(b"".join(b"row %d%s" % (k + j, end) for j in range(n)))
        k += n
        write_line_index(path)
        files.append(path)
    return files


def csv_files(counts):
    """CSV files with a header; row k is ``k,"name k"`` (every 3rd name holds
    a quoted newline and a doubled quote)."""
    prefix, files, k = f"memory://gshuf-csv/{next(_names)}", [], 0
    for i, n in enumerate(counts):
        path = f"{prefix}/part-{i}.csv"
        rows = [b"id,name\n"]
        for j in range(k, k + n):
            name = b'n ""%d""\nx' % j if j % 3 == 0 else b"n%d" % j
            rows.append(b'%d,"%s"\r\n' % (j, name))
        with fs.open_output(path) as f:
            f.write(b"".join(rows))
        k += n
        write_line_index(path, "csv", header=True)
        files.append(path)
    return files


def test_text_every_line_once_and_a_new_order_each_epoch():
    files = text_files([40, 3, 57], crlf=True)
    ds = pl.data.global_shuffle(
        files, seed=5, block_records=4, window_blocks=3, format="text"
    )
    first, second = (list(ds) for _ in range(2))
    expected = sorted(b"row %d" % k for k in range(100))
    assert sorted(first) == sorted(second) == expected
    assert sorted(first) == sorted(pl.data.TextLineDataset(files))
    assert first != second
    numbers = [int(line.split()[1]) for line in first]
    assert max(abs(i - r) for i, r in enumerate(numbers)) > 50


def test_csv_rows_decode_to_the_csv_dataset_values():
    files = csv_files([10, 7, 14])
    ds = pl.data.global_shuffle(
        files, seed=1, block_records=3, window_blocks=2, format="csv"
    )
    rows = list(ds)
    assert len(rows) == 31 and b"id,name" not in rows
    ids, names = pl.io.decode_csv(rows, [[0], [""]])
    assert sorted(ids.tolist()) == list(range(31))
    assert ids.tolist() != list(range(31))
    by_id = dict(zip(ids.tolist(), names.tolist()))
    assert by_id[3] == b'n "3"\nx' and by_id[4] == b"n4"
    theirs = pl.data.CsvDataset(files, [[0], [""]], header=True)
    assert sorted((int(i), n) for i, n in theirs) == sorted(by_id.items())


@pytest.mark.parametrize("fmt", ["text", "csv"])
@pytest.mark.parametrize("replicas, workers", [(2, 1), (2, 3), (3, 2)])
def test_ranks_and_workers_take_disjoint_slices(fmt, replicas, workers):
    files = text_files([21, 16]) if fmt == "text" else csv_files([21, 16])
    ds = pl.data.global_shuffle(
        files, seed=4, block_records=3, window_blocks=2, format=fmt
    )
    seen = collections.Counter()
    for rank in range(replicas):
        part = pl.data.distribute(ds, replicas, rank, equal=False)
        for worker in range(workers):
            seen.update(shard_for_worker(part, workers, worker))
    assert sum(seen.values()) == 37 and set(seen.values()) == {1}
    assert sorted(seen) == sorted(ds)


def test_memory_is_one_window():
    files = csv_files([500])
    ds = pl.data.global_shuffle(
        files, seed=0, block_records=8, window_blocks=4, format="csv"
    )
    blocks = ds._node.source.bind(0, 0).blocks(None)
    assert len(next(blocks)[0]) == 32  # one window of 4 blocks of 8 rows
    blocks.close()


@pytest.mark.parametrize("fmt", ["text", "csv"])
def test_resume_from_the_iterator_state(fmt):
    files = text_files([30, 11]) if fmt == "text" else csv_files([30, 11])
    ds = pl.data.global_shuffle(
        files, seed=3, block_records=4, window_blocks=2, format=fmt
    )
    it = iter(ds)
    head = [next(it) for _ in range(13)]
    state = it.get_state()
    rest = list(it)
    it2 = iter(ds)
    it2.set_state(state)
    assert list(it2) == rest
    assert len(set(head + rest)) == 41


def test_format_must_match_the_sidecar(tmp_path):
    files = text_files([3])
    with pytest.raises(
        DataLossError, match=r"not a record index of a csv file.*part-0"
    ):
        pl.data.global_shuffle(files, format="csv")
    path = str(tmp_path / "a.tfrecord")
    with TFRecordWriter(path) as w:
        w.write(b"x")
    write_index(path)
    with pytest.raises(DataLossError, match="not a record index of a text file"):
        pl.data.global_shuffle(path, format="text")
    with pytest.raises(InvalidArgumentError, match="`format`.*'parquet'"):
        pl.data.global_shuffle(path, format="parquet")


def test_a_text_file_changed_behind_its_index_is_data_loss():
    files = text_files([6])
    with fs.open_output(files[0]) as f:  # same size, one line fewer
        f.write(b"row 0 row 1\nrow 2\nrow 3\nrow 4\nrow 5\n")
    with pytest.raises(DataLossError, match=r"part-0\.txt.*does not match.*record 0"):
        list(pl.data.global_shuffle(files, seed=0, format="text"))


def test_window_permutation_is_uniform_enough():
    files = text_files([64])
    counts = np.zeros(64, dtype=int)
    for seed in range(40):
        ds = pl.data.global_shuffle(
            files, seed=seed, block_records=4, window_blocks=16, format="text"
        )
        counts[int(next(iter(ds)).split()[1])] += 1
    assert counts.max() <= 6  # the first record is not stuck to a few lines
