"""Fuzz target for tf.train.Example decoding: `parse_example` and `Example`.

A case's first byte picks the parse (several feature specs: dense with
defaults, required dense, variable-length, sequence features, a batch of two,
`parse_single_example`, the `Example.FromString` message decoder); the rest
is one serialized Example. The only allowed error is `InvalidArgumentError`.

Example:
    >>> pool = example_seeds()
    >>> sorted(parse_case(pool[1]))
    ['f', 'i', 's']
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from pipeline.errors import InvalidArgumentError
from pipeline.io import example_message
from pipeline.io.example import parse_example, parse_single_example
from pipeline.io.example_spec import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
)
from tools.fuzz import mutate as m
from tools.fuzz.target import Target, with_reference_kernels

_SPECS = (
    {
        "i": FixedLenFeature([], np.int64, default_value=-1),
        "f": FixedLenFeature([2], np.float32, default_value=[0.5, 1.5]),
        "s": FixedLenFeature([], "string", default_value=b"?"),
    },
    {
        "i": VarLenFeature(np.int64),
        "f": VarLenFeature(np.float32),
        "s": VarLenFeature("string"),
    },
    {
        "i": FixedLenSequenceFeature([], np.int64, allow_missing=True),
        "f": FixedLenSequenceFeature([2], np.float32, allow_missing=True),
        "s": FixedLenSequenceFeature([], "string", allow_missing=True),
    },
    {
        "i": FixedLenFeature([3], np.int64),
        "s": VarLenFeature("string"),
        "f": FixedLenFeature([2, 1], np.float32),
    },
)
_MODES = 8


def parse_case(data: bytes):
    """The case's record parsed the way its first byte says (module docstring)."""
    pick = data[0] if data else 0
    record = data[1:]
    spec = _SPECS[pick % len(_SPECS)]
    mode = (pick >> 2) % _MODES
    if mode == 5:
        return parse_single_example(record, spec)
    if mode == 6:
        return example_message.Example.FromString(record).SerializeToString()
    if mode == 7:
        return parse_example([record, record[: len(record) // 2]], spec)
    return parse_example([record], spec)


def _examples(rng: random.Random) -> list[dict]:
    strings = np.array([b"", b"a", rng.randbytes(40)], dtype=object)
    return [
        {},
        {
            "i": np.array([7, -3, 1 << 62], np.int64),
            "f": np.array([1.5, np.nan], np.float32),
            "s": strings[1:2],
        },
        {
            "i": np.array([5], np.int64),
            "f": np.array([1.0, 2.0], np.float32),
            "s": strings[:1],
            "other": np.array([1.0], np.float32),
        },
        {"i": np.array([], np.int64), "f": np.array([], np.float32), "s": strings},
        {"i": None, "f": np.array([0.0, -0.0, np.inf, 3.0], np.float32), "s": None},
        {
            "i": np.array([1, 2, 3], np.int64),
            "f": np.array([9.0, 8.0], np.float32),
            "s": np.array([b"x"] * 3, dtype=object),
        },
        {
            "s": np.array([b"wrong type"], dtype=object),
            "i": np.array([2.5], np.float32),
            "f": np.array([4, 5], np.int64),
        },
    ]


def example_seeds() -> list[bytes]:
    """Serialized Examples behind a pick byte: each spec and mode at least once."""
    records = [
        example_message.serialize_example(e) for e in _examples(random.Random(5))
    ]
    return [
        bytes([pick]) + rec
        for i, rec in enumerate(records)
        for pick in (i * 4, i * 4 + 1, i * 4 + 2, i * 4 + 3, 20 + i, 24 + i, 28 + i)
    ]


def _floats(rng: random.Random, n: int) -> np.ndarray:
    """float32 values from random bits: NaNs with payloads, infinities, subnormals."""
    bits = [rng.getrandbits(32) for _ in range(n)]
    if rng.random() < 0.5:
        edges = (0x7FC00000, 0x7F800001, 0xFFC00001, 0x7F800000, 0x00000001, 0x80000000)
        bits = [rng.choice(edges) if rng.random() < 0.3 else b for b in bits]
    return np.array(bits, dtype=np.uint32).view(np.float32)


def _fresh_value(rng: random.Random, key: str):
    n = rng.choice((0, 1, 2, 2, 3, 4, 6))
    kind = key if rng.random() < 0.85 else rng.choice("ifs")
    if rng.random() < 0.05:
        return None
    if kind == "i":
        edges = (0, -1, 1, (1 << 63) - 1, -(1 << 63))
        ints = [rng.choice(edges) if rng.random() < 0.3 else rng.randint(-999, 999)
                for _ in range(n)]  # fmt: skip
        return np.array(ints, dtype=np.int64)
    if kind == "f":
        return _floats(rng, n)
    return np.array([rng.randbytes(rng.choice((0, 1, 3, 40))) for _ in range(n)],
                    dtype=object)  # fmt: skip


def fresh_example(rng: random.Random) -> bytes:
    """A new valid Example with random i/f/s lists (and maybe an extra key)."""
    keys = [k for k in ("i", "f", "s") if rng.random() < 0.9]
    if rng.random() < 0.2:
        keys.append(rng.choice(("extra", "", "\u00e9")))
    values = {k: _fresh_value(rng, k if k in ("i", "f", "s") else "s") for k in keys}
    return bytes([rng.randrange(256)]) + example_message.serialize_example(values)


def add_field(rng: random.Random, data: bytes, _: Sequence[bytes] = ()) -> bytes:
    """A field with a random tag and wire type (and a plausible length) inserted."""
    tag = m.varint((rng.randint(1, 20) << 3) | rng.choice((0, 1, 2, 2, 5, 3, 4, 7)))
    length = rng.choice((0, 1, 4, 8, 12, 300))
    blob = tag + m.varint(length) + rng.randbytes(rng.randint(0, 12))
    at = rng.randint(1, max(1, len(data)))
    return data[:at] + blob + data[at:]


TARGETS = (
    Target(
        "example",
        run=parse_case,
        seeds=example_seeds,
        allowed=(InvalidArgumentError,),
        mutators=(m.write_varint, add_field, m.splice),
        twin=with_reference_kernels(
            ["example", "example_dense", "example_fused"], parse_case
        ),
        weight=30,
        batch=500,
        twin_max_bytes=16384,
        fresh=fresh_example,
    ),
)
