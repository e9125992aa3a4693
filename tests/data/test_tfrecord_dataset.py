"""pl.data.TFRecordDataset: records, errors as TF raises them, ignore_errors."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import numpy as np
import pytest
from support import fixture_path, load_fixture_json

import pipeline as pl
from pipeline.data.tfrecord_dataset import TFRecordSource
from pipeline.errors import DataLossError, NotFoundError
from pipeline.io.example import parse_example, parse_single_example
from pipeline.io.example_spec import FixedLenFeature, VarLenFeature
from pipeline.io.tfrecord_writer import TFRecordWriter


def _write(path, records, options=None):
    with TFRecordWriter(str(path), options) as w:
        for r in records:
            w.write(r)
    return str(path)


@pytest.mark.parametrize("entry", range(3))
def test_reads_fixture_files(entry, no_thread_leak):
    spec = load_fixture_json("tfrecord", "raw_records.json")
    f = spec["files"][entry]
    ds = pl.data.TFRecordDataset(
        str(fixture_path("tfrecord", f["file"])), compression_type=f["compression_type"]
    )
    got = [hashlib.sha256(r).hexdigest() for r in ds]
    assert got == [r["sha256"] for r in spec["records"]]


def test_corrupt_cases_yield_then_raise(no_thread_leak):
    spec = load_fixture_json("tfrecord", "corrupt.json")
    base = [base64.b64decode(r["data_b64"]) for r in spec["base_records"]]
    for case in spec["cases"]:
        path = fixture_path("tfrecord", case["file"])
        ds = pl.data.TFRecordDataset(str(path), case["compression_type"])
        got = []
        with pytest.raises(DataLossError) as info:
            for record in ds:
                got.append(record)
        assert got == [base[i] for i in case["yielded_base_indices"]], case["name"]
        assert str(path) in str(info.value)


def test_ignore_errors_skips_bad_record_and_goes_on(tmp_path, no_thread_leak):
    path = _write(tmp_path / "a.tfrecord", [b"r0", b"r1-bad", b"r2"])
    data = bytearray(Path(path).read_bytes())
    data[18 + 12] ^= 0x55  # data of record 1
    Path(path).write_bytes(bytes(data))
    other = _write(tmp_path / "b.tfrecord", [b"b0"])
    ds = pl.data.TFRecordDataset([path, other])
    assert list(ds.ignore_errors()) == [b"r0", b"r2", b"b0"]
    with pytest.raises(DataLossError, match="record 1"):
        list(ds)


def test_truncated_header_is_an_error_after_all_records(tmp_path):
    path = _write(tmp_path / "a.tfrecord", [b"r0", b"r1"])
    Path(path).write_bytes(Path(path).read_bytes() + b"\x05\x00\x00")
    got = []
    with pytest.raises(DataLossError, match="header"):
        for record in pl.data.TFRecordDataset(path):
            got.append(record)
    assert got == [b"r0", b"r1"]
    nxt = _write(tmp_path / "b.tfrecord", [b"b0"])
    assert list(pl.data.TFRecordDataset([path, nxt]).ignore_errors()) == [
        b"r0",
        b"r1",
        b"b0",
    ]


def test_missing_file_raises_not_found(tmp_path):
    with pytest.raises(NotFoundError):
        list(pl.data.TFRecordDataset(str(tmp_path / "missing.tfrecord")))


def test_num_parallel_reads_interleaves_like_tf(tmp_path, no_thread_leak):
    files = [
        _write(tmp_path / f"f{i}", [f"{i}-{j}".encode() for j in range(n)])
        for i, n in enumerate([3, 1, 2])
    ]
    got = list(pl.data.TFRecordDataset(files, num_parallel_reads=2))
    # TF's interleave: when f1 ends, the cycle moves on to f0 before f2 opens
    assert got == [b"0-0", b"1-0", b"0-1", b"0-2", b"2-0", b"2-1"]
    assert list(pl.data.TFRecordDataset(files)) == sorted(got)


def test_source_resumes_from_every_state(tmp_path):
    paths = (
        _write(tmp_path / "a", [bytes([i]) * i for i in range(7)], "GZIP"),
        _write(tmp_path / "b", [b"x", b"y"], "GZIP"),
    )
    src = TFRecordSource(paths, "GZIP", 4096)
    blocks = list(src.blocks(None))
    flat = [r for items, _ in blocks for r in items]
    seen = 0
    for items, state in blocks:
        seen += len(items)
        rest = [r for more, _ in src.blocks(state) for r in more]
        assert rest == flat[seen:]


def test_vectorized_parse_matches_parse_example(no_thread_leak):
    data = load_fixture_json("tfrecord", "examples.json")
    path = str(fixture_path("tfrecord", "examples_zlib.tfrecord"))
    features = {
        "id": FixedLenFeature([], "int64"),
        "score": FixedLenFeature([], "float32", default_value=-1.0),
        "tags": VarLenFeature("int64"),
    }
    ds = pl.data.TFRecordDataset(path, "ZLIB").batch(3)
    batches = list(ds.map(lambda b: parse_example(b, features)))
    records = [base64.b64decode(e["serialized_b64"]) for e in data["examples"]]
    singles = list(
        pl.data.TFRecordDataset(path, "ZLIB").map(
            lambda r: parse_single_example(r, features)
        )
    )
    assert len(singles) == len(records)
    for i, batch in enumerate(batches):
        expected = parse_example(records[3 * i : 3 * i + 3], features)
        np.testing.assert_array_equal(batch["id"], expected["id"])
        assert batch["tags"] == expected["tags"]
        for j, single in enumerate(singles[3 * i : 3 * i + 3]):
            assert single["id"] == expected["id"][j]


def test_element_spec_and_str(tmp_path):
    ds = pl.data.TFRecordDataset(["a.tfrecord"], compression_type="GZIP")
    assert ds.element_spec.shape == () and ds.element_spec.dtype == pl.string
    assert ds.cardinality() == -2
    assert "TFRecordDataset" in str(ds._node)


@pytest.mark.parametrize(
    "kwargs", [{"compression_type": "LZ4"}, {"buffer_size": -1}, {"filenames": []}]
)
def test_argument_errors(kwargs):
    args = {"filenames": ["a"], **kwargs}
    with pytest.raises(ValueError):
        pl.data.TFRecordDataset(**args)


@pytest.mark.parametrize("reads", [None, 2])
def test_filenames_as_a_dataset(tmp_path, reads):
    files = [
        _write(tmp_path / f"f{i}", [f"{i}-{j}".encode() for j in range(2)])
        for i in range(2)
    ]
    names = pl.data.Dataset.from_tensor_slices(files)
    got = list(pl.data.TFRecordDataset(names, num_parallel_reads=reads))
    expected = [b"0-0", b"0-1", b"1-0", b"1-1"]
    assert got == (expected if reads is None else [b"0-0", b"1-0", b"0-1", b"1-1"])


def _graph_batch(ds, size, drop):
    """The graph's own batch over the same source (the reference for the fast path)."""
    return pl.data.Dataset.batch(ds, size, drop_remainder=drop)


def _batches_or_error(ds, ignore):
    if ignore:
        ds = ds.ignore_errors()
    out = []
    try:
        for b in ds:
            out.append(b.tolist())
    except DataLossError as e:
        out.append(("error", e.offset, e.record_index))
    return out


@pytest.mark.parametrize("size", [1, 3, 7, 64])
@pytest.mark.parametrize("drop", [False, True])
@pytest.mark.parametrize("corrupt", [False, True])
def test_fast_batches_equal_graph_batches(tmp_path, size, drop, corrupt):
    files = [
        _write(tmp_path / f"f{i}", [f"{i}-{j}".encode() for j in range(n)])
        for i, n in enumerate([5, 0, 11, 2])
    ]
    if corrupt:  # record 3 of f2: a bad data CRC; f3 cut inside a header
        path = Path(files[2])
        data = bytearray(path.read_bytes())
        data[3 * 19 + 12] ^= 1
        path.write_bytes(bytes(data))
        Path(files[3]).write_bytes(Path(files[3]).read_bytes()[:-3])
    ds = pl.data.TFRecordDataset(files, buffer_size=4096)
    fast = ds.batch(size, drop_remainder=drop)
    assert "TFRecordDataset" in str(fast._node) and "batch" in str(fast._node)
    for ignore in (False, True):
        expected = _batches_or_error(_graph_batch(ds, size, drop), ignore)
        assert _batches_or_error(fast, ignore) == expected


def test_fast_batches_failure_with_drop_remainder(tmp_path):
    """A failure mid-batch is reported (TF's batch returns the error) and, under
    ignore_errors, batching goes on after it."""
    path = _write(tmp_path / "f", [f"r{j}".encode() for j in range(10)])
    data = bytearray(Path(path).read_bytes())
    data[3 * 18 + 12] ^= 1  # record 3 (records of 2 bytes: 18 bytes each)
    Path(path).write_bytes(bytes(data))
    fast = pl.data.TFRecordDataset(path).batch(3, drop_remainder=True)
    first = [b"r0", b"r1", b"r2"]
    assert _batches_or_error(fast, False) == [first, ("error", 3 * 18 + 12, 3)]
    assert _batches_or_error(fast, True) == [
        first,
        [b"r4", b"r5", b"r6"],
        [b"r7", b"r8", b"r9"],
    ]


def test_fast_batch_source_resumes_from_every_state(tmp_path):
    files = [
        _write(tmp_path / f"f{i}", [bytes([i, j]) for j in range(5)]) for i in range(3)
    ]
    ds = pl.data.TFRecordDataset(files, "")
    src = ds.batch(4)._node.source
    blocks = list(src.blocks(None))
    flat = [b.tolist() for items, _ in blocks for b in items]
    for n, (_, state) in enumerate(blocks, start=1):
        rest = [b.tolist() for items, _ in src.blocks(state) for b in items]
        assert rest == flat[n:]


def test_fast_batch_spec_and_parse(tmp_path):
    ds = pl.data.TFRecordDataset(
        str(fixture_path("tfrecord", "examples_none.tfrecord"))
    )
    assert ds.batch(4, drop_remainder=True).element_spec.shape == (4,)
    assert ds.batch(4).element_spec.shape == (None,)
    features = {"id": FixedLenFeature([], "int64")}
    got = [b["id"] for b in ds.batch(3).map(lambda b: parse_example(b, features))]
    expected = [
        b["id"]
        for b in _graph_batch(ds, 3, False).map(lambda b: parse_example(b, features))
    ]
    assert [g.tolist() for g in got] == [e.tolist() for e in expected]


def test_quarantine_gets_the_bad_record_bytes(tmp_path):
    from pipeline.io.tfrecord import iter_records

    path = _write(tmp_path / "a", [b"r0", b"bad!", b"r2"])
    data = bytearray(Path(path).read_bytes())
    data[18 + 12] ^= 1  # first data byte of record 1
    Path(path).write_bytes(bytes(data))
    quarantine = str(tmp_path / "q.tfrecord")
    ds = pl.data.TFRecordDataset(path).ignore_errors(quarantine=quarantine)
    assert list(ds) == [b"r0", b"r2"]
    (entry,) = list(iter_records(quarantine))
    assert entry.endswith(b"\ncad!") and b'"record_index": 1' in entry
