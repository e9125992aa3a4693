"""CsvDataset and make_csv_dataset: TF's golden inference case, arguments, errors."""

from __future__ import annotations

import gzip

import numpy as np
import pytest
from support import fixture_path, load_fixture_json

import pipeline as pl
from pipeline import errors

_DTYPES = {
    "int32": np.int32,
    "int64": np.int64,
    "float32": np.float32,
    "float64": np.float64,
    "string": object,
}


def _want(column):
    values = column["values"]
    if column["dtype"] == "string":
        values = [v.encode() for v in values]
    return np.array(values, dtype=_DTYPES[column["dtype"]])


def _same(got, want):
    assert got.dtype == want.dtype and got.shape == want.shape
    assert got.tolist() == want.tolist()


def test_make_csv_dataset_golden():
    for case in load_fixture_json("csv", "make_csv_dataset.json")["cases"]:
        path = str(fixture_path("csv", case["file"]))
        batches = list(pl.data.make_csv_dataset(path, **case["kwargs"]))
        assert len(batches) == len(case["all_batches"])
        for got, want in zip(batches, case["all_batches"]):
            features = got[0] if "label" in want else got
            assert list(features) == case["column_order"]
            for name, column in want["features"].items():
                assert str(features[name].dtype) in (column["dtype"], "object")
                _same(features[name], _want(column))
            if "label" in want:
                _same(got[1], _want(want["label"]))
        first = batches[0][0] if "label_dtype" in case else batches[0]
        for name, dtype in case["inferred_dtypes"].items():
            assert first[name].dtype == _DTYPES[dtype]


@pytest.fixture
def csv_files(tmp_path):
    a = tmp_path / "part-0.csv"
    b = tmp_path / "part-1.csv"
    a.write_text("id,x,name\n1,0.5,a\n2,,b\n3,1.5,\n")
    b.write_text("id,x,name\n4,2.5,d\n5,3.5,e\n")
    return str(tmp_path / "part-*.csv")


def test_label_name_and_order(csv_files):
    ds = pl.data.make_csv_dataset(
        csv_files, 2, label_name="x", shuffle=False, num_epochs=1
    )
    got = [(list(f), f["id"].tolist(), y.tolist()) for f, y in ds]
    assert got == [
        (["id", "name"], [1, 2], [0.5, 0.0]),
        (["id", "name"], [3, 4], [1.5, 2.5]),
        (["id", "name"], [5], [3.5]),
    ]


def test_batches_cross_epochs_and_drop_remainder_when_infinite(csv_files):
    ds = pl.data.make_csv_dataset(csv_files, 4, shuffle=False, num_epochs=2)
    ids = [b["id"].tolist() for b in ds]
    assert ids == [[1, 2, 3, 4], [5, 1, 2, 3], [4, 5]]
    ds = pl.data.make_csv_dataset(csv_files, 3, shuffle=False)
    first = [b["id"].tolist() for b in ds.take(4)]
    assert first == [[1, 2, 3], [4, 5, 1], [2, 3, 4], [5, 1, 2]]


def test_select_columns_and_defaults(csv_files):
    ds = pl.data.make_csv_dataset(
        csv_files,
        5,
        select_columns=["name", "id"],
        column_defaults=[np.int64, ["?"]],
        shuffle=False,
        num_epochs=1,
    )
    (batch,) = list(ds)
    assert list(batch) == ["id", "name"]
    assert batch["id"].dtype == np.int64
    assert batch["name"].tolist() == [b"a", b"b", b"?", b"d", b"e"]


def test_shuffled_rows_are_a_permutation(csv_files):
    ds = pl.data.make_csv_dataset(csv_files, 2, num_epochs=1, shuffle_seed=7)
    ids = sorted(i for b in ds for i in b["id"].tolist())
    assert ids == [1, 2, 3, 4, 5]
    again = pl.data.make_csv_dataset(csv_files, 2, num_epochs=1, shuffle_seed=7)
    assert [b["id"].tolist() for b in again] == [
        b["id"].tolist()
        for b in pl.data.make_csv_dataset(csv_files, 2, num_epochs=1, shuffle_seed=7)
    ]


def test_bad_row_raises_with_file_and_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n3,oops\n5,6\n")
    ds = pl.data.make_csv_dataset(
        str(path), 1, shuffle=False, num_epochs=1, column_defaults=[[0], [0]]
    )
    with pytest.raises(errors.InvalidArgumentError) as info:
        list(ds)
    assert info.value.line == 3 and info.value.column == 1
    assert "bad.csv" in str(info.value) and "line 3" in str(info.value)


def test_ignore_errors_skips_bad_rows(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n3,oops\n5,6\n7\n8,9\n")
    ds = pl.data.make_csv_dataset(
        str(path),
        10,
        shuffle=False,
        num_epochs=1,
        column_defaults=[[0], [0]],
        ignore_errors=True,
    )
    (batch,) = list(ds)
    assert batch["a"].tolist() == [1, 5, 8]


def test_errors_on_arguments(csv_files, tmp_path):
    with pytest.raises(ValueError, match="label_name"):
        pl.data.make_csv_dataset(csv_files, 2, label_name="nope")
    with pytest.raises(ValueError, match="header"):
        pl.data.make_csv_dataset(csv_files, 2, header=False)
    with pytest.raises(errors.NotFoundError):
        pl.data.make_csv_dataset(str(tmp_path / "none-*.csv"), 2)


def test_csv_dataset_rows_and_types(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b'h1,h2,h3\r\n1,"x,\r\ny",2.5\r\n,z,\r\n')
    ds = pl.data.CsvDataset(
        str(path), [[0], [""], np.array([9.0], np.float64)], header=True
    )
    rows = list(ds)
    assert rows == [(1, b"x,\r\ny", 2.5), (0, b"z", 9.0)]
    assert isinstance(rows[0][0], np.int32) and isinstance(rows[0][2], np.float64)
    spec = ds.element_spec
    assert [s.dtype for s in spec] == [np.int32, np.dtype(object), np.float64]


def test_csv_dataset_select_and_exclude(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("1,2,3,4\n5,6,7,8\n")
    sel = pl.data.CsvDataset(str(path), [[0], [0]], select_cols=[1, 3])
    assert [tuple(map(int, r)) for r in sel] == [(2, 4), (6, 8)]
    exc = pl.data.CsvDataset(str(path), [[0], [0], [0]], exclude_cols=[0])
    assert [tuple(map(int, r)) for r in exc] == [(2, 3, 4), (6, 7, 8)]


def test_csv_dataset_gzip_and_ignore_errors(tmp_path):
    path = tmp_path / "a.csv.gz"
    path.write_bytes(gzip.compress(b"1,a\nx,b\n3,c\n"))
    ds = pl.data.CsvDataset(str(path), [[0], [""]], compression_type="GZIP")
    with pytest.raises(errors.InvalidArgumentError, match="line 2"):
        list(ds)
    assert [int(r[0]) for r in ds.ignore_errors()] == [1, 3]


def test_csv_dataset_big_file_matches_decode_csv(tmp_path):
    rng = np.random.default_rng(0)
    ints = rng.integers(-1000, 1000, 10000)
    floats = np.round(rng.normal(size=10000), 3)
    lines = [f"{i},{f},s{i % 7}" for i, f in zip(ints, floats)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n")
    defaults = [[0], [0.0], [""]]
    rows = list(pl.data.CsvDataset(str(path), defaults))
    cols = pl.io.decode_csv(lines, defaults)
    assert [int(r[0]) for r in rows] == cols[0].tolist()
    assert [float(r[1]) for r in rows] == cols[1].tolist()
    assert [r[2] for r in rows] == cols[2].tolist()


def _source(ds):
    node = ds._node
    while not hasattr(node, "source"):
        node = node.parents[0]
    return node.source


def _flatten_batches(items):
    return [b["id"].tolist() for b in items]


@pytest.mark.parametrize("block", [3, 7, 100])
def test_batch_source_resumes_from_every_state(tmp_path, monkeypatch, block):
    from pipeline.io import csv_file

    monkeypatch.setattr(csv_file, "_BLOCK_RECORDS", block)
    monkeypatch.setattr(csv_file, "_DEFAULT_BUFFER_BYTES", 64)
    for k in range(3):
        rows = "".join(f"{k * 100 + i},{i % 3}\n" for i in range(11))
        (tmp_path / f"f{k}.csv").write_text("id,v\n" + rows)
    ds = pl.data.make_csv_dataset(
        str(tmp_path / "f*.csv"), 4, shuffle=False, num_epochs=2
    )
    src = _source(ds)
    blocks = list(src.blocks(None))
    want = [b for items, _ in blocks for b in _flatten_batches(items)]
    ids = [i for b in want for i in b]
    assert ids == [k * 100 + i for _ in range(2) for k in range(3) for i in range(11)]
    assert all(len(b) == 4 for b in want[:-1])
    done = 0
    for items, state in blocks:
        done += len(items)
        rest = [b for it, _ in src.blocks(state) for b in _flatten_batches(it)]
        assert rest == want[done:]


def test_csv_source_resumes_from_every_state(tmp_path, monkeypatch):
    from pipeline.io import csv_file

    monkeypatch.setattr(csv_file, "_BLOCK_RECORDS", 2)
    monkeypatch.setattr(csv_file, "_DEFAULT_BUFFER_BYTES", 16)
    (tmp_path / "a.csv").write_bytes(b'h\r\n1,"x\r\ny"\r\n2,z\r\n3,"q""r"\r\n4,w')
    ds = pl.data.CsvDataset(str(tmp_path / "a.csv"), [[0], [""]], header=True)
    src = _source(ds)
    blocks = list(src.blocks(None))
    want = [tuple(r) for items, _ in blocks for r in items]
    assert want == [(1, b"x\r\ny"), (2, b"z"), (3, b'q"r'), (4, b"w")]
    done = 0
    for items, state in blocks:
        done += len(items)
        assert [tuple(r) for it, _ in src.blocks(state) for r in it] == want[done:]


def test_bad_row_line_numbers_with_multiline_records(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text('a,b\n1,"x\ny"\n2,"p\nq\nr"\nbad,3\n')
    ds = pl.data.CsvDataset(str(path), [[0], [""]], header=True)
    with pytest.raises(errors.InvalidArgumentError) as info:
        list(ds)
    assert info.value.line == 7 and info.value.path == str(path)


@pytest.mark.parametrize("buffer", [1, 5, 1000])
def test_shuffle_windows_permute_and_resume(tmp_path, monkeypatch, buffer):
    from pipeline.io import csv_file

    monkeypatch.setattr(csv_file, "_BLOCK_RECORDS", 4)
    for k in range(3):
        rows = "".join(f"{k * 100 + i},{i}\n" for i in range(9))
        (tmp_path / f"s{k}.csv").write_text("id,v\n" + rows)
    pattern = str(tmp_path / "s*.csv")

    def make(seed):
        return pl.data.make_csv_dataset(
            pattern, 4, num_epochs=2, shuffle_seed=seed, shuffle_buffer_size=buffer
        )

    src = _source(make(3))
    blocks = list(src.blocks(None))
    want = [b for items, _ in blocks for b in _flatten_batches(items)]
    ids = [i for b in want for i in b]
    expected = [k * 100 + i for k in range(3) for i in range(9)]
    assert sorted(ids) == sorted(expected * 2)
    if buffer > 1:
        assert ids != expected * 2
    assert [b["id"].tolist() for b in make(3)] == want
    done = 0
    for items, state in blocks:
        done += len(items)
        rest = [b for it, _ in src.blocks(state) for b in _flatten_batches(it)]
        assert rest == want[done:]


def test_shuffle_seeds_differ(csv_files):
    def order(seed):
        ds = pl.data.make_csv_dataset(csv_files, 5, num_epochs=4, shuffle_seed=seed)
        return [i for b in ds for i in b["id"].tolist()]

    assert order(1) == order(1)
    assert order(1) != order(2)
    assert sorted(order(2)) == sorted([1, 2, 3, 4, 5] * 4)


def test_parallel_reads_interleave_rows(csv_files):
    ds = pl.data.make_csv_dataset(
        csv_files, 10, shuffle=False, num_epochs=1, num_parallel_reads=2
    )
    (batch,) = list(ds)
    assert batch["id"].tolist() == [1, 4, 2, 5, 3]
    assert list(batch) == ["id", "x", "name"]
    shuffled = pl.data.make_csv_dataset(
        csv_files, 10, num_epochs=1, num_parallel_reads=2, shuffle_seed=3
    )
    assert sorted(next(iter(shuffled))["id"].tolist()) == [1, 2, 3, 4, 5]


def test_csv_dataset_line_breaks_and_empty_lines_like_tf(tmp_path):
    # Checked against TF 2.21: \r, \r\n and \n all end a record (not inside
    # quotes), and an empty line is one empty field.
    path = tmp_path / "cr.csv"
    path.write_bytes(b'\r1\r"a\r\nb"\n\r\n2')
    rows = list(pl.data.CsvDataset(str(path), [["d"]]))
    assert rows == [(b"d",), (b"1",), (b"a\r\nb",), (b"d",), (b"2",)]
    two = tmp_path / "two.csv"
    two.write_bytes(b"1,2\n\n3,4\n")
    with pytest.raises(errors.InvalidArgumentError, match="Expect 2 fields but have 1"):
        list(pl.data.CsvDataset(str(two), [[0], [0]]))


def test_csv_dataset_scans_every_field_like_tf(tmp_path):
    # TF 2.21's CsvDataset parses the whole record: a bad quote in an
    # excluded (or unselected) column is still an error, and with
    # exclude_cols every other field is kept.
    path = tmp_path / "q.csv"
    path.write_bytes(b'"a,b",1\rx,a"b\r')
    ds = pl.data.CsvDataset(str(path), [[""]], exclude_cols=[1])
    got = []
    with pytest.raises(errors.InvalidArgumentError, match="quotes"):
        for row in ds:
            got.append(row)
    assert got == [(b"a,b",)]
    wide = tmp_path / "w.csv"
    wide.write_bytes(b"1,2,3\n")
    with pytest.raises(errors.InvalidArgumentError, match="Expect 1 fields"):
        list(pl.data.CsvDataset(str(wide), [[0]], exclude_cols=[0]))


def test_make_csv_dataset_reads_undecodable_string_fields_as_bytes(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"id,name\n1,caf\xe9\n2,\xff\n")
    (batch,) = pl.data.make_csv_dataset(str(path), 5, shuffle=False, num_epochs=1)
    assert batch["id"].tolist() == [1, 2]
    assert batch["name"].tolist() == [b"caf\xe9", b"\xff"]


def test_make_csv_dataset_bad_header_is_invalid_argument(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"id,n\xe9\n1,2\n")
    with pytest.raises(errors.InvalidArgumentError, match=r"utf-8 text in the header"):
        pl.data.make_csv_dataset(str(path), 2, num_epochs=1)
    path.write_bytes(b"id,id\n1,2\n")
    with pytest.raises(errors.InvalidArgumentError, match=r"duplicate column names"):
        pl.data.make_csv_dataset(str(path), 2, num_epochs=1)


def test_make_csv_dataset_duplicate_column_names_argument(csv_files):
    with pytest.raises(
        errors.InvalidArgumentError,
        match=r"Cannot have duplicate column names\. Received: column_names=\['a', 'a'",
    ):
        pl.data.make_csv_dataset(
            csv_files, 2, column_names=["a", "a", "b"], header=True, num_epochs=1
        )
