"""Compiled CRC-32C vs its reference twin and google-crc32c (test-only oracle)."""

from __future__ import annotations

import importlib

import google_crc32c
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import _kernels

ref = _kernels.reference("crc32c")
nat = importlib.import_module("pipeline._native.crc32c")

KNOWN = [(b"", 0), (b"123456789", 0xE3069283), (b"\x00" * 32, 0x8A9136AA)]


@pytest.mark.parametrize(("data", "crc"), KNOWN)
def test_reference_known_values(data, crc):
    assert ref.crc32c(data) == crc


@given(st.binary(max_size=300))
def test_reference_matches_oracle(data):
    assert ref.crc32c(data) == google_crc32c.value(data)


@given(st.binary(max_size=300), st.binary(max_size=300))
def test_reference_update_chains(a, b):
    assert ref.crc32c_update(ref.crc32c(a), b) == ref.crc32c(a + b)


@pytest.mark.native
@given(st.binary(max_size=5000), st.integers(0, 7))
def test_native_matches_reference_and_oracle(data, skew):
    view = data[skew:]  # unaligned starts exercise the head loop
    expected = google_crc32c.value(view)
    assert nat.crc32c(view) == expected == ref.crc32c(view)
    assert nat.crc32c_table(view) == expected
    assert nat.masked_crc32c(view) == ref.masked_crc32c(view)


@pytest.mark.native
@given(st.integers(0, 2**32 - 1))
def test_native_mask_roundtrip(value):
    assert nat.mask(value) == ref.mask(value)
    assert nat.unmask(nat.mask(value)) == value


@pytest.mark.native
def test_native_large_input_releases_gil_path():
    data = bytes(range(256)) * 1024
    assert nat.crc32c(data) == google_crc32c.value(data)
    assert nat.crc32c_update(nat.crc32c(data[:1000]), data[1000:]) == nat.crc32c(data)
