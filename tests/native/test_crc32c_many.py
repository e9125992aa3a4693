"""masked_crc32c_many (TFRecord's data CRCs of a block): compiled vs reference
vs google-crc32c (test-only oracle), on valid slices and on bad ones."""

from __future__ import annotations

import importlib

import google_crc32c
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import _kernels

ref = _kernels.reference("crc32c")
nat = importlib.import_module("pipeline._native.crc32c")


def _masked(data: bytes) -> int:
    crc = google_crc32c.value(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


@st.composite
def _slices(draw):
    data = draw(st.binary(max_size=600))
    n = len(data)
    starts = draw(st.lists(st.integers(0, n), max_size=12))
    lengths = [draw(st.integers(0, n - s)) for s in starts]
    return data, starts, lengths


@pytest.mark.native
@given(_slices())
def test_native_matches_reference_and_oracle(case):
    data, starts, lengths = case
    expected = [_masked(data[s : s + m]) for s, m in zip(starts, lengths)]
    got = nat.masked_crc32c_many(
        np.frombuffer(data, np.uint8),
        np.array(starts, np.int64),
        np.array(lengths, np.int64),
    )
    assert got.dtype == np.uint32
    assert (
        got.tolist()
        == expected
        == ref.masked_crc32c_many(data, starts, lengths).tolist()
    )


@pytest.mark.native
@pytest.mark.parametrize(
    ("starts", "lengths", "message"),
    [
        ([0, 1], [1], "2 starts but 1 lengths"),
        ([2], [3], "slice 0 outside the 4 bytes given"),
        ([0, -1], [1, 1], "slice 1 outside the 4 bytes given"),
        ([5], [0], "slice 0 outside the 4 bytes given"),
        ([1], [2**62], "slice 0 outside the 4 bytes given"),
    ],
)
def test_bad_slices_raise_the_same_error(starts, lengths, message):
    data = b"abcd"
    for kernel, args in (
        (ref, (data, starts, lengths)),
        (nat, (np.frombuffer(data, np.uint8), np.array(starts, np.int64),
               np.array(lengths, np.int64))),
    ):  # fmt: skip
        with pytest.raises(ValueError, match=message):
            kernel.masked_crc32c_many(*args)
