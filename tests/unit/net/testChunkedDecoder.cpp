// SPDX-License-Identifier: MIT
#include "net/ChunkedDecoder.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using Status = ChunkedDecoder::Status;

namespace {

struct Decoded
{
    Status status = Status::NeedMore;
    QByteArray data;
    QByteArray rest; // input left after the body
};

// Feeds `wire` in pieces cut at `cuts` (ascending offsets), as the socket would hand it over.
Decoded decodeInPieces(const QByteArray &wire, const QList<qsizetype> &cuts)
{
    ChunkedDecoder decoder;
    Decoded result;
    QByteArray in;
    qsizetype from = 0;
    QList<qsizetype> ends = cuts;
    ends.append(wire.size());
    for (const qsizetype end : std::as_const(ends)) {
        in += wire.mid(from, end - from);
        from = end;
        result.status = decoder.decode(&in, &result.data);
        if (result.status != Status::NeedMore)
            break;
        if (!in.isEmpty() && in.size() > ChunkedDecoder::kMaxLineBytes + 2)
            break; // a decoder that keeps piling up input is a bug the caller would see
    }
    result.rest = in;
    return result;
}

Decoded decodeWhole(const QByteArray &wire)
{
    return decodeInPieces(wire, {});
}

} // namespace

class TestChunkedDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wellFormed_data();
    void wellFormed();
    void anySplitGivesTheSameResult();
    void randomBodiesInRandomPieces();
    void unfinishedBodyNeedsMore();
    void malformed_data();
    void malformed();
    void longSizeLineIsMalformedBeforeItEnds();
    void consumedInputIsRemoved();
    void limitLooksAtAPrefixOnly();
};

void TestChunkedDecoder::wellFormed_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("rest");
    QTest::newRow("two chunks") << "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"_ba << "hello world"_ba << QByteArray();
    QTest::newRow("empty body") << "0\r\n\r\n"_ba << QByteArray() << QByteArray();
    QTest::newRow("hex sizes") << "a\r\n0123456789\r\nA\r\nabcdefghij\r\n0\r\n\r\n"_ba
                               << "0123456789abcdefghij"_ba << QByteArray();
    QTest::newRow("leading zeros") << "0005\r\nhello\r\n000\r\n\r\n"_ba << "hello"_ba << QByteArray();
    QTest::newRow("extensions") << "5;name=value\r\nhello\r\n5 ; x=\"y;z\"\r\nthere\r\n0;last\r\n\r\n"_ba
                                << "hellothere"_ba << QByteArray();
    QTest::newRow("trailers") << "3\r\nabc\r\n0\r\nX-Checksum: 1\r\nX-Other: 2\r\n\r\n"_ba << "abc"_ba
                              << QByteArray();
    QTest::newRow("CRLF inside data") << "4\r\n\r\n\r\n\r\n0\r\n\r\n"_ba << "\r\n\r\n"_ba << QByteArray();
    QTest::newRow("next answer left in the input")
        << "2\r\nok\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n"_ba << "ok"_ba << "HTTP/1.1 200 OK\r\n"_ba;
}

void TestChunkedDecoder::wellFormed()
{
    QFETCH(QByteArray, wire);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, rest);
    const Decoded d = decodeWhole(wire);
    QCOMPARE(d.status, Status::Done);
    QCOMPARE(d.data, data);
    QCOMPARE(d.rest, rest);
}

void TestChunkedDecoder::anySplitGivesTheSameResult()
{
    const QByteArray wire = "5;x=1\r\nhello\r\n1\r\n \r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\n"_ba;
    // Every single cut, and every byte on its own.
    for (qsizetype cut = 1; cut < wire.size(); ++cut) {
        const Decoded d = decodeInPieces(wire, {cut});
        QCOMPARE(d.status, Status::Done);
        QCOMPARE(d.data, "hello 0123456789abcdef"_ba);
        QVERIFY(d.rest.isEmpty());
    }
    QList<qsizetype> everyByte;
    for (qsizetype i = 1; i < wire.size(); ++i)
        everyByte.append(i);
    const Decoded d = decodeInPieces(wire, everyByte);
    QCOMPARE(d.status, Status::Done);
    QCOMPARE(d.data, "hello 0123456789abcdef"_ba);
}

void TestChunkedDecoder::randomBodiesInRandomPieces()
{
    QRandomGenerator rng(20261126);
    for (int round = 0; round < 300; ++round) {
        QByteArray wire;
        QByteArray expected;
        const int chunks = int(rng.bounded(8));
        for (int c = 0; c < chunks; ++c) {
            QByteArray data(int(rng.bounded(1, 300)), Qt::Uninitialized);
            for (char &ch : data)
                ch = char(rng.bounded(256));
            expected += data;
            wire += QByteArray::number(data.size(), 16) + (rng.bounded(4) == 0 ? ";ext=1" : "")
                + "\r\n" + data + "\r\n";
        }
        wire += "0\r\n\r\n";
        QList<qsizetype> cuts;
        for (qsizetype at = 0; at < wire.size();) {
            at += qsizetype(rng.bounded(1, 40));
            if (at < wire.size())
                cuts.append(at);
        }
        const Decoded d = decodeInPieces(wire, cuts);
        QCOMPARE(d.status, Status::Done);
        QCOMPARE(d.data, expected);
        QVERIFY(d.rest.isEmpty());
    }
}

void TestChunkedDecoder::unfinishedBodyNeedsMore()
{
    for (const QByteArray &wire : {"5\r\nhel"_ba, "5\r\nhello"_ba, "5\r\nhello\r"_ba,
                                   "5\r\nhello\r\n0\r\n"_ba, "5\r\nhello\r\n0\r\nT: 1\r\n"_ba, "1f"_ba}) {
        const Decoded d = decodeWhole(wire);
        QCOMPARE(d.status, Status::NeedMore);
    }
}

void TestChunkedDecoder::malformed_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::newRow("not hex") << "zz\r\nab\r\n"_ba;
    QTest::newRow("empty size line") << "\r\nab\r\n"_ba;
    QTest::newRow("negative size") << "-5\r\nhello\r\n"_ba;
    QTest::newRow("0x prefix") << "0x5\r\nhello\r\n"_ba;
    QTest::newRow("junk after size") << "5 x\r\nhello\r\n"_ba;
    QTest::newRow("bare LF") << "5\nhello\r\n"_ba;
    QTest::newRow("data longer than its size") << "3\r\nhello\r\n"_ba;
    QTest::newRow("no CRLF after data") << "5\r\nhelloXY0\r\n\r\n"_ba;
    QTest::newRow("size overflows") << "8000000000000000\r\n"_ba;
    QTest::newRow("bare LF in trailers") << "0\r\nT: 1\n\r\n"_ba;
    QTest::newRow("trailers too large")
        << "0\r\n"_ba + QByteArray(ChunkedDecoder::kMaxTrailerBytes, 'a') + "\r\n\r\n"_ba;
}

void TestChunkedDecoder::malformed()
{
    QFETCH(QByteArray, wire);
    QCOMPARE(decodeWhole(wire).status, Status::Malformed);
}

void TestChunkedDecoder::longSizeLineIsMalformedBeforeItEnds()
{
    // A size line that never ends is refused once it is too long, not buffered forever.
    ChunkedDecoder decoder;
    QByteArray in = "5;" + QByteArray(ChunkedDecoder::kMaxLineBytes, 'x');
    QByteArray out;
    QCOMPARE(decoder.decode(&in, &out), Status::Malformed);
    QByteArray shortLine = "5;" + QByteArray(100, 'x');
    ChunkedDecoder other;
    QCOMPARE(other.decode(&shortLine, &out), Status::NeedMore);
}

void TestChunkedDecoder::consumedInputIsRemoved()
{
    ChunkedDecoder decoder;
    QByteArray in = "5\r\nhel"_ba;
    QByteArray out;
    QCOMPARE(decoder.decode(&in, &out), Status::NeedMore);
    QVERIFY(in.isEmpty()); // the data so far went out at once
    QCOMPARE(out, "hel"_ba);
    in = "lo\r\n5\r"_ba; // a size line cut before its LF stays in the input
    QCOMPARE(decoder.decode(&in, &out), Status::NeedMore);
    QCOMPARE(in, "5\r"_ba);
    in += "\nworld\r\n0\r\n\r\n";
    QCOMPARE(decoder.decode(&in, &out), Status::Done);
    QCOMPARE(out, "helloworld"_ba);
    QVERIFY(in.isEmpty());
    decoder.reset();
    in = "1\r\nx\r\n0\r\n\r\n"_ba;
    QCOMPARE(decoder.decode(&in, &out), Status::Done);
    QCOMPARE(out, "helloworldx"_ba);
}

void TestChunkedDecoder::limitLooksAtAPrefixOnly()
{
    const QByteArray wire = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"_ba;
    for (qsizetype limit = 0; limit <= wire.size(); ++limit) {
        ChunkedDecoder decoder;
        QByteArray in = wire;
        QByteArray out;
        QCOMPARE(decoder.decode(&in, &out, limit), limit == wire.size() ? Status::Done : Status::NeedMore);
        QVERIFY(in.size() >= wire.size() - limit); // nothing past the limit was used
        QCOMPARE(decoder.decode(&in, &out), Status::Done);
        QCOMPARE(out, "hello world"_ba);
        QVERIFY(in.isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestChunkedDecoder)
#include "testChunkedDecoder.moc"
