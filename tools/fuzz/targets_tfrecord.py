"""Fuzz targets for TFRecord framing: files (plain, GZIP, ZLIB) and the kernel.

A case's first byte picks the reader's settings (buffer size, block size,
``skip_corrupt``; for compressed files GZIP or ZLIB); the rest is the file.
The allowed error is `DataLossError` (`ValueError` for the kernel's own
argument checks, as its reference twin raises).

Example:
    >>> pool = tfrecord_seeds()
    >>> len(read_file(pool[1])) >= 1
    True
"""

from __future__ import annotations

import gzip
import random
import struct
import zlib
from collections.abc import Sequence

import numpy as np

from pipeline import _kernels
from pipeline._reference.tfrecord import footer, header
from pipeline.errors import DataLossError
from pipeline.io import tfrecord
from tools.fuzz import mutate as m
from tools.fuzz.target import Target, canon, scratch_file, with_reference_kernels

_BUFFERS = (None, 4096, 5000, 65536)
_BLOCKS = (None, 1, 2, 3)


def record(data: bytes) -> bytes:
    """One framed record: header, data, footer (CRCs valid)."""
    return header(len(data)) + data + footer(data)


def tfrecord_seeds() -> list[bytes]:
    """Valid files, each behind a settings byte: empty, small, many, long records."""
    rng = random.Random(20240611)
    files = [
        b"",
        record(b"abc"),
        record(b"") + record(b"x" * 100) + record(b"yz"),
        b"".join(record(rng.randbytes(rng.randint(0, 40))) for _ in range(30)),
        record(rng.randbytes(5000)) + record(b"tail"),
        record(rng.randbytes(20000)),
    ]
    return [bytes([i * 37 % 256]) + f for i, f in enumerate(files)]


def _record_offsets(data: bytes) -> list[int]:
    """Header offsets of the records that frame correctly, from the start."""
    out, pos = [], 0
    while pos + 12 <= len(data):
        out.append(pos)
        (length,) = struct.unpack_from("<Q", data, pos)
        if length > len(data):
            break
        pos += 16 + length
    return out or [0]


def rewrite_length(rng: random.Random, data: bytes, _: Sequence[bytes] = ()) -> bytes:
    """A record header rewritten to an edge length, its length CRC valid."""
    body = data[1:]
    at = rng.choice(_record_offsets(body))
    size = rng.choice(m.INTERESTING_INTS) + rng.choice((-1, 0, 1))
    new = header(size % (1 << 64))
    return data[:1] + body[:at] + new + body[at + 12 :]


def append_header(rng: random.Random, data: bytes, _: Sequence[bytes] = ()) -> bytes:
    """A valid header claiming a (possibly huge) record, with no record after it."""
    size = rng.choice(m.INTERESTING_INTS + (rng.randint(0, 1 << 20),))
    tail = header(size % (1 << 64)) + rng.randbytes(rng.randint(0, 20))
    return data + tail


def read_file(data: bytes, compression: str | None = None) -> list:
    """The records of the file ``data[1:]``, read with the settings of ``data[0]``.

    Each record is ``(index, header offset, bytes)``; with ``skip_corrupt`` a
    skipped record is its `DataLossError`. Blocks are flattened: how records
    are grouped into blocks may differ between the kernel and its twin.
    """
    pick = data[0] if data else 0
    path = scratch_file("case.tfrecord", data[1:])
    blocks = tfrecord.iter_blocks(
        path,
        compression_type=compression,
        buffer_size=_BUFFERS[pick % 4],
        max_block_records=_BLOCKS[(pick >> 2) % 4],
        skip_corrupt=bool(pick & 0x10),
    )
    out: list = []
    for b in blocks:
        if isinstance(b, DataLossError):
            out.append(b)
        else:
            out.extend(
                zip(
                    range(b.first_index, b.first_index + len(b)),
                    b.offsets.tolist(),
                    b.records,
                )
            )
    return out


def read_compressed(data: bytes) -> list:
    """`read_file` on a GZIP (even settings byte) or ZLIB (odd) file."""
    return read_file(data, "ZLIB" if data[:1] and data[0] & 1 else "GZIP")


def _compress(kind_byte: int, stream: bytes) -> bytes:
    if kind_byte & 1:
        return zlib.compress(stream)
    return gzip.compress(stream, mtime=0)


def compressed_seeds() -> list[bytes]:
    """The `tfrecord_seeds` files, each compressed as its settings byte says."""
    out = []
    for s in tfrecord_seeds():
        for kind in (s[0] & 0xFE, s[0] | 1):
            out.append(bytes([kind]) + _compress(kind, s[1:]))
    return out


def _inflate(data: bytes) -> bytes | None:
    try:
        return zlib.decompress(data[1:], wbits=47)  # gzip or zlib header
    except zlib.error:
        return None


def mutate_inside(rng: random.Random, data: bytes, pool: Sequence[bytes] = ()) -> bytes:
    """The TFRecord stream inside a compressed case, damaged and recompressed."""
    inner = _inflate(data) if data else None
    if inner is None:
        return m.flip_bit(rng, data)
    steps = m.GENERIC + (rewrite_length, append_header)
    damaged = rng.choice(steps)(rng, data[:1] + inner, ())
    out = data[:1] + _compress(data[0], damaged[1:])
    return out[: rng.randint(1, len(out))] if rng.random() < 0.2 else out


def _int64s(raw: bytes) -> np.ndarray:
    raw = raw[: len(raw) // 8 * 8]
    return np.frombuffer(raw, dtype="<i8").astype(np.int64)


def kernel_calls(data: bytes) -> tuple:
    """The tfrecord kernel's `frame` and `split` on arguments taken from ``data``.

    Layout: 2 bytes pos, 1 byte max_records, 1 byte count k, then k starts
    and k lengths (int64, little-endian), then the buffer.
    """
    k = _kernels.load("tfrecord")
    head, rest = data[:4].ljust(4, b"\0"), data[4:]
    pos, cap, count = int.from_bytes(head[:2], "little"), head[2], head[3] % 8
    pairs = _int64s(rest[: 16 * count])
    buf = rest[16 * count :]
    framed = k.frame(buf, min(pos, len(buf)) if pos < 0x8000 else pos, max(1, cap))
    starts, lengths = pairs[: len(pairs) // 2], pairs[len(pairs) // 2 :]
    return framed, k.split(buf, np.ascontiguousarray(starts), lengths.copy())


def kernel_seeds() -> list[bytes]:
    """Argument blobs for `kernel_calls`: good records and in-bounds splits."""
    files = [s[1:] for s in tfrecord_seeds()[:4]]
    out = []
    for f in files:
        n = len(f)
        pairs = struct.pack("<qqqq", 0, n // 2, n // 2, n - n // 2)
        out.append(struct.pack("<HBB", 0, 100, 2) + pairs + f)
        out.append(struct.pack("<HBB", 0, 1, 0) + f)
    return out


def kernel_edges(rng: random.Random, data: bytes, _: Sequence[bytes] = ()) -> bytes:
    """One start or length field set to an edge int64 (negative, near 2^63)."""
    value = rng.choice(m.INTERESTING_INTS + (-1, -(1 << 63), -(1 << 62)))
    at = 4 + 8 * rng.randrange(max(1, (data[3] % 8) * 2 if len(data) > 3 else 1))
    return data[:at] + m.le64(value) + data[at + 8 :]


def _canon_frame(result: tuple) -> tuple:
    framed, parts = result
    return canon(tuple(framed)), canon(parts)


TARGETS = (
    Target(
        "tfrecord",
        run=read_file,
        seeds=tfrecord_seeds,
        allowed=(DataLossError,),
        mutators=(rewrite_length, append_header, m.truncate),
        twin=with_reference_kernels(["tfrecord"], read_file),
        weight=25,
        twin_max_bytes=4096,
    ),
    Target(
        "tfrecord_compressed",
        run=read_compressed,
        seeds=compressed_seeds,
        allowed=(DataLossError,),
        mutators=(mutate_inside, mutate_inside, mutate_inside),
        twin=with_reference_kernels(["tfrecord"], read_compressed),
        weight=15,
        twin_max_bytes=4096,
    ),
    Target(
        "tfrecord_kernel",
        run=lambda d: _canon_frame(kernel_calls(d)),
        seeds=kernel_seeds,
        allowed=(ValueError,),
        mutators=(kernel_edges, kernel_edges, rewrite_length),
        twin=with_reference_kernels(
            ["tfrecord"], lambda d: _canon_frame(kernel_calls(d))
        ),
        weight=15,
        batch=500,
        twin_max_bytes=4096,
    ),
)
