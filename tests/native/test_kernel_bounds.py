"""Every kernel entry point checks offsets, lengths and counts without overflow.

Each compiled call runs in a forked child, so a crash (an out-of-bounds read
or write) fails the test instead of killing pytest; its outcome (the result,
or the exception class) must equal the reference twin's. The values come from
the edges of int64: huge, negative, and pairs whose sum overflows.
"""

from __future__ import annotations

import importlib
import os
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import _kernels

pytestmark = pytest.mark.native

I64_MAX = 2**63 - 1
edge_int64 = st.one_of(
    st.integers(-3, 40),
    st.sampled_from([-(2**63), -1, 2**31, 2**32, 2**62, I64_MAX - 5, I64_MAX]),
    st.integers(-(2**63), I64_MAX),
)


def _pair(name: str):
    return importlib.import_module(f"pipeline._native.{name}"), _kernels.reference(name)


def _summary(value):
    """A picklable, comparable form of a kernel result."""
    if isinstance(value, np.ndarray):
        return ("array", str(value.dtype), value.shape, value.tolist())
    if isinstance(value, (list, tuple)):
        return tuple(_summary(v) for v in value)
    return value


def _outcome(fn, *args):
    try:
        return ("ok", _summary(fn(*args)))
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return ("raise", type(e).__name__)


def _isolated(fn, *args):
    """`_outcome` of ``fn(*args)`` computed in a forked child; fails on a crash."""
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.close(read_end)
            os.write(write_end, pickle.dumps(_outcome(fn, *args)))
        finally:
            os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 1 << 16):
        chunks.append(chunk)
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, (
        f"the kernel crashed the process (status {status}) on {args!r:.300}"
    )
    return pickle.loads(b"".join(chunks))


def _same(name: str, func: str, *args):
    nat, ref = _pair(name)
    got = _isolated(getattr(nat, func), *args)
    want = _outcome(getattr(ref, func), *args)
    assert got == want, (func, args)
    return got


# --- tfrecord ---------------------------------------------------------------


def test_split_with_overflowing_offset_is_an_error_not_a_crash():
    buf = b"0123456789"
    got = _same("tfrecord", "split", buf, np.array([I64_MAX]), np.array([1]))
    assert got == ("raise", "ValueError")


@given(
    st.binary(max_size=32),
    st.lists(st.tuples(edge_int64, edge_int64), min_size=1, max_size=3),
)
def test_split_bounds(buf, spans):
    starts = np.array([s for s, _ in spans], dtype=np.int64)
    lengths = np.array([n for _, n in spans], dtype=np.int64)
    _same("tfrecord", "split", buf, starts, lengths)


@given(st.binary(max_size=64), edge_int64, edge_int64)
def test_frame_bounds(buf, pos, max_records):
    _same("tfrecord", "frame", buf, pos, max_records)


@given(st.one_of(edge_int64, st.integers(2**63, 2**65)))
def test_header_length_range(length):
    _same("tfrecord", "header", length)


# --- crc32c -----------------------------------------------------------------


@given(st.integers(-(2**40), 2**40), st.binary(max_size=8))
def test_crc_arguments_are_uint32(crc, data):
    _same("crc32c", "crc32c_update", crc, data)
    _same("crc32c", "mask", crc)
    _same("crc32c", "unmask", crc)


# --- csv_plain --------------------------------------------------------------


@given(
    st.sampled_from([b"", b"1\n", b"1,2\n3,4\n", b"a,,b\n"]),
    edge_int64,
    edge_int64,
    st.lists(st.integers(0, 2**62), min_size=1, max_size=3),
    edge_int64,
)
def test_csv_decode_counts(buf, n, ncols, select, max_fixups):
    kinds = [4] * len(select)  # strings: no numpy column of n values
    defaults = [b"d"] * len(select)
    required = [False] * len(select)
    args = (buf, n, ncols, select, kinds, defaults, required, 44, b"", max_fixups)
    _same("csv_plain", "decode", *args)


@given(st.binary(max_size=16), edge_int64)
def test_count_lines_start(buf, start):
    _same("csv_record_ends", "count_lines", buf, start)


# --- example ----------------------------------------------------------------

_REC = bytes.fromhex("0a0c0a0a0a016112051a030a0101")  # {"a": Int64List [1]}
_BYTES_REC = bytes.fromhex("0a0d0a0b0a0162120612040a027879")  # {"b": [b"xy"]}


@pytest.mark.parametrize(
    "func, rec, dtype",
    [
        ("decode_int64", _REC, np.int64),
        ("decode_float32", _REC, np.float32),
        ("decode_bytes", _BYTES_REC, object),
    ],
    ids=["int64", "float32", "bytes"],
)
@given(data=st.data())
def test_example_decode_lists(func, rec, dtype, data):
    nat, _ = _pair("example")
    key = b"a" if rec is _REC else b"b"
    _, count, start, stop, *_ = nat.index_features([rec], [key])
    arrays = [np.array([0]), start[0].copy(), stop[0].copy(), np.array([0]),
              count[0].copy()]  # fmt: skip
    which = data.draw(st.integers(0, 4))
    arrays[which] = np.array([data.draw(edge_int64)], dtype=np.int64)
    if data.draw(st.booleans()):
        arrays[data.draw(st.integers(1, 4))] = np.zeros(0, dtype=np.int64)
    out = np.zeros(data.draw(st.integers(0, 3)), dtype=dtype)
    _same("example", func, [rec], *arrays, out)


def test_example_decode_overflowing_destination():
    nat, _ = _pair("example")
    _, count, start, stop, *_ = nat.index_features([_REC], [b"a"])
    out = np.zeros(1, np.int64)
    dest = np.array([2], np.int64)
    huge = np.array([I64_MAX - 1], np.int64)  # dest + count overflows
    got = _same("example", "decode_int64", [_REC], np.array([0]), start[0], stop[0],
                dest, huge, out)  # fmt: skip
    assert got == ("raise", "ValueError")


@given(
    st.sampled_from([2, 4]),
    st.sampled_from([2**62, 2**63 - 1, 2**61, 3]),
    st.integers(0, 3),
)
def test_fill_dense_sizes(batch, size, out_len):
    nat, _ = _pair("example")
    records = [b""] * batch  # all missing: the default fills every row
    index = nat.index_features(records, [b"a"])[:4]
    out = np.zeros(out_len, np.int64)
    default = np.zeros(1, np.int64)
    args = (records, *index, [0], [nat.KIND_INT64], [size], [out], [default])
    _same("example_dense", "fill_dense", *args)


# --- feature_ops ------------------------------------------------------------


@given(
    st.lists(edge_int64, max_size=4),
    st.integers(0, 4),
    st.sampled_from(["segment_combine", "indicator"]),
)
def test_segment_splits(splits, n_ids, func):
    ids = np.arange(n_ids, dtype=np.int64) % 2
    sp = np.array(splits, dtype=np.int64)
    if func == "indicator":
        _same("feature_ops", func, sp, ids, None, 3)
    else:
        table = np.ones((2, 2), np.float32)
        _same("feature_ops", func, sp, ids, None, table, "sum")


@pytest.mark.parametrize("inputs", [63, 64, 65])
def test_cross_too_many_ids_is_an_error(inputs):
    splits = [np.array([0, 2])] * inputs
    values = [np.array([1, 2], np.uint64)] * inputs
    got = _same("feature_ops", "cross", splits, values, 0, 10)
    assert got == ("raise", "ValueError")
