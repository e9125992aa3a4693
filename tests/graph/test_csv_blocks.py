"""The ``batch(n) -> map(decode_csv)`` block rewrite (graph.csv_blocks):
the same batches, errors and states as the plain map, and labelled."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pipeline as pl
from pipeline.errors import InvalidArgumentError, NotFoundError
from pipeline.graph import csv_blocks
from pipeline.graph.csv_blocks import cut_rows, decodes_csv_only, join_batches

DEFAULTS = [[0], [0.0], [""]]
OFF = pl.data.Options(csv_blocks=False)


def _write(tmp_path, name, lines):
    path = tmp_path / name
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return str(path)


def _rows(count, start=0):
    return [b"%d,%d.25,s%d" % (i, i, i % 7) for i in range(start, start + count)]


def _idiom(files, batch=100, fn=None, drop=False):
    fn = fn or (lambda b: pl.io.decode_csv(b, DEFAULTS))
    lines = pl.data.Dataset.from_tensor_slices(files).flat_map(
        lambda f: pl.data.TextLineDataset(f).skip(1)
    )
    return lines.batch(batch, drop_remainder=drop).map(fn)


def _run(ds):
    """Every batch until the end or an error: (batches, error or None)."""
    out, it = [], iter(ds)
    try:
        for batch in it:
            out.append(batch)
    except Exception as e:  # the error is compared between the two runs
        return out, e
    return out, None


def _same(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert type(x) is type(y) and len(x) == len(y)
        for u, v in zip(x, y):
            assert u.dtype == v.dtype and u.shape == v.shape
            assert u.tolist() == v.tolist()


def test_explain_labels_the_rewrite_and_the_option_turns_it_off(tmp_path, capsys):
    f = _write(tmp_path, "a.csv", [b"h"] + _rows(10))
    _idiom([f]).explain()
    assert "csv_block_map(fn=" in capsys.readouterr().out
    _idiom([f]).with_options(OFF).explain()
    text = capsys.readouterr().out
    assert "csv_block_map" not in text and "    map(fn=" in text


@pytest.mark.parametrize(
    "batch,drop", [(100, False), (7, False), (7, True), (33, True)]
)
def test_same_batches_as_the_plain_map_across_files(tmp_path, batch, drop):
    files = [
        _write(tmp_path, f"{i}.csv", [b"h"] + _rows(n, 1000 * i))
        for i, n in enumerate([1500, 0, 3001, 17])
    ]
    ours, err = _run(_idiom(files, batch, drop=drop))
    plain, plain_err = _run(_idiom(files, batch, drop=drop).with_options(OFF))
    assert err is None and plain_err is None
    _same(ours, plain)
    assert sum(len(b[0]) for b in ours) == (4518 // batch * batch if drop else 4518)
    assert ours[5][2].tolist()[:2] == [
        b"s%d" % (5 * batch % 7),
        b"s%d" % ((5 * batch + 1) % 7),
    ]


def test_a_bad_line_gives_the_batches_before_it_and_the_plain_error(tmp_path):
    rows = _rows(3000)
    rows[2100] = b"1,x,y"  # not a float: batch 21 of 100 fails
    f = _write(tmp_path, "bad.csv", [b"h"] + rows)
    ours, err = _run(_idiom([f]))
    plain, plain_err = _run(_idiom([f]).with_options(OFF))
    assert isinstance(err, InvalidArgumentError)
    assert str(err) == str(plain_err) and type(err) is type(plain_err)
    assert getattr(err, "__notes__", None) == getattr(plain_err, "__notes__", None)
    assert "element index 21" in " ".join(err.__notes__)
    assert len(ours) == 21
    _same(ours, plain)


def test_ignore_errors_keeps_every_good_batch(tmp_path):
    rows = _rows(5000)
    rows[777] = b"only-one-field"
    f = _write(tmp_path, "bad.csv", [b"h"] + rows)
    ds = _idiom([f]).ignore_errors()
    ours = list(ds)
    _same(ours, list(ds.with_options(OFF)))
    assert len(ours) == 49 and ours[7][0][0] == 800


def test_an_upstream_failure_passes_after_the_batches_before_it(tmp_path):
    good = _write(tmp_path, "good.csv", [b"h"] + _rows(1000))
    missing = str(tmp_path / "missing.csv")
    ours, err = _run(_idiom([good, missing, good]))
    plain, plain_err = _run(_idiom([good, missing, good]).with_options(OFF))
    assert isinstance(err, NotFoundError) and str(err) == str(plain_err)
    _same(ours, plain)
    assert len(ours) == 10


def test_one_decode_per_block_of_batches(tmp_path, monkeypatch):
    scope = pl.io.decode_csv.__globals__  # the module decode_csv runs in
    calls = []
    real = scope["decode_buffer"]

    texts = []

    def counted(buf, n, *args, **kwargs):
        calls.append(n)
        # the lines came as one text (LineText.records), not as an array
        texts.append(type(getattr(kwargs["records"], "__self__", None)).__name__)
        return real(buf, n, *args, **kwargs)

    monkeypatch.setitem(scope, "decode_buffer", counted)
    f = _write(tmp_path, "a.csv", [b"h"] + _rows(9000))
    ours = list(_idiom([f]).with_options(pl.data.Options(final_prefetch=False)))
    # blocks of 40 batches (4096 // 100): 40 + 40 + 10; the first block is
    # also decoded batch by batch once, to check the rewrite on this function
    # (a few more calls of 100 may come from sampling the map's output spec)
    assert [n for n in calls if n != 100] == [4000, 4000, 1000]
    assert 40 <= calls.count(100) <= 45
    # the first block goes as an array (checked batch by batch), later ones
    # as the lines' text, decoded where it was read
    big = [t for n, t in zip(calls, texts) if n != 100]
    assert big == ["NoneType", "LineText", "LineText"]
    calls.clear()
    plain = list(_idiom([f]).with_options(OFF))
    assert set(calls) == {100} and 90 <= len(calls) <= 95
    _same(ours, plain)


def test_state_mid_block_resumes_at_the_next_batch(tmp_path):
    f = _write(tmp_path, "a.csv", [b"h"] + _rows(9000))
    ds = _idiom([f])
    it = iter(ds)
    for _ in range(5):
        next(it)
    state = pickle.loads(pickle.dumps(it.get_state()))
    rest = list(it)
    again = iter(ds)
    again.set_state(state)
    _same(list(again), rest)
    assert len(rest) == 85 and rest[0][0][0] == 500


def test_functions_that_are_not_only_decode_csv_keep_the_plain_map():
    def scaled(b):
        return pl.io.decode_csv(b, DEFAULTS)[0] * 2

    assert decodes_csv_only(lambda b: pl.io.decode_csv(b, DEFAULTS))
    assert decodes_csv_only(pl.io.decode_csv)
    assert not decodes_csv_only(scaled)
    assert not decodes_csv_only(lambda b, c: pl.io.decode_csv(b, DEFAULTS))
    assert not decodes_csv_only(lambda b: pl.io.parse_single_example(b, {}))


def test_a_function_that_is_not_row_wise_is_caught_and_mapped_per_batch(tmp_path):
    f = _write(tmp_path, "a.csv", [b"h"] + _rows(5000))

    def first_two(b):  # arranges the input: the block's rows 0-1, not each batch's
        return pl.io.decode_csv(b[[0, 1]], DEFAULTS)

    assert decodes_csv_only(first_two)
    ours = list(_idiom([f], fn=first_two))
    _same(ours, list(_idiom([f], fn=first_two).with_options(OFF)))
    assert ours[3][0].tolist() == [300, 301]


def test_join_and_cut_refuse_what_they_cannot_split():
    assert join_batches([np.zeros((2, 3)), np.zeros((1, 2))]) is None
    assert join_batches([(np.zeros(1),), (np.zeros(1),)]) is None
    assert cut_rows({"a": np.arange(3), "b": np.arange(2)}, [1, 2]) is None
    parts = cut_rows({"a": np.arange(6), "b": np.arange(6) + 10}, [1, 2, 3])
    assert [p["b"].tolist() for p in parts] == [[10], [11, 12], [13, 14, 15]]
    assert [p["a"].tolist() for p in parts] == [[0], [1, 2], [3, 4, 5]]


_FIELD = st.one_of(
    st.integers(-(2**31), 2**31 - 1).map(lambda v: b"%d" % v),
    st.sampled_from([b"", b"NA", b" 7", b"+5", b"1e3", b"x"]),
)


@given(
    rows=st.lists(st.tuples(_FIELD, _FIELD), min_size=0, max_size=300),
    batch=st.integers(1, 40),
    drop=st.booleans(),
    crlf=st.booleans(),
    block_rows=st.sampled_from([None, 64]),
)
def test_property_same_as_the_plain_map(
    tmp_path_factory, rows, batch, drop, crlf, block_rows
):
    path = tmp_path_factory.mktemp("p") / "p.csv"
    end = b"\r\n" if crlf else b"\n"
    path.write_bytes(b"h\n" + b"".join(a + b"," + c + end for a, c in rows))
    fn = lambda b: pl.io.decode_csv(b, [[0], [""]], na_value="NA")  # noqa: E731
    # small blocks: many calls per run, the text path after the first block
    saved, csv_blocks.BLOCK_ROWS = csv_blocks.BLOCK_ROWS, block_rows or 4096
    try:
        ours, err = _run(_idiom([str(path)], batch, fn, drop))
    finally:
        csv_blocks.BLOCK_ROWS = saved
    plain, plain_err = _run(_idiom([str(path)], batch, fn, drop).with_options(OFF))
    _same(ours, plain)
    assert type(err) is type(plain_err) and str(err) == str(plain_err)


def test_blocks_decoded_ahead_keep_order_errors_and_threads(tmp_path, no_thread_leak):
    rows = _rows(30000)
    rows[25000] = b"7,not-a-float,z"  # in a block decoded ahead, in a worker
    f = _write(tmp_path, "big.csv", [b"h"] + rows)
    ours, err = _run(_idiom([f]))
    plain, plain_err = _run(_idiom([f]).with_options(OFF))
    assert isinstance(err, InvalidArgumentError) and str(err) == str(plain_err)
    assert err.__notes__ == plain_err.__notes__
    assert len(ours) == 250
    _same(ours, plain)
    kept = list(_idiom([f]).ignore_errors())
    assert len(kept) == 299 and kept[250][0][0] == 25100
    it = iter(_idiom([f]))
    for _ in range(50):
        next(it)
    state = it.get_state()  # waits for the blocks decoding ahead
    again = iter(_idiom([f]))
    again.set_state(state)
    assert next(again)[0][0] == 5000
    it.close()
    again.close()


class _Rows:
    """A row iterator: runs of the given sizes, then ``end`` (an exception
    or a failure)."""

    def __init__(self, sizes, end):
        self.runs = [[b"r%d" % i] * n for i, n in enumerate(sizes)]
        self.end = end

    def next_many(self, limit):
        if self.runs:
            run = self.runs.pop(0)
            return run[:limit]
        if isinstance(self.end, BaseException):
            raise self.end
        return [self.end]


def test_pull_rows_cuts_as_batch_does():
    from pipeline.graph.csv_block_inputs import pull_rows
    from pipeline.graph.failures import ElementFailure

    got = pull_rows(_Rows([3, 4], StopIteration()), 2, 10, drop_remainder=False)
    assert [b.tolist() for b in got.inputs] == [[b"r0"] * 2, [b"r0", b"r1"],
                                                [b"r1"] * 2, [b"r1"]]  # fmt: skip
    assert got.ended and got.tail is None
    got = pull_rows(_Rows([3, 4], StopIteration()), 2, 10, drop_remainder=True)
    assert len(got.inputs) == 3 and got.ended
    failure = ElementFailure(ValueError("bad row"))
    got = pull_rows(_Rows([5], failure), 2, 10, drop_remainder=False)
    assert len(got.inputs) == 2 and got.tail is failure and not got.ended
    got = pull_rows(_Rows([5], OSError("disk")), 2, 10, drop_remainder=False)
    assert len(got.inputs) == 2 and isinstance(got.error, OSError)
    with pytest.raises(OSError, match="disk"):
        pull_rows(_Rows([1], OSError("disk")), 2, 10, drop_remainder=False)
