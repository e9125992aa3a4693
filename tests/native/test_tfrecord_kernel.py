"""Compiled TFRecord framing vs its reference twin, on valid and damaged bytes."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import _kernels

ref = _kernels.reference("tfrecord")
nat = importlib.import_module("pipeline._native.tfrecord")
pytestmark = [
    pytest.mark.native,
]


def _file(records: list[bytes]) -> bytes:
    return b"".join(ref.header(len(r)) + r + ref.footer(r) for r in records)


def _same_frame(buf: bytes, pos: int, max_records: int):
    a = nat.frame(buf, pos, max_records)
    b = ref.frame(buf, pos, max_records)
    assert a[0].tolist() == b[0].tolist()
    assert a[1].tolist() == b[1].tolist()
    assert a[2:] == b[2:]
    assert nat.split(buf, a[0], a[1]) == ref.split(buf, b[0], b[1])
    return a


records_st = st.lists(st.binary(max_size=300), max_size=8)


@given(records_st, st.integers(1, 10))
def test_valid_files_agree(records, max_records):
    buf = _file(records)
    starts, lengths, pos, status, _ = _same_frame(buf, 0, max_records)
    n = min(len(records), max_records)
    assert nat.split(buf, starts, lengths) == records[:n]
    full = len(records) >= max_records
    assert status == (nat.STATUS_FULL if full else nat.STATUS_NEED_MORE)
    assert pos == len(_file(records[:n]))


@given(records_st.filter(bool), st.data())
def test_truncated_agree(records, data):
    buf = _file(records)
    cut = data.draw(st.integers(0, len(buf)))
    _same_frame(buf[:cut], 0, 100)


@given(records_st.filter(bool), st.data())
def test_flipped_byte_agrees(records, data):
    buf = bytearray(_file(records))
    at = data.draw(st.integers(0, len(buf) - 1))
    buf[at] ^= data.draw(st.integers(1, 255))
    _, _, pos, status, _ = _same_frame(bytes(buf), 0, 100)
    assert status in (nat.STATUS_BAD_LENGTH_CRC, nat.STATUS_BAD_DATA_CRC)
    assert pos <= at


@given(st.binary(max_size=200), st.integers(1, 5))
def test_random_bytes_agree(buf, max_records):
    _same_frame(buf, 0, max_records)


@given(st.integers(0, 2**40), st.binary(max_size=100))
def test_header_footer_agree(length, data):
    assert nat.header(length) == ref.header(length)
    assert nat.footer(data) == ref.footer(data)


def test_huge_length_with_valid_crc_needs_more():
    buf = nat.header(2**63) + b"x" * 20
    for k in (nat, ref):
        starts, _, pos, status, need = k.frame(buf, 0, 4)
        assert (len(starts), pos, status, need) == (0, 0, k.STATUS_NEED_MORE, 2**63)


@pytest.mark.parametrize("k", [nat, ref])
def test_argument_errors(k):
    with pytest.raises(ValueError, match="max_records"):
        k.frame(b"", 0, 0)
    with pytest.raises(ValueError, match="outside"):
        k.frame(b"abc", 4, 1)
    with pytest.raises(ValueError, match="outside"):
        k.split(b"abc", np.array([2], np.int64), np.array([5], np.int64))


@pytest.mark.parametrize("name", ["tfrecord", "example"])
def test_twins_expose_the_same_names_and_constants(name):
    native = importlib.import_module(f"pipeline._native.{name}")
    reference = _kernels.reference(name)
    public = {n for n in dir(native) if not n.startswith("_")}
    public -= {"np"}  # module imports
    missing = {n for n in public if not hasattr(reference, n)}
    assert not missing, f"reference {name} lacks {sorted(missing)}"
    for n in public:
        value = getattr(native, n)
        if isinstance(value, int):
            assert getattr(reference, n) == value, n
