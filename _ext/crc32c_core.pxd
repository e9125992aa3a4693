# cython: language_level=3
"""Shared C core of CRC-32C: cimport it (``from crc32c_core cimport ...``) to reuse.

The functions are static C defined in this header, so each extension that
cimports them gets its own copy; nothing is imported at run time.
Call ``pl_crc_init()`` once at module init before threads use the others.
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
    static inline uint32_t pl_crc32c_update_sw(uint32_t crc, const uint8_t *p, size_t n) {
        if (!pl_crc_ready) pl_crc_init();
        return pl_crc_sw(crc ^ 0xFFFFFFFFu, p, n) ^ 0xFFFFFFFFu;
    }
    static inline uint32_t pl_crc_mask(uint32_t c) {
        return ((c >> 15) | (c << 17)) + 0xA282EAD8u;
    }
    """
    void pl_crc_init() nogil
    uint32_t pl_crc32c_update(uint32_t crc, const uint8_t *p, size_t n) nogil
    uint32_t pl_crc32c_update_sw(uint32_t crc, const uint8_t *p, size_t n) nogil
    uint32_t pl_crc_mask(uint32_t c) nogil
    int pl_crc_hw
