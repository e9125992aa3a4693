"""Indexed shards list and read as data alone, in TensorFlow too (issue 15).

``pipeline index`` writes each sidecar in the hidden ``.pipeline-index``
folder beside the shards (`pipeline.io.index`). These cases check, against
both libraries, that the patterns users give ``list_files`` for TFX-style
gzip shards list only the shards, and that the shards then read. The files
are written by pipeline in both runs: the check is what each library lists.
"""

from __future__ import annotations

import os

import pytest
from conformance_support import elements

from pipeline.io.index import write_index
from pipeline.io.tfrecord_writer import TFRecordWriter

NAMES = ["train-00000-of-00002.tfrecord.gz", "train-00001-of-00002.tfrecord.gz"]
RECORDS = [b"r0", b"r1", b"r2", b"r3", b"r4"]


def _shards(root: str, sidecar=None) -> list[bytes]:
    """The two shards (2 and 3 records), indexed; their paths as bytes."""
    for name, part in zip(NAMES, (RECORDS[:2], RECORDS[2:])):
        path = os.path.join(root, name)
        with TFRecordWriter(path, "GZIP") as w:
            for r in part:
                w.write(r)
        write_index(path, "GZIP", index_path=sidecar(path) if sidecar else None)
    return [os.path.join(root, n).encode() for n in NAMES]


def _listed(api, pattern):
    ds = api.data.Dataset.list_files(pattern, shuffle=False)
    return [bytes(x) for x in elements(ds)]


@pytest.mark.parametrize("pattern", ["train-*", "*.tfrecord*", "*tfrecord*", "*.gz"])
def test_shard_patterns_do_not_list_the_sidecars(api, tmp_path, pattern):
    shards = _shards(str(tmp_path))
    assert (tmp_path / ".pipeline-index" / f"{NAMES[0]}.index").is_file()
    full = os.path.join(str(tmp_path), pattern)
    assert _listed(api, full) == shards
    files = api.data.Dataset.list_files(full, shuffle=False)
    ds = api.data.TFRecordDataset(files, compression_type="GZIP")
    assert [bytes(x) for x in elements(ds)] == RECORDS


def test_a_sidecar_beside_the_shard_was_listed_as_data(api, tmp_path):
    # the layout of earlier versions, <shard>.index: why the sidecars moved
    shards = _shards(str(tmp_path), sidecar=lambda p: p + ".index")
    listed = _listed(api, os.path.join(str(tmp_path), "train-*"))
    assert listed == [
        shards[0],
        shards[0] + b".index",
        shards[1],
        shards[1] + b".index",
    ]
