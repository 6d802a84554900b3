// SPDX-License-Identifier: MIT
#include "Sha256.h"

#include <cstring>

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

} // namespace

Sha256::Sha256()
    : m_state{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
              0x5be0cd19}
{
}

void Sha256::compress(const std::uint8_t *block)
{
    std::uint32_t w[64];
    for (int i = 0; i < 16; ++i)
        w[i] = loadBigEndian(block + 4 * i);
    for (int i = 16; i < 64; ++i) {
        const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = m_state[0], b = m_state[1], c = m_state[2], d = m_state[3];
    std::uint32_t e = m_state[4], f = m_state[5], g = m_state[6], h = m_state[7];
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
    m_state[0] += a;
    m_state[1] += b;
    m_state[2] += c;
    m_state[3] += d;
    m_state[4] += e;
    m_state[5] += f;
    m_state[6] += g;
    m_state[7] += h;
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
