"""TF's number rules for CSV fields, against exact arithmetic and numpy."""

from __future__ import annotations

import math
import time
from decimal import Decimal, localcontext
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


# --- Long fields: linear time, and TF's errors rather than Python's limits ---


def _best_time_s(fn, repeat: int = 3) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize(
    "make",
    [
        lambda n: b"9" * n + b"x",  # decimal digits, then not a number
        lambda n: b"1." + b"9" * n + b"x",
        lambda n: b"1e" + b"9" * n + b"x",
        lambda n: b"0x" + b"f" * n + b"x",  # hex digits, then not a number
        lambda n: b"0x1." + b"f" * n + b"p",
    ],
    ids=["digits", "fraction", "exponent", "hex", "hex-fraction"],
)
@pytest.mark.timeout(60)  # a quadratic scan of 1 MB takes hours
def test_number_recognition_is_linear_in_field_length(make):
    big = make(1_000_000)
    t_big = _best_time_s(lambda: parse_float(big, 64))
    assert parse_float(big, 64) is None
    # a linear scan of 1 MB takes milliseconds, a quadratic one hours: the bound
    # is loose enough for a loaded machine and no ratio of two timings is taken
    assert t_big < 2.0, f"1 MB field took {t_big:.2f} s"


@pytest.mark.timeout(60)
def test_decode_csv_of_a_long_field_is_fast():
    import pipeline as pl
    from pipeline.errors import InvalidArgumentError

    field = b"9" * 1_000_000 + b"x"
    start = time.perf_counter()
    with pytest.raises(
        InvalidArgumentError, match="Field 0 in record 0 is not a valid"
    ):
        pl.io.decode_csv([field], [[0.0]])
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize("bits", [32, 64])
def test_long_integer_text_is_out_of_range_not_a_python_error(bits):
    assert parse_int(b"1" * 5000, bits) is None
    assert parse_int(b"-" + b"9" * 5000, bits) is None
    assert parse_int(b"0" * 5000 + b"42", bits) == 42  # leading zeros are fine
    assert parse_int(b" -" + b"0" * 5000 + b"7 ", bits) == -7
    lo = -(2 ** (bits - 1))
    assert parse_int(b"-" + b"0" * 5000 + str(-lo).encode(), bits) == lo
    assert parse_int(b"0" * 5000 + str(-lo).encode(), bits) is None


def test_long_float_text_keeps_exact_rounding():
    assert parse_float(b"1" + b"0" * 5000, 32) == math.inf
    assert parse_float(b"1" + b"0" * 5000, 64) == math.inf
    assert parse_float(b"0." + b"0" * 5000 + b"1", 64) == 0.0
    assert parse_float(b"1e" + b"0" * 5000 + b"2", 64) == 100.0
    # 2**24 + 1 is halfway between two float32 values: digits far away decide
    tie = b"16777217." + b"0" * 200_000
    assert parse_float(tie, 32) == 16777216.0  # a true tie: to even
    assert parse_float(tie + b"1", 32) == 16777218.0
    assert parse_float(b"-" + tie + b"1", 32) == -16777218.0
    assert parse_float(b"0x1000001." + b"0" * 200_000 + b"1", 32) == 16777218.0
    assert parse_float(b"0x1000001." + b"0" * 200_000, 32) == 16777216.0


@given(
    st.integers(0, 2**24 - 1),
    st.integers(-149, 100),
    st.integers(1, 3000),
    st.sampled_from([-1, 0, 1]),
)
def test_long_float32_ties_decided_exactly(m, e, pad, side):
    """A float32 midpoint written with thousands of digits, nudged up or not."""
    mid = Fraction(2 * m + 1, 2) * Fraction(2) ** e
    with localcontext() as ctx:
        ctx.prec = 400  # enough for every float32 midpoint
        text = format(Decimal(mid.numerator) / Decimal(mid.denominator), "f")
    assert Fraction(Decimal(text)) == mid
    text = (text if "." in text else text + ".") + "0" * pad + ("1" if side else "")
    if side < 0:
        text = "-" + text
    exact = Fraction(Decimal(text))
    assert parse_float(text.encode(), 32) == _exact_f32(exact), text[:40]
