# cython: language_level=3
"""Plain decimal text to numbers, exactly, without the GIL (inline readers for
the CSV kernel).

`_decimal_at` reads ``[+-]?(digits[.digits]|.digits)([eE][+-]?digits)?``
into a `Decimal` (at most 19 significant digits); `_to_double` and
`_to_float` give its correctly rounded value where one IEEE operation on
exact operands does (Clinger's fast path: a mantissa below 2**53, resp.
2**24, and a power of ten that is exact), refusing the rest, and, for
float32 through a double, the one case where rounding twice can differ from
rounding once (a double exactly halfway between two floats). `_integer_at`
reads ``[+-]?digits`` within int32/int64. Every reader stops at the first
character that is not part of the syntax and returns its position.
"""

from libc.stdint cimport int64_t, uint8_t, uint64_t
from libc.string cimport memcpy

cdef extern from *:
    """
    static const double pl_pow10[23] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    static const float pl_pow10f[11] = {
        1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
    """
    # 10**k as doubles (10**22 is the last exact one) and as floats (10**10).
    const double pl_pow10[23]
    const float pl_pow10f[11]


cdef struct Decimal:
    uint64_t mantissa
    int64_t exp10
    bint negative


cdef inline int64_t _digits(const uint8_t *p, int64_t i, int64_t size,
                            uint64_t *mantissa, int64_t *sig, bint *full) noexcept nogil:
    """Add the decimal digits at ``i`` to ``mantissa``; ``full`` when a 20th
    significant digit comes (the number is then left to the exact rules)."""
    cdef unsigned int c
    while i < size:
        c = p[i] - 48
        if c > 9:
            break
        if sig[0] == 19:
            full[0] = 1
            return i
        mantissa[0] = mantissa[0] * 10 + c
        sig[0] += 1
        i += 1
    return i


cdef inline int64_t _decimal_at(const uint8_t *p, int64_t i, int64_t size,
                                Decimal *d, bint *ok) noexcept nogil:
    """Read ``[+-]?(digits[.digits]|.digits)([eE][+-]?digits)?`` at ``i``.

    Returns the position after what was read; ``ok`` is false where that is
    no number, or one with over 19 significant digits or a long exponent.
    """
    cdef int64_t digits = 0, sig = 0, frac = 0, exp_value = 0
    cdef bint exp_negative = 0
    cdef uint64_t mantissa = 0
    cdef int64_t start
    cdef bint full = 0
    ok[0] = 0
    d.negative = 0
    if i < size and (p[i] == 45 or p[i] == 43):  # - +
        d.negative = p[i] == 45
        i += 1
    while i < size and p[i] == 48:  # leading zeros are not significant
        digits += 1
        i += 1
    i = _digits(p, i, size, &mantissa, &sig, &full)
    digits += sig
    if i < size and p[i] == 46 and not full:  # .
        i += 1
        if sig == 0:
            while i < size and p[i] == 48:
                frac += 1
                i += 1
            digits += frac
        start = i
        i = _digits(p, i, size, &mantissa, &sig, &full)
        frac += i - start
        digits += i - start
    if full:
        return i
    d.mantissa = mantissa
    if digits == 0:
        return i
    if i < size and (p[i] == 101 or p[i] == 69):  # e E
        i += 1
        if i < size and (p[i] == 45 or p[i] == 43):
            exp_negative = p[i] == 45
            i += 1
        if i == size or not (48 <= p[i] <= 57):
            return i
        while i < size and 48 <= p[i] <= 57:
            if exp_value > 9999:
                return i
            exp_value = exp_value * 10 + (p[i] - 48)
            i += 1
    d.exp10 = (-exp_value if exp_negative else exp_value) - frac
    ok[0] = 1
    return i


cdef inline bint _to_double(Decimal *d, double *out) noexcept nogil:
    """Correctly rounded double of ``d`` where one IEEE operation gives it."""
    cdef double v
    if d.mantissa == 0:
        out[0] = -0.0 if d.negative else 0.0
        return 1
    if d.mantissa > ((<uint64_t>1) << 53) or d.exp10 < -22 or d.exp10 > 22:
        return 0
    v = <double>d.mantissa
    v = v / pl_pow10[-d.exp10] if d.exp10 < 0 else v * pl_pow10[d.exp10]
    out[0] = -v if d.negative else v
    return 1


cdef inline bint _to_float(Decimal *d, float *out) noexcept nogil:
    """Correctly rounded float32 of ``d``; 0 where that needs the exact rules."""
    cdef float f
    cdef double v
    cdef uint64_t bits
    if d.mantissa != 0 and d.mantissa <= ((<uint64_t>1) << 24) and -10 <= d.exp10 <= 10:
        f = <float>d.mantissa
        f = f / pl_pow10f[-d.exp10] if d.exp10 < 0 else f * pl_pow10f[d.exp10]
        out[0] = -f if d.negative else f
        return 1
    if not _to_double(d, &v):
        return 0
    memcpy(&bits, &v, 8)
    if (bits & (((<uint64_t>1) << 29) - 1)) == ((<uint64_t>1) << 28):
        return 0  # halfway between two floats: rounding twice may be wrong
    out[0] = <float>v
    return 1


cdef inline int64_t _integer_at(const uint8_t *p, int64_t i, int64_t size,
                                bint wide, int64_t *out, bint *ok) noexcept nogil:
    """Read ``[+-]?digits`` at ``i``; ``ok`` false unless it fits int32/int64."""
    cdef uint64_t v = 0, limit
    cdef bint negative = 0
    ok[0] = 0
    if i < size and (p[i] == 45 or p[i] == 43):
        negative = p[i] == 45
        i += 1
    if i == size or not (48 <= p[i] <= 57):
        return i
    limit = ((<uint64_t>1) << (63 if wide else 31)) - (0 if negative else 1)
    while i < size and 48 <= p[i] <= 57:
        if v > (limit - (p[i] - 48)) // 10:
            return i
        v = v * 10 + (p[i] - 48)
        i += 1
    out[0] = -(<int64_t>(v - 1)) - 1 if negative and v else <int64_t>v
    ok[0] = 1
    return i
