"""Compiled unquoted-CSV decoder vs its reference twin, and vs the exact rules."""

from __future__ import annotations

import importlib
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import assert_columns_equal

from pipeline import _kernels
from pipeline.io.csv_values import parse_float, parse_int

ref = _kernels.reference("csv_plain")
nat = importlib.import_module("pipeline._native.csv_plain")
pytestmark = [
    pytest.mark.native,
]

KINDS = [ref.KIND_INT32, ref.KIND_INT64, ref.KIND_FLOAT32, ref.KIND_FLOAT64,
         ref.KIND_STRING]  # fmt: skip
DEFAULTS = {0: 7, 1: -9, 2: 1.5, 3: -2.25, 4: b"dflt"}
BITS = {0: 32, 1: 64, 2: 32, 3: 64}

number_text = st.one_of(
    st.integers(-(2**64), 2**64).map(lambda i: str(i).encode()),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(
        lambda f: repr(f).encode()
    ),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: repr(f).encode()),
    st.from_regex(rb"\A[+-]?[0-9]{0,22}(\.[0-9]{0,12})?([eE][+-]?[0-9]{1,6})?\Z"),
    st.sampled_from([b" 1", b"0x1f", b"inf", b"-nan", b"1e", b"+", b".", b"1 ", b"NA"]),
)
field_text = st.one_of(number_text, st.binary(max_size=6), st.just(b""))


def _same(buf, n, ncols, select, kinds, required, na=b"", max_fixups=1000, delim=44):
    defaults = [DEFAULTS[k] for k in kinds]
    args = (buf, n, ncols, select, kinds, defaults, required, delim, na, max_fixups)
    a, b = nat.decode(*args), ref.decode(*args)
    assert (a is None) == (b is None)
    if a is None:
        return None
    assert_columns_equal(a[0], b[0])
    assert a[1].tolist() == b[1].tolist()
    return a


@st.composite
def batches(draw):
    ncols = draw(st.integers(1, 5))
    n = draw(st.integers(0, 6))
    rows = [
        [draw(field_text).replace(b",", b"").replace(b"\n", b"") for _ in range(ncols)]
        for _ in range(n)
    ]
    if rows and draw(st.booleans()):  # a record with another field count
        rows[draw(st.integers(0, n - 1))].append(b"1")
    buf = b"".join(b",".join(r) + b"\n" for r in rows)
    select = sorted(draw(st.sets(st.integers(0, ncols - 1), min_size=1)))
    kinds = [draw(st.sampled_from(KINDS)) for _ in select]
    required = [draw(st.booleans()) and draw(st.booleans()) for _ in select]
    return buf, n, ncols, select, kinds, required


@settings(max_examples=400)
@given(batches(), st.sampled_from([b"", b"NA", b"1"]), st.integers(0, 4))
def test_kernel_agrees_with_reference(batch, na, max_fixups):
    _same(*batch, na=na, max_fixups=max_fixups)


@given(batches(), st.sampled_from(b";\t |.-e5"))
def test_other_delimiters_agree(batch, delim):
    buf, *rest = batch
    _same(buf.replace(b",", bytes([delim])), *rest, delim=delim)


@settings(max_examples=300)
@given(st.lists(number_text, min_size=1, max_size=8), st.sampled_from(range(4)))
def test_converted_values_are_the_exact_rules(texts, kind):
    """Every value the kernel converts itself is what TF's exact rules give."""
    texts = [t for t in texts if t and t != b"NA"]
    buf = b"".join(t + b"\n" for t in texts)
    columns, fixups = _same(buf, len(texts), 1, [0], [kind], [False])
    fixed = set(fixups[:, 0].tolist())
    for row, text in enumerate(texts):
        if row in fixed:
            continue
        got = columns[0][row]
        if kind < 2:
            assert got == parse_int(text, BITS[kind])
        else:
            want = parse_float(text, BITS[kind])
            assert want is not None and math.copysign(1, got) == math.copysign(1, want)
            assert float(got) == want


@given(st.binary(max_size=200), st.integers(0, 8), st.integers(1, 4))
def test_random_bytes_agree(buf, n, ncols):
    _same(buf, n, ncols, list(range(ncols)), [KINDS[c % 5] for c in range(ncols)],
          [False] * ncols)  # fmt: skip


def test_float32_halfway_values_are_left_to_the_exact_rules():
    # 16777217 is a double lying exactly halfway between two float32 values;
    # the second has more than 19 significant digits.
    texts = [b"16777217", b"1.00000005960464477539062500001", b"0.1", b"16777219.5"]
    buf = b"".join(t + b"\n" for t in texts)
    columns, fixups = _same(buf, 4, 1, [0], [ref.KIND_FLOAT32], [False])
    assert fixups[:, 0].tolist() == [0, 1]
    assert columns[0][2] == np.float32(0.1)
    assert columns[0][3] == np.float32(16777220.0)


def test_refusals():
    args = ([0, 1], [ref.KIND_INT64, ref.KIND_STRING], [0, b""])
    assert nat.decode(b"1,a\n2\n", 2, 2, *args, [0, 0], 44, b"", 9) is None
    assert nat.decode(b"1,a\n,b\n", 2, 2, *args, [1, 0], 44, b"", 9) is None
    assert nat.decode(b"1,a\n2,b\nextra", 2, 2, *args, [0, 0], 44, b"", 9) is None
    assert nat.decode(b"x,a\ny,b\n", 2, 2, *args, [0, 0], 44, b"", 1) is None
    with pytest.raises(ValueError):
        nat.decode(b"1\n", 1, 1, [3], [0], [0], [0], 44, b"", 9)


def test_equal_strings_share_one_object():
    columns, _ = nat.decode(b"ab\nab\ncd\n", 3, 1, [0], [ref.KIND_STRING], [b""],
                            [0], 44, b"", 9)  # fmt: skip
    assert columns[0].tolist() == [b"ab", b"ab", b"cd"]
    assert columns[0][0] is columns[0][1]
