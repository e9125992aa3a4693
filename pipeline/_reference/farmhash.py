"""FarmHash Fingerprint64, SipHash-2-4 and TensorFlow's hash helpers, in plain Python.

The living spec of ``_ext/farmhash.pyx``: same names, same results, same errors.

* ``fingerprint64`` is FarmHash's ``Fingerprint64`` (its "na" 64-bit hash, seed
  81 internally), over the raw bytes with no terminator: three short-input
  paths (0-16, 17-32, 33-64 bytes) and a 64-byte block loop with two 32-byte
  weak-hash lanes for longer inputs.
* ``siphash24(k0, k1, data)`` is standard SipHash-2-4 with the 128-bit key
  (k0, k1) as two little-endian words (TF's ``to_hash_bucket_strong``).
* ``legacy_hash64`` is TensorFlow's own MurmurHash64A variant with seed
  ``0xDECAFCAFFE`` (the deprecated ``to_hash_bucket``).
* ``fingerprint_cat64`` combines two fingerprints (TF's feature crossing).

Batch functions take either a sequence of ``bytes``/``str`` (``*_objects``;
``str`` hashes as UTF-8) or Arrow-style packed strings: a ``uint8`` data
buffer and ``n + 1`` int64 offsets (``*_packed``). They return uint64 arrays.
A non-string element raises ``TypeError`` naming its index.

Example:
    >>> fingerprint64(b"") == 0x9AE16A3B2F90404F
    True
    >>> hex(siphash24(0, 0, b""))
    '0x1e924b9d737700d7'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

_M = (1 << 64) - 1
_K0 = 0xC3A5C85C97CB3127
_K1 = 0xB492B66FBE98F273
_K2 = 0x9AE16A3B2F90404F
_KMUL = 0xC6A4A7935BD1E995
_LEGACY_SEED = 0xDECAFCAFFE
_CROSS_SEED = 0xDECAFCAFFE


def _f64(s: bytes, i: int) -> int:
    return int.from_bytes(s[i : i + 8], "little")


def _f32(s: bytes, i: int) -> int:
    return int.from_bytes(s[i : i + 4], "little")


def _rot(v: int, r: int) -> int:
    return v if r == 0 else ((v >> r) | (v << (64 - r))) & _M


def _smix(v: int) -> int:
    return v ^ (v >> 47)


def _len16(u: int, v: int, mul: int) -> int:
    a = ((u ^ v) * mul) & _M
    a ^= a >> 47
    b = ((v ^ a) * mul) & _M
    b ^= b >> 47
    return (b * mul) & _M


def _len0to16(s: bytes) -> int:
    n = len(s)
    if n >= 8:
        mul = _K2 + n * 2
        a = (_f64(s, 0) + _K2) & _M
        b = _f64(s, n - 8)
        c = (_rot(b, 37) * mul + a) & _M
        d = ((_rot(a, 25) + b) * mul) & _M
        return _len16(c, d, mul)
    if n >= 4:
        mul = _K2 + n * 2
        return _len16(n + (_f32(s, 0) << 3), _f32(s, n - 4), mul)
    if n > 0:
        y = s[0] + (s[n >> 1] << 8)
        z = n + (s[n - 1] << 2)
        return (_smix(((y * _K2) ^ (z * _K0)) & _M) * _K2) & _M
    return _K2


def _len17to32(s: bytes) -> int:
    n = len(s)
    mul = _K2 + n * 2
    a = (_f64(s, 0) * _K1) & _M
    b = _f64(s, 8)
    c = (_f64(s, n - 8) * mul) & _M
    d = (_f64(s, n - 16) * _K2) & _M
    u = (_rot((a + b) & _M, 43) + _rot(c, 30) + d) & _M
    v = (a + _rot((b + _K2) & _M, 18) + c) & _M
    return _len16(u, v, mul)


def _len33to64(s: bytes) -> int:
    n = len(s)
    mul = _K2 + n * 2
    a = (_f64(s, 0) * _K2) & _M
    b = _f64(s, 8)
    c = (_f64(s, n - 8) * mul) & _M
    d = (_f64(s, n - 16) * _K2) & _M
    y = (_rot((a + b) & _M, 43) + _rot(c, 30) + d) & _M
    z = _len16(y, (a + _rot((b + _K2) & _M, 18) + c) & _M, mul)
    e = (_f64(s, 16) * mul) & _M
    f = _f64(s, 24)
    g = ((y + _f64(s, n - 32)) * mul) & _M
    h = ((z + _f64(s, n - 24)) * mul) & _M
    u = (_rot((e + f) & _M, 43) + _rot(g, 30) + h) & _M
    v = (e + _rot((f + a) & _M, 18) + g) & _M
    return _len16(u, v, mul)


def _weak32(s: bytes, i: int, a: int, b: int) -> tuple[int, int]:
    w, x, y, z = _f64(s, i), _f64(s, i + 8), _f64(s, i + 16), _f64(s, i + 24)
    a = (a + w) & _M
    b = _rot((b + a + z) & _M, 21)
    c = a
    a = (a + x + y) & _M
    b = (b + _rot(a, 44)) & _M
    return (a + z) & _M, (b + c) & _M


def _block(s, i, x, y, z, v, w, mul, k9):
    """One 64-byte round of the long-input loop (k9: 1 in the loop, 9 at the end)."""
    x = (_rot((x + y + v[0] + _f64(s, i + 8)) & _M, 37) * mul) & _M
    y = (_rot((y + v[1] + _f64(s, i + 48)) & _M, 42) * mul) & _M
    x ^= (w[1] * k9) & _M
    y = (y + v[0] * k9 + _f64(s, i + 40)) & _M
    z = (_rot((z + w[0]) & _M, 33) * mul) & _M
    v = _weak32(s, i, (v[1] * mul) & _M, (x + w[0]) & _M)
    w = _weak32(s, i + 32, (z + w[1]) & _M, (y + _f64(s, i + 16)) & _M)
    return z, y, x, v, w  # x and z swap


def _long(s: bytes) -> int:
    n = len(s)
    seed = 81
    y = (seed * _K1 + 113) & _M
    z = (_smix((y * _K2 + 113) & _M) * _K2) & _M
    v = (0, 0)
    w = (0, 0)
    x = (seed * _K2 + _f64(s, 0)) & _M
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63
    for i in range(0, end, 64):
        x, y, z, v, w = _block(s, i, x, y, z, v, w, _K1, 1)
    mul = _K1 + ((z & 0xFF) << 1)
    w0 = (w[0] + ((n - 1) & 63)) & _M
    v0 = (v[0] + w0) & _M
    w0 = (w0 + v0) & _M
    x, y, z, v, w = _block(s, last64, x, y, z, (v0, v[1]), (w0, w[1]), mul, 9)
    u = (_len16(v[0], w[0], mul) + _smix(y) * _K0 + z) & _M
    return _len16(u, (_len16(v[1], w[1], mul) + x) & _M, mul)


def fingerprint64(data: bytes) -> int:
    """FarmHash Fingerprint64 of ``data`` (bytes-like), as a Python int.

    Example:
        >>> fingerprint64(b"a") == fingerprint64(bytearray(b"a"))
        True
    """
    s = bytes(data)
    n = len(s)
    if n <= 16:
        return _len0to16(s)
    if n <= 32:
        return _len17to32(s)
    if n <= 64:
        return _len33to64(s)
    return _long(s)


def _sipround(v0: int, v1: int, v2: int, v3: int) -> tuple[int, int, int, int]:
    v0 = (v0 + v1) & _M
    v1 = _rot(v1, 64 - 13) ^ v0
    v0 = _rot(v0, 32)
    v2 = (v2 + v3) & _M
    v3 = _rot(v3, 64 - 16) ^ v2
    v0 = (v0 + v3) & _M
    v3 = _rot(v3, 64 - 21) ^ v0
    v2 = (v2 + v1) & _M
    v1 = _rot(v1, 64 - 17) ^ v2
    v2 = _rot(v2, 32)
    return v0, v1, v2, v3


def siphash24(k0: int, k1: int, data: bytes) -> int:
    """SipHash-2-4 of ``data`` under the key (k0, k1), as a Python int.

    Example:
        >>> siphash24(1, 2, b"x") != siphash24(2, 1, b"x")
        True
    """
    s = bytes(data)
    v = (
        k0 ^ 0x736F6D6570736575,
        k1 ^ 0x646F72616E646F6D,
        k0 ^ 0x6C7967656E657261,
        k1 ^ 0x7465646279746573,
    )
    n = len(s)
    full = n - n % 8
    for i in range(0, full, 8):
        m = _f64(s, i)
        v = _sipround(*v[:3], v[3] ^ m)
        v = _sipround(*v)
        v = (v[0] ^ m, *v[1:])
    last = ((n & 0xFF) << 56) | int.from_bytes(s[full:], "little")
    v = _sipround(*v[:3], v[3] ^ last)
    v = _sipround(*v)
    v = (v[0] ^ last, v[1], v[2] ^ 0xFF, v[3])
    for _ in range(4):
        v = _sipround(*v)
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def legacy_hash64(data: bytes) -> int:
    """TensorFlow's ``Hash64(data, 0xDECAFCAFFE)`` (MurmurHash64A variant).

    Example:
        >>> legacy_hash64(b"") == legacy_hash64(bytearray())
        True
    """
    s = bytes(data)
    n = len(s)
    h = _LEGACY_SEED ^ ((n * _KMUL) & _M)
    full = n - n % 8
    for i in range(0, full, 8):
        k = (_f64(s, i) * _KMUL) & _M
        k = (_smix(k) * _KMUL) & _M
        h = ((h ^ k) * _KMUL) & _M
    if n > full:
        h = ((h ^ int.from_bytes(s[full:], "little")) * _KMUL) & _M
    h = (_smix(h) * _KMUL) & _M
    return _smix(h)


def fingerprint_cat64(fp1: int, fp2: int) -> int:
    """TensorFlow's ``FingerprintCat64``: combines two fingerprints.

    Example:
        >>> fingerprint_cat64(1, 2) != fingerprint_cat64(2, 1)
        True
    """
    r = fp1 ^ _KMUL
    r ^= (_smix((fp2 * _KMUL) & _M) * _KMUL) & _M
    r = (r * _KMUL) & _M
    r = (_smix(r) * _KMUL) & _M
    return _smix(r)


def _as_bytes(value: Any, index: int) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    raise TypeError(
        f"expected bytes or str at index {index}, got {type(value).__name__}"
    )


def _buckets(hashes: np.ndarray, num_buckets: int) -> np.ndarray:
    if not num_buckets:
        return hashes
    return np.array([int(h) % num_buckets for h in hashes.tolist()], dtype=np.int64)


def _hash_objects(fn, values: Sequence[Any], num_buckets: int = 0) -> np.ndarray:
    out = np.empty(len(values), dtype=np.uint64)
    for i, value in enumerate(values):
        out[i] = fn(_as_bytes(value, i))
    return _buckets(out, num_buckets)


def _hash_packed(fn, data: Any, offsets: Any, num_buckets: int = 0) -> np.ndarray:
    buf = bytes(np.asarray(data, dtype=np.uint8))
    offs = np.asarray(offsets, dtype=np.int64)
    n = max(len(offs) - 1, 0)
    for i in range(n):
        if offs[i] < 0 or offs[i] > offs[i + 1] or offs[i + 1] > len(buf):
            raise ValueError(f"bad offsets at index {i}: {offs[i]}..{offs[i + 1]}")
    out = np.empty(n, dtype=np.uint64)
    for i in range(n):
        out[i] = fn(buf[offs[i] : offs[i + 1]])
    return _buckets(out, num_buckets)


def fingerprint64_objects(values: Sequence[Any], num_buckets: int = 0) -> np.ndarray:
    """uint64 fingerprints of a sequence of ``bytes``/``str`` (str as UTF-8).

    Every batch function takes ``num_buckets``: when > 0 it returns int64
    ``hash % num_buckets`` instead of the uint64 hashes.

    Example:
        >>> fingerprint64_objects([b"a", "a"]).tolist() == [fingerprint64(b"a")] * 2
        True
    """
    return _hash_objects(fingerprint64, values, num_buckets)


def fingerprint64_packed(data: Any, offsets: Any, num_buckets: int = 0) -> np.ndarray:
    """uint64 fingerprints of the strings ``data[offsets[i]:offsets[i+1]]``.

    Example:
        >>> packed = fingerprint64_packed(np.frombuffer(b"ab", np.uint8), [0, 1, 2])
        >>> packed.tolist() == fingerprint64_objects([b"a", b"b"]).tolist()
        True
    """
    return _hash_packed(fingerprint64, data, offsets, num_buckets)


def siphash24_objects(
    k0: int, k1: int, values: Sequence[Any], num_buckets: int = 0
) -> np.ndarray:
    """uint64 SipHash-2-4 values of a sequence of ``bytes``/``str``.

    Example:
        >>> int(siphash24_objects(0, 0, [b""])[0]) == siphash24(0, 0, b"")
        True
    """
    return _hash_objects(lambda s: siphash24(k0, k1, s), values, num_buckets)


def siphash24_packed(
    k0: int, k1: int, data: Any, offsets: Any, num_buckets: int = 0
) -> np.ndarray:
    """uint64 SipHash-2-4 values of packed strings.

    Example:
        >>> siphash24_packed(0, 0, np.zeros(0, np.uint8), [0, 0]).tolist()
        [2202906307356721367]
    """
    return _hash_packed(lambda s: siphash24(k0, k1, s), data, offsets, num_buckets)


def legacy_hash64_objects(values: Sequence[Any], num_buckets: int = 0) -> np.ndarray:
    """uint64 legacy TF hashes of a sequence of ``bytes``/``str``.

    Example:
        >>> int(legacy_hash64_objects(["x"])[0]) == legacy_hash64(b"x")
        True
    """
    return _hash_objects(legacy_hash64, values, num_buckets)


def fingerprint64_int64(values: Any) -> np.ndarray:
    """uint64 fingerprints of the decimal strings of int64 ``values``.

    Example:
        >>> int(fingerprint64_int64([-1])[0]) == fingerprint64(b"-1")
        True
    """
    ints = np.asarray(values, dtype=np.int64).ravel()
    return _hash_objects(fingerprint64, [str(int(v)).encode() for v in ints])
