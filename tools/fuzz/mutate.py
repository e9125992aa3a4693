"""Byte mutators: damage a valid input the ways real files get damaged.

Every mutator takes a `random.Random` and returns new bytes, so a case is a
pure function of its seed: the same seed gives the same bytes in any process.
`mutate` applies one to four of them (bit flips, truncation, splicing,
little-endian integer and varint rewrites, long digit runs, random bytes);
targets add format-aware ones (TFRecord headers with valid CRCs, JSON trees).

Example:
    >>> import random
    >>> a = mutate(random.Random(7), [b"1,2,3\\n"])
    >>> a == mutate(random.Random(7), [b"1,2,3\\n"]), isinstance(a, bytes)
    (True, True)
"""

from __future__ import annotations

import random
import struct
from collections.abc import Callable, Sequence

Mutator = Callable[[random.Random, bytes, Sequence[bytes]], bytes]

#: Integers that sit on edges: zero, one, sign bits, all ones, 2^31, 2^63.
INTERESTING_INTS = (
    (0, 1, 2, 7, 8, 12, 16, 127, 128, 255, 256, 4095, 4096, 65535)
    + (65536, (1 << 31) - 1, 1 << 31, (1 << 32) - 1, 1 << 32, 1 << 62, (1 << 63) - 1)
    + (1 << 63, (1 << 64) - 1)
)
_INTERESTING_BYTES = (0, 1, 0x7F, 0x80, 0xFF, 0x0A, 0x0D, 0x22, 0x2C, 0x30)
#: Longest run inserted by `digit_run` (the CSV parsers' long-field case).
MAX_RUN_BYTES = 1 << 20


def _pos(rng: random.Random, data: bytes, end: bool = False) -> int:
    return rng.randint(0, len(data)) if end else rng.randrange(max(1, len(data)))


def flip_bit(rng: random.Random, data: bytes, _: Sequence[bytes] = ()) -> bytes:
    """One bit flipped (an empty input gains a random byte).

    Example:
        >>> flip_bit(random.Random(0), b"\\x00") in [bytes([1 << i]) for i in range(8)]
        True
    """
    if not data:
        return bytes([rng.randrange(256)])
    out = bytearray(data)
    out[_pos(rng, data)] ^= 1 << rng.randrange(8)
    return bytes(out)


def set_byte(rng: random.Random, data: bytes, _: Sequence[bytes] = ()) -> bytes:
    """One byte set to a random or an edge value."""
    if not data:
        return bytes([rng.choice(_INTERESTING_BYTES)])
    out = bytearray(data)
    value = rng.choice(_INTERESTING_BYTES) if rng.random() < 0.5 else rng.randrange(256)
    out[_pos(rng, data)] = value
    return bytes(out)


def truncate(rng: random.Random, data: bytes, _: Sequence[bytes] = ()) -> bytes:
    """A prefix of ``data`` (sometimes a suffix: the start cut off)."""
    cut = _pos(rng, data, end=True)
    return data[:cut] if rng.random() < 0.8 else data[cut:]


def delete_range(rng: random.Random, data: bytes, _: Sequence[bytes] = ()) -> bytes:
    """A stretch of up to 64 bytes removed."""
    start = _pos(rng, data, end=True)
    return data[:start] + data[start + rng.randint(1, 64) :]


def insert_bytes(rng: random.Random, data: bytes, _: Sequence[bytes] = ()) -> bytes:
    """Up to 32 random (or repeated edge) bytes inserted."""
    at = _pos(rng, data, end=True)
    n = rng.randint(1, 32)
    if rng.random() < 0.5:
        blob = bytes(rng.randrange(256) for _ in range(n))
    else:
        blob = bytes([rng.choice(_INTERESTING_BYTES)]) * n
    return data[:at] + blob + data[at:]


def duplicate_range(rng: random.Random, data: bytes, _: Sequence[bytes] = ()) -> bytes:
    """A stretch of the input repeated 1 to 16 times in place."""
    if not data:
        return data
    start = _pos(rng, data)
    piece = data[start : start + rng.randint(1, 256)]
    return data[:start] + piece * rng.randint(2, 16) + data[start:]


def splice(rng: random.Random, data: bytes, pool: Sequence[bytes] = ()) -> bytes:
    """A prefix of ``data`` followed by a suffix of another seed."""
    other = rng.choice(pool) if pool else data
    return data[: _pos(rng, data, end=True)] + other[_pos(rng, other, end=True) :]


def write_int(rng: random.Random, data: bytes, _: Sequence[bytes] = ()) -> bytes:
    """An edge integer written little-endian (2, 4 or 8 bytes) over the input."""
    width = rng.choice((2, 4, 8))
    value = rng.choice(INTERESTING_INTS) & ((1 << (8 * width)) - 1)
    if rng.random() < 0.3:
        value = (value + rng.choice((-1, 1))) % (1 << (8 * width))
    raw = value.to_bytes(width, "little")
    at = _pos(rng, data, end=True)
    return data[:at] + raw + data[at + width :]


def varint(value: int) -> bytes:
    """The protobuf base-128 varint of a non-negative ``value``.

    Example:
        >>> varint(300).hex()
        'ac02'
    """
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def write_varint(rng: random.Random, data: bytes, _: Sequence[bytes] = ()) -> bytes:
    """A varint of an edge value written over one byte (protobuf lengths)."""
    value = rng.choice(INTERESTING_INTS) + rng.choice((-1, 0, 0, 1))
    raw = varint(value % (1 << 64))
    if rng.random() < 0.1:
        raw = b"\xff" * rng.randint(9, 12)  # an over-long varint
    at = _pos(rng, data)
    return data[:at] + raw + data[at + 1 :]


def digit_run(rng: random.Random, data: bytes, _: Sequence[bytes] = ()) -> bytes:
    """A long run of digits (or signs, dots, exponents) inserted: up to 1 MiB."""
    if rng.random() < 0.02:
        size = MAX_RUN_BYTES
    else:
        size = rng.randint(1, rng.choice((20, 40, 400, 5000, 70000)))
    unit = rng.choice((b"9", b"0", b"1", b"-", b".", b"e9", b"9.", b"+-", b'"'))
    run = (unit * (size // len(unit) + 1))[:size]
    if rng.random() < 0.5:
        run = (
            rng.choice((b"", b"-", b"+", b"0.")) + run + rng.choice((b"", b"e", b"e-9"))
        )
    at = _pos(rng, data, end=True)
    return data[:at] + run + data[at:]


def random_bytes(
    rng: random.Random, data: bytes = b"", _: Sequence[bytes] = ()
) -> bytes:
    """Bytes that owe nothing to the input: up to 4 KiB of noise.

    Example:
        >>> len(random_bytes(random.Random(1))) <= 4096
        True
    """
    n = rng.choice((0, 1, 4, 12, 16, 64, 512, 4096))
    return rng.randbytes(rng.randint(0, n))


GENERIC: tuple[Mutator, ...] = (
    flip_bit,
    flip_bit,
    set_byte,
    set_byte,
    truncate,
    delete_range,
    insert_bytes,
    duplicate_range,
    splice,
    write_int,
    write_int,
    write_varint,
)


def mutate(
    rng: random.Random,
    pool: Sequence[bytes],
    extra: Sequence[Mutator] = (),
    random_share: float = 0.03,
) -> bytes:
    """A damaged copy of one input of ``pool`` (or, rarely, pure noise).

    Args:
        rng: the case's random generator (the only source of randomness).
        pool: valid inputs to start from.
        extra: format-aware mutators, drawn as often as all generic ones.
        random_share: the share of cases that are random bytes. Defaults to 3%.

    Returns:
        The case's bytes.

    Example:
        >>> cases = {mutate(random.Random(i), [b"abc"]) for i in range(50)}
        >>> len(cases) > 10
        True
    """
    if rng.random() < random_share or not pool:
        return random_bytes(rng)
    data = rng.choice(pool)
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
        use_extra = extra and rng.random() < 0.5
        step = rng.choice(extra) if use_extra else rng.choice(GENERIC)
        data = step(rng, data, pool)
    return data


def le64(value: int) -> bytes:
    """``value`` as 8 little-endian bytes (wrapped to 64 bits).

    Example:
        >>> le64(1).hex()
        '0100000000000000'
    """
    return struct.pack("<Q", value % (1 << 64))
