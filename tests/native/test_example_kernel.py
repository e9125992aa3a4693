"""Compiled Example decoder vs its reference twin, on valid and damaged bytes."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import _kernels
from pipeline.io.example_message import serialize_example

ref = _kernels.reference("example")
nat = importlib.import_module("pipeline._native.example")
ref_dense = _kernels.reference("example_dense")
nat_dense = importlib.import_module("pipeline._native.example_dense")
pytestmark = [
    pytest.mark.native,
]

KEYS = [b"i", b"f", b"s", b"", b"missing"]

values_st = st.one_of(
    st.none(),
    st.lists(st.integers(-(2**63), 2**63 - 1), max_size=5).map(
        lambda v: np.array(v, np.int64)
    ),
    st.lists(st.floats(width=32, allow_nan=False), max_size=5).map(
        lambda v: np.array(v, np.float32)
    ),
    st.lists(st.binary(max_size=8), max_size=4).map(
        lambda v: np.array(v + [b""], object)
    ),
)
example_st = st.dictionaries(st.sampled_from(["i", "f", "s", "", "other"]), values_st)


def _index_both(records):
    a = nat.index_features(records, KEYS)
    b = ref.index_features(records, KEYS)
    assert a[4:] == b[4:]
    if a[4] == nat.STATUS_OK:
        for x, y in zip(a[:4], b[:4]):
            np.testing.assert_array_equal(x, y)
    return a


def _decode_both(records, index):
    kind, count, start, stop = index[:4]
    for f in range(len(KEYS)):
        for k, dtype, decode in (
            (nat.KIND_INT64, np.int64, "decode_int64"),
            (nat.KIND_FLOAT, np.float32, "decode_float32"),
            (nat.KIND_BYTES, object, "decode_bytes"),
        ):
            rows = np.flatnonzero(kind[f] == k)
            counts = count[f][rows]
            dest = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
            outs = []
            for module in (nat, ref):
                out = np.zeros(int(counts.sum()), dtype=dtype)
                getattr(module, decode)(
                    records, rows, start[f][rows], stop[f][rows], dest, counts, out
                )
                outs.append(out)
            if dtype is np.float32:
                assert outs[0].tobytes() == outs[1].tobytes()
            else:
                assert outs[0].tolist() == outs[1].tolist()


@given(st.lists(example_st, max_size=5))
def test_valid_batches_agree(examples):
    records = [serialize_example(e) for e in examples]
    index = _index_both(records)
    assert index[4] == nat.STATUS_OK
    _decode_both(records, index)


@given(st.lists(example_st, min_size=1, max_size=3), st.data())
def test_mutated_batches_agree(examples, data):
    records = [serialize_example(e) for e in examples]
    b = data.draw(st.integers(0, len(records) - 1))
    rec = bytearray(records[b])
    if rec and data.draw(st.booleans()):
        at = data.draw(st.integers(0, len(rec) - 1))
        rec[at] ^= data.draw(st.integers(1, 255))
    else:
        rec = rec[: data.draw(st.integers(0, len(rec)))]
    records[b] = bytes(rec)
    index = _index_both(records)
    if index[4] == nat.STATUS_OK:
        _decode_both(records, index)


@given(st.lists(st.binary(max_size=60), max_size=4))
def test_random_bytes_agree(records):
    index = _index_both(records)
    if index[4] == nat.STATUS_OK:
        _decode_both(records, index)


def test_non_bytes_record_is_type_error():
    for module in (nat, ref):
        with pytest.raises(TypeError, match="record 0"):
            module.index_features(["text"], KEYS)


def test_decode_rejects_inconsistent_index():
    rec = serialize_example({"i": np.array([1, 2], np.int64)})
    kind, count, start, stop, *_ = nat.index_features([rec], [b"i"])
    one = np.zeros(1, np.int64)
    for module in (nat, ref):
        out = np.zeros(1, np.int64)  # too small for 2 values
        with pytest.raises(ValueError, match="does not match"):
            module.decode_int64([rec], one, start[0], stop[0], one, count[0], out)


SPECS = [  # (key position, kind, size, dtype, default)
    (0, nat.KIND_INT64 if nat else 3, 1, np.int64, np.array([-7], np.int64)),
    (1, nat.KIND_FLOAT if nat else 2, 2, np.float32, None),
    (2, nat.KIND_BYTES if nat else 1, 1, object, np.array([b"d"], object)),
]


@given(st.lists(example_st, max_size=5), st.permutations(range(3)))
def test_fill_dense_agrees(examples, order):
    records = [serialize_example(e) for e in examples]
    index = nat.index_features(records, KEYS)[:4]
    specs = [SPECS[i] for i in order]
    results = []
    for module in (nat_dense, ref_dense):
        outs = [np.zeros(len(records) * s[2], dtype=s[3]) for s in specs]
        status = module.fill_dense(
            records, *index, [s[0] for s in specs], [s[1] for s in specs],
            [s[2] for s in specs], outs, [s[4] for s in specs],
        )  # fmt: skip
        results.append((status, [o.tobytes() if o.dtype != object else o.tolist()
                                 for o in outs]))  # fmt: skip
    assert results[0][0] == results[1][0]
    if results[0][0][0] == nat_dense.DENSE_OK:
        assert results[0][1] == results[1][1]


def test_all_bytes():
    for module in (nat, ref):
        assert module.all_bytes([b"a", b""]) and not module.all_bytes([b"a", "b"])


def test_fill_dense_rejects_mismatched_outputs():
    rec = serialize_example({"i": np.array([1], np.int64)})
    index = nat.index_features([rec], [b"i"])[:4]
    for module in (nat_dense, ref_dense):
        wrong = [np.zeros(1, np.float32)]  # int64 feature into a float32 column
        with pytest.raises(ValueError, match="out does not fit"):
            module.fill_dense([rec], *index, [0], [nat.KIND_INT64], [1], wrong, [None])
    with pytest.raises(ValueError, match="bad feature spec"):
        nat_dense.fill_dense(
            [rec], *index, [5], [nat.KIND_INT64], [1], [np.zeros(1)], [None]
        )


def test_equal_dense_strings_share_one_object():
    from pipeline.io.example import FixedLenFeature, parse_example

    recs = [
        serialize_example({"s": np.array([v], dtype=object)})
        for v in (b"ab", b"cd", b"ab", b"ab")
    ]
    out = parse_example(recs, {"s": FixedLenFeature([], "string", b"")})["s"]
    assert out.tolist() == [b"ab", b"cd", b"ab", b"ab"]
    assert out[0] is out[2] is out[3]


def test_float_bits_are_kept_signalling_nan_included():
    snan = np.array([0x7F800001, 0xFF800ABC, 0x7FC00000], dtype=np.uint32).view(
        np.float32
    )
    rec = serialize_example({"f": snan})
    kind, count, start, stop, *_ = nat.index_features([rec], [b"f"])
    zero = np.zeros(1, np.int64)
    for module in (nat, ref):
        out = np.zeros(3, np.float32)
        module.decode_float32([rec], zero, start[0], stop[0], zero, count[0], out)
        assert out.view(np.uint32).tolist() == snan.view(np.uint32).tolist()
