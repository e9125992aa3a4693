"""Format and compression sniffing by content and extension."""

from __future__ import annotations

import gzip
import zlib

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.errors import InvalidArgumentError, NotFoundError
from pipeline.io.detect import FORMATS, detect, sniff_csv
from pipeline.io.tfrecord_writer import TFRecordWriter

CSV = b"id,score,name\n1,0.5,ann\n2,1.5,bob\n"


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_csv_with_header(tmp_path):
    d = detect(_write(tmp_path, "a.csv", CSV))
    assert (d.format, d.compression, d.delimiter, d.header) == ("csv", "", ",", True)


def test_csv_without_header(tmp_path):
    d = detect(_write(tmp_path, "a.csv", b"1,0.5,ann\n2,1.5,bob\n"))
    assert (d.format, d.header) == ("csv", False)


def test_all_string_csv_header_is_sniffed(tmp_path):
    d = detect(_write(tmp_path, "a.dat", b"name,city\nann,paris\nbob,rome\n"))
    assert (d.format, d.header) == ("csv", True)


def test_tsv(tmp_path):
    d = detect(_write(tmp_path, "data", CSV.replace(b",", b"\t")))
    assert (d.format, d.delimiter, d.header) == ("tsv", "\t", True)


@pytest.mark.parametrize(
    "name, blob, expected",
    [
        ("a.csv.gz", gzip.compress(CSV), "GZIP"),
        ("a.gz_but_misnamed", gzip.compress(CSV), "GZIP"),
        ("a.csv.zz", zlib.compress(CSV), "ZLIB"),
        ("plain.gz", CSV, ""),  # content wins over the extension
    ],
)
def test_compression_by_content(tmp_path, name, blob, expected):
    d = detect(_write(tmp_path, name, blob))
    assert (d.format, d.compression, d.header) == ("csv", expected, True)


def test_text_lines(tmp_path):
    d = detect(_write(tmp_path, "notes", b"hello world\nsecond line here\n"))
    assert d.format == "text"


def test_single_column_csv_by_extension(tmp_path):
    d = detect(_write(tmp_path, "one.csv", b"x\n1\n2\n"))
    assert (d.format, d.header) == ("csv", True)


def test_parquet(tmp_path):
    path = tmp_path / "t.data"
    pq.write_table(pa.table({"a": [1, 2]}), path)
    assert detect(str(path)).format == "parquet"


def _example_bytes() -> bytes:
    # Example{features{feature{key:"k" value{int64_list{value:[7]}}}}} by hand
    feature = b"\x1a\x03\x0a\x01\x07"
    entry = b"\x0a\x01k" + b"\x12" + bytes([len(feature)]) + feature
    features = b"\x0a" + bytes([len(entry)]) + entry
    return b"\x0a" + bytes([len(features)]) + features


@pytest.mark.parametrize("options", [None, "GZIP", "ZLIB"])
def test_tfrecord_of_examples(tmp_path, options):
    path = str(tmp_path / "records.bin")
    with TFRecordWriter(path, options) as w:
        w.write(_example_bytes())
    d = detect(path)
    assert (d.format, d.compression) == ("tfrecord", options or "")


def test_raw_tfrecord(tmp_path):
    path = str(tmp_path / "r.tfrecord")
    with TFRecordWriter(path) as w:
        w.write(b"\xff\xfe not an example")
    assert detect(path).format == "tfrecord-raw"


def test_empty_file_uses_extension(tmp_path):
    d = detect(_write(tmp_path, "e.tfrecord", b""))
    assert (d.format, d.empty) == ("tfrecord", True)
    d = detect(_write(tmp_path, "e.csv", b""))
    assert (d.format, d.empty, d.header) == ("csv", True, True)


def test_format_override_keeps_sniffed_details(tmp_path):
    d = detect(_write(tmp_path, "a.csv.gz", gzip.compress(CSV)), "text")
    assert (d.format, d.compression) == ("text", "GZIP")
    d = detect(_write(tmp_path, "b.txt", CSV), "csv")
    assert (d.format, d.delimiter, d.header) == ("csv", ",", True)


def test_unknown_binary_raises(tmp_path):
    path = _write(tmp_path, "blob", bytes(range(256)) * 4)
    with pytest.raises(InvalidArgumentError, match="cannot detect the format"):
        detect(path)


def test_unknown_format_name_raises(tmp_path):
    with pytest.raises(InvalidArgumentError, match="`format` must be one of"):
        detect(_write(tmp_path, "a.csv", CSV), "xml")


def test_missing_file_raises(tmp_path):
    with pytest.raises(NotFoundError):
        detect(str(tmp_path / "nope.csv"))


def test_memory_filesystem():
    from pipeline.io import fs

    with fs.open_output("memory://test-detect/x.tsv") as f:
        f.write(b"a\tb\n1\t2\n")
    assert detect("memory://test-detect/x.tsv").format == "tsv"


def test_sniff_csv_rejects_ragged_lines():
    assert sniff_csv(["a,b", "1,2,3"]) is None
    assert sniff_csv(["a,b", "1,2"], ",") == (",", True)


def test_formats_are_the_documented_ones():
    assert set(FORMATS) == {"csv", "tsv", "tfrecord", "tfrecord-raw", "parquet", "text"}


@pytest.mark.parametrize(
    "header", [b"city,infant_mortality", b"series,information", b"nancy,infinite"]
)
def test_names_starting_with_inf_or_nan_are_a_header(tmp_path, header):
    d = detect(_write(tmp_path, "a.csv", header + b"\nOslo,2\nRome,3\n"))
    assert (d.format, d.header) == ("csv", True)


@pytest.mark.parametrize("field", [b"inf", b"-Inf", b"NaN", b"+infinity"])
def test_special_float_values_still_count_as_numbers(tmp_path, field):
    d = detect(_write(tmp_path, "a.csv", b"1," + field + b"\n2,3.5\n"))
    assert (d.format, d.header) == ("csv", False)
