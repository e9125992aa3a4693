"""The saved-dataset format: damaged or edited files raise DataLossError naming them."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import DataLossError, NotFoundError, UnimplementedError
from pipeline.io import dataset_files as files
from pipeline.io.tfrecord import iter_records
from pipeline.io.tfrecord_writer import TFRecordWriter


def _save(tmp_path, compression=None, n=10):
    folder = str(tmp_path / "saved")
    pl.data.Dataset.range(n).map(lambda x: (x, b"v%d" % int(x))).save(
        folder, compression=compression
    )
    return folder


def _shards(folder):
    return sorted(f for f in os.listdir(folder) if f.endswith(".shard"))


def _read_all(folder):
    return [(int(a), b) for a, b in pl.data.Dataset.load(folder)]


def test_save_writes_shards_and_metadata_and_load_reads_them(tmp_path):
    folder = _save(tmp_path)
    assert "dataset.metadata" in os.listdir(folder)
    meta = files.read_metadata(os.path.join(folder, "dataset.metadata"))
    assert meta["cardinality"] == 10 and meta["compression"] == ""
    assert sum(n for _, n in meta["shards"]) == 10
    assert _read_all(folder) == [(i, b"v%d" % i) for i in range(10)]


def test_gzip_shards_are_gzip_files(tmp_path):
    folder = _save(tmp_path, "GZIP")
    for name in _shards(folder):
        with gzip.open(os.path.join(folder, name)) as f:
            assert f.read(1)  # a readable gzip stream
    assert len(_read_all(folder)) == 10


@pytest.mark.parametrize("compression", [None, "GZIP"])
def test_a_flipped_byte_in_a_shard_names_the_file(tmp_path, compression):
    folder = _save(tmp_path, compression)
    victim = os.path.join(folder, _shards(folder)[0])
    data = bytearray(Path(victim).read_bytes())
    data[len(data) // 2] ^= 0x40
    Path(victim).write_bytes(bytes(data))
    with pytest.raises(DataLossError) as info:
        _read_all(folder)
    assert os.path.basename(victim) in str(info.value)


def test_a_record_rewritten_with_a_good_crc_but_bad_content_names_file_and_record(
    tmp_path,
):
    folder = _save(tmp_path)
    victim = os.path.join(folder, _shards(folder)[0])
    records = list(iter_records(victim))
    with TFRecordWriter(victim) as w:
        w.write(records[0])
        w.write(records[1][:-3])  # valid framing, truncated element
    with pytest.raises(DataLossError, match=r"record 1\)") as info:
        _read_all(folder)
    assert victim in str(info.value) and info.value.record_index == 1


def test_a_shard_missing_records_is_data_loss(tmp_path):
    folder = _save(tmp_path)
    victim = os.path.join(folder, _shards(folder)[0])
    records = list(iter_records(victim))
    with TFRecordWriter(victim) as w:
        w.write(records[0])
    with pytest.raises(DataLossError, match="holds 1 records; its metadata says"):
        _read_all(folder)


def _rewrite_metadata(folder, edit):
    path = os.path.join(folder, "dataset.metadata")
    meta = json.loads(next(iter_records(path)))
    edit(meta)
    with TFRecordWriter(path) as w:
        w.write(json.dumps(meta).encode())
    return path


@pytest.mark.parametrize(
    "edit",
    [
        lambda m: m.update(format="pickle"),
        lambda m: m.update(version=2),
        lambda m: m.update(compression="SNAPPY"),
        lambda m: m["shards"][0].__setitem__(0, "../../etc/passwd"),
        lambda m: m.update(cardinality=3),
        lambda m: m.update(element_spec={"shape": [], "dtype": "os.system"}),
    ],
)
def test_edited_metadata_names_the_file(tmp_path, edit):
    folder = _save(tmp_path)
    path = _rewrite_metadata(folder, edit)
    with pytest.raises(DataLossError, match="bad saved-dataset metadata") as info:
        pl.data.Dataset.load(folder)
    assert path in str(info.value) and info.value.path == path


def test_metadata_that_is_not_json_or_has_a_bad_crc(tmp_path):
    folder = _save(tmp_path)
    path = os.path.join(folder, "dataset.metadata")
    with TFRecordWriter(path) as w:
        w.write(b"\x80 not json")
    with pytest.raises(DataLossError, match="not JSON"):
        pl.data.Dataset.load(folder)
    data = bytearray(Path(path).read_bytes())
    data[-1] ^= 1
    Path(path).write_bytes(bytes(data))
    with pytest.raises(DataLossError, match="dataset.metadata"):
        pl.data.Dataset.load(folder)


def test_load_of_a_folder_without_metadata_is_not_found(tmp_path):
    with pytest.raises(NotFoundError, match="no saved dataset metadata"):
        pl.data.Dataset.load(str(tmp_path))


def test_save_cut_short_leaves_nothing_loadable(tmp_path):
    folder = str(tmp_path / "cut")

    def boom(x):
        if int(x) == 5:
            raise RuntimeError("stop")
        return x

    with pytest.raises(RuntimeError, match="stop"):
        pl.data.Dataset.range(10).map(boom).save(folder)
    assert not [f for f in os.listdir(folder) if not f.startswith(".")]
    with pytest.raises(NotFoundError):
        pl.data.Dataset.load(folder)


def test_compression_names():
    assert files.compression_name("gzip") == "GZIP"
    assert files.compression_name("NONE") == ""
    with pytest.raises(UnimplementedError, match="SNAPPY"):
        files.compression_name("SNAPPY")
    with pytest.raises(ValueError, match="compression"):
        files.compression_name("LZ4")


def test_shard_writer_abort_leaves_no_file(tmp_path):
    w = files.ShardWriter(str(tmp_path), "")
    w.write(0, np.int64(1))
    w.abort()
    assert os.listdir(tmp_path) == []


def test_a_failed_save_over_an_old_one_leaves_nothing_loadable(tmp_path):
    folder = _save(tmp_path)

    def boom(x):
        if int(x) == 3:
            raise RuntimeError("stop")
        return x

    with pytest.raises(RuntimeError, match="stop"):
        pl.data.Dataset.range(10).map(boom).save(folder)
    with pytest.raises(NotFoundError):
        pl.data.Dataset.load(folder)


def test_discard_of_a_missing_file_is_quiet(tmp_path):
    files.discard(str(tmp_path / "nothing"))
    files.discard("memory://dataset-files-test/nothing")


def test_a_missing_shard_is_not_found_naming_it(tmp_path):
    folder = _save(tmp_path)
    victim = os.path.join(folder, _shards(folder)[0])
    os.remove(victim)
    with pytest.raises(NotFoundError, match="00000000.shard"):
        _read_all(folder)
