"""Compiled feature-column kernels vs their reference twin."""

from __future__ import annotations

import bisect
import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import _kernels

ref = _kernels.reference("feature_ops")
nat = importlib.import_module("pipeline._native.feature_ops")
fh = _kernels.reference("farmhash")
IMPLS = [ref] + [nat]
WORDS = st.binary(max_size=12)


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
def test_string_lookup_semantics(impl):
    table = impl.StringVocab([b"red", "green", b"", b"a\x00b"])
    values = [b"green", b"red", b"purple", b"", b"a\x00b", "red", b"a"]
    assert table.lookup(values, -1, 0).tolist() == [1, 0, -1, 2, 3, 0, -1]
    assert table.lookup(values, 9, 0).tolist() == [1, 0, 9, 2, 3, 0, 9]
    oov = [4 + fh.fingerprint64(b"purple") % 3, 4 + fh.fingerprint64(b"a") % 3]
    got = table.lookup(values, -1, 3).tolist()
    assert [got[2], got[6]] == oov


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
def test_int_lookup_semantics(impl):
    table = impl.IntVocab([10, 20, -5, -(2**63)])
    values = np.array([20, -5, 7, -1, -(2**63)], np.int64)
    assert table.lookup(values, -1, 0).tolist() == [1, 2, -1, -1, 3]
    got = table.lookup(values, -1, 2).tolist()
    assert got[2] == 4 + fh.fingerprint64(b"7") % 2
    assert got[3] == 4 + fh.fingerprint64(b"-1") % 2


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
def test_duplicates_and_bad_elements(impl):
    with pytest.raises(
        ValueError, match="duplicate vocabulary entry b'x' at positions 0 and 2"
    ):
        impl.StringVocab([b"x", b"y", "x"])
    with pytest.raises(
        ValueError, match="duplicate vocabulary entry 3 at positions 1 and 2"
    ):
        impl.IntVocab([1, 3, 3])
    with pytest.raises(TypeError, match="index 1"):
        impl.StringVocab([b"x"]).lookup([b"x", 5], -1, 0)
    with pytest.raises(ValueError, match="num_oov_buckets"):
        impl.StringVocab([b"x"]).lookup([b"x"], -1, -1)


@pytest.mark.native
@given(
    st.lists(WORDS, unique=True, max_size=30),
    st.lists(WORDS, max_size=40),
    st.integers(-1, 5),
    st.integers(0, 4),
)
def test_native_string_lookup_matches_reference(vocab, values, default, oov):
    values = values + vocab[:5]
    expected = ref.StringVocab(vocab).lookup(values, default, oov)
    table = nat.StringVocab(vocab)
    assert table.lookup(values, default, oov).tolist() == expected.tolist()
    as_array = np.array(values + [b""], dtype=object)[:-1]  # an ndarray, read in place
    assert table.lookup(as_array, default, oov).tolist() == expected.tolist()
    assert table.lookup(as_array[::2], default, oov).tolist() == expected[::2].tolist()


@pytest.mark.native
@given(
    st.lists(st.integers(-(2**63), 2**63 - 1), unique=True, max_size=30),
    st.lists(st.integers(-(2**63), 2**63 - 1), max_size=40),
    st.integers(0, 4),
)
def test_native_int_lookup_matches_reference(vocab, values, oov):
    values = np.array(values + vocab[:5], dtype=np.int64)
    expected = ref.IntVocab(vocab).lookup(values, -1, oov)
    assert nat.IntVocab(vocab).lookup(values, -1, oov).tolist() == expected.tolist()


FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=32)


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
@given(
    st.lists(FLOATS, max_size=30), st.lists(FLOATS.filter(lambda f: f == f), max_size=8)
)
def test_bucketize_is_bisect_right(impl, values, boundaries):
    boundaries = sorted(boundaries)
    got = impl.bucketize(np.array(values, np.float64), np.array(boundaries, np.float64))
    expected = [
        len(boundaries) if v != v else bisect.bisect_right(boundaries, v)
        for v in values
    ]
    assert got.tolist() == expected


def _ragged(draw, rows):
    lengths = draw(st.lists(st.integers(0, 3), min_size=rows, max_size=rows))
    splits = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    values = draw(
        st.lists(
            st.integers(0, 2**64 - 1),
            min_size=int(splits[-1]),
            max_size=int(splits[-1]),
        )
    )
    return splits, np.array(values, dtype=np.uint64)


@pytest.mark.native
@given(st.data(), st.integers(0, 6), st.integers(1, 4), st.integers(1, 2**62))
def test_native_cross_matches_reference(data, rows, k, buckets):
    inputs = [_ragged(data.draw, rows) for _ in range(k)]
    splits = [i[0] for i in inputs]
    values = [i[1] for i in inputs]
    key = data.draw(st.integers(0, 2**64 - 1))
    a = nat.cross(splits, values, key, buckets)
    b = ref.cross(splits, values, key, buckets)
    assert a[0].tolist() == b[0].tolist()
    assert a[1].tolist() == b[1].tolist()


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
def test_cross_order_and_definition(impl):
    # row 0: {1,2} x {5}; row 1: {} x {6} -> nothing; row 2: {3} x {7, 8}
    splits, ids = impl.cross(
        [[0, 2, 2, 3], [0, 1, 2, 4]], [[1, 2, 3], [5, 6, 7, 8]], 7, 1000
    )
    assert splits.tolist() == [0, 2, 2, 4]
    cat = fh.fingerprint_cat64
    expected = [cat(cat(7, a), b) % 1000 for a, b in [(1, 5), (2, 5), (3, 7), (3, 8)]]
    assert ids.tolist() == expected


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
def test_cross_rejects_bad_splits(impl):
    with pytest.raises(ValueError, match="input 1 has 1 rows, expected 2"):
        impl.cross([[0, 1, 1], [0, 1]], [[1], [2]], 0, 10)
    with pytest.raises(ValueError, match="input 0 has bad row splits"):
        impl.cross([[0, 2, 1]], [[1]], 0, 10)
    with pytest.raises(ValueError, match="num_buckets"):
        impl.cross([[0, 1]], [[1]], 0, 0)


@st.composite
def _segments(draw):
    rows = draw(st.integers(0, 6))
    lengths = draw(st.lists(st.integers(0, 4), min_size=rows, max_size=rows))
    splits = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    n = int(splits[-1])
    ids = np.array(draw(st.lists(st.integers(-2, 5), min_size=n, max_size=n)), np.int64)
    weights = None
    if draw(st.booleans()):
        weights = np.array(
            draw(st.lists(st.floats(-2, 3, width=32), min_size=n, max_size=n)),
            np.float32,
        )
    return splits, ids, weights


@pytest.mark.native
@given(_segments(), st.sampled_from(["sum", "mean", "sqrtn"]), st.integers(1, 6))
def test_native_segment_combine_matches_reference(seg, combiner, vocab):
    splits, ids, weights = seg
    table = np.arange(vocab * 3, dtype=np.float32).reshape(vocab, 3) / 7
    a, bad_a = nat.segment_combine(splits, ids, weights, table, combiner)
    b, bad_b = ref.segment_combine(splits, ids, weights, table, combiner)
    assert bad_a == bad_b
    if bad_a < 0:
        assert np.array_equal(a, b)
    assert np.array_equal(
        nat.indicator(splits, ids, weights, vocab),
        ref.indicator(splits, ids, weights, vocab),
    )


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
def test_segment_combine_semantics(impl):
    table = np.array([[1.0, 0.0], [0.0, 2.0], [4.0, 4.0]], np.float32)
    splits = [0, 3, 3, 5]
    ids = [0, 1, -1, 2, 2]
    weights = np.array([1.0, 3.0, 9.0, -1.0, 0.0], np.float32)
    out, bad = impl.segment_combine(splits, ids, weights, table, "sum")
    assert bad == -1 and out.tolist() == [[1.0, 6.0], [0.0, 0.0], [-4.0, -4.0]]
    out, _ = impl.segment_combine(splits, ids, weights, table, "mean")
    assert out.tolist() == [[0.25, 1.5], [0.0, 0.0], [0.0, 0.0]]  # w <= 0 pruned
    _, bad = impl.segment_combine([0, 2], [1, 3], None, table, "sum")
    assert bad == 1
    with pytest.raises(ValueError, match="combiner"):
        impl.segment_combine(splits, ids, None, table, "max")
    with pytest.raises(ValueError, match="run past"):
        impl.indicator([0, 9], ids, None, 3)


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
def test_nonempty(impl):
    got = impl.nonempty(np.array([b"", "", b"\x00", "x"], dtype=object))
    assert got.dtype == np.bool_ and got.tolist() == [False, False, True, True]
    with pytest.raises(TypeError, match="index 1"):
        impl.nonempty([b"a", 3])


@pytest.mark.native
@given(st.lists(st.one_of(WORDS, st.text(max_size=3)), max_size=30))
def test_native_nonempty_matches_reference(values):
    assert nat.nonempty(values).tolist() == ref.nonempty(values).tolist()


@pytest.mark.native
def test_native_and_reference_expose_the_same_names():
    for name in ("farmhash", "feature_ops"):
        r = _kernels.reference(name)
        n = importlib.import_module(f"pipeline._native.{name}")
        public = {
            k for k in dir(r) if not k.startswith("_") and callable(getattr(r, k))
        }
        public -= {"Any", "Sequence", "annotations"}
        missing = sorted(k for k in public if not hasattr(n, k))
        assert not missing, (name, missing)
