// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <array>
#include <cstdint>

// SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104) for the request signature, which runs for
// every completion. QCryptographicHash and QMessageAuthenticationCode compute the same values
// (the unit test compares them) at several times the cost, and cannot keep an HMAC key's padded
// blocks hashed between messages, which HmacSha256 does.
class Sha256
{
public:
    using Digest = std::array<std::uint8_t, 32>;

    Sha256();
    void add(QByteArrayView data);
    Digest finish(); // the object is spent afterwards

    static Digest hash(QByteArrayView data);

    // True when blocks are hashed with the CPU's SHA instructions (x86 SHA extensions).
    static bool usesCpuExtensions();
    // The portable block function, whatever the CPU has: for the tests that compare the two.
    static void compressPortableForTest(std::uint32_t *state, const std::uint8_t *block);

private:
    friend class HmacSha256;
    void compress(const std::uint8_t *block);

    std::uint32_t m_state[8];
    std::uint8_t m_block[64];
    std::uint64_t m_length = 0; // bytes added so far
};

// An HMAC key with its inner and outer pad blocks already hashed: each message then costs its
// own blocks and one more.
class HmacSha256
{
public:
    explicit HmacSha256(QByteArrayView key);
    Sha256::Digest mac(QByteArrayView message) const;

    static QByteArray hex(const Sha256::Digest &digest);

private:
    Sha256 m_inner;
    Sha256 m_outer;
};
