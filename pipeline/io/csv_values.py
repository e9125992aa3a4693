"""Exact TF parsing of one CSV field's text into int32/int64/float32/float64.

These are the slow, obvious rules (the living spec) used by the per-record
path and for the odd values the vectorized path cannot take:

* integers: optional ASCII whitespace around an optional sign and decimal
  digits; out-of-range values are rejected;
* floats: strtod syntax with surrounding whitespace (decimal, hex floats,
  ``inf``/``infinity``/``nan``/``nan(chars)`` in any case), correctly rounded
  to the target type; overflow gives +-inf and underflow a denormal or +-0.

Each parser returns the value, or ``None`` when the text is not valid.

Example:
    >>> parse_int(b" +12 ", 32), parse_int(b"2147483648", 32)
    (12, None)
    >>> parse_float(b"0x10", 64), parse_float(b"16777217", 32)
    (16.0, 16777216.0)
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import numpy as np

_WS = b" \t\n\v\f\r"
_INT_RE = re.compile(rb"[+-]?[0-9]+")
# Each digit run is followed by something that cannot be a digit of that run,
# so a failed match backtracks in one step per byte: matching is linear in
# the length of the field (``[0-9]+\.?[0-9]*`` made it quadratic).
_DEC_RE = re.compile(rb"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_HEX_RE = re.compile(
    rb"([+-]?)0[xX]((?:[0-9a-fA-F]+(?:\.[0-9a-fA-F]*)?|\.[0-9a-fA-F]+))"
    rb"(?:[pP]([+-]?[0-9]+))?"
)
_INF_RE = re.compile(rb"([+-]?)(?:inf|infinity)", re.IGNORECASE)
_NAN_RE = re.compile(rb"[+-]?nan(?:\([0-9A-Za-z_]*\))?", re.IGNORECASE)
_DOUBLE = struct.Struct("<d")
_LOW_BITS = struct.Struct("<Q")
#: A float32 midpoint has at most 25 significant bits: the 28 low bits of its
#: double mantissa are zero.
_MID_MASK = (1 << 28) - 1
_F32_HALF_UP = 2.0**128 - 2.0**103  # halfway between max float32 and 2**128
_INT_LIMITS = {32: (-(2**31), 2**31 - 1), 64: (-(2**63), 2**63 - 1)}
#: Significant digits of the widest int64 value.
_MAX_INT_DIGITS = 19


def parse_int(text: bytes, bits: int) -> int | None:
    """The integer in ``text`` (TF's int32/int64 rule), or None if invalid.

    Example:
        >>> parse_int(b"-0", 64), parse_int(b"1e3", 32), parse_int(b"0x10", 32)
        (0, None, None)
    """
    body = text.strip(_WS)
    if not _INT_RE.fullmatch(body):
        return None
    digits = body.lstrip(b"+-").lstrip(b"0")
    if len(digits) > _MAX_INT_DIGITS:
        return None  # out of range (and past what int() takes from text)
    value = -int(digits or b"0") if body[:1] == b"-" else int(digits or b"0")
    lo, hi = _INT_LIMITS[bits]
    return value if lo <= value <= hi else None


def parse_float(text: bytes, bits: int) -> float | None:
    """The float in ``text`` rounded to float32/float64, or None if invalid.

    The result is a Python float holding the float32 value when ``bits`` is 32.

    Example:
        >>> parse_float(b"1e39", 32), parse_float(b" 1e39 ", 64)
        (inf, 1e+39)
        >>> parse_float(b" ", 32) is None, math.isnan(parse_float(b"-NaN", 64))
        (True, True)
    """
    body = text.strip(_WS)
    if _DEC_RE.fullmatch(body):
        return _round(float(body), bits, lambda mid: _decimal_vs(body, mid))
    match = _HEX_RE.fullmatch(body)
    if match:
        return _parse_hex(body, match, bits)
    match = _INF_RE.fullmatch(body)
    if match:
        return -math.inf if match.group(1) == b"-" else math.inf
    if _NAN_RE.fullmatch(body):
        return -math.nan if body[:1] == b"-" else math.nan  # TF keeps the sign
    return None


def _parse_hex(body: bytes, match: re.Match[bytes], bits: int) -> float:
    text = body.decode()
    try:
        value = float.fromhex(text)
    except OverflowError:
        value = -math.inf if match.group(1) == b"-" else math.inf
    return _round(value, bits, lambda mid: _hex_vs(match, mid))


def _sign(x: int) -> int:
    return (x > 0) - (x < 0)


def _decimal_vs(body: bytes, mid: float) -> int:
    """The sign of ``|value of body| - mid``, exactly.

    Decimal comparison is exact and takes time linear in the digits, where a
    `Fraction` of a long field would take quadratic time (its gcd).
    """
    value = Decimal(body.decode()).copy_abs()  # abs() would round to 28 digits
    return (value > Decimal(mid)) - (value < Decimal(mid))


def _hex_vs(match: re.Match[bytes], mid: float) -> int:
    """The sign of ``|value of the hex float| - mid``, exactly, with shifts."""
    whole, _, frac = match.group(2).decode().partition(".")
    mantissa = int((whole + frac) or "0", 16)
    exponent = _clamped_int(match.group(3) or b"0") - 4 * len(frac)
    num, den = mid.as_integer_ratio()  # den is a power of two
    shift = exponent + den.bit_length() - 1  # mantissa * 2**shift vs num
    if shift >= 0:
        return _sign((mantissa << shift) - num)
    return _sign(mantissa - (num << -shift))


def _clamped_int(digits: bytes) -> int:
    """``int(digits)`` (an optional sign and decimal digits), clamped to +-10**9.

    Only exponents near the float32 range reach the exact tie check, so the
    clamp changes no result; it keeps int() off text of thousands of digits.
    """
    negative = digits[:1] == b"-"
    body = digits.lstrip(b"+-").lstrip(b"0")
    value = int(body) if 0 < len(body) <= 9 else (10**9 if body else 0)
    return -value if negative else value


def _round(value: float, bits: int, versus: Callable[[float], int]) -> float:
    """``value`` (the correctly rounded double) rounded to ``bits``, exactly.

    ``versus(mid)`` is the sign of the exact ``|text value| - mid``.
    """
    if bits == 64 or not math.isfinite(value):
        return value
    mag = abs(value)
    if mag > _F32_HALF_UP:
        return math.copysign(math.inf, value)
    single = (
        float(np.float32(value))
        if mag < _F32_HALF_UP
        else math.copysign(math.inf, value)
    )
    if single == value or _LOW_BITS.unpack(_DOUBLE.pack(value))[0] & _MID_MASK:
        return single  # exact, or not halfway between two float32 values
    # Double rounding can only go wrong when the double lies exactly halfway
    # between two float32 values; such ties are decided on the exact value.
    lo, hi = _bracket(mag)
    mid = (Fraction(lo) + (Fraction(2**128) if math.isinf(hi) else Fraction(hi))) / 2
    if Fraction(mag) != mid:
        return single
    side = versus(mag)  # mag == mid: a double holds every float32 midpoint
    if side == 0:
        return single  # a true tie: numpy rounds half to even, as TF does
    result = hi if side > 0 else lo
    return result if value > 0 else -result


def _bracket(mag: float) -> tuple[float, float]:
    """The adjacent float32 values ``lo < mag < hi`` (``hi`` is inf past max)."""
    with np.errstate(over="ignore"):
        low = np.float32(mag)
        if math.isinf(low) or float(low) > mag:
            low = np.nextafter(low, np.float32(0))
        return float(low), float(np.nextafter(low, np.float32(np.inf)))
