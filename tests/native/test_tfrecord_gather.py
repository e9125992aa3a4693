"""Compiled ``tfrecord.gather`` (a batch cut from blocks) vs its reference twin."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import _kernels

ref = _kernels.reference("tfrecord")
nat = importlib.import_module("pipeline._native.tfrecord")
pytestmark = [pytest.mark.native]


@st.composite
def parts_st(draw):
    """A list of ``(records, lo, hi)`` with ``0 <= lo <= hi <= len(records)``."""
    parts = []
    for records in draw(st.lists(st.lists(st.binary(max_size=20), max_size=6))):
        lo = draw(st.integers(0, len(records)))
        hi = draw(st.integers(lo, len(records)))
        parts.append((records, lo, hi))
    return parts


@given(parts_st())
def test_gather_agrees(parts):
    a, b = nat.gather(parts), ref.gather(parts)
    expected = [r for records, lo, hi in parts for r in records[lo:hi]]
    for out in (a, b):
        assert out.dtype == object and out.ndim == 1
        assert out.tolist() == expected
        assert all(x is y for x, y in zip(out, expected))  # referenced, not copied


def test_gather_of_nothing_is_an_empty_object_array():
    for k in (nat, ref):
        out = k.gather([])
        assert out.dtype == object and out.shape == (0,)


@pytest.mark.parametrize("k", [nat, ref])
@pytest.mark.parametrize("lo, hi", [(-1, 1), (2, 1), (0, 4)])
def test_gather_rejects_ranges_outside_the_block(k, lo, hi):
    with pytest.raises(ValueError, match=r"outside a block of 3"):
        k.gather([([b"a", b"b", b"c"], lo, hi)])


@pytest.mark.parametrize("k", [nat, ref])
def test_gather_wants_lists(k):
    with pytest.raises(TypeError):
        k.gather([((b"a",), 0, 1)])
    assert isinstance(k.gather([([b"a"], 0, 1)]), np.ndarray)
