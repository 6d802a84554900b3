// SPDX-License-Identifier: MIT
#include "util/Redact.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestRedact : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void removesSecrets();
    void removesImageData();
};

void TestRedact::removesSecrets()
{
    const QString jwt = u"eyJhbGciOiJFUzI1NiJ9.eyJpZCI6ImFiYyJ9.c2lnbmF0dXJl"_s;
    const QString sig = u"ee06c6a4771a932ca752d99e8ea73414b8f7f4c829da0094ada9e9aa3984fd77"_s;
    const QString text = u"url ?token="_s + jwt + u"&user_id=1 header Authorization: Bearer sk-local-123 "
                         u"sig "_s + sig + u" my-secret-value {\"token\":\"opaque-abc\"}"_s;
    const QString out = Redact::text(text, {u"my-secret-value"_s});
    QVERIFY2(!out.contains(jwt), qPrintable(out));
    QVERIFY2(!out.contains(sig), qPrintable(out));
    QVERIFY2(!out.contains(u"sk-local-123"_s), qPrintable(out));
    QVERIFY2(!out.contains(u"my-secret-value"_s), qPrintable(out));
    QVERIFY2(!out.contains(u"opaque-abc"_s), qPrintable(out));
    QVERIFY(out.contains(u"user_id=1"_s));
    QVERIFY(out.contains(u"[redacted]"_s));
    QCOMPARE(Redact::text(u"prompt_tokens: 12"_s), u"prompt_tokens: 12"_s);
}

void TestRedact::removesImageData()
{
    // A request body as a client sends it, JSON-escaped slashes included, cut mid-image the way
    // the debug log cuts bodies.
    const QString body =
        uR"({"messages":[{"role":"user","content":[{"type":"text","text":"see"},{"type":"image_url","image_url":{"url":"data:image\/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAA+\/"}},{"type":"image_url","image_url":{"url":"DATA:image/jpeg;base64,/9j/4AAQSkZJRgABAQ)"_s;
    const QString out = Redact::text(body);
    QVERIFY2(!out.contains(u"iVBORw0KGgo"_s), qPrintable(out));
    QVERIFY2(!out.contains(u"4AAQSkZJRg"_s), qPrintable(out));
    QVERIFY2(out.contains(uR"(data:image\/png;base64,[image data]"}})"_s), qPrintable(out));
    QVERIFY2(out.contains(u"DATA:image/jpeg;base64,[image data]"_s), qPrintable(out));
    QVERIFY(out.contains(u"\"text\":\"see\""_s));
    QCOMPARE(Redact::text(u"the word base64, alone"_s), u"the word base64, alone"_s);
    // The CDN link of an uploaded file (zai-protocol.md 1.3) is a credential for the image.
    const QString cdn = Redact::text(u"\"cdn_url\":\"https://z-cdn-media.chatglm.cn/files/a.png?auth_key=1760-0-abc\""_s);
    QVERIFY2(!cdn.contains(u"1760-0-abc"_s), qPrintable(cdn));
}

QTEST_GUILESS_MAIN(TestRedact)
#include "testRedact.moc"
