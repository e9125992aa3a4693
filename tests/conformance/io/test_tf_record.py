"""Cases of tensorflow/python/lib/io/tf_record_test.py.

TF reads back with ``tf.compat.v1.io.tf_record_iterator``; the shared public
name for reading is ``TFRecordDataset``, used here instead. The iterator-only
cases (growing and truncated files read on, the random reader) have no shared
name and are not ported.
"""

from __future__ import annotations

import functools
import gzip
import os
import random
import string
import zlib

import pytest
from conformance_support import elements

_TEXT = b"""Gaily bedight,
    A gallant knight,
    In sunshine and in shadow,
    Had journeyed long,
    Singing a song,
    In search of Eldorado.

    But he grew old
    This knight so bold
    And o'er his heart a shadow
    Fell as he found
    No spot of ground
    That looked like Eldorado.

   And, as his strength
   Failed him at length,
   He met a pilgrim shadow
   'Shadow,' said he,
   'Where can it be
   This land of Eldorado?'

   'Over the Mountains
    Of the Moon'
    Down the Valley of the Shadow,
    Ride, boldly ride,'
    The shade replied,
    'If you seek for Eldorado!'
    """  # Edgar Allan Poe, "Eldorado" (the TF test's text)


def _record(f, r):
    return b"Record %d of file %d" % (r, f)


def _write(api, path, records, options=None):
    with api.io.TFRecordWriter(str(path), options=options) as writer:
        for r in records:
            writer.write(r)
    return str(path)


def _read(api, path, compression_type=""):
    return [
        bytes(x) for x in elements(api.data.TFRecordDataset(path, compression_type))
    ]


def _create(api, tmp_path, options, prefix):
    return [
        _write(
            api,
            tmp_path / f"{prefix}tfrecord.{i}.txt",
            [_record(i, j) for j in range(7)],
            options,
        )
        for i in range(2)
    ]


def _bytes(path):
    with open(path, "rb") as f:
        return f.read()


def test_write_read_zlib_files(api, tmp_path):
    files = _create(api, tmp_path, api.io.TFRecordOptions(""), "uncompressed")
    zipped = [zlib.compress(_bytes(f)) for f in files]
    assert all(z != _bytes(f) for z, f in zip(zipped, files))
    compressed = _create(api, tmp_path, api.io.TFRecordOptions("ZLIB"), "compressed")
    assert [_bytes(f) for f in compressed] == zipped
    assert [zlib.decompress(_bytes(f)) for f in compressed] == [
        _bytes(f) for f in files
    ]


def test_write_read_gzip_files(api, tmp_path):
    files = _create(api, tmp_path, api.io.TFRecordOptions(""), "uncompressed")
    compressed = _create(api, tmp_path, api.io.TFRecordOptions("GZIP"), "compressed")
    assert [gzip.decompress(_bytes(f)) for f in compressed] == [
        _bytes(f) for f in files
    ]


def test_no_compression_type(api):
    options = api.io.TFRecordOptions
    assert options.get_compression_type_string(options()) == ""
    assert options.get_compression_type_string(options("")) == ""
    with pytest.raises(ValueError):
        options(5)
    with pytest.raises(ValueError):
        options("BZ2")


def test_zlib_compression_type(api):
    options = api.io.TFRecordOptions
    assert options.get_compression_type_string(options("ZLIB")) == "ZLIB"
    assert options.get_compression_type_string(options(options("ZLIB"))) == "ZLIB"


@functools.cache
def _compression_records():
    rnd = random.Random(123)
    random_record = "".join(rnd.choice(string.digits) for _ in range(10000)).encode()
    pieces = [_TEXT]
    for _ in range(10000):
        start = rnd.randint(0, len(_TEXT))
        pieces.append(_TEXT[start : start + rnd.randint(10, 200)])
    return [random_record, b"".join(pieces), random_record]


@pytest.mark.parametrize(
    ("prop", "value", "sign"),
    [
        ("compression_level", 2, -1),
        ("compression_level", 6, 0),
        ("flush_mode", zlib.Z_FULL_FLUSH, 1),
        ("flush_mode", zlib.Z_NO_FLUSH, 0),
        ("input_buffer_size", 4096, 0),
        ("output_buffer_size", 4096, 0),
        ("window_bits", 8, -1),
        ("compression_strategy", zlib.Z_HUFFMAN_ONLY, -1),
        ("compression_strategy", zlib.Z_FILTERED, -1),
    ],
)
def test_compression_options(api, tmp_path, prop, value, sign):
    records = _compression_records()
    options_a = api.io.TFRecordOptions("ZLIB")
    options_b = api.io.TFRecordOptions(compression_type="ZLIB", **{prop: value})
    a = _write(api, tmp_path / "tfrecord_a", records, options_a)
    b = _write(api, tmp_path / "tfrecord_b", records, options_b)
    assert _read(api, a, "ZLIB") == records
    assert _read(api, b, "ZLIB") == records
    delta = os.path.getsize(a) - os.path.getsize(b)
    assert delta == 0 if sign == 0 else delta // sign > 0, delta


def test_zlib_flush_record(api, tmp_path):
    original = [b"small record"]
    path = _write(api, tmp_path / "small_record", original)
    raw = _bytes(path)
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS)
    out = b""
    for i in range(len(raw)):
        out += compressor.compress(raw[i : i + 1])
        out += compressor.flush(zlib.Z_FULL_FLUSH)
    out += compressor.flush(zlib.Z_FULL_FLUSH)
    out += compressor.flush(zlib.Z_FULL_FLUSH)
    out += compressor.flush(zlib.Z_FINISH)
    with open(path, "wb") as f:
        f.write(out)
    assert _read(api, path, "ZLIB") == original


@pytest.mark.parametrize("large", [False, True])
def test_zlib_read_write(api, tmp_path, large):
    original = [_TEXT * 10240] if large else [b"foo", b"bar"]
    path = _write(api, tmp_path / "zlib_read_write.tfrecord", original)
    zpath = tmp_path / "zlib_read_write.tfrecord.z"
    zpath.write_bytes(zlib.compress(_bytes(path)))
    assert _read(api, str(zpath), "ZLIB") == original


def test_gzip_read_write(api, tmp_path):
    original = [b"foo", b"bar"]
    path = _write(api, tmp_path / "gzip_read_write.tfrecord", original)
    gzpath = tmp_path / "tfrecord.gz"
    gzpath.write_bytes(gzip.compress(_bytes(path)))
    assert _read(api, str(gzpath), "GZIP") == original


def test_iterator(api, tmp_path):
    records = [_record(0, i) for i in range(7)]
    options = api.io.TFRecordOptions("ZLIB")
    path = _write(api, tmp_path / "compressed_records", records, options)
    it = iter(api.data.TFRecordDataset(path, "ZLIB"))
    for want in records:
        assert bytes(elements([next(it)])[0]) == want
    with pytest.raises(StopIteration):
        next(it)


@pytest.mark.parametrize("large", [False, True])
def test_write_zlib_read(api, tmp_path, large):
    original = [_TEXT * 10240] if large else [b"foo", b"bar"]
    options = api.io.TFRecordOptions("ZLIB")
    path = _write(api, tmp_path / "write_zlib_read.tfrecord.z", original, options)
    plain = tmp_path / "write_zlib_read.tfrecord"
    plain.write_bytes(zlib.decompress(_bytes(path)))
    assert _read(api, str(plain)) == original


def test_write_gzip_read(api, tmp_path):
    original = [b"foo", b"bar"]
    options = api.io.TFRecordOptions("GZIP")
    path = _write(api, tmp_path / "write_gzip_read.tfrecord.gz", original, options)
    plain = tmp_path / "write_gzip_read.tfrecord"
    plain.write_bytes(gzip.decompress(_bytes(path)))
    assert _read(api, str(plain)) == original


def test_bad_file(api, tmp_path):
    path = _write(api, tmp_path / "bad_file", [b"123"])
    truncated = tmp_path / "bad_file_truncated"
    truncated.write_bytes(_bytes(path)[:14])
    with pytest.raises(api.errors.DataLossError):
        _read(api, str(truncated))


_KINDS = ["", "GZIP", "ZLIB"]


def _writer(api, tmp_path, kind):
    options = api.io.TFRecordOptions(kind)
    path = str(tmp_path / "tf_record_writer_test.txt")
    return path, options, api.io.TFRecordWriter(path, options)


@pytest.mark.parametrize("kind", _KINDS)
def test_write_and_leave_open(api, tmp_path, kind):
    _, _, writer = _writer(api, tmp_path, kind)
    for r in range(20):
        writer.write(b"Record %d" % r)
    writer.close()  # (TF checks only that no crash happens; we close here)


@pytest.mark.parametrize("kind", _KINDS)
def test_write_and_read(api, tmp_path, kind):
    path, options, writer = _writer(api, tmp_path, kind)
    records = [b"Record %d" % r for r in range(20)]
    for r in records:
        writer.write(r)
    writer.close()
    assert _read(api, path, kind) == records


@pytest.mark.parametrize("kind", _KINDS)
def test_double_close(api, tmp_path, kind):
    _, _, writer = _writer(api, tmp_path, kind)
    writer.write(b"Record 0")
    writer.close()
    writer.close()


@pytest.mark.parametrize("kind", _KINDS)
def test_flush_after_close_is_error(api, tmp_path, kind):
    _, _, writer = _writer(api, tmp_path, kind)
    writer.write(b"Record 0")
    writer.close()
    with pytest.raises(api.errors.FailedPreconditionError):
        writer.flush()


@pytest.mark.parametrize("kind", _KINDS)
def test_write_after_close_is_error(api, tmp_path, kind):
    _, _, writer = _writer(api, tmp_path, kind)
    writer.write(b"Record 0")
    writer.close()
    with pytest.raises(api.errors.FailedPreconditionError):
        writer.write(b"Record 1")
