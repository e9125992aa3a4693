"""TextLineDataset and FixedLengthRecordDataset through the Dataset engine."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

import pipeline as pl
from pipeline import errors


@pytest.fixture
def two_files(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(b"h\na1\na2\na3\n")
    b.write_bytes(b"h\r\nb1\r\nb2")
    return [str(a), str(b)]


def test_lines_in_file_order(two_files):
    got = list(pl.data.TextLineDataset(two_files))
    assert got == [b"h", b"a1", b"a2", b"a3", b"h", b"b1", b"b2"]


def test_element_spec_is_string_scalar(two_files):
    spec = pl.data.TextLineDataset(two_files).element_spec
    assert spec.shape == () and spec.dtype == np.dtype(object)


def test_num_parallel_reads_interleaves_line_by_line(two_files):
    ds = pl.data.TextLineDataset(two_files, num_parallel_reads=2)
    assert list(ds) == [b"h", b"h", b"a1", b"b1", b"a2", b"b2", b"a3"]


def test_flat_map_skip_header_batch_decode(two_files, no_thread_leak):
    ds = (
        pl.data.Dataset.from_tensor_slices(two_files)
        .flat_map(lambda f: pl.data.TextLineDataset(f).skip(1))
        .batch(2)
    )
    batches = [b.tolist() for b in ds]
    assert batches == [[b"a1", b"a2"], [b"a3", b"b1"], [b"b2"]]


def test_compressed(tmp_path):
    path = tmp_path / "c.txt.gz"
    path.write_bytes(gzip.compress(b"x\ny\n"))
    assert list(pl.data.TextLineDataset(str(path), compression_type="GZIP")) == [
        b"x",
        b"y",
    ]


def test_missing_file_raises_not_found(tmp_path):
    with pytest.raises(errors.NotFoundError):
        list(pl.data.TextLineDataset(str(tmp_path / "nope.txt")))


def test_missing_file_skipped_by_ignore_errors(tmp_path, two_files):
    ds = pl.data.TextLineDataset([str(tmp_path / "nope.txt"), two_files[0]])
    assert list(ds.ignore_errors()) == [b"h", b"a1", b"a2", b"a3"]


def test_truncated_gzip_yields_good_lines_then_data_loss(tmp_path):
    path = tmp_path / "t.txt.gz"
    blob = gzip.compress(b"".join(b"line %d\n" % i for i in range(5000)))
    path.write_bytes(blob[: len(blob) // 2])
    got = []
    with pytest.raises(errors.DataLossError):
        for line in pl.data.TextLineDataset(str(path), "GZIP"):
            got.append(line)
    assert got and got[0] == b"line 0"


def test_bad_arguments():
    with pytest.raises(errors.InvalidArgumentError):
        pl.data.TextLineDataset([])
    with pytest.raises(errors.InvalidArgumentError):
        pl.data.TextLineDataset("a.txt", compression_type="LZ4")
    with pytest.raises(errors.InvalidArgumentError):
        pl.data.FixedLengthRecordDataset("a.bin", 0)


def test_fixed_length_records(tmp_path):
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(b"H" + b"aabbcc" + b"F")
    b.write_bytes(b"H" + b"ddee" + b"F")
    ds = pl.data.FixedLengthRecordDataset([str(a), str(b)], 2, 1, 1)
    assert list(ds) == [b"aa", b"bb", b"cc", b"dd", b"ee"]
    ds = pl.data.FixedLengthRecordDataset(
        [str(a), str(b)], 2, 1, 1, num_parallel_reads=2
    )
    assert list(ds) == [b"aa", b"dd", b"bb", b"ee", b"cc"]


def test_fixed_length_gzip(tmp_path):
    path = tmp_path / "a.bin.gz"
    path.write_bytes(gzip.compress(b"0123456789"))
    ds = pl.data.FixedLengthRecordDataset(str(path), 5, compression_type="GZIP")
    assert list(ds) == [b"01234", b"56789"]


def test_filenames_as_a_dataset(two_files):
    names = pl.data.Dataset.from_tensor_slices(two_files)
    assert list(pl.data.TextLineDataset(names)) == [
        b"h", b"a1", b"a2", b"a3", b"h", b"b1", b"b2"
    ]  # fmt: skip
    ds = pl.data.TextLineDataset(names, num_parallel_reads=2)
    assert list(ds) == [b"h", b"h", b"a1", b"b1", b"a2", b"b2", b"a3"]


def test_fixed_length_bad_body_fails_like_tf(tmp_path):
    bad, good = tmp_path / "bad.bin", tmp_path / "good.bin"
    bad.write_bytes(b"abcde")
    good.write_bytes(b"xxyy")
    ds = pl.data.FixedLengthRecordDataset([str(bad), str(good)], 2)
    with pytest.raises(errors.InvalidArgumentError, match="body length 5 bytes"):
        list(ds)
    assert list(ds.ignore_errors()) == [b"xx", b"yy"]


def test_carriage_returns_dropped_anywhere(tmp_path):
    path = tmp_path / "cr.txt"
    path.write_bytes(b"a\rb\nc\r\r\nd\r")
    assert list(pl.data.TextLineDataset(str(path))) == [b"ab", b"c", b"d"]
