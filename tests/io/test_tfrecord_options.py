"""TFRecordOptions: TF's arguments, compression type strings and zlib settings."""

from __future__ import annotations

import zlib

import pytest

from pipeline.errors import InvalidArgumentError
from pipeline.io.tfrecord_options import TFRecordOptions


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), ("", ""), ("ZLIB", "ZLIB"), ("GZIP", "GZIP"), (0, ""), (1, "ZLIB"),
     (2, "GZIP"), (TFRecordOptions("GZIP"), "GZIP")],
)  # fmt: skip
def test_compression_type_string(value, expected):
    assert TFRecordOptions(value).compression_type == expected
    assert TFRecordOptions.get_compression_type_string(value) == expected


@pytest.mark.parametrize("value", [5, "BZ2", True, 1.0])
def test_unknown_compression_type(value):
    with pytest.raises(InvalidArgumentError, match="Not a valid compression_type"):
        TFRecordOptions(value)


def test_settings_reach_the_compressor():
    data = bytes(range(256)) * 64
    default = TFRecordOptions("ZLIB").compressor()
    assert TFRecordOptions("").compressor() is None
    plain = default.compress(data) + default.flush()
    # TF's defaults are zlib level 6, 15 window bits, memory level 9
    ref = zlib.compressobj(6, zlib.DEFLATED, 15, 9)
    assert plain == ref.compress(data) + ref.flush()
    stored = TFRecordOptions("ZLIB", compression_level=0).compressor()
    assert len(stored.compress(data) + stored.flush()) > len(data)
    gz = TFRecordOptions("GZIP", window_bits=8).compressor()
    assert zlib.decompress(gz.compress(data) + gz.flush(), 31) == data


def test_bad_zlib_setting_is_a_value_error():
    with pytest.raises(ValueError, match="invalid zlib options"):
        TFRecordOptions("ZLIB", mem_level=99).compressor()
