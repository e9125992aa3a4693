"""Fuzz: mutated TFRecord files and Examples, compiled kernels vs reference twins.

Same records and the same error (class, offset, record index), never a crash
or a hang, whatever the bytes.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from support import all_kernels

from pipeline import _kernels
from pipeline.errors import PipelineError
from pipeline.io import tfrecord
from pipeline.io.example import parse_example
from pipeline.io.example_message import serialize_example
from pipeline.io.example_spec import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
)
from pipeline.io.tfrecord_writer import TFRecordWriter


def _outcome(fn):
    """(result, None) or (None, (error class, offset, record index))."""
    try:
        return fn(), None
    except PipelineError as e:
        return None, (type(e).__name__, e.offset, e.record_index)


def _both(fn):
    """``fn``'s outcome run wholly compiled and run wholly on the twins."""
    with all_kernels("native"):
        native = _outcome(fn)
    with all_kernels("reference"):
        reference = _outcome(fn)
    return native, reference


def test_both_sides_swap_every_kernel_the_parse_uses():
    seen = []

    def probe():
        seen.append(
            {n: _kernels.load(n).__name__ for n in ("example", "example_dense")}
        )
        return parse_example([serialize_example({"i": np.array([1])})], FEATURES)

    native, reference = _both(probe)
    assert native[1] is None and reference[1] is None
    assert seen == [
        {n: f"pipeline._native.{n}" for n in ("example", "example_dense")},
        {n: f"pipeline._reference.{n}" for n in ("example", "example_dense")},
    ]


def _mutate(data: bytes, draw) -> bytes:
    if not data:
        return data
    if draw(st.booleans()):
        out = bytearray(data)
        out[draw(st.integers(0, len(data) - 1))] ^= draw(st.integers(1, 255))
        return bytes(out)
    return data[: draw(st.integers(0, len(data) - 1))]


@given(
    st.lists(st.binary(max_size=200), min_size=1, max_size=6),
    st.sampled_from(["", "GZIP", "ZLIB"]),
    st.integers(12, 400),
    st.data(),
)
def test_mutated_files_read_the_same(tmp_path_factory, records, kind, chunk, data):
    path = tmp_path_factory.mktemp("fuzz") / "f.tfrecord"
    with TFRecordWriter(str(path), kind) as w:
        for r in records:
            w.write(r)
    path.write_bytes(_mutate(path.read_bytes(), data.draw))

    def read():
        out = []
        items = tfrecord.iter_blocks(
            str(path), kind, buffer_size=chunk, skip_corrupt=True
        )
        for item in items:
            if isinstance(item, PipelineError):
                out.append((type(item).__name__, item.offset, item.record_index))
            else:
                out.append((item.first_index, item.offsets.tolist(), item.records))
        return out

    native, reference = _both(read)
    assert native == reference


FEATURES = {
    "i": FixedLenFeature([], "int64", default_value=0),
    "f": VarLenFeature("float32"),
    "s": FixedLenSequenceFeature([], "string", allow_missing=True),
}

value_st = st.one_of(
    st.none(),
    st.lists(st.integers(-(2**63), 2**63 - 1), max_size=3).map(
        lambda v: np.array(v, np.int64)
    ),
    st.lists(st.floats(width=32), max_size=3).map(lambda v: np.array(v, np.float32)),
    st.lists(st.binary(max_size=5), max_size=3).map(lambda v: np.array(v, object)),
)


def _same_parse(a, b):
    assert a.keys() == b.keys()
    for key in a:
        x, y = a[key], b[key]
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and x.shape == y.shape
            assert (
                x.tobytes() == y.tobytes()
                if x.dtype != object
                else x.tolist() == y.tolist()
            )
        else:
            assert x.indices.tolist() == y.indices.tolist()
            assert x.dense_shape.tolist() == y.dense_shape.tolist()
            assert x.values.tobytes() == y.values.tobytes()


@given(
    st.lists(
        st.dictionaries(st.sampled_from("ifsx"), value_st), min_size=1, max_size=4
    ),
    st.data(),
)
def test_mutated_examples_parse_the_same(examples, data):
    records = [serialize_example(e) for e in examples]
    b = data.draw(st.integers(0, len(records) - 1))
    records[b] = _mutate(records[b], data.draw)
    native, reference = _both(lambda: parse_example(records, FEATURES))
    assert native[1] == reference[1]
    if native[1] is None:
        _same_parse(native[0], reference[0])


@given(st.lists(st.binary(max_size=80), min_size=1, max_size=4))
def test_random_bytes_parse_the_same(records):
    native, reference = _both(lambda: parse_example(records, FEATURES))
    assert native[1] == reference[1]
    if native[1] is None:
        _same_parse(native[0], reference[0])
