"""Cases of tensorflow/python/data/kernel_tests/fixed_length_record_dataset_test.py."""

from __future__ import annotations

import gzip
import pathlib
import zlib

import pytest
from conformance_support import assert_produces, assert_produces_unordered, elements

_FILES, _RECORDS, _HEADER, _RECORD, _FOOTER = 2, 7, 5, 3, 2


def _record(f, r):
    return str(f * 2 + r).encode() * _RECORD


def _files(tmp_path, compression_type=None):
    names = []
    for i in range(_FILES):
        data = b"H" * _HEADER
        data += b"".join(_record(i, j) for j in range(_RECORDS))
        data += b"F" * _FOOTER
        if compression_type == "GZIP":
            data = gzip.compress(data)
        elif compression_type == "ZLIB":
            data = zlib.compress(data)
        path = tmp_path / f"fixed_length_record.{i}.txt"
        path.write_bytes(data)
        names.append(str(path))
    return names


def _all():
    return [_record(j, i) for j in range(_FILES) for i in range(_RECORDS)]


@pytest.mark.parametrize("compression_type", [None, "GZIP", "ZLIB"])
def test_fixed_length_record_dataset(api, tmp_path, compression_type):
    names = _files(tmp_path, compression_type)

    def dataset(files, epochs, batch_size=None):
        ds = api.data.FixedLengthRecordDataset(
            files, _RECORD, _HEADER, _FOOTER, compression_type=compression_type
        ).repeat(epochs)
        return ds.batch(batch_size) if batch_size else ds

    assert_produces(dataset([names[0]], 1), [_record(0, i) for i in range(_RECORDS)])
    assert_produces(dataset([names[1]], 1), [_record(1, i) for i in range(_RECORDS)])
    assert_produces(dataset(names, 1), _all())
    assert_produces(dataset(names, 10), _all() * 10)
    per_file = [[_record(j, i) for i in range(_RECORDS)] for j in range(_FILES)]
    assert_produces(dataset(names, 10, _RECORDS), per_file * 10)


def test_buffering(api, tmp_path):
    ds = api.data.FixedLengthRecordDataset(
        _files(tmp_path), _RECORD, _HEADER, _FOOTER, buffer_size=10
    )
    assert_produces(ds, _all())


def test_parallel_read(api, tmp_path):
    ds = api.data.FixedLengthRecordDataset(
        _files(tmp_path),
        _RECORD,
        _HEADER,
        _FOOTER,
        buffer_size=10,
        num_parallel_reads=4,
    )
    assert_produces_unordered(ds, _all())


def test_wrong_size(api, tmp_path):
    ds = api.data.FixedLengthRecordDataset(
        _files(tmp_path), _RECORD + 1, _HEADER, _FOOTER, buffer_size=10
    )
    message = (
        r"Excluding the header \(5 bytes\) and footer \(2 bytes\), input "
        r"file \".*fixed_length_record.0.txt\" has body length 21 bytes, "
        r"which is not an exact multiple of the record length \(4 bytes\)."
    )
    with pytest.raises(api.errors.InvalidArgumentError, match=message):
        elements(ds)


def test_pathlib(api, tmp_path):
    names = [pathlib.Path(f) for f in _files(tmp_path)]
    ds = api.data.FixedLengthRecordDataset(
        names, _RECORD, _HEADER, _FOOTER, buffer_size=10, num_parallel_reads=4
    )
    assert_produces_unordered(ds, _all())


def test_checkpoint_core_values(api, tmp_path):
    """The checkpoint test's dataset: both files, five epochs."""
    ds = api.data.FixedLengthRecordDataset(
        _files(tmp_path), _RECORD, _HEADER, _FOOTER
    ).repeat(5)
    assert_produces(ds, _all() * 5)
