// SPDX-License-Identifier: MIT
#include "Sha256.h"

#include <cstring>

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#define ZB_SHA_NI 1
#endif

namespace {

constexpr std::uint32_t kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

constexpr std::uint32_t loadBigEndian(const std::uint8_t *p)
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8)
        | std::uint32_t(p[3]);
}

void storeBigEndian(std::uint8_t *p, std::uint32_t v)
{
    p[0] = std::uint8_t(v >> 24);
    p[1] = std::uint8_t(v >> 16);
    p[2] = std::uint8_t(v >> 8);
    p[3] = std::uint8_t(v);
}

void compressPortable(std::uint32_t *state, const std::uint8_t *block)
{
    std::uint32_t w[64];
    for (int i = 0; i < 16; ++i)
        w[i] = loadBigEndian(block + 4 * i);
    for (int i = 16; i < 64; ++i) {
        const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    std::uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; ++i) {
        const std::uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g))
            + kRound[i] + w[i];
        const std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

#ifdef ZB_SHA_NI
// The SHA extensions of x86 (most CPUs since 2017): four rounds per pair of instructions. The
// state is kept as ABEF and CDGH, the layout the round instruction works on.
__attribute__((target("sha,sse4.1,ssse3"))) void compressShaNi(std::uint32_t *state,
                                                               const std::uint8_t *block)
{
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i cdab = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i *>(state)), 0xB1);
    __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i *>(state + 4)), 0x1B);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
    const __m128i abefStart = abef;
    const __m128i cdghStart = cdgh;
    __m128i w[4]; // message words 4g-16 .. 4g-1, four to a register, by g modulo 4
    for (int g = 0; g < 16; ++g) {
        if (g < 4) {
            w[g] = _mm_shuffle_epi8(
                _mm_loadu_si128(reinterpret_cast<const __m128i *>(block + 16 * g)), byteSwap);
        } else {
            // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four words at a time.
            __m128i next = _mm_sha256msg1_epu32(w[g % 4], w[(g + 1) % 4]);
            next = _mm_add_epi32(next, _mm_alignr_epi8(w[(g + 3) % 4], w[(g + 2) % 4], 4));
            w[g % 4] = _mm_sha256msg2_epu32(next, w[(g + 3) % 4]);
        }
        __m128i message = _mm_add_epi32(
            w[g % 4], _mm_loadu_si128(reinterpret_cast<const __m128i *>(kRound + 4 * g)));
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message);
        message = _mm_shuffle_epi32(message, 0x0E);
        abef = _mm_sha256rnds2_epu32(abef, cdgh, message);
    }
    abef = _mm_add_epi32(abef, abefStart);
    cdgh = _mm_add_epi32(cdgh, cdghStart);
    const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128(reinterpret_cast<__m128i *>(state), _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(state + 4), _mm_alignr_epi8(dchg, feba, 8));
}

bool cpuHasShaNi()
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) || !(c & bit_SSSE3))
        return false;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return false;
    return (b & (1u << 29)) != 0; // SHA
}
#endif

using Compress = void (*)(std::uint32_t *, const std::uint8_t *);

Compress chooseCompress()
{
#ifdef ZB_SHA_NI
    if (cpuHasShaNi())
        return compressShaNi;
#endif
    return compressPortable;
}

const Compress compressBlock = chooseCompress();

} // namespace

bool Sha256::usesCpuExtensions()
{
#ifdef ZB_SHA_NI
    return compressBlock == compressShaNi;
#else
    return false;
#endif
}

void Sha256::compressPortableForTest(std::uint32_t *state, const std::uint8_t *block)
{
    compressPortable(state, block);
}

Sha256::Sha256()
    : m_state{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
              0x5be0cd19}
{
}

void Sha256::compress(const std::uint8_t *block)
{
    compressBlock(m_state, block);
}

void Sha256::add(QByteArrayView data)
{
    const auto *p = reinterpret_cast<const std::uint8_t *>(data.data());
    std::size_t left = std::size_t(data.size());
    std::size_t used = std::size_t(m_length % 64);
    m_length += left;
    if (used > 0) {
        const std::size_t take = std::min(left, 64 - used);
        std::memcpy(m_block + used, p, take);
        p += take;
        left -= take;
        if (used + take < 64)
            return;
        compress(m_block);
    }
    for (; left >= 64; p += 64, left -= 64)
        compress(p);
    if (left > 0)
        std::memcpy(m_block, p, left);
}

Sha256::Digest Sha256::finish()
{
    const std::uint64_t bits = m_length * 8;
    std::size_t used = std::size_t(m_length % 64);
    m_block[used++] = 0x80;
    if (used > 56) {
        std::memset(m_block + used, 0, 64 - used);
        compress(m_block);
        used = 0;
    }
    std::memset(m_block + used, 0, 56 - used);
    for (int i = 0; i < 8; ++i)
        m_block[56 + i] = std::uint8_t(bits >> (56 - 8 * i));
    compress(m_block);
    Digest digest;
    for (int i = 0; i < 8; ++i)
        storeBigEndian(digest.data() + 4 * i, m_state[i]);
    return digest;
}

Sha256::Digest Sha256::hash(QByteArrayView data)
{
    Sha256 h;
    h.add(data);
    return h.finish();
}

HmacSha256::HmacSha256(QByteArrayView key)
{
    std::uint8_t block[64] = {};
    if (key.size() > 64) {
        const Sha256::Digest digest = Sha256::hash(key);
        std::memcpy(block, digest.data(), digest.size());
    } else if (!key.isEmpty()) {
        std::memcpy(block, key.data(), std::size_t(key.size()));
    }
    std::uint8_t pad[64];
    for (int i = 0; i < 64; ++i)
        pad[i] = block[i] ^ 0x36;
    m_inner.add(QByteArrayView(reinterpret_cast<const char *>(pad), 64));
    for (int i = 0; i < 64; ++i)
        pad[i] = block[i] ^ 0x5c;
    m_outer.add(QByteArrayView(reinterpret_cast<const char *>(pad), 64));
}

Sha256::Digest HmacSha256::mac(QByteArrayView message) const
{
    Sha256 inner = m_inner;
    inner.add(message);
    const Sha256::Digest innerDigest = inner.finish();
    Sha256 outer = m_outer;
    outer.add(QByteArrayView(reinterpret_cast<const char *>(innerDigest.data()), innerDigest.size()));
    return outer.finish();
}

QByteArray HmacSha256::hex(const Sha256::Digest &digest)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    QByteArray out(qsizetype(digest.size() * 2), Qt::Uninitialized);
    char *w = out.data();
    for (const std::uint8_t byte : digest) {
        *w++ = kDigits[byte >> 4];
        *w++ = kDigits[byte & 0xf];
    }
    return out;
}
