// SPDX-License-Identifier: MIT
#include "Sha256.h"
#include "Signer.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

class TestSigner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void workedExample_data();
    void workedExample();
    void canonicalMessage();
    void layerKeyFollowsWindowAndSecret();
    void decodeSecret();
    void sha256Vectors();
    void sha256MatchesQt();
    void hmacMatchesQt();
    void portableBlockFunction();
};

void TestSigner::workedExample_data()
{
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QByteArray>("expected");
    // zai-protocol.md 3.3
    QTest::newRow("default key") << Signer::defaultSecret() << u"Hello, 世界!"_s
                                 << "ee06c6a4771a932ca752d99e8ea73414b8f7f4c829da0094ada9e9aa3984fd77"_ba;
    QTest::newRow("empty prompt") << Signer::defaultSecret() << QString()
                                  << "a4f179e5f2eba93bed312c57abb81ff96c18032cf88e0e441a0728d218e01b30"_ba;
    QTest::newRow("legacy junjie key") << "junjie"_ba << u"Hello, 世界!"_s
                                       << "462c344095efefcbb6a0fabd8200b56c4d401ebe16c5854b35dd78e60d2216df"_ba;
}

void TestSigner::workedExample()
{
    QFETCH(QByteArray, secret);
    QFETCH(QString, prompt);
    QFETCH(QByteArray, expected);
    QCOMPARE(Signer::sign(secret, u"6f1c2a9e-3b7d-4c8e-9f10-2a3b4c5d6e7f"_s, 1760000000000,
                          u"0b5e7c1a-8d2f-4e3b-9a6c-1f2e3d4c5b6a"_s, prompt),
             expected);
}

void TestSigner::layerKeyFollowsWindowAndSecret()
{
    // The first layer is kept per five-minute window and secret: every change must be seen.
    const auto reference = [](const QByteArray &secret, qint64 ts) {
        const QByteArray key = QMessageAuthenticationCode::hash(QByteArray::number(ts / 300000),
                                                                secret, QCryptographicHash::Sha256)
                                   .toHex();
        return QMessageAuthenticationCode::hash(
                   Signer::canonicalMessage(u"r"_s, ts, u"u"_s, u"p"_s), key,
                   QCryptographicHash::Sha256)
            .toHex();
    };
    const qint64 t = 1760000000000;
    const QList<QPair<QByteArray, qint64>> calls{{"a", t},          {"a", t + 1},
                                                 {"a", t + 300000}, {"b", t + 300000},
                                                 {"a", t + 300000}, {"a", t}};
    for (const auto &[secret, ts] : calls)
        QCOMPARE(Signer::sign(secret, u"r"_s, ts, u"u"_s, u"p"_s), reference(secret, ts));
}

void TestSigner::canonicalMessage()
{
    QCOMPARE(Signer::canonicalMessage(u"6f1c2a9e-3b7d-4c8e-9f10-2a3b4c5d6e7f"_s, 1760000000000,
                                      u"0b5e7c1a-8d2f-4e3b-9a6c-1f2e3d4c5b6a"_s,
                                      u"Hello, 世界!"_s),
             "requestId,6f1c2a9e-3b7d-4c8e-9f10-2a3b4c5d6e7f,timestamp,1760000000000,user_id,"
             "0b5e7c1a-8d2f-4e3b-9a6c-1f2e3d4c5b6a|SGVsbG8sIOS4lueVjCE=|1760000000000"_ba);
}

void TestSigner::decodeSecret()
{
    // The hex form of the default key decodes to the same bytes.
    QCOMPARE(Signer::decodeSecret(u"6b65792d40404040292929282928283929292d787878782626262525252525"_s),
             Signer::defaultSecret());
    QCOMPARE(Signer::decodeSecret(u"junjie"_s), "junjie"_ba);
    QCOMPARE(Signer::decodeSecret(u"abc"_s), "abc"_ba); // odd length: UTF-8
    QCOMPARE(Signer::decodeSecret(u"key-@@@@)))()((9))-xxxx&&&%%%%%"_s), Signer::defaultSecret());
}

void TestSigner::sha256Vectors()
{
    // FIPS 180-4 examples, and the padding edges (55, 56 and 64 bytes).
    const auto hex = [](QByteArrayView data) { return HmacSha256::hex(Sha256::hash(data)); };
    QCOMPARE(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_ba);
    QCOMPARE(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"_ba);
    QCOMPARE(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"_ba);
    for (const qsizetype n : {55, 56, 63, 64, 65, 119, 120, 128})
        QCOMPARE(hex(QByteArray(n, 'a')),
                 QCryptographicHash::hash(QByteArray(n, 'a'), QCryptographicHash::Sha256).toHex());
    // RFC 4231 test case 2.
    QCOMPARE(HmacSha256::hex(HmacSha256("Jefe").mac("what do ya want for nothing?")),
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"_ba);
}

void TestSigner::sha256MatchesQt()
{
    // Random lengths, fed whole and in random pieces.
    QRandomGenerator rng(1801);
    for (int round = 0; round < 500; ++round) {
        QByteArray data(int(rng.bounded(0, 700)), Qt::Uninitialized);
        for (char &c : data)
            c = char(rng.bounded(256));
        const QByteArray expected = QCryptographicHash::hash(data, QCryptographicHash::Sha256);
        const Sha256::Digest whole = Sha256::hash(data);
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(whole.data()), 32), expected);
        Sha256 pieces;
        for (qsizetype at = 0; at < data.size();) {
            const qsizetype n = qMin<qsizetype>(data.size() - at, rng.bounded(1, 150));
            pieces.add(QByteArrayView(data).sliced(at, n));
            at += n;
        }
        const Sha256::Digest piecewise = pieces.finish();
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(piecewise.data()), 32), expected);
    }
}

void TestSigner::hmacMatchesQt()
{
    // Keys shorter than, as long as and longer than a block (the last are hashed first); one key
    // object used for several messages.
    QRandomGenerator rng(2104);
    for (int round = 0; round < 200; ++round) {
        QByteArray key(int(rng.bounded(0, 200)), Qt::Uninitialized);
        for (char &c : key)
            c = char(rng.bounded(256));
        const HmacSha256 hmac(key);
        for (int m = 0; m < 3; ++m) {
            QByteArray message(int(rng.bounded(0, 400)), Qt::Uninitialized);
            for (char &c : message)
                c = char(rng.bounded(256));
            QCOMPARE(HmacSha256::hex(hmac.mac(message)),
                     QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256).toHex());
        }
    }
}

void TestSigner::portableBlockFunction()
{
    // The tests above ran with the block function this CPU gets; when that is the SHA
    // extensions, the portable one is checked here against the FIPS example "abc" in one block.
    qInfo("SHA-256 blocks hashed with %s", Sha256::usesCpuExtensions() ? "the CPU's SHA extensions"
                                                                        : "the portable code");
    std::uint32_t state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                              0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::uint8_t block[64] = {'a', 'b', 'c', 0x80};
    block[63] = 24; // the length in bits
    Sha256::compressPortableForTest(state, block);
    const std::uint32_t expected[8] = {0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                                       0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad};
    for (int i = 0; i < 8; ++i)
        QCOMPARE(state[i], expected[i]);

    // And against Qt for random messages, padded here.
    QRandomGenerator rng(180);
    for (int round = 0; round < 200; ++round) {
        QByteArray message(int(rng.bounded(0, 300)), Qt::Uninitialized);
        for (char &c : message)
            c = char(rng.bounded(256));
        QByteArray padded = message + '\x80';
        while (padded.size() % 64 != 56)
            padded += '\0';
        const quint64 bits = quint64(message.size()) * 8;
        for (int i = 7; i >= 0; --i)
            padded += char(bits >> (8 * i));
        std::uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                              0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
        for (qsizetype at = 0; at < padded.size(); at += 64)
            Sha256::compressPortableForTest(h, reinterpret_cast<const std::uint8_t *>(padded.constData() + at));
        QByteArray digest;
        for (const std::uint32_t word : h)
            digest += QByteArray(1, char(word >> 24)) + char(word >> 16) + char(word >> 8) + char(word);
        QCOMPARE(digest, QCryptographicHash::hash(message, QCryptographicHash::Sha256));
    }
}

QTEST_GUILESS_MAIN(TestSigner)
#include "testSigner.moc"
