"""Spec-free Example decoding: the kernel path equals the codec path, exactly."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pipeline.cli._examples import ExampleColumns, decode_block
from pipeline.io.example_message import (
    BytesList,
    Example,
    Feature,
    Features,
    FloatList,
    Int64List,
)

_lists = st.one_of(
    st.lists(st.integers(-(2**63), 2**63 - 1), max_size=4).map(
        lambda v: Feature(int64_list=Int64List(v))
    ),
    st.lists(st.floats(width=32, allow_nan=False), max_size=4).map(
        lambda v: Feature(float_list=FloatList(v))
    ),
    st.lists(st.binary(max_size=6), max_size=4).map(
        lambda v: Feature(bytes_list=BytesList(v))
    ),
    st.just(Feature()),
)
_names = st.sampled_from(["a", "bb", "c" * 130, "", "ü"])
_examples = st.dictionaries(_names, _lists, max_size=4).map(
    lambda d: Example(Features(d)).SerializeToString()
)


def _same(a: dict, b: dict) -> None:
    # the same features; their order is not part of the result (the kernel
    # path lists them as it learnt them, over earlier blocks too)
    assert sorted(a) == sorted(b)
    for name in b:
        x, y = a[name], b[name]
        assert x.kind == y.kind, name
        assert x.lengths.tolist() == y.lengths.tolist(), name
        if x.kind == "string":
            assert x.values.tolist() == y.values.tolist(), name
        else:
            np.testing.assert_array_equal(x.values, y.values)


@given(st.lists(st.lists(_examples, max_size=12), min_size=1, max_size=4))
def test_kernel_path_equals_codec_path(blocks):
    dec = ExampleColumns()
    first = 0
    for records in blocks:
        _same(dec.decode(records, "f", first), decode_block(records, "f", first))
        first += len(records)


def test_keys_learnt_late_are_found():
    ex = [
        Example(Features({"a": Feature(int64_list=Int64List([i]))})) for i in range(50)
    ]
    ex.append(Example(Features({"late": Feature(bytes_list=BytesList([b"z"]))})))
    records = [e.SerializeToString() for e in ex]
    out = ExampleColumns().decode(records, "f", 0)
    assert out["late"].lengths.tolist() == [-1] * 50 + [1]
    assert out["a"].values.tolist() == list(range(50))


def test_not_an_example_names_file_and_record():
    import pytest

    from pipeline.errors import InvalidArgumentError

    good = Example(Features({})).SerializeToString()
    with pytest.raises(InvalidArgumentError, match=r"record 7 of 'x.tfrecord'") as e:
        ExampleColumns().decode([good, b"\x0a\x05\x0a"], "x.tfrecord", 6)
    assert e.value.record_index == 7
