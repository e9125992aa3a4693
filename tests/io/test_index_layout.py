"""pipeline.io.index: where sidecars live, out of reach of shard patterns.

Issue 15: sidecars written beside the shards as ``<shard>.index`` were listed
by ``list_files('train-*')`` and then read as data. They now live in the
hidden folder ``.pipeline-index`` beside the shards.
"""

from __future__ import annotations

import struct
import uuid
from pathlib import Path

import pytest

import pipeline as pl
from pipeline.errors import NotFoundError
from pipeline.io import fs, index, line_index
from pipeline.io.tfrecord_writer import TFRecordWriter

# TFX names its split shards like this, gzip-compressed.
SHARDS = ["train-00000-of-00002.gz", "train-00001-of-00002.gz"]


def _root(where: str, tmp_path: Path) -> str:
    if where == "local":
        return str(tmp_path)
    return f"memory://index-layout-{uuid.uuid4().hex[:8]}"


def _write_split(root: str) -> list[bytes]:
    """Two gzip train shards, one eval shard and a CSV; all indexed."""
    records = []
    for i, name in enumerate([*SHARDS, "eval-00000-of-00001.gz"]):
        with TFRecordWriter(f"{root}/{name}", "GZIP") as w:
            for k in range(3):
                w.write(b"%s-%d" % (name[:1].encode(), 3 * i + k))
                records.append(b"%s-%d" % (name[:1].encode(), 3 * i + k))
        assert index.write_index(f"{root}/{name}", "GZIP") == (
            f"{root}/.pipeline-index/{name}.index"
        )
    with fs.open_output(f"{root}/train.csv") as f:
        f.write(b"a,b\n1,2\n3,4\n")
    line_index.write_line_index(f"{root}/train.csv", "csv", header=True)
    return records[:6]


@pytest.mark.parametrize(
    "path, expected",
    [
        ("data/train-00000", "data/.pipeline-index/train-00000.index"),
        ("/abs/d/a.tfrecord.gz", "/abs/d/.pipeline-index/a.tfrecord.gz.index"),
        ("a.csv", ".pipeline-index/a.csv.index"),
        ("memory://b/x/a.txt", "memory://b/x/.pipeline-index/a.txt.index"),
        ("gs://bucket/a", "gs://bucket/.pipeline-index/a.index"),
        ("file:///d/a", "file:///d/.pipeline-index/a.index"),
    ],
)
def test_sidecar_path_is_in_the_hidden_folder(path, expected):
    assert index.index_path_of(path) == expected
    assert index.is_sidecar(expected)
    assert not index.is_sidecar(path)
    assert index.old_index_path_of(path) == path + ".index"
    assert not index.is_sidecar(path + ".index")  # the old layout


def test_is_sidecar_needs_the_folder_and_the_suffix():
    assert not index.is_sidecar("d/.pipeline-index/a.tfrecord")
    assert not index.is_sidecar("d/pipeline-index/a.index")
    assert not index.is_sidecar("d/x.pipeline-index/a.index")
    assert index.is_sidecar("memory://d/.pipeline-index/a.index")


@pytest.mark.parametrize("where", ["local", "memory"])
@pytest.mark.parametrize(
    "pattern, names",
    [
        ("train-*", SHARDS),
        ("train-*-of-*", SHARDS),
        ("*.gz", ["eval-00000-of-00001.gz", *SHARDS]),
        ("*", ["eval-00000-of-00001.gz", *SHARDS, "train.csv"]),
        ("train*", [*SHARDS, "train.csv"]),
    ],
)
def test_shard_patterns_list_only_the_data(tmp_path, where, pattern, names):
    root = _root(where, tmp_path)
    _write_split(root)
    expected = [f"{root}/{n}" for n in names]
    assert fs.expand(f"{root}/{pattern}") == expected
    listed = pl.data.Dataset.list_files(f"{root}/{pattern}", shuffle=False)
    assert [f.decode() for f in listed] == expected


@pytest.mark.parametrize("where", ["local", "memory"])
def test_listed_shards_read_back_and_sidecars_work(tmp_path, where):
    root = _root(where, tmp_path)
    records = _write_split(root)
    files = pl.data.Dataset.list_files(f"{root}/train-*", shuffle=False)
    ds = pl.data.TFRecordDataset(files, compression_type="GZIP")
    assert list(ds) == records
    shard = f"{root}/{SHARDS[1]}"
    assert index.count_indexed(shard) == 3
    assert list(index.read_from(shard, 1, "GZIP")) == records[4:]
    rows = pl.data.global_shuffle(f"{root}/train.csv", seed=3, format="csv")
    assert sorted(rows) == [b"1,2", b"3,4"]


@pytest.mark.parametrize("where", ["local", "memory"])
def test_global_shuffle_reads_the_new_sidecars(tmp_path, where):
    root = _root(where, tmp_path)
    for i in range(2):  # global_shuffle reads uncompressed shards only
        with TFRecordWriter(f"{root}/train-{i:05d}-of-00002") as w:
            for k in range(4):
                w.write(b"%d" % (4 * i + k))
        index.write_index(f"{root}/train-{i:05d}-of-00002")
    shuffled = pl.data.global_shuffle(f"{root}/train-*", seed=3, block_records=1)
    assert sorted(shuffled) == [b"%d" % k for k in range(8)]


def test_an_old_style_sidecar_is_not_read(tmp_path):
    path = str(tmp_path / "a.tfrecord")
    with TFRecordWriter(path) as w:
        w.write(b"x")
    index.write_index(path, index_path=path + ".index")
    assert not (tmp_path / ".pipeline-index").exists()  # only when defaulted
    with pytest.raises(
        NotFoundError, match=r"\.pipeline-index/a\.tfrecord\.index"
    ) as e:
        index.read_index(path)
    assert e.value.path == str(tmp_path / ".pipeline-index" / "a.tfrecord.index")
    assert f"{path}.index' is a sidecar of the earlier layout, no longer read" in str(
        e.value
    )
    with pytest.raises(NotFoundError, match="earlier layout.*`pipeline index`"):
        index.count_indexed(path)


def test_a_missing_sidecar_says_how_to_build_it(tmp_path):
    path = str(tmp_path / "a.tfrecord")
    with TFRecordWriter(path) as w:
        w.write(b"x")
    with pytest.raises(NotFoundError, match="build it with `pipeline index`") as e:
        list(index.read_from(path, 0))
    assert e.value.path == str(tmp_path / ".pipeline-index" / "a.tfrecord.index")


def _old_sidecar(path: str, magic: bytes) -> str:
    with fs.open_output(path + ".index") as f:
        f.write(struct.pack("<8sQQ", magic, 0, 0))
    return path + ".index"


@pytest.mark.parametrize("where", ["local", "memory"])
@pytest.mark.parametrize("magic", [b"PLTFIDX1", b"PLTXIDX1", b"PLCVIDX1"])
def test_remove_old_index_removes_only_ours(tmp_path, where, magic):
    root = _root(where, tmp_path)
    old = _old_sidecar(f"{root}/a", magic)
    assert index.remove_old_index(f"{root}/a") == old
    assert not fs.exists(old)
    assert index.remove_old_index(f"{root}/a") is None  # nothing left
    foreign = _old_sidecar(f"{root}/b", b"NOTOURS1")
    assert index.remove_old_index(f"{root}/b") is None
    assert fs.exists(foreign)
