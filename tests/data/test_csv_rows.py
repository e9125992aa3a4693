"""CsvDataset moves blocks of columns (data.csv_rows): rows as tuples only
when taken, ``batch()`` cut from the columns; same values, errors, states."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pipeline as pl
from pipeline.data.csv_rows import RowBlock
from pipeline.errors import InvalidArgumentError, NotFoundError

DEFAULTS = [[0], [0.0], [""]]


def _file(tmp_path, name, rows, header=b"a,b,c"):
    path = tmp_path / name
    path.write_bytes(b"".join(r + b"\n" for r in [header, *rows]))
    return str(path)


def _rows(n, start=0):
    return [b"%d,%d.5,w%d" % (i, i, i % 5) for i in range(start, start + n)]


def _graph_batch(ds, size, drop=False):
    """The engine's row-by-row batch (the base class method, not the override)."""
    return pl.data.Dataset.batch(ds, size, drop)


def _drain(ds):
    out, it = [], iter(ds)
    try:
        for item in it:
            out.append(item)
    except Exception as e:  # compared between the two runs
        return out, e
    return out, None


def _same(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert len(x) == len(y)
        for u, v in zip(x, y):
            u, v = np.asarray(u), np.asarray(v)
            assert u.dtype == v.dtype and u.shape == v.shape
            assert u.tolist() == v.tolist()


def test_batch_is_cut_from_columns_without_row_tuples(tmp_path, monkeypatch):
    files = [_file(tmp_path, "a.csv", _rows(700)), _file(tmp_path, "b.csv", _rows(5))]
    ds = pl.data.CsvDataset(files, DEFAULTS, header=True)
    expected = list(_graph_batch(ds, 64))

    def no_rows(self, key):
        raise AssertionError("a row tuple was made")

    monkeypatch.setattr(RowBlock, "__getitem__", no_rows)
    batched = ds.batch(64)
    assert "CsvDataset(" in str(batched._node) and ".batch(64)" in str(batched._node)
    got = list(batched)
    _same(got, expected)
    assert [len(b[0]) for b in got] == [64] * 11 + [1]
    assert got[11][2].tolist() == [b"w4"] and got[0][0].dtype == np.int32


def test_rows_are_the_tuples_of_before(tmp_path):
    f = _file(tmp_path, "a.csv", [b"1,2.5,x", b",,", b"3,-1,z"])
    rows = list(pl.data.CsvDataset(f, DEFAULTS, header=True))
    assert rows == [
        (np.int32(1), np.float32(2.5), b"x"),
        (np.int32(0), np.float32(0.0), b""),
        (np.int32(3), np.float32(-1.0), b"z"),
    ]
    assert type(rows[0][0]) is np.int32 and type(rows[0][1]) is np.float32


@pytest.mark.parametrize("drop", [False, True])
def test_bad_rows_and_a_missing_file_as_the_graph_batch(tmp_path, drop):
    rows = _rows(300)
    rows[100] = b"1,x,y"
    rows[250] = b"only"
    files = [_file(tmp_path, "a.csv", rows), str(tmp_path / "gone.csv"),
             _file(tmp_path, "c.csv", _rows(33))]  # fmt: skip
    ds = pl.data.CsvDataset(files, DEFAULTS, header=True)
    got, err = _drain(ds.batch(32, drop))
    want, want_err = _drain(_graph_batch(ds, 32, drop))
    assert isinstance(err, InvalidArgumentError) and str(err) == str(want_err)
    _same(got, want)
    assert len(got) == 3  # the bad row 100 replaces the 4th batch
    kept = list(ds.batch(32, drop).ignore_errors())
    _same(kept, list(_graph_batch(ds, 32, drop).ignore_errors()))
    sizes = [len(b[0]) for b in kept]
    assert sizes[-1] == 32 if drop else sizes[-1] == 33 % 32


def test_a_missing_file_fails_in_its_place(tmp_path):
    good = _file(tmp_path, "a.csv", _rows(40))
    ds = pl.data.CsvDataset([good, str(tmp_path / "no.csv")], DEFAULTS, header=True)
    got, err = _drain(ds.batch(16))
    assert isinstance(err, NotFoundError)
    assert [len(b[0]) for b in got] == [16, 16]


def test_row_state_resumes_between_bad_rows(tmp_path):
    rows = _rows(50)
    rows[10] = b"bad"
    rows[11] = b"1,oops,x"
    f = _file(tmp_path, "a.csv", rows)
    ds = pl.data.CsvDataset(f, DEFAULTS, header=True).ignore_errors()
    everything = list(ds)
    assert len(everything) == 48
    for cut in (0, 5, 10, 11, 30, 48):
        it = iter(ds)
        for _ in range(cut):
            next(it)
        state = pickle.loads(pickle.dumps(it.get_state()))
        again = iter(ds)
        again.set_state(state)
        assert list(again) == everything[cut:]


def test_batch_state_resumes_mid_file(tmp_path):
    f = _file(tmp_path, "a.csv", _rows(500))
    ds = pl.data.CsvDataset([f, f], DEFAULTS, header=True).batch(60)
    it = iter(ds)
    for _ in range(9):
        next(it)
    state = it.get_state()
    rest = list(it)
    again = iter(ds)
    again.set_state(state)
    _same(list(again), rest)
    assert rest[0][0].tolist()[0] == 40  # row 540: the second file's row 40


_CELL = st.one_of(
    st.integers(-50, 50).map(lambda v: b"%d" % v),
    st.sampled_from([b"", b"x", b'"q, r"', b"2.5"]),
)


@given(
    rows=st.lists(st.tuples(_CELL, _CELL), max_size=120),
    size=st.integers(1, 25),
    drop=st.booleans(),
    take=st.integers(0, 30),
)
def test_property_batches_and_rows_as_the_engine(
    tmp_path_factory, rows, size, drop, take
):
    path = tmp_path_factory.mktemp("p") / "p.csv"
    path.write_bytes(b"".join(a + b"," + b + b"\n" for a, b in rows))
    ds = pl.data.CsvDataset(str(path), [[0], [""]]).ignore_errors()
    plain = pl.data.CsvDataset(str(path), [[0], [""]])
    got, err = _drain(plain.batch(size, drop))
    want, want_err = _drain(_graph_batch(plain, size, drop))
    _same(got, want)
    assert type(err) is type(want_err) and str(err) == str(want_err)
    everything = list(ds)
    it = iter(ds)
    for _ in range(min(take, len(everything))):
        next(it)
    again = iter(ds)
    again.set_state(it.get_state())
    assert list(again) == everything[min(take, len(everything)) :]
