"""DenseFeatures' plan kernels (``feature_plan``): compiled vs the reference twin."""

from __future__ import annotations

import bisect
import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import _kernels

ref = _kernels.reference("feature_plan")
nat = importlib.import_module("pipeline._native.feature_plan")
fh = _kernels.reference("farmhash")
IMPLS = [ref, nat]
MISSING = -(2**63)
TEXT = st.one_of(st.binary(max_size=10), st.text(max_size=6))


def _objects(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
def test_mark_missing_semantics(impl):
    ids = impl.mark_missing(_objects([b"", "x", "", b"y"]), np.arange(4))
    assert ids.tolist() == [MISSING, 1, MISSING, 3]
    ints = impl.mark_missing(np.array([-1, 0, -2, -1]), np.arange(4))
    assert ints.tolist() == [MISSING, 1, 2, MISSING]
    with pytest.raises(TypeError, match="index 1, got int"):
        impl.mark_missing(_objects([b"a", 3]), np.arange(2))
    with pytest.raises(ValueError, match="differ in length"):
        impl.mark_missing(np.array([1, 2]), np.arange(3))


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
def test_hash_ids_semantics(impl):
    got = impl.hash_ids(_objects([b"abc", "", "abc", "\u00e9"]), 97).tolist()
    assert got == [
        fh.fingerprint64(b"abc") % 97,
        MISSING,
        fh.fingerprint64(b"abc") % 97,
        fh.fingerprint64("\u00e9".encode()) % 97,
    ]
    with pytest.raises(TypeError, match="index 0, got float"):
        impl.hash_ids(_objects([1.5]), 3)
    with pytest.raises(ValueError, match="num_buckets must be >= 1"):
        impl.hash_ids(_objects([b"a"]), 0)


@pytest.mark.native
@given(st.lists(TEXT, max_size=30), st.integers(1, 2**63))
def test_native_hash_ids_match_reference(items, buckets):
    values = _objects(items)
    assert (
        nat.hash_ids(values, buckets).tolist() == ref.hash_ids(values, buckets).tolist()
    )
    marked = ref.mark_missing(values, np.zeros(len(items), np.int64))
    assert nat.mark_missing(values, np.zeros(len(items), np.int64)).tolist() == (
        marked.tolist()
    )


FLOATS = st.floats(width=32, allow_nan=True, allow_infinity=True)


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
@given(
    st.integers(0, 5),
    st.integers(1, 3),
    st.data(),
    st.lists(FLOATS.filter(lambda f: f == f), max_size=6),
)
def test_bucket_ids_are_bisect_right_plus_offsets(impl, rows, width, data, edges):
    flat = data.draw(st.lists(FLOATS, min_size=rows * width, max_size=rows * width))
    values = np.array(flat, np.float32).reshape(rows, width)
    edges = sorted(edges)
    got = impl.bucket_ids(values, np.array(edges, np.float64), len(edges) + 1)
    expected = [
        (len(edges) if v != v else bisect.bisect_right(edges, v))
        + (i % width) * (len(edges) + 1)
        for i, v in enumerate(values.reshape(-1).astype(np.float64).tolist())
    ]
    assert got.tolist() == expected


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
def test_bucket_ids_want_float32(impl):
    with pytest.raises(ValueError, match="2-D float32"):
        impl.bucket_ids(np.zeros((2, 1)), np.array([0.5]), 2)


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
def test_cross_dense_order_and_definition(impl):
    a = np.array([1, 2, 3, 4], np.uint64)  # 2 rows of 2
    b = np.array([5, 6], np.uint64)  # 2 rows of 1
    cat = fh.fingerprint_cat64
    got = impl.cross_dense([a, b], [2, 1], 2, 7, 1000).tolist()
    pairs = [(1, 5), (2, 5), (3, 6), (4, 6)]
    assert got == [cat(cat(7, x), y) % 1000 for x, y in pairs]
    with pytest.raises(ValueError, match="input 1 does not hold 2 rows of 2"):
        impl.cross_dense([a, b], [2, 2], 2, 7, 1000)


@pytest.mark.native
@given(st.data(), st.integers(0, 5), st.integers(1, 3), st.integers(1, 2**62))
def test_native_cross_dense_matches_reference(data, rows, k, buckets):
    ks = data.draw(st.lists(st.integers(1, 3), min_size=k, max_size=k))
    values = [
        np.array(
            data.draw(st.lists(st.integers(0, 2**64 - 1), min_size=rows * w,
                               max_size=rows * w)),
            dtype=np.uint64,
        )
        for w in ks
    ]  # fmt: skip
    key = data.draw(st.integers(0, 2**64 - 1))
    expected = ref.cross_dense(values, ks, rows, key, buckets)
    assert nat.cross_dense(values, ks, rows, key, buckets).tolist() == (
        expected.tolist()
    )


IDS = st.integers(-3, 6) | st.just(MISSING)


def _block_case(data, rows, k):
    ids = np.array(
        data.draw(st.lists(IDS, min_size=rows * k, max_size=rows * k)), np.int64
    )
    col = data.draw(st.integers(0, 2))
    return ids, col


@pytest.mark.native
@given(st.data(), st.integers(0, 5), st.integers(0, 3), st.integers(0, 6))
def test_native_indicator_into_matches_reference(data, rows, k, depth):
    ids, col = _block_case(data, rows, k)
    outs = [np.full((rows, col + depth + 1), 9.0, np.float32) for _ in IMPLS]
    for impl, out in zip(IMPLS, outs):
        impl.indicator_into(ids, k, depth, out, col)
    assert outs[0].tobytes() == outs[1].tobytes()
    block = outs[0][:, col : col + depth]
    for r in range(rows):
        row = ids[r * k : (r + 1) * k]
        assert block[r].tolist() == [float(np.sum(row == d)) for d in range(depth)]
    assert (outs[0][:, :col] == 9).all() and (outs[0][:, col + depth :] == 9).all()


@pytest.mark.native
@given(
    st.data(),
    st.integers(0, 5),
    st.integers(0, 3),
    st.sampled_from(["sum", "mean", "sqrtn"]),
)
def test_native_combine_into_matches_reference(data, rows, k, combiner):
    ids, col = _block_case(data, rows, k)
    vocab = data.draw(st.integers(0, 7))
    weights = st.floats(-1e6, 1e6, width=32)
    table = np.array(
        data.draw(st.lists(weights, min_size=vocab * 3, max_size=vocab * 3)),
        np.float32,
    ).reshape(vocab, 3)
    outs = [np.full((rows, col + 4), 9.0, np.float32) for _ in IMPLS]
    bads = [impl.combine_into(ids, k, table, combiner, out, col)
            for impl, out in zip(IMPLS, outs)]  # fmt: skip
    assert bads[0] == bads[1]
    if bads[0] < 0:
        assert outs[0].tobytes() == outs[1].tobytes()
    else:
        assert ids[bads[0]] >= vocab


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
def test_combine_into_is_tf_safe_lookup(impl):
    table = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32)
    ids = np.array([0, 2, MISSING, -4, 1, 1])  # rows of 2
    out = np.zeros((3, 3), np.float32)
    assert impl.combine_into(ids, 2, table, "mean", out, 1) == -1
    assert out.tolist() == [[0, 3, 4], [0, 0, 0], [0, 3, 4]]
    assert impl.combine_into(ids, 2, table, "sqrtn", out, 1) == -1
    s = np.float32(np.sqrt(np.float32(2)))
    assert out[0, 1:].tolist() == [np.float32(6) / s, np.float32(8) / s]
    assert impl.combine_into(np.array([0, 3]), 1, table, "sum", out[:2], 0) == 1
    with pytest.raises(ValueError, match="unknown combiner"):
        impl.combine_into(ids, 2, table, "max", out, 1)
    with pytest.raises(ValueError, match=r"columns \[2, 4\) are outside \[0, 3\)"):
        impl.combine_into(ids, 2, table, "sum", out, 2)
    with pytest.raises(ValueError, match="6 ids are not 3 rows of 1"):
        impl.indicator_into(ids, 1, 2, out, 0)


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
def test_program_runs_its_ops_and_refuses_what_it_does_not_take(impl):
    program = impl.Program(
        [("k", "int"), ("x", "float"), ("s", "raw")],
        [
            ("identity", 0, 3, -1, 0),
            ("indicator", 0, 3, 0),
            ("numeric", 1, 1, 3),
            ("cross", [("ids", 0), ("raw", 2)], 5, 11, 1),
            ("combine", 1, 0, "sum", 4),
        ],
        5,
    )
    table = np.arange(11, dtype=np.float32).reshape(11, 1)
    feats = {"k": np.array([2, 0]), "x": np.array([0.5, 1.5]), "s": np.array([7, 8])}
    out, ids = program.run(feats, [table])
    cat = fh.fingerprint_cat64
    crossed = [cat(cat(5, 2), 7) % 11, cat(cat(5, 0), 8) % 11]
    assert [i.tolist() for i, _ in ids] == [[2, 0], crossed]
    assert out.tolist() == [[0, 0, 1, 0.5, crossed[0]], [1, 0, 0, 1.5, crossed[1]]]
    missing = {**feats, "k": np.array([2, -1])}  # a ragged cross input
    assert program.run(missing, [table]) is None
    assert program.run({**feats, "x": np.array([b"1", b"2"], object)}, [table]) is None
    assert program.run({**feats, "k": np.array([2, 0, 1])}, [table]) is None
    with pytest.raises(ValueError, match="unknown op 'max'"):
        impl.Program([("k", "int")], [("max", 0)], 1)
    with pytest.raises(ValueError, match="unknown combiner 'max'"):
        impl.Program([("k", "int")], [("combine", 0, 0, "max", 0)], 1)
    with pytest.raises(ValueError, match=r"columns \[0, 3\) are outside \[0, 2\)"):
        impl.Program([("k", "int")], [("indicator", 0, 3, 0)], 2)
