"""Cases of tensorflow/python/data/kernel_tests/text_line_dataset_test.py."""

from __future__ import annotations

import gzip
import pathlib
import zlib

import pytest
from conformance_support import assert_produces, assert_produces_unordered, elements


def _line(f, n):
    return b"%d: %d" % (f, n)


def _files(tmp_path, num_files, num_lines, crlf=False, compression_type=None):
    names = []
    for i in range(num_files):
        parts = []
        for j in range(num_lines):
            parts.append(_line(i, j))
            # a newline after each line, but none at the end of files after the first
            if j + 1 != num_lines or i == 0:
                parts.append(b"\r\n" if crlf else b"\n")
        data = b"".join(parts)
        if compression_type == "GZIP":
            data = gzip.compress(data)
        elif compression_type == "ZLIB":
            data = zlib.compress(data)
        path = tmp_path / f"text_line.{i}.txt"
        path.write_bytes(data)
        names.append(str(path))
    return names


@pytest.mark.parametrize("compression_type", [None, "GZIP", "ZLIB"])
def test_text_line_dataset(api, tmp_path, compression_type):
    names = _files(tmp_path, 2, 5, crlf=True, compression_type=compression_type)

    def dataset(files, epochs, batch_size=None):
        ds = api.data.TextLineDataset(files, compression_type=compression_type)
        ds = ds.repeat(epochs)
        return ds.batch(batch_size) if batch_size else ds

    first = [_line(0, i) for i in range(5)]
    second = [_line(1, i) for i in range(5)]
    assert_produces(dataset([names[0]], 1), first)
    assert_produces(dataset([names[1]], 1), second)
    assert_produces(dataset(names, 1), first + second)
    assert_produces(dataset(names, 10), (first + second) * 10)
    assert_produces(dataset(names, 10, 5), [first, second] * 10)


def test_parallel_read(api, tmp_path):
    names = _files(tmp_path, 10, 10)
    files = api.data.Dataset.from_tensor_slices(names).repeat(10)
    want = [_line(j, i) for j in range(10) for i in range(10)] * 10
    ds = api.data.TextLineDataset(files, num_parallel_reads=4)
    assert_produces_unordered(ds, want)


def test_buffering(api, tmp_path):
    names = _files(tmp_path, 2, 5, crlf=True)
    ds = api.data.TextLineDataset(names, buffer_size=10)
    assert_produces(ds, [_line(j, i) for j in range(2) for i in range(5)])


def test_iterators_are_independent(api, tmp_path):
    path = tmp_path / "text.txt"
    path.write_text("0\n1\n2\n")
    first = iter(api.data.TextLineDataset(str(path)))
    assert bytes(elements([next(first)])[0]) == b"0"
    second = iter(api.data.TextLineDataset(str(path)))
    assert bytes(elements([next(second)])[0]) == b"0"
    other = iter(api.data.TextLineDataset(str(path)).repeat().batch(16))
    assert elements([next(other)])[0].shape == (16,)


def test_pathlib(api, tmp_path):
    names = [pathlib.Path(f) for f in _files(tmp_path, 1, 5)]
    assert_produces_unordered(
        api.data.TextLineDataset(names), [_line(0, i) for i in range(5)]
    )


@pytest.mark.parametrize("compression_type", [None, "GZIP", "ZLIB"])
def test_checkpoint_core_values(api, tmp_path, compression_type):
    """The checkpoint test's dataset: 5 files of 5 CRLF lines, buffer 10."""
    names = _files(tmp_path, 5, 5, crlf=True, compression_type=compression_type)
    ds = api.data.TextLineDataset(
        names, compression_type=compression_type, buffer_size=10
    )
    assert_produces(ds, [_line(j, i) for j in range(5) for i in range(5)])


def test_directory_is_an_error(api, tmp_path):
    # not a case of the TF file: TF's answer when a filename is a folder
    with pytest.raises(api.errors.FailedPreconditionError, match="Is a directory"):
        elements(api.data.TextLineDataset(str(tmp_path)))
