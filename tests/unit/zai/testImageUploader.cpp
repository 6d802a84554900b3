// SPDX-License-Identifier: MIT
// The upload cache of ImageUploader: per account, bounded in size and age. The uploads themselves
// are proved against the fake upstream in tests/integration/testImages.
#include "zai/ImageUploader.h"

#include <QCryptographicHash>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QByteArray hashOf(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}

QJsonObject file(const QString &id)
{
    return QJsonObject{{u"id"_s, id}};
}

} // namespace

class TestImageUploader : public QObject
{
    Q_OBJECT
private slots:
    void cacheIsPerAccount();
    void cacheEntriesExpire();
    void cacheEvictsLeastRecentlyUsed();
    void zeroSizedCacheKeepsNothing();
};

void TestImageUploader::cacheIsPerAccount()
{
    UploadCache cache(8, 60);
    const QByteArray a = UploadCache::key(u"token-a"_s, hashOf("png"));
    const QByteArray b = UploadCache::key(u"token-b"_s, hashOf("png"));
    QVERIFY(a != b);
    QVERIFY(!a.contains("token-a")); // keys hold no token
    cache.insert(a, file(u"f1"_s), 0);
    QCOMPARE(cache.find(a, 1000)->value(u"id"_s).toString(), u"f1"_s);
    QVERIFY(!cache.find(b, 1000));
    QVERIFY(!cache.find(UploadCache::key(u"token-a"_s, hashOf("other")), 1000));
}

void TestImageUploader::cacheEntriesExpire()
{
    UploadCache cache(8, 60);
    const QByteArray key = UploadCache::key(u"t"_s, hashOf("png"));
    cache.insert(key, file(u"f1"_s), 1000);
    QVERIFY(cache.find(key, 60999));
    QVERIFY(!cache.find(key, 61000));
    QCOMPARE(cache.size(), 0);
}

void TestImageUploader::cacheEvictsLeastRecentlyUsed()
{
    UploadCache cache(2, 3600);
    const QByteArray k1 = UploadCache::key(u"t"_s, hashOf("1"));
    const QByteArray k2 = UploadCache::key(u"t"_s, hashOf("2"));
    const QByteArray k3 = UploadCache::key(u"t"_s, hashOf("3"));
    cache.insert(k1, file(u"f1"_s), 0);
    cache.insert(k2, file(u"f2"_s), 0);
    QVERIFY(cache.find(k1, 1)); // k2 is now the least recently used
    cache.insert(k3, file(u"f3"_s), 2);
    QCOMPARE(cache.size(), 2);
    QVERIFY(cache.find(k1, 3));
    QVERIFY(!cache.find(k2, 3));
    QVERIFY(cache.find(k3, 3));
}

void TestImageUploader::zeroSizedCacheKeepsNothing()
{
    UploadCache cache(0, 3600);
    const QByteArray key = UploadCache::key(u"t"_s, hashOf("png"));
    cache.insert(key, file(u"f1"_s), 0);
    QVERIFY(!cache.find(key, 1));
}

QTEST_GUILESS_MAIN(TestImageUploader)
#include "testImageUploader.moc"
