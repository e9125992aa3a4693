"""pipeline.io.tfrecord: conformance with TF's reader on the golden fixtures."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import zlib

import pytest
from support import all_kernels, fixture_path, load_fixture_json

import pipeline as pl
from pipeline.errors import DataLossError, NotFoundError
from pipeline.io import tfrecord
from pipeline.io.tfrecord_writer import TFRecordWriter


@pytest.fixture(params=["native", "reference"])
def kernel(request):
    """Run the test wholly compiled, then wholly on the pure-Python twins."""
    with all_kernels(request.param) as bound:
        yield bound["tfrecord"]


def _read_all(path, compression_type=None, **kw):
    """(records, error or None) of reading ``path`` to the end."""
    records = []
    try:
        for block in tfrecord.iter_blocks(str(path), compression_type, **kw):
            records.extend(block.records)
    except DataLossError as e:
        return records, e
    return records, None


@pytest.mark.parametrize("buffer_size", [None, 4096])
def test_raw_records_all_compressions(kernel, buffer_size):
    spec = load_fixture_json("tfrecord", "raw_records.json")
    for entry in spec["files"]:
        path = fixture_path("tfrecord", entry["file"])
        records, err = _read_all(
            path, entry["compression_type"], buffer_size=buffer_size
        )
        assert err is None
        assert [hashlib.sha256(r).hexdigest() for r in records] == [
            r["sha256"] for r in spec["records"]
        ]


def test_block_offsets_match_framing(kernel):
    spec = load_fixture_json("tfrecord", "raw_records.json")
    path = fixture_path("tfrecord", "raw_none.tfrecord")
    offsets = []
    for block in tfrecord.iter_blocks(str(path), buffer_size=4096):
        assert block.first_index == len(offsets)
        offsets.extend(block.offsets.tolist())
    assert offsets == [f["offset"] for f in spec["uncompressed_framing"]]


def _mutated(case, base: bytes) -> bytes:
    mutation = case["mutation"]
    kind = mutation["type"]
    if kind == "xor_byte":
        data = bytearray(base)
        data[mutation["offset"]] ^= mutation["xor"]
        return bytes(data)
    if kind == "truncate":
        return base[: mutation["new_size"]]
    if kind == "append":
        return base + bytes.fromhex(mutation["bytes_hex"])
    raise AssertionError(f"no stored file and unknown mutation {mutation}")


def _stream_is_complete(data: bytes, compression: str) -> bool:
    """Independent check: does the file end cleanly (no stray or cut bytes)?"""
    if compression:
        inflater = zlib.decompressobj(31 if compression == "GZIP" else 15)
        inflater.decompress(data)
        return inflater.eof
    pos = 0
    while len(data) - pos >= 12:
        pos += 16 + int.from_bytes(data[pos : pos + 8], "little")
    return pos == len(data)


def test_corrupt_cases_match_tensorflow(kernel, tmp_path):
    spec = load_fixture_json("tfrecord", "corrupt.json")
    base_records = [base64.b64decode(r["data_b64"]) for r in spec["base_records"]]
    base = fixture_path("tfrecord", spec["base_file"]).read_bytes()
    for case in spec["cases"]:
        stored = fixture_path("tfrecord").joinpath(case.get("file") or "-")
        data = stored.read_bytes() if stored.is_file() else _mutated(case, base)
        path = tmp_path / f"{case['name']}.tfrecord"
        path.write_bytes(data)
        compression = case["compression_type"]
        records, err = _read_all(path, compression)
        expected = [base_records[i] for i in case["yielded_base_indices"]]
        assert records == expected, case["name"]
        if case["error"] is not None:
            assert type(err).__name__ == case["error"]["class"], case["name"]
            tf_offset = re.search(r" at (\d+)", case["error"]["message"])
            if tf_offset:
                assert err.offset == int(tf_offset.group(1)), case["name"]
                assert err.record_index == len(records)
                assert err.path == str(path)
        elif _stream_is_complete(data, compression):
            assert err is None, case["name"]
        else:  # our deliberate departure: TF ends silently here
            assert isinstance(err, DataLossError), case["name"]


def _write(path, records, options=None):
    with TFRecordWriter(str(path), options) as w:
        for r in records:
            w.write(r)


RECORDS = [b"alpha", b"", b"x" * 70_000, b"tail"]


@pytest.mark.parametrize("cut", [1, 5, 11])
def test_cut_inside_header_raises_after_complete_records(kernel, tmp_path, cut):
    path = tmp_path / "a.tfrecord"
    _write(path, RECORDS)
    data = path.read_bytes()
    path.write_bytes(data + data[:cut])
    records, err = _read_all(path)
    assert records == RECORDS
    assert isinstance(err, DataLossError)
    assert err.offset == len(data) and err.record_index == len(RECORDS)
    assert re.search(f"header at {len(data)}.*{path.name}", str(err))


@pytest.mark.parametrize("compression", ["GZIP", "ZLIB"])
def test_compressed_stream_cut_short_raises(kernel, tmp_path, compression):
    path = tmp_path / "a.tfrecord"
    records = [bytes([i]) * 1000 for i in range(50)]
    _write(path, records, compression)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 3])  # inside the trailer
    got, err = _read_all(path, compression)
    assert isinstance(err, DataLossError)
    assert err.path == str(path) and err.record_index == len(got)
    assert got == records[: len(got)]


def test_gzip_trailer_missing_keeps_all_records(kernel, tmp_path):
    path = tmp_path / "a.tfrecord.gz"
    _write(path, RECORDS, "GZIP")
    path.write_bytes(path.read_bytes()[:-8])
    got, err = _read_all(path, "AUTO")
    assert got == RECORDS
    assert isinstance(err, DataLossError)


def test_concatenated_gzip_members(kernel, tmp_path):
    raw = tmp_path / "raw"
    _write(raw, RECORDS)
    path = tmp_path / "cat.gz"
    path.write_bytes(gzip.compress(raw.read_bytes()) * 2)
    assert _read_all(path, "GZIP") == (RECORDS * 2, None)


def test_skip_corrupt_skips_bad_data_crc_and_continues(kernel, tmp_path):
    path = tmp_path / "a.tfrecord"
    _write(path, [b"r0", b"r1-bad", b"r2"])
    data = bytearray(path.read_bytes())
    data[18 + 12 + 2] ^= 0xFF  # record 1 starts at byte 18 (16 + 2)
    path.write_bytes(bytes(data))
    items = list(tfrecord.iter_blocks(str(path), skip_corrupt=True))
    good = [r for i in items if not isinstance(i, Exception) for r in i.records]
    bad = [i for i in items if isinstance(i, DataLossError)]
    assert good == [b"r0", b"r2"]
    assert len(bad) == 1 and bad[0].offset == 30 and bad[0].record_index == 1
    assert bad[0].raw == bytes(b"r1-bad"[:2] + bytes([b"-"[0] ^ 0xFF]) + b"bad")
    blocks = [i for i in items if not isinstance(i, Exception)]
    assert blocks[-1].first_index == 2


def test_skip_corrupt_bad_length_crc_ends_file(kernel, tmp_path):
    path = tmp_path / "a.tfrecord"
    _write(path, [b"r0", b"r1", b"r2"])
    data = bytearray(path.read_bytes())
    data[18] ^= 1
    path.write_bytes(bytes(data))
    items = list(tfrecord.iter_blocks(str(path), skip_corrupt=True))
    assert [type(i).__name__ for i in items] == ["RecordBlock", "DataLossError"]
    assert items[1].offset == 18 and "length CRC" in str(items[1])


def test_offset_zero_hint(kernel, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"this is not a tfrecord file at all")
    _, err = _read_all(path)
    assert err.offset == 0 and "Is this even a TFRecord file?" in str(err)


@pytest.mark.parametrize("compression", [None, "GZIP"])
def test_start_offset_reads_from_record_k(kernel, tmp_path, compression):
    path = tmp_path / "a.tfrecord"
    _write(path, RECORDS, compression)
    start = 16 + len(RECORDS[0]) + 16  # record 2
    blocks = list(
        tfrecord.iter_blocks(str(path), compression, start_offset=start, first_index=2)
    )
    assert [r for b in blocks for r in b.records] == RECORDS[2:]
    assert blocks[0].first_index == 2 and blocks[0].offsets[0] == start


def test_max_block_records(kernel, tmp_path):
    path = tmp_path / "a.tfrecord"
    records = [str(i).encode() for i in range(10)]
    _write(path, records)
    blocks = list(tfrecord.iter_blocks(str(path), max_block_records=3))
    assert [len(b) for b in blocks] == [3, 3, 3, 1]
    assert [b.first_index for b in blocks] == [0, 3, 6, 9]
    assert tfrecord.count_records(str(path)) == 10


def test_missing_file(tmp_path):
    with pytest.raises(NotFoundError):
        list(tfrecord.iter_records(str(tmp_path / "missing.tfrecord")))


def test_empty_file(kernel, tmp_path):
    path = tmp_path / "empty.tfrecord"
    path.write_bytes(b"")
    assert _read_all(path) == ([], None)


# --- what a broken length header loses (reported with skip_corrupt) ---

_FRAME = 12 + 10 + 4  # every payload below is 10 bytes


def _shard(tmp_path, compression=None, broken=(50,), damage_length=False):
    path = str(tmp_path / "shard.tfrecord")
    from pipeline._reference.tfrecord import footer, header

    payloads = [b"record-%03d" % i for i in range(100)]
    plain = b"".join(header(10) + p + footer(p) for p in payloads)
    data = bytearray(plain)
    for b in broken:
        data[b * _FRAME + (0 if damage_length else 8)] ^= 0x40
    raw = bytes(data)
    if compression == "GZIP":
        raw = gzip.compress(raw)
    with open(path, "wb") as f:
        f.write(raw)
    return path, payloads, len(data)


def _skipping(path, compression=None):
    items = list(tfrecord.iter_blocks(path, compression, 4096, skip_corrupt=True))
    records = [r for b in items if not isinstance(b, DataLossError) for r in b.records]
    errors = [e for e in items if isinstance(e, DataLossError)]
    return records, errors


@pytest.mark.parametrize("compression", [None, "GZIP"])
def test_broken_length_crc_reports_the_records_and_bytes_lost(
    tmp_path, kernel, compression
):
    path, payloads, size = _shard(tmp_path, compression)
    records, errors = _skipping(path, compression)
    assert records == payloads[:50]
    (err,) = errors
    assert err.offset == 50 * _FRAME
    assert (err.records_lost, err.bytes_lost) == (50, size - 50 * _FRAME)
    assert re.search(r"rest of the file is not read: 50 records, 1300 bytes", str(err))


def test_second_break_adds_what_it_loses(tmp_path, kernel):
    path, payloads, size = _shard(tmp_path, broken=(50, 70))
    records, errors = _skipping(path)
    assert records == payloads[:50] and len(errors) == 1
    assert (errors[0].records_lost, errors[0].bytes_lost) == (50, 50 * _FRAME)


@pytest.mark.parametrize("compression", [None, "GZIP"])
def test_damaged_length_loses_an_unknown_number_of_records(
    tmp_path, kernel, compression
):
    path, payloads, size = _shard(tmp_path, compression, damage_length=True)
    records, errors = _skipping(path, compression)
    assert records == payloads[:50]
    (err,) = errors
    assert err.records_lost is None
    assert err.bytes_lost == (None if compression else size - 50 * _FRAME)


def test_raising_reader_keeps_the_plain_message(tmp_path, kernel):
    path, _, _ = _shard(tmp_path)
    with pytest.raises(DataLossError) as info:
        list(tfrecord.iter_records(path))
    assert "rest of the file" not in str(info.value)
    assert getattr(info.value, "records_lost", None) is None


def test_a_gzip_file_read_without_compression_names_the_fix(tmp_path):
    path = str(tmp_path / "a.tfrecord.gz")
    with pl.io.TFRecordWriter(path, options="GZIP") as writer:
        writer.write(b"hello")
    with pytest.raises(
        DataLossError, match=r'compression_type="GZIP" or "AUTO"'
    ) as info:
        list(pl.data.TFRecordDataset(path))
    assert "a.tfrecord.gz" in str(info.value)
    assert list(pl.data.TFRecordDataset(path, compression_type="AUTO")) == [b"hello"]
