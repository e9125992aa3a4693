# cython: language_level=3
"""CRC-32C (Castagnoli) with the SSE4.2 instruction where the CPU has it.

Falls back to a slicing-by-8 table. Twin: pipeline/_reference/crc32c.py.
The GIL is released for inputs over a few KiB.
"""

from libc.stdint cimport uint8_t, uint32_t, uint64_t

cdef extern from *:
    """
    #include <stdint.h>
    #include <string.h>
    static uint32_t pl_crc_table[8][256];
    static int pl_crc_ready = 0;
    static int pl_crc_hw = 0;

    static void pl_crc_init(void) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            pl_crc_table[0][i] = c;
        }
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = pl_crc_table[0][i];
            for (int t = 1; t < 8; t++) {
                c = pl_crc_table[0][c & 0xFF] ^ (c >> 8);
                pl_crc_table[t][i] = c;
            }
        }
    #if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
        __builtin_cpu_init();
        pl_crc_hw = __builtin_cpu_supports("sse4.2");
    #endif
        pl_crc_ready = 1;
    }

    static uint32_t pl_crc_sw(uint32_t crc, const uint8_t *p, size_t n) {
        while (n && ((uintptr_t)p & 7)) { crc = pl_crc_table[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8); n--; }
        while (n >= 8) {
            uint64_t w; memcpy(&w, p, 8);
            w ^= crc;
            crc = pl_crc_table[7][w & 0xFF] ^ pl_crc_table[6][(w >> 8) & 0xFF] ^
                  pl_crc_table[5][(w >> 16) & 0xFF] ^ pl_crc_table[4][(w >> 24) & 0xFF] ^
                  pl_crc_table[3][(w >> 32) & 0xFF] ^ pl_crc_table[2][(w >> 40) & 0xFF] ^
                  pl_crc_table[1][(w >> 48) & 0xFF] ^ pl_crc_table[0][w >> 56];
            p += 8; n -= 8;
        }
        while (n--) crc = pl_crc_table[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    #if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    __attribute__((target("sse4.2")))
    static uint32_t pl_crc_hw_run(uint32_t crc, const uint8_t *p, size_t n) {
        uint64_t c = crc;
        while (n && ((uintptr_t)p & 7)) { c = __builtin_ia32_crc32qi((uint32_t)c, *p++); n--; }
        while (n >= 8) { uint64_t w; memcpy(&w, p, 8); c = __builtin_ia32_crc32di(c, w); p += 8; n -= 8; }
        while (n--) c = __builtin_ia32_crc32qi((uint32_t)c, *p++);
        return (uint32_t)c;
    }
    #else
    static uint32_t pl_crc_hw_run(uint32_t crc, const uint8_t *p, size_t n) { return pl_crc_sw(crc, p, n); }
    #endif

    static uint32_t pl_crc32c_update(uint32_t crc, const uint8_t *p, size_t n) {
        if (!pl_crc_ready) pl_crc_init();
        crc ^= 0xFFFFFFFFu;
        crc = pl_crc_hw ? pl_crc_hw_run(crc, p, n) : pl_crc_sw(crc, p, n);
        return crc ^ 0xFFFFFFFFu;
    }
    static uint32_t pl_crc32c_update_sw(uint32_t crc, const uint8_t *p, size_t n) {
        if (!pl_crc_ready) pl_crc_init();
        return pl_crc_sw(crc ^ 0xFFFFFFFFu, p, n) ^ 0xFFFFFFFFu;
    }
    static uint32_t pl_crc_mask(uint32_t c) {
        return ((c >> 15) | (c << 17)) + 0xA282EAD8u;
    }
    """
    void pl_crc_init() nogil
    uint32_t pl_crc32c_update(uint32_t crc, const uint8_t *p, size_t n) nogil
    uint32_t pl_crc32c_update_sw(uint32_t crc, const uint8_t *p, size_t n) nogil
    uint32_t pl_crc_mask(uint32_t c) nogil
    int pl_crc_hw

pl_crc_init()

DEF _NOGIL_MIN_BYTES = 4096


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
