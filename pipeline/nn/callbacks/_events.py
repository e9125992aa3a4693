"""TensorBoard event files, written by hand: TFRecord framing around
``tensorflow.Event`` protocol buffers.

Each record is ``uint64 length | uint32 masked_crc32c(length) | data |
uint32 masked_crc32c(data)`` (little-endian). The messages used here, with their
field numbers from TensorFlow's ``event.proto`` and ``summary.proto``:

* ``Event``: wall_time=1 (double), step=2 (int64), file_version=3 (string),
  summary=5 (Summary);
* ``Summary``: value=1 (repeated Summary.Value);
* ``Summary.Value``: tag=1 (string), simple_value=2 (float), histo=5
  (HistogramProto);
* ``HistogramProto``: min=1, max=2, num=3, sum=4, sum_squares=5 (doubles),
  bucket_limit=6, bucket=7 (packed repeated doubles).

Example:
    >>> len(scalar_event("loss", 0.5, step=1, wall_time=0.0)) > 0
    True
"""

from __future__ import annotations

import os
import socket
import struct
import time
from typing import Any

import numpy as np

from pipeline import _kernels

_FILE_VERSION = b"brain.Event:2"
_HISTOGRAM_BINS = 30
_file_counter = 0


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        bits = value & 0x7F
        value >>= 7
        if value:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


def _key(field: int, wire_type: int) -> bytes:
    return _varint(field << 3 | wire_type)


def _bytes_field(field: int, payload: bytes) -> bytes:
    return _key(field, 2) + _varint(len(payload)) + payload


def _double_field(field: int, value: float) -> bytes:
    return _key(field, 1) + struct.pack("<d", value)


def _packed_doubles(field: int, values: Any) -> bytes:
    data = np.asarray(values, dtype="<f8").tobytes()
    return _bytes_field(field, data)


def _event(
    summary: bytes | None,
    step: int,
    wall_time: float | None,
    file_version: bytes | None = None,
) -> bytes:
    out = _double_field(1, time.time() if wall_time is None else wall_time)
    out += _key(2, 0) + _varint(int(step))
    if file_version is not None:
        out += _bytes_field(3, file_version)
    if summary is not None:
        out += _bytes_field(5, summary)
    return out


def scalar_event(
    tag: str, value: float, step: int, wall_time: float | None = None
) -> bytes:
    """A serialized Event holding one scalar summary (``simple_value``).

    Example:
        >>> scalar_event("a", 1.0, 0, 0.0)[:1]
        b'\\t'
    """
    value_msg = _bytes_field(1, tag.encode()) + _key(2, 5) + struct.pack("<f", value)
    return _event(_bytes_field(1, value_msg), step, wall_time)


def histogram_proto(values: Any, bins: int = _HISTOGRAM_BINS) -> bytes:
    """A serialized HistogramProto of ``values`` with equal-width buckets.

    ``bucket_limit[i]`` is the right edge of bucket ``i``; the first bucket
    starts at ``min``.

    Example:
        >>> len(histogram_proto(np.arange(10.0))) > 0
        True
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    x = x[np.isfinite(x)]
    if x.size == 0:
        low = high = 0.0
        counts, limits = np.zeros(1), np.zeros(1)
    else:
        low, high = float(x.min()), float(x.max())
        if low == high:
            counts, limits = np.array([float(x.size)]), np.array([high])
        else:
            counts, edges = np.histogram(x, bins=bins, range=(low, high))
            limits = edges[1:]
    out = _double_field(1, low) + _double_field(2, high)
    out += _double_field(3, float(x.size)) + _double_field(4, float(x.sum()))
    out += _double_field(5, float(np.square(x).sum()))
    out += _packed_doubles(6, limits) + _packed_doubles(7, counts.astype(np.float64))
    return out


def histogram_event(
    tag: str, values: Any, step: int, wall_time: float | None = None
) -> bytes:
    """A serialized Event holding one histogram summary.

    Example:
        >>> len(histogram_event("w", [1.0, 2.0], 0, 0.0)) > 0
        True
    """
    value_msg = _bytes_field(1, tag.encode()) + _bytes_field(5, histogram_proto(values))
    return _event(_bytes_field(1, value_msg), step, wall_time)


def frame(data: bytes) -> bytes:
    """One TFRecord record around ``data``.

    Example:
        >>> len(frame(b"abc"))
        19
    """
    crc = _kernels.load("crc32c")
    length = struct.pack("<Q", len(data))
    head = length + struct.pack("<I", crc.mask(crc.crc32c(length)))
    return head + data + struct.pack("<I", crc.mask(crc.crc32c(data)))


class EventFileWriter:
    """Appends framed events to a new ``events.out.tfevents.*`` file in a folder.

    Args:
        log_dir: the folder (created if missing).

    Example:
        >>> import tempfile
        >>> w = EventFileWriter(tempfile.mkdtemp())
        >>> w.add(scalar_event("loss", 0.1, 0)); w.close()
        >>> os.path.basename(w.path).startswith("events.out.tfevents.")
        True
    """

    def __init__(self, log_dir: str | os.PathLike) -> None:
        global _file_counter
        os.makedirs(log_dir, exist_ok=True)
        _file_counter += 1
        name = (
            f"events.out.tfevents.{int(time.time())}.{socket.gethostname()}"
            f".{os.getpid()}.{_file_counter}.v2"
        )
        self.path = os.path.join(os.fspath(log_dir), name)
        self._file = open(self.path, "wb")  # noqa: SIM115
        self.add(_event(None, 0, None, file_version=_FILE_VERSION))

    def add(self, event: bytes) -> None:
        """Append one serialized Event."""
        if self._file is None:
            raise ValueError(f"event file {self.path!r} is closed")
        self._file.write(frame(event))

    def flush(self) -> None:
        """Push buffered events to disk."""
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        """Flush and close (idempotent)."""
        if self._file is not None:
            self._file.close()
            self._file = None
