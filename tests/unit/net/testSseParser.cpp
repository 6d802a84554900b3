// SPDX-License-Identifier: MIT
#include "net/SseParser.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSseParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitsEvents();
    void everyBoundary();
    void crlfAndComments();
    void finishReturnsUnterminatedEvent();
    void nextHandsOutOneEventAtATime();
};

void TestSseParser::splitsEvents()
{
    SseParser p;
    const auto events = p.feed("data: {\"a\":1}\n\ndata:{\"b\":2}\n\nda"_ba);
    QCOMPARE(events, (QList<QByteArray>{"{\"a\":1}"_ba, "{\"b\":2}"_ba}));
    QCOMPARE(p.feed("ta: x\n\n"_ba), QList<QByteArray>{"x"_ba});
}

void TestSseParser::everyBoundary()
{
    const QByteArray stream = "data: one\n\n: ping\n\ndata: two\ndata: lines\n\ndata: [DONE]\n\n"_ba;
    for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
        SseParser p;
        QList<QByteArray> events = p.feed(stream.left(cut));
        events += p.feed(stream.mid(cut));
        QCOMPARE(events, (QList<QByteArray>{"one"_ba, "two\nlines"_ba, "[DONE]"_ba}));
    }
}

void TestSseParser::crlfAndComments()
{
    SseParser p;
    QCOMPARE(p.feed("event: x\r\ndata: a\r\n\r\n: c\r\n\r\nid: 3\r\n\r\n"_ba),
             QList<QByteArray>{"a"_ba});
}

void TestSseParser::finishReturnsUnterminatedEvent()
{
    SseParser p;
    QVERIFY(p.feed("data: tail"_ba).isEmpty());
    QCOMPARE(p.finish(), QList<QByteArray>{"tail"_ba});
    QVERIFY(p.finish().isEmpty());
}

void TestSseParser::nextHandsOutOneEventAtATime()
{
    SseParser p;
    p.append("data: one\n\n: ping\n\ndata: two\ndata: lines\n\ndata: thr"_ba);
    QByteArrayView data;
    QVERIFY(p.next(&data));
    QCOMPARE(data, "one"_ba);
    QVERIFY(p.next(&data));
    QCOMPARE(data, "two\nlines"_ba);
    QVERIFY(!p.next(&data));
    // Events left unread stay for later; a new append keeps them.
    p.append("ee\n\ndata: four\n\n"_ba);
    QVERIFY(p.next(&data));
    QCOMPARE(data, "three"_ba);
    p.append("data: five\n\n"_ba);
    QVERIFY(p.next(&data));
    QCOMPARE(data, "four"_ba);
    QVERIFY(p.next(&data));
    QCOMPARE(data, "five"_ba);
    QVERIFY(!p.next(&data));
    QVERIFY(p.finish().isEmpty());
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "testSseParser.moc"
