"""Cases of tensorflow/python/data/kernel_tests/tf_record_dataset_test.py."""

from __future__ import annotations

import gzip
import pathlib
import zlib

import pytest
from conformance_support import assert_produces, assert_produces_unordered, elements

_FILES, _RECORDS = 2, 7


def _record(f, r):
    return b"Record %d of file %d" % (r, f)


@pytest.fixture
def names(api, tmp_path):
    out = []
    for i in range(_FILES):
        path = str(tmp_path / f"tf_record.{i}.txt")
        with api.io.TFRecordWriter(path) as writer:
            for j in range(_RECORDS):
                writer.write(_record(i, j))
        out.append(path)
    return out


def _all():
    return [_record(j, i) for j in range(_FILES) for i in range(_RECORDS)]


def _dataset(api, files, compression_type="", epochs=1, batch_size=None):
    ds = api.data.TFRecordDataset(files, compression_type).repeat(epochs)
    return ds.batch(batch_size) if batch_size else ds


def test_filenames_must_be_strings(api):
    message = (
        "The `filenames` argument must contain `tf.string` elements. Got "
        "`tf.int32` elements."
    )
    with pytest.raises(TypeError, match=message):
        api.data.TFRecordDataset([1, 2, 3])
    with pytest.raises(Exception):  # noqa: B017 (TF: the class differs by mode)
        api.data.TFRecordDataset(object())


def test_read_one_epoch(api, names):
    assert_produces(_dataset(api, names[0]), [_record(0, i) for i in range(_RECORDS)])
    assert_produces(_dataset(api, names[1]), [_record(1, i) for i in range(_RECORDS)])
    assert_produces(_dataset(api, names), _all())


def test_read_ten_epochs(api, names):
    assert_produces(_dataset(api, names, epochs=10), _all() * 10)


def test_read_ten_epochs_of_batches(api, names):
    per_file = [[_record(j, i) for i in range(_RECORDS)] for j in range(_FILES)]
    assert_produces(_dataset(api, names, epochs=10, batch_size=_RECORDS), per_file * 10)


def _compressed(tmp_path, names, kind):
    out = []
    for i, name in enumerate(names):
        data = pathlib.Path(name).read_bytes()
        if kind == "ZLIB":
            path, data = tmp_path / f"tfrecord_{i}.z", zlib.compress(data)
        else:
            path, data = tmp_path / f"tfrecord_{i}.gz", gzip.compress(data)
        path.write_bytes(data)
        out.append(str(path))
    return out


@pytest.mark.parametrize("kind", ["ZLIB", "GZIP"])
def test_read_compressed_files(api, names, tmp_path, kind):
    files = _compressed(tmp_path, names, kind)
    assert_produces(_dataset(api, files, compression_type=kind), _all())


def test_read_with_buffer(api, names):
    assert_produces(api.data.TFRecordDataset(names, buffer_size=2**20), _all())


def test_read_from_dataset_of_files(api, names):
    files = api.data.Dataset.from_tensor_slices(names)
    assert_produces(api.data.TFRecordDataset(files), _all())


def test_read_ten_epochs_from_dataset_of_files_in_parallel(api, names):
    files = api.data.Dataset.from_tensor_slices(names).repeat(10)
    ds = api.data.TFRecordDataset(files, num_parallel_reads=4)
    assert_produces_unordered(ds, _all() * 10)


def test_pathlib(api, names):
    ds = api.data.TFRecordDataset([pathlib.Path(names[0])])
    assert_produces_unordered(ds, [_record(0, i) for i in range(_RECORDS)])


def test_name(api, names):
    ds = api.data.TFRecordDataset([names[0]], name="tf_record_dataset")
    assert_produces_unordered(ds, [_record(0, i) for i in range(_RECORDS)])


@pytest.mark.parametrize("batch_size", [1, 5])
def test_checkpoint_batch_size_values(api, names, batch_size):
    """The checkpoint test's dataset: five epochs, batched."""
    ds = api.data.TFRecordDataset(names).repeat(5).batch(batch_size)
    got = elements(ds)
    flat = [x for batch in got for x in batch.tolist()]
    assert flat == _all() * 5
    assert len(got) == -(-len(flat) // batch_size)


@pytest.mark.parametrize("buffer_size", [0, 5])
def test_checkpoint_buffer_size_values(api, names, buffer_size):
    ds = api.data.TFRecordDataset(names, buffer_size=buffer_size).repeat(5)
    assert_produces(ds, _all() * 5)


@pytest.mark.parametrize("kind", [None, "GZIP", "ZLIB"])
def test_checkpoint_compression_values(api, names, tmp_path, kind):
    files = _compressed(tmp_path, names, kind) if kind else names
    ds = api.data.TFRecordDataset(files, kind).repeat(5)
    assert_produces(ds, _all() * 5)


def test_directory_is_an_error(api, tmp_path):
    # not a case of the TF file: TF's answer when a filename is a folder
    with pytest.raises(api.errors.FailedPreconditionError, match="Is a directory"):
        elements(api.data.TFRecordDataset(str(tmp_path)))
