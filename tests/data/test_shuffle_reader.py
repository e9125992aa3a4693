"""pipeline.data.shuffle_reader: runs of indexed records, files open per iterator."""

from __future__ import annotations

import gc
from pathlib import Path

import numpy as np
import pytest
import support

import pipeline as pl
from pipeline.data import shuffle_reader
from pipeline.data.shuffle_reader import IndexedReader, file_runs, indexed_count
from pipeline.errors import DataLossError
from pipeline.io import fs


@pytest.fixture
def opened(monkeypatch):
    """Every file handle opened for reading, in order (tests clear it after
    their setup)."""
    handles = []
    real = fs.open_input

    def tracking(path, *args, **kwargs):
        handles.append(real(path, *args, **kwargs))
        return handles[-1]

    monkeypatch.setattr(shuffle_reader.fs, "open_input", tracking)
    return handles


def tfrecords(root, counts):
    return support.write_id_tfrecords(root, counts)


def reader_of(files, max_open=64):
    heads = [indexed_count(p, "tfrecord") for p in files]
    return IndexedReader(
        files, [c for c, _ in heads], [s for _, s in heads], "tfrecord", max_open
    )


def test_each_file_is_opened_once_per_iterator(opened, tmp_path):
    files = tfrecords(tmp_path, [50, 50])
    ds = pl.data.global_shuffle(files, seed=0, block_records=2, window_blocks=3)
    blocks = ds._node.source.bind(0, 0).blocks(None)
    opened.clear()  # the files opened to write and count them were closed
    records = [r for block, _ in blocks for r in block]
    assert sorted(int(r) for r in records) == list(range(100))
    # 2 files x (data + sidecar), though 50 blocks were read
    assert len(opened) == 4 and all(h.closed for h in opened)


@pytest.mark.parametrize("stop", ["close", "drop"])
def test_files_close_when_the_iterator_stops_early(opened, tmp_path, stop):
    files = tfrecords(tmp_path, [40, 40])
    ds = pl.data.global_shuffle(files, seed=0, block_records=2, window_blocks=2)
    blocks = ds._node.source.bind(0, 0).blocks(None)
    opened.clear()  # the files opened to write and count them were closed
    next(blocks)
    assert opened and not any(h.closed for h in opened)
    if stop == "close":
        blocks.close()
    else:
        del blocks
        gc.collect()
    assert all(h.closed for h in opened)


def test_at_most_max_open_files_stay_open(opened, tmp_path):
    files = tfrecords(tmp_path, [3, 3, 3])
    reader = reader_of(files, max_open=2)
    opened.clear()
    for f in (0, 1, 2, 0):
        assert reader.read(f, 0, 3) == [b"%d" % (3 * f + i) for i in range(3)]
        assert sum(not h.closed for h in opened) <= 4
    assert len(opened) == 8  # file 0 was closed for file 2, then reopened
    reader.close()
    assert all(h.closed for h in opened)


def test_a_bad_crc_names_the_file_and_record(tmp_path):
    files = tfrecords(tmp_path, [4])
    with open(files[0], "r+b") as f:  # each record: 12 + 1 + 4 bytes
        f.seek(2 * 17 + 12)
        f.write(b"X")
    reader = reader_of(files)
    assert reader.read(0, 0, 2) == [b"0", b"1"]
    with pytest.raises(
        DataLossError, match=r"corrupted record at 46.*part-0.*record 2"
    ):
        reader.read(0, 1, 4)
    reader.close()


def test_a_truncated_sidecar_is_data_loss(tmp_path):
    files = tfrecords(tmp_path, [4])
    index = str(tmp_path / ".pipeline-index" / "part-0.tfrecord.index")
    Path(index).write_bytes(Path(index).read_bytes()[:-8])
    reader = reader_of(files)
    with pytest.raises(DataLossError, match=r"record index of .*part-0.* truncated"):
        reader.read(0, 2, 4)
    reader.close()


@pytest.mark.parametrize(
    ("lo", "hi", "limit", "runs"),
    [
        # files of 3, 0, 0, 2 records: global numbers 0-2 then 3-4
        (0, 5, 0, [(0, 0, 3), (3, 0, 2)]),
        (1, 5, 2, [(0, 1, 3), (3, 0, 2)]),
        (3, 4, 0, [(3, 0, 1)]),
        (2, 2, 0, []),
        (0, 3, 1, [(0, 0, 1), (0, 1, 2), (0, 2, 3)]),
    ],
)
def test_file_runs_split_at_file_ends_skip_empty_files_and_keep_the_limit(
    lo, hi, limit, runs
):
    starts = np.array([0, 3, 3, 3, 5])
    assert list(file_runs(starts, lo, hi, limit)) == runs
