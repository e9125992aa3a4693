"""Compiled one-walk dense parser vs its reference twin, on valid and damaged bytes."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import _kernels
from pipeline.io.example_message import serialize_example

ref = _kernels.reference("example_fused")
nat = importlib.import_module("pipeline._native.example_fused")
pytestmark = [pytest.mark.native]

KEYS = [b"i", b"f", b"s", b"", b"missing"]
_DTYPES = {0: np.int64, 1: object, 2: np.float32, 3: np.int64}

values_st = st.one_of(
    st.none(),
    st.lists(st.integers(-(2**63), 2**63 - 1), max_size=3).map(
        lambda v: np.array(v, np.int64)
    ),
    st.lists(st.floats(width=32, allow_nan=False), max_size=3).map(
        lambda v: np.array(v, np.float32)
    ),
    st.lists(st.binary(max_size=6), max_size=2).map(lambda v: np.array(v, object)),
)
example_st = st.dictionaries(st.sampled_from(["i", "f", "s", "", "other"]), values_st)


@st.composite
def records_st(draw, max_size=5):
    """Examples; some records are two concatenated (a repeated key: last wins)."""
    records = []
    for _ in range(draw(st.integers(0, max_size))):
        rec = serialize_example(draw(example_st))
        if draw(st.integers(0, 3)) == 0:
            rec += serialize_example(draw(example_st))
        records.append(rec)
    return records


@st.composite
def spec_st(draw):
    """``(keys, expected, sizes, defaults)`` over distinct keys of KEYS (kind
    0: only located)."""
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=5, unique=True))
    expected, sizes, defaults = [], [], []
    for _ in keys:
        kind, size = draw(st.sampled_from([0, 1, 2, 3])), draw(st.integers(0, 2))
        expected.append(kind)
        sizes.append(size)
        default = None
        if size and draw(st.booleans()):
            values = [b"d", b"e"] if kind == 1 else [-3, 5]
            default = np.array(values[:size], _DTYPES[kind])
        defaults.append(default)
    return keys, expected, sizes, defaults


def _columns(outs):
    return [o.tolist() if o.dtype == object else o.tobytes() for o in outs]


def _both(records, spec):
    got = nat.DenseParser(*spec).parse(records)
    want = ref.DenseParser(*spec).parse(records)
    assert got[:4] == want[:4]
    assert [o.dtype for o in got[4]] == [o.dtype for o in want[4]]
    if got[0] == nat.DENSE_OK:
        assert _columns(got[4]) == _columns(want[4])
    return got


@given(records_st(), spec_st())
def test_valid_batches_agree(records, spec):
    _both(records, spec)


@given(records_st(max_size=3), spec_st(), st.data())
def test_damaged_batches_agree(records, spec, data):
    if records:
        b = data.draw(st.integers(0, len(records) - 1))
        rec = bytearray(records[b])
        if rec and data.draw(st.booleans()):
            at = data.draw(st.integers(0, len(rec) - 1))
            rec[at] ^= data.draw(st.integers(1, 255))
        else:
            rec = rec[: data.draw(st.integers(0, len(rec)))]
        records[b] = bytes(rec)
    _both(records, spec)


@given(st.lists(st.binary(max_size=40), max_size=4), spec_st())
def test_random_bytes_agree(records, spec):
    _both(records, spec)


def test_the_parser_is_reused_across_batches():
    spec = ([b"i", b"s"], [3, 1], [1, 1], [np.array([0]), np.array([b"-"], object)])
    parser = nat.DenseParser(*spec)
    first = [serialize_example({"i": np.array([4]), "s": np.array([b"x"], object)})]
    second = [b"", serialize_example({"i": np.array([9])})]
    assert [o.tolist() for o in parser.parse(first)[4]] == [[4], [b"x"]]
    got = parser.parse(second)
    assert got[:4] == (nat.DENSE_OK, -1, -1, -1)
    assert [o.tolist() for o in got[4]] == [[0, 9], [b"-", b"-"]]


def test_status_names_the_first_feature_in_spec_order():
    rec = serialize_example({"i": np.array([1.5], np.float32), "f": np.array([1, 2])})
    for module in (nat, ref):
        parser = module.DenseParser([b"f", b"i"], [2, 3], [1, 1], [None, None])
        # f is an int64 list where floats are expected: record 0, key 0 first
        assert parser.parse([b"", rec])[:4] == (module.DENSE_WRONG_KIND, 0, 1, -1)
        parser = module.DenseParser([b"f"], [3], [1], [None])
        assert parser.parse([rec, b""])[:4] == (module.DENSE_WRONG_COUNT, 0, 0, -1)
        assert parser.parse([b"\x08"])[:4] == (module.DENSE_MALFORMED, -1, 0, 0)


def test_bad_plans_are_value_errors():
    for module in (nat, ref):
        with pytest.raises(ValueError, match="bad feature spec at position 0"):
            module.DenseParser([b"a"], [7], [1], [None])
        with pytest.raises(ValueError, match="default does not fit"):
            module.DenseParser([b"a"], [3], [2], [np.array([1])])
        with pytest.raises(ValueError, match="differ in length"):
            module.DenseParser([b"a"], [3], [], [None])
        with pytest.raises(TypeError, match="record 0"):
            module.DenseParser([b"a"], [3], [1], [None]).parse(["text"])


@pytest.mark.parametrize("size", [127, 128, 129, 300])
def test_sizes_of_two_varint_bytes_agree(size):
    key = "k" * (size - 2)
    value = np.array([b"v" * size, b"w"], object)
    records = [
        serialize_example({key: value}),
        serialize_example({"i": np.arange(size, dtype=np.int64)}),
        serialize_example({"f": np.ones(size // 4 + 1, np.float32)}),
    ]
    keys = [key.encode(), b"i", b"f"]
    for sizes in ([2, size, size // 4 + 1], [1, size - 1, size // 4]):
        spec = (keys, [1, 3, 2], sizes, [None] * 3)
        with_defaults = (keys, [1, 3, 2], sizes, [
            np.array([b"d"] * sizes[0], object), np.zeros(sizes[1], np.int64),
            np.zeros(sizes[2], np.float32)])  # fmt: skip
        for one in (spec, with_defaults):
            got = _both(records, one)
        if sizes[0] == 2:
            assert got[0] == nat.DENSE_OK
            assert got[4][0].tolist()[:2] == [b"v" * size, b"w"]


def test_short_strings_are_shared_across_batches_long_ones_are_not():
    short, long = b"V0042", b"x" * 65
    spec = ([b"s"], [1], [1], [None])
    parser = nat.DenseParser(*spec)
    batch = [serialize_example({"s": np.array([v], object)}) for v in (short, long)]
    first, second = parser.parse(batch)[4][0], parser.parse(batch)[4][0]
    assert first.tolist() == second.tolist() == [short, long]
    assert first[0] is second[0]
    assert first[1] is not second[1]


def test_threads_sharing_one_parser_get_the_single_thread_columns(no_thread_leak):
    from concurrent.futures import ThreadPoolExecutor

    spec = ([b"s", b"i"], [1, 3], [1, 1], [np.array([b"-"], object), np.zeros(1)])
    parser = nat.DenseParser(*spec)
    batches = [
        [serialize_example({"s": np.array([b"v%d" % (i * 7 % k)], object),
                            "i": np.array([i])}) for i in range(40)]
        for k in (3, 50, 200)
    ]  # fmt: skip
    want = [[o.tolist() for o in parser.parse(b)[4]] for b in batches]

    def run(_):
        return [[[o.tolist() for o in parser.parse(b)[4]] for b in batches]
                for _ in range(30)]  # fmt: skip

    with ThreadPoolExecutor(4, thread_name_prefix="pipeline-test") as pool:
        for rounds in pool.map(run, range(8)):
            assert all(got == want for got in rounds)


def test_located_features_are_index_features_rows():
    from pipeline._native import example as nat_index

    records = [
        serialize_example({"i": np.array([1, 2]), "s": np.array([b"x"], object)}),
        b"",
        serialize_example({"i": np.array([], np.int64)})
        + b"\n\x07\n\x05\n\x01i\x12\x00",
    ]
    keys = [b"i", b"s", b"missing"]
    index = nat_index.index_features(records, keys)
    assert index[4] == nat_index.STATUS_OK
    for module in (nat, ref):
        spec = (keys, [module.LOCATE, 1, module.LOCATE], [0, 1, 0], [None, b"-", 5])
        status, f, row, offset, outs = module.DenseParser(*spec).parse(records)
        assert (status, outs[1].tolist()) == (module.DENSE_OK, [b"x", b"-", b"-"])
        for f in (0, 2):
            assert outs[f].tolist() == [rows[f].tolist() for rows in index[:4]]
    assert index[0][0].tolist() == [3, 0, 0] and index[2][0][2] > 0  # no list set
