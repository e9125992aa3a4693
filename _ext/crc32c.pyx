# cython: language_level=3
"""CRC-32C (Castagnoli) with the SSE4.2 instruction where the CPU has it.

Falls back to a slicing-by-8 table. Twin: pipeline/_reference/crc32c.py.
The GIL is released for inputs over a few KiB.
"""

import numpy as np

from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t
from crc32c_core cimport (
    pl_crc32c_update, pl_crc32c_update_sw, pl_crc_hw, pl_crc_init, pl_crc_mask,
)

pl_crc_init()

DEF _NOGIL_MIN_BYTES = 4096
cdef uint8_t _EMPTY[1]


cpdef uint32_t crc32c_update(uint32_t crc, const uint8_t[::1] data):
    """Continue a CRC-32C over ``data`` from a previous result ``crc``."""
    cdef size_t n = data.shape[0]
    if n == 0:
        return crc
    if n >= _NOGIL_MIN_BYTES:
        with nogil:
            crc = pl_crc32c_update(crc, &data[0], n)
        return crc
    return pl_crc32c_update(crc, &data[0], n)


cpdef uint32_t crc32c(const uint8_t[::1] data):
    """CRC-32C of ``data`` (bytes-like)."""
    return crc32c_update(0, data)


cpdef uint32_t crc32c_table(const uint8_t[::1] data):
    """CRC-32C through the table path only (to test the fallback)."""
    if data.shape[0] == 0:
        return 0
    return pl_crc32c_update_sw(0, &data[0], data.shape[0])


cpdef uint32_t mask(uint32_t crc):
    """TFRecord's masking of a CRC value."""
    return pl_crc_mask(crc)


cpdef uint32_t unmask(uint32_t masked):
    """Inverse of :func:`mask`."""
    cdef uint32_t rot = masked - 0xA282EAD8u
    return (rot >> 17) | (rot << 15)


cpdef uint32_t masked_crc32c(const uint8_t[::1] data):
    """The masked CRC-32C that TFRecord stores after the length and the data."""
    return pl_crc_mask(crc32c_update(0, data))


def has_hardware_crc():
    """Whether the SSE4.2 CRC instruction is in use."""
    return bool(pl_crc_hw)


def masked_crc32c_many(const uint8_t[::1] data, const int64_t[::1] starts,
                       const int64_t[::1] lengths):
    """The masked CRC-32C of each ``data[starts[i] : starts[i] + lengths[i]]``.

    Returns a uint32 array (TFRecord's data CRCs of a block of records);
    raises ValueError when the arrays differ in size or a slice leaves ``data``.
    """
    cdef Py_ssize_t i, k = starts.shape[0]
    cdef int64_t n = data.shape[0]
    if lengths.shape[0] != k:
        raise ValueError(f"{k} starts but {lengths.shape[0]} lengths")
    for i in range(k):
        # lengths[i] > n - starts[i], not starts[i] + lengths[i] > n: no overflow
        if (starts[i] < 0 or lengths[i] < 0 or starts[i] > n
                or lengths[i] > n - starts[i]):
            raise ValueError(f"slice {i} outside the {n} bytes given")
    out = np.empty(k, dtype=np.uint32)
    cdef uint32_t[::1] crcs = out
    cdef const uint8_t *base = &data[0] if n else _EMPTY
    with nogil:
        for i in range(k):
            crcs[i] = pl_crc_mask(pl_crc32c_update(0, base + starts[i], lengths[i]))
    return out
