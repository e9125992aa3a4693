"""The csv_lines kernel (line ends of a text chunk) vs its reference twin."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import _kernels

ref = _kernels.reference("csv_lines")
nat = importlib.import_module("pipeline._native.csv_lines")


@pytest.mark.parametrize("kernel", [ref, nat], ids=["reference", "native"])
def test_known_line_ends(kernel):
    got = kernel.line_ends(b"a,1\n\nbb\r\nc")
    assert got.dtype == np.int64 and got.tolist() == [3, 4, 8]
    assert (
        kernel.line_ends(b"").tolist() == [] and kernel.line_ends(b"x").tolist() == []
    )
    assert kernel.line_ends(memoryview(b"\n\n")[1:]).tolist() == [0]


@pytest.mark.parametrize("kernel", [ref, nat], ids=["reference", "native"])
def test_text_is_refused(kernel):
    with pytest.raises(TypeError):
        kernel.line_ends("a\nb")


_BYTES = st.sampled_from([b"\n", b"a", b",", b"\r", b"\x00", b"\xff"])


@pytest.mark.native
@given(st.lists(_BYTES, max_size=400), st.integers(0, 7))
def test_native_matches_reference(parts, skew):
    data = b"".join(parts)[skew:]
    got, want = nat.line_ends(data), ref.line_ends(data)
    assert got.dtype == want.dtype == np.int64
    assert got.tolist() == want.tolist() == [i for i, c in enumerate(data) if c == 10]
