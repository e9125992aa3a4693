"""TF's number rules for CSV fields, against exact arithmetic and numpy."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.io.csv_values import parse_float, parse_int


@pytest.mark.parametrize(
    "text, bits, want",
    [
        (b"-0", 32, 0),
        (b" 7\t", 32, 7),
        (b"+5", 64, 5),
        (b"00012", 32, 12),
        (b"2147483647", 32, 2**31 - 1),
        (b"-2147483648", 32, -(2**31)),
        (b"2147483648", 32, None),
        (b"9223372036854775807", 64, 2**63 - 1),
        (b"-9223372036854775809", 64, None),
        (b"1e3", 32, None),
        (b"3.0", 32, None),
        (b"0x10", 64, None),
        (b"1_000", 64, None),
        (b"", 32, None),
        (b"  ", 32, None),
        (b"+-1", 32, None),
        ("\u0661".encode(), 32, None),
    ],
)
def test_parse_int(text, bits, want):
    assert parse_int(text, bits) == want


@pytest.mark.parametrize(
    "text, want64",
    [
        (b"1e3", 1000.0),
        (b".5", 0.5),
        (b"1.", 1.0),
        (b"+2.5", 2.5),
        (b" 7 ", 7.0),
        (b"0x10", 16.0),
        (b"0X1.8p1", 3.0),
        (b"-0x.8", -0.5),
        (b"inf", math.inf),
        (b"-Infinity", -math.inf),
        (b"1e400", math.inf),
        (b"-1e400", -math.inf),
        (b"1e-400", 0.0),
    ],
)
def test_parse_float_values(text, want64):
    assert parse_float(text, 64) == want64


@pytest.mark.parametrize("text", [b"nan", b"NaN", b"-nan", b"nan(123)", b"NAN(a_1)"])
def test_parse_float_nan(text):
    assert math.isnan(parse_float(text, 32)) and math.isnan(parse_float(text, 64))


@pytest.mark.parametrize(
    "text",
    [
        b"",
        b" ",
        b"abc",
        b"1e",
        b".",
        b"-",
        b"e5",
        b"1_0",
        b"0x",
        b"1,5",
        b"infx",
        b"nan(1.2)",
        b"1.5f",
        b"--1",
        b"\xd9\xa1",
    ],
)
def test_parse_float_rejects(text):
    assert parse_float(text, 32) is None and parse_float(text, 64) is None


def test_negative_zero_kept():
    assert math.copysign(1.0, parse_float(b"-0", 32)) == -1.0


def _exact_f32(x: Fraction) -> float:
    """Round an exact rational to float32 by brute force (ties to even)."""
    if abs(x) >= Fraction(2**128 - 2**103):  # past max float32's upper midpoint
        return math.copysign(math.inf, x)
    d = float(x)
    with np.errstate(over="ignore"):
        c = np.float32(d)
        cands = {
            c,
            np.nextafter(c, np.float32(-np.inf)),
            np.nextafter(c, np.float32(np.inf)),
        }
    best = None
    for f in sorted(cands, key=float):
        if not np.isfinite(f):
            continue
        err = abs(Fraction(float(f)) - x)
        key = (err, int(np.float32(f).view(np.uint32)) & 1)
        if best is None or key < best[0]:
            best = (key, float(f))
    return best[1]


@given(
    st.integers(1, 2**64),
    st.integers(-60, 40),
)
def test_float32_correctly_rounded(mantissa, exponent):
    text = f"{mantissa}e{exponent}".encode()
    x = Fraction(Decimal(text.decode()))
    assert parse_float(text, 32) == _exact_f32(x), text


@given(st.integers(0, 2**24 - 1), st.integers(-149, 100))
def test_float32_midpoints_round_half_even(m, e):
    lo = Fraction(m) * Fraction(2) ** e
    mid = lo + Fraction(2) ** e / 2
    text = str(Decimal(mid.numerator) / Decimal(mid.denominator)).encode()
    if Fraction(Decimal(text.decode())) == mid:
        assert parse_float(text, 32) == _exact_f32(mid)


@given(st.floats(allow_nan=False))
def test_float64_round_trips_repr(x):
    assert parse_float(repr(x).encode(), 64) == x
    assert parse_float(x.hex().encode(), 64) == x
