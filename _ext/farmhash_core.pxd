# cython: language_level=3
"""Shared C core of the string hashes: cimport it (``from farmhash_core cimport ...``).

FarmHash Fingerprint64 (``plf_fingerprint64``), SipHash-2-4, TensorFlow's legacy
Hash64, FingerprintCat64 and an int64 -> decimal text helper, written from the
algorithms' descriptions. The functions are static C defined in this header, so
each extension that cimports them gets its own copy.
"""

from libc.stdint cimport uint8_t, uint64_t, int64_t

cdef extern from *:
    """
    #include <stdint.h>
    #include <string.h>
    #define PLF_K0 0xc3a5c85c97cb3127ULL
    #define PLF_K1 0xb492b66fbe98f273ULL
    #define PLF_K2 0x9ae16a3b2f90404fULL
    #define PLF_KMUL 0xc6a4a7935bd1e995ULL

    static inline uint64_t plf_f64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
    static inline uint64_t plf_f32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
    static inline uint64_t plf_rot(uint64_t v, int r) { return r == 0 ? v : (v >> r) | (v << (64 - r)); }
    static inline uint64_t plf_smix(uint64_t v) { return v ^ (v >> 47); }

    static inline uint64_t plf_len16(uint64_t u, uint64_t v, uint64_t mul) {
        uint64_t a = (u ^ v) * mul; a ^= a >> 47;
        uint64_t b = (v ^ a) * mul; b ^= b >> 47;
        return b * mul;
    }
    static uint64_t plf_0to16(const uint8_t *s, size_t n) {
        if (n >= 8) {
            uint64_t mul = PLF_K2 + n * 2;
            uint64_t a = plf_f64(s) + PLF_K2, b = plf_f64(s + n - 8);
            uint64_t c = plf_rot(b, 37) * mul + a, d = (plf_rot(a, 25) + b) * mul;
            return plf_len16(c, d, mul);
        }
        if (n >= 4) {
            uint64_t mul = PLF_K2 + n * 2;
            return plf_len16(n + (plf_f32(s) << 3), plf_f32(s + n - 4), mul);
        }
        if (n > 0) {
            uint32_t y = (uint32_t)s[0] + ((uint32_t)s[n >> 1] << 8);
            uint32_t z = (uint32_t)n + ((uint32_t)s[n - 1] << 2);
            return plf_smix(((uint64_t)y * PLF_K2) ^ ((uint64_t)z * PLF_K0)) * PLF_K2;
        }
        return PLF_K2;
    }
    static uint64_t plf_17to32(const uint8_t *s, size_t n) {
        uint64_t mul = PLF_K2 + n * 2;
        uint64_t a = plf_f64(s) * PLF_K1, b = plf_f64(s + 8);
        uint64_t c = plf_f64(s + n - 8) * mul, d = plf_f64(s + n - 16) * PLF_K2;
        return plf_len16(plf_rot(a + b, 43) + plf_rot(c, 30) + d,
                         a + plf_rot(b + PLF_K2, 18) + c, mul);
    }
    static uint64_t plf_33to64(const uint8_t *s, size_t n) {
        uint64_t mul = PLF_K2 + n * 2;
        uint64_t a = plf_f64(s) * PLF_K2, b = plf_f64(s + 8);
        uint64_t c = plf_f64(s + n - 8) * mul, d = plf_f64(s + n - 16) * PLF_K2;
        uint64_t y = plf_rot(a + b, 43) + plf_rot(c, 30) + d;
        uint64_t z = plf_len16(y, a + plf_rot(b + PLF_K2, 18) + c, mul);
        uint64_t e = plf_f64(s + 16) * mul, f = plf_f64(s + 24);
        uint64_t g = (y + plf_f64(s + n - 32)) * mul, h = (z + plf_f64(s + n - 24)) * mul;
        return plf_len16(plf_rot(e + f, 43) + plf_rot(g, 30) + h,
                         e + plf_rot(f + a, 18) + g, mul);
    }
    static inline void plf_weak32(const uint8_t *s, uint64_t a, uint64_t b, uint64_t out[2]) {
        uint64_t w = plf_f64(s), x = plf_f64(s + 8), y = plf_f64(s + 16), z = plf_f64(s + 24);
        a += w;
        b = plf_rot(b + a + z, 21);
        uint64_t c = a;
        a += x; a += y;
        b += plf_rot(a, 44);
        out[0] = a + z; out[1] = b + c;
    }
    /* one 64-byte round; k9 is 1 inside the loop and 9 for the last block */
    static inline void plf_block(const uint8_t *s, uint64_t *x, uint64_t *y, uint64_t *z,
                                 uint64_t v[2], uint64_t w[2], uint64_t mul, uint64_t k9) {
        *x = plf_rot(*x + *y + v[0] + plf_f64(s + 8), 37) * mul;
        *y = plf_rot(*y + v[1] + plf_f64(s + 48), 42) * mul;
        *x ^= w[1] * k9;
        *y += v[0] * k9 + plf_f64(s + 40);
        *z = plf_rot(*z + w[0], 33) * mul;
        plf_weak32(s, v[1] * mul, *x + w[0], v);
        plf_weak32(s + 32, *z + w[1], *y + plf_f64(s + 16), w);
        uint64_t t = *z; *z = *x; *x = t;
    }
    static uint64_t plf_long(const uint8_t *s, size_t n) {
        const uint64_t seed = 81;
        uint64_t y = seed * PLF_K1 + 113;
        uint64_t z = plf_smix(y * PLF_K2 + 113) * PLF_K2;
        uint64_t v[2] = {0, 0}, w[2] = {0, 0};
        uint64_t x = seed * PLF_K2 + plf_f64(s);
        size_t end = ((n - 1) / 64) * 64;
        size_t last64 = end + ((n - 1) & 63) - 63;
        for (size_t i = 0; i < end; i += 64) plf_block(s + i, &x, &y, &z, v, w, PLF_K1, 1);
        uint64_t mul = PLF_K1 + ((z & 0xff) << 1);
        w[0] += ((n - 1) & 63);
        v[0] += w[0];
        w[0] += v[0];
        plf_block(s + last64, &x, &y, &z, v, w, mul, 9);
        return plf_len16(plf_len16(v[0], w[0], mul) + plf_smix(y) * PLF_K0 + z,
                         plf_len16(v[1], w[1], mul) + x, mul);
    }
    static uint64_t plf_fingerprint64(const uint8_t *s, size_t n) {
        if (n <= 16) return plf_0to16(s, n);
        if (n <= 32) return plf_17to32(s, n);
        if (n <= 64) return plf_33to64(s, n);
        return plf_long(s, n);
    }

    #define PLF_SIPROUND do { \\
        v0 += v1; v1 = plf_rot(v1, 51) ^ v0; v0 = plf_rot(v0, 32); \\
        v2 += v3; v3 = plf_rot(v3, 48) ^ v2; \\
        v0 += v3; v3 = plf_rot(v3, 43) ^ v0; \\
        v2 += v1; v1 = plf_rot(v1, 47) ^ v2; v2 = plf_rot(v2, 32); } while (0)

    static uint64_t plf_siphash24(uint64_t k0, uint64_t k1, const uint8_t *s, size_t n) {
        uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
        uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
        size_t full = n - n % 8;
        for (size_t i = 0; i < full; i += 8) {
            uint64_t m = plf_f64(s + i);
            v3 ^= m; PLF_SIPROUND; PLF_SIPROUND; v0 ^= m;
        }
        uint64_t last = ((uint64_t)(n & 0xff)) << 56;
        for (size_t j = 0; j < n - full; j++) last |= ((uint64_t)s[full + j]) << (8 * j);
        v3 ^= last; PLF_SIPROUND; PLF_SIPROUND; v0 ^= last;
        v2 ^= 0xff;
        PLF_SIPROUND; PLF_SIPROUND; PLF_SIPROUND; PLF_SIPROUND;
        return v0 ^ v1 ^ v2 ^ v3;
    }

    static uint64_t plf_legacy(const uint8_t *s, size_t n) {
        uint64_t h = 0xDECAFCAFFEULL ^ (n * PLF_KMUL);
        size_t full = n - n % 8;
        for (size_t i = 0; i < full; i += 8) {
            uint64_t k = plf_f64(s + i) * PLF_KMUL;
            k = plf_smix(k) * PLF_KMUL;
            h = (h ^ k) * PLF_KMUL;
        }
        if (n > full) {
            uint64_t t = 0;
            for (size_t j = 0; j < n - full; j++) t |= ((uint64_t)s[full + j]) << (8 * j);
            h = (h ^ t) * PLF_KMUL;
        }
        h = plf_smix(h) * PLF_KMUL;
        return plf_smix(h);
    }

    static inline uint64_t plf_cat64(uint64_t fp1, uint64_t fp2) {
        uint64_t r = fp1 ^ PLF_KMUL;
        r ^= plf_smix(fp2 * PLF_KMUL) * PLF_KMUL;
        r *= PLF_KMUL;
        r = plf_smix(r) * PLF_KMUL;
        return plf_smix(r);
    }

    /* decimal text of v into buf (>= 21 bytes); returns the length */
    static size_t plf_itoa(int64_t v, uint8_t *buf) {
        uint8_t tmp[24]; size_t n = 0, k = 0;
        uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        do { tmp[n++] = (uint8_t)('0' + u % 10); u /= 10; } while (u);
        if (v < 0) buf[k++] = '-';
        while (n) buf[k++] = tmp[--n];
        return k;
    }
    """
    uint64_t plf_fingerprint64(const uint8_t *s, size_t n) nogil
    uint64_t plf_siphash24(uint64_t k0, uint64_t k1, const uint8_t *s, size_t n) nogil
    uint64_t plf_legacy(const uint8_t *s, size_t n) nogil
    uint64_t plf_cat64(uint64_t fp1, uint64_t fp2) nogil
    size_t plf_itoa(int64_t v, uint8_t *buf) nogil
