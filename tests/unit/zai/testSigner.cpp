// SPDX-License-Identifier: MIT
#include "config/BridgeConfig.h"
#include "zai/Signer.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSigner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void workedExample_data();
    void workedExample();
    void canonicalMessage();
    void decodeSecret();
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
    QCOMPARE(ConfigLoader::decodeSigningSecret(u"6b65792d40404040292929282928283929292d787878782626262525252525"_s),
             Signer::defaultSecret());
    QCOMPARE(ConfigLoader::decodeSigningSecret(u"junjie"_s), "junjie"_ba);
    QCOMPARE(ConfigLoader::decodeSigningSecret(u"abc"_s), "abc"_ba); // odd length: UTF-8
    QCOMPARE(ConfigLoader::decodeSigningSecret(u"key-@@@@)))()((9))-xxxx&&&%%%%%"_s), Signer::defaultSecret());
}

QTEST_GUILESS_MAIN(TestSigner)
#include "testSigner.moc"
