// SPDX-License-Identifier: MIT
// UpstreamHttp against a scripted HTTP/1.1 server on 127.0.0.1: framing, keep-alive reuse, stale
// connections, draining, timeouts, errors and the absolute-form request through an HTTP proxy.
#include "net/UpstreamHttp.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

// Reads whole requests (head + Content-Length body) and hands them to a script.
class ScriptedServer : public QObject
{
public:
    using Script = std::function<void(QTcpSocket *socket, const QByteArray &request, int connection)>;

    explicit ScriptedServer(Script script) : m_script(std::move(script))
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                const int index = m_connections++;
                connect(socket, &QTcpSocket::disconnected, this, [this] { ++m_closed; });
                connect(socket, &QTcpSocket::readyRead, this, [this, socket, index] {
                    QByteArray &buffer = m_buffers[socket];
                    buffer += socket->readAll();
                    for (;;) {
                        const qsizetype end = buffer.indexOf("\r\n\r\n");
                        if (end < 0)
                            return;
                        qsizetype length = 0;
                        for (const QByteArray &line : buffer.left(end).split('\n')) {
                            if (line.toLower().startsWith("content-length:"))
                                length = line.mid(15).trimmed().toLongLong();
                        }
                        if (buffer.size() < end + 4 + length)
                            return;
                        const QByteArray request = buffer.left(end + 4 + length);
                        buffer.remove(0, request.size());
                        m_requests.append(request);
                        m_script(socket, request, index);
                    }
                });
            }
        });
    }

    QString url(const QString &path) const
    {
        return u"http://127.0.0.1:%1%2"_s.arg(m_server.serverPort()).arg(path);
    }
    quint16 port() const { return m_server.serverPort(); }
    int connections() const { return m_connections; }
    int closed() const { return m_closed; }
    const QList<QByteArray> &requests() const { return m_requests; }

private:
    Script m_script;
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<QByteArray> m_requests;
    int m_connections = 0;
    int m_closed = 0;
};

QByteArray chunk(const QByteArray &data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

const QByteArray kChunkedHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n";

struct Result
{
    int status = 0;
    QByteArray body;
    UpstreamReply::Error error = UpstreamReply::Error::None;
    QString errorString;
    int readyReads = 0;
};

// Runs one call to the end and collects what the reader saw.
Result call(UpstreamHttp &http, const QString &url, const QByteArray &body = "{}",
            int timeoutMs = 5000, const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    const QUrl full(url);
    UpstreamRequest request(full.adjusted(QUrl::RemoveQuery),
                            full.query(QUrl::FullyEncoded).toLatin1());
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    UpstreamReply *reply = http.post(request, body, timeoutMs, nullptr);
    Result result;
    QObject::connect(reply, &UpstreamReply::readyRead, reply, [&result, reply] {
        ++result.readyReads;
        result.body += reply->readAll();
    });
    QSignalSpy finished(reply, &UpstreamReply::finished);
    if (!finished.wait(timeoutMs + 3000))
        qWarning("call did not finish");
    result.body += reply->readAll();
    result.status = reply->status();
    result.error = reply->error();
    result.errorString = reply->errorString();
    delete reply;
    return result;
}

} // namespace

class TestUpstreamHttp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requestShape();
    void requestHeadersAndQuery();
    void chunkedAnswerOverManyWrites();
    void keepAliveReusesOneConnection();
    void interimAnswerAndContentLength();
    void statusLineAndHeaders_data();
    void statusLineAndHeaders();
    void bodyUntilClose();
    void staleParkedConnectionIsRetriedOnce();
    void largeBodyArrivesWholeAndIsResent();
    void droppedMidBodyIsAnError();
    void silentServerTimesOut();
    void compressedAnswerIsRefused();
    void releaseDrainsAndKeepsTheConnection();
    void wholeAnswerAtOnceFirstPieceFirst();
    void releaseInFirstPieceDrainsTheRest();
    void abortClosesTheConnection();
    void absoluteFormThroughHttpProxy();
    void routeFollowsUrlAndProxyChanges();
    void directRequestBytesAreWhatPostSends();
    void refusedConnections();
};

void TestUpstreamHttp::requestShape()
{
    ScriptedServer server([](QTcpSocket *socket, const QByteArray &, int) {
        socket->write("HTTP/1.1 204 No Content\r\n\r\n");
    });
    UpstreamHttp http;
    const Result r = call(http, server.url(u"/api/v2/chat/completions?a=1&b=%20x"_s), "{\"x\":1}",
                          5000, {{"X-Signature", "sig"}, {"Accept-Encoding", "gzip"}, {"Host", "evil"}});
    QCOMPARE(r.status, 204);
    QCOMPARE(r.error, UpstreamReply::Error::None);
    QCOMPARE(server.requests().size(), 1);
    const QByteArray request = server.requests().first();
    QVERIFY2(request.startsWith("POST /api/v2/chat/completions?a=1&b=%20x HTTP/1.1\r\n"),
             request.constData());
    QVERIFY(request.contains(QByteArray("\r\nHost: 127.0.0.1:" + QByteArray::number(server.port()) + "\r\n")));
    // Header names leave as they were written (QNetworkRequest in Qt 6.8 would lower-case them).
    QVERIFY(request.contains("\r\nX-Signature: sig\r\n"));
    QVERIFY(request.contains("\r\nContent-Length: 7\r\n"));
    QVERIFY(request.endsWith("\r\n\r\n{\"x\":1}"));
    // The client writes its own framing headers; it never asks for compression it cannot undo.
    QVERIFY(!request.toLower().contains("accept-encoding"));
    QVERIFY(!request.contains("evil"));
}

void TestUpstreamHttp::requestHeadersAndQuery()
{
    UpstreamRequest request(QUrl(u"https://chat.z.ai/api/v2/chat/completions"_s), "token=a%2Bb&x=1");
    request.setRawHeader("Accept", "*/*");
    request.setRawHeader("X-FE-Version", "1");
    request.setRawHeader("accept", "application/json"); // replaces, keeps the first spelling
    QCOMPARE(request.headers().size(), 2);
    QCOMPARE(request.headers().first(), (QPair<QByteArray, QByteArray>("Accept", "application/json")));
    QCOMPARE(request.rawHeader("ACCEPT"), "application/json"_ba);
    QCOMPARE(request.rawHeader("X-Missing"), QByteArray());
    QCOMPARE(request.url().toString(QUrl::FullyEncoded),
             u"https://chat.z.ai/api/v2/chat/completions?token=a%2Bb&x=1"_s);
    QCOMPARE(request.baseUrl().toString(), u"https://chat.z.ai/api/v2/chat/completions"_s);
}

void TestUpstreamHttp::chunkedAnswerOverManyWrites()
{
    const QByteArray body = "data: {\"a\":1}\n\ndata: {\"b\":2}\n\n";
    QByteArray wire = kChunkedHead + chunk(body.left(5)) + chunk(body.mid(5)) + "0\r\nX-T: 1\r\n\r\n";
    ScriptedServer server([wire](QTcpSocket *socket, const QByteArray &, int) {
        // Seven bytes per write, spread over the event loop: headers, size lines and data all
        // arrive split.
        auto *timer = new QTimer(socket);
        auto *at = new qsizetype(0);
        QObject::connect(timer, &QTimer::timeout, socket, [socket, timer, wire, at] {
            socket->write(wire.mid(*at, 7));
            socket->flush();
            *at += 7;
            if (*at >= wire.size()) {
                timer->stop();
                delete at;
            }
        });
        timer->start(1);
    });
    UpstreamHttp http;
    const Result r = call(http, server.url(u"/"_s));
    QCOMPARE(r.error, UpstreamReply::Error::None);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, body);
    QVERIFY(r.readyReads > 1);
}

void TestUpstreamHttp::keepAliveReusesOneConnection()
{
    ScriptedServer server([](QTcpSocket *socket, const QByteArray &, int connection) {
        socket->write(kChunkedHead + chunk("conn " + QByteArray::number(connection)) + "0\r\n\r\n");
    });
    UpstreamHttp http;
    for (int i = 0; i < 5; ++i)
        QCOMPARE(call(http, server.url(u"/"_s)).body, QByteArray("conn 0"));
    QCOMPARE(server.connections(), 1);
    QCOMPARE(http.idleConnections(), 1);
    QCOMPARE(http.openConnections(), 1);

    // Concurrent calls each get their own connection, parked afterwards.
    QList<UpstreamReply *> replies;
    ScriptedServer slow([](QTcpSocket *socket, const QByteArray &, int) {
        QTimer::singleShot(100, socket, [socket] { socket->write(kChunkedHead + chunk("x") + "0\r\n\r\n"); });
    });
    for (int i = 0; i < 10; ++i)
        replies.append(http.post(UpstreamRequest(QUrl(slow.url(u"/"_s))), "{}", 5000, this));
    QTRY_VERIFY(std::all_of(replies.begin(), replies.end(), [](UpstreamReply *r) { return !r->isRunning(); }));
    for (UpstreamReply *reply : replies) {
        QCOMPARE(reply->error(), UpstreamReply::Error::None);
        QCOMPARE(reply->readAll(), QByteArray("x"));
        delete reply;
    }
    QCOMPARE(slow.connections(), 10);
    QCOMPARE(http.idleConnections(), 11);
}

void TestUpstreamHttp::interimAnswerAndContentLength()
{
    ScriptedServer server([](QTcpSocket *socket, const QByteArray &, int) {
        socket->write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\n"
                      "content-length: 5\r\n\r\nslow!");
    });
    UpstreamHttp http;
    UpstreamRequest request{QUrl(server.url(u"/"_s))};
    UpstreamReply *reply = http.post(request, "{}", 5000, this);
    QSignalSpy finished(reply, &UpstreamReply::finished);
    QVERIFY(finished.wait());
    QCOMPARE(reply->status(), 429);
    QCOMPARE(reply->header("retry-after"), QByteArray("7"));
    QCOMPARE(reply->readAll(), QByteArray("slow!"));
    delete reply;
    QCOMPARE(http.idleConnections(), 1);
}

void TestUpstreamHttp::statusLineAndHeaders_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("status"); // 0: a protocol error
    QTest::addColumn<QByteArray>("trace");
    QTest::newRow("plain") << "HTTP/1.1 200 OK\r\nX-Trace:  t1 \r\n"_ba << 200 << "t1"_ba;
    QTest::newRow("no reason") << "HTTP/1.1 404\r\nx-trace:t2\r\n"_ba << 404 << "t2"_ba;
    QTest::newRow("bare LF lines") << "HTTP/1.1 500 Oops\nX-TRACE: t3\n"_ba << 500 << "t3"_ba;
    QTest::newRow("no colon ignored") << "HTTP/1.1 200 OK\r\nbogus\r\nX-Trace: t4\r\n"_ba << 200 << "t4"_ba;
    QTest::newRow("HTTP/2") << "HTTP/2 200 OK\r\n"_ba << 0 << QByteArray();
    QTest::newRow("not HTTP") << "ICY 200 OK\r\n"_ba << 0 << QByteArray();
    QTest::newRow("letters in status") << "HTTP/1.1 2x0 OK\r\n"_ba << 0 << QByteArray();
    QTest::newRow("status below 100") << "HTTP/1.1 099 Odd\r\n"_ba << 0 << QByteArray();
    QTest::newRow("no space after status") << "HTTP/1.1 200OK\r\n"_ba << 0 << QByteArray();
}

void TestUpstreamHttp::statusLineAndHeaders()
{
    QFETCH(QByteArray, head);
    QFETCH(int, status);
    QFETCH(QByteArray, trace);
    ScriptedServer server([head](QTcpSocket *socket, const QByteArray &, int) {
        socket->write(head + "Content-Length: 2\r\n\r\nok");
    });
    UpstreamHttp http;
    UpstreamReply *reply = http.post(UpstreamRequest(QUrl(server.url(u"/"_s))), "{}", 5000, this);
    QSignalSpy finished(reply, &UpstreamReply::finished);
    QVERIFY(finished.wait());
    if (status == 0) {
        QCOMPARE(reply->error(), UpstreamReply::Error::Protocol);
    } else {
        QCOMPARE(reply->error(), UpstreamReply::Error::None);
        QCOMPARE(reply->status(), status);
        QCOMPARE(reply->header("x-trace"), trace);
        QCOMPARE(reply->readAll(), "ok"_ba);
    }
    delete reply;
}

void TestUpstreamHttp::bodyUntilClose()
{
    ScriptedServer server([](QTcpSocket *socket, const QByteArray &, int) {
        socket->write("HTTP/1.0 200 OK\r\n\r\nall of it");
        socket->disconnectFromHost();
    });
    UpstreamHttp http;
    const Result r = call(http, server.url(u"/"_s));
    QCOMPARE(r.error, UpstreamReply::Error::None);
    QCOMPARE(r.body, QByteArray("all of it"));
    QCOMPARE(http.idleConnections(), 0);
    QTRY_COMPARE(http.openConnections(), 0);
}

void TestUpstreamHttp::staleParkedConnectionIsRetriedOnce()
{
    // Connection 0 answers once as if it stayed open, then drops the next request unanswered:
    // the race of a server closing an idle connection just as the client reuses it.
    int onFirst = 0;
    ScriptedServer server([&onFirst](QTcpSocket *socket, const QByteArray &, int connection) {
        if (connection == 0 && ++onFirst == 2) {
            socket->abort();
            return;
        }
        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n" + QByteArray::number(connection));
    });
    UpstreamHttp http;
    QCOMPARE(call(http, server.url(u"/"_s)).body, QByteArray("0"));
    QCOMPARE(http.idleConnections(), 1);
    const Result r = call(http, server.url(u"/"_s));
    QCOMPARE(r.error, UpstreamReply::Error::None);
    QCOMPARE(r.body, QByteArray("1"));
    QCOMPARE(server.connections(), 2);
    QCOMPARE(server.requests().size(), 3); // sent twice, answered once

    // A fresh connection that fails the same way is not retried: the error is the caller's.
    ScriptedServer rude([](QTcpSocket *socket, const QByteArray &, int) { socket->abort(); });
    const Result failed = call(http, rude.url(u"/"_s));
    QCOMPARE(failed.error, UpstreamReply::Error::RemoteClosed);
    QCOMPARE(rude.requests().size(), 1);
}

void TestUpstreamHttp::largeBodyArrivesWholeAndIsResent()
{
    // Bodies from 64 KiB on are written after the head instead of being copied behind it; the
    // request must still arrive whole, also when a stale connection makes the client resend it.
    QByteArray body;
    for (int i = 0; body.size() < 1024 * 1024; ++i)
        body += QByteArray::number(i) + ',';
    int onFirst = 0;
    ScriptedServer server([&onFirst](QTcpSocket *socket, const QByteArray &, int connection) {
        if (connection == 0 && ++onFirst == 2) {
            socket->abort();
            return;
        }
        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    });
    UpstreamHttp http;
    for (const QByteArray &payload : {QByteArray("{}"), body}) {
        const Result r = call(http, server.url(u"/"_s), payload);
        QCOMPARE(r.error, UpstreamReply::Error::None);
        QCOMPARE(r.body, QByteArray("ok"));
    }
    QCOMPARE(server.connections(), 2);
    QCOMPARE(server.requests().size(), 3); // the large one sent twice, answered once
    for (qsizetype i : {1, 2}) {
        const QByteArray &request = server.requests().at(i);
        QVERIFY(request.contains(QByteArray("Content-Length: " + QByteArray::number(body.size()) + "\r\n")));
        QCOMPARE(request.mid(request.indexOf("\r\n\r\n") + 4), body);
    }
}

void TestUpstreamHttp::droppedMidBodyIsAnError()
{
    ScriptedServer server([](QTcpSocket *socket, const QByteArray &, int) {
        socket->write(kChunkedHead + chunk("data: partial\n\n"));
        socket->flush();
        QTimer::singleShot(20, socket, [socket] { socket->disconnectFromHost(); });
    });
    UpstreamHttp http;
    const Result r = call(http, server.url(u"/"_s));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("data: partial\n\n"));
    QCOMPARE(r.error, UpstreamReply::Error::RemoteClosed);
}

void TestUpstreamHttp::silentServerTimesOut()
{
    ScriptedServer server([](QTcpSocket *, const QByteArray &, int) {});
    UpstreamHttp http;
    QElapsedTimer clock;
    clock.start();
    const Result r = call(http, server.url(u"/"_s), "{}", 300);
    QCOMPARE(r.error, UpstreamReply::Error::Timeout);
    QVERIFY(clock.elapsed() >= 250);
    QTRY_COMPARE(server.closed(), 1);
}

void TestUpstreamHttp::compressedAnswerIsRefused()
{
    ScriptedServer server([](QTcpSocket *socket, const QByteArray &, int) {
        socket->write("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc");
    });
    UpstreamHttp http;
    const Result r = call(http, server.url(u"/"_s));
    QCOMPARE(r.error, UpstreamReply::Error::Protocol);
    QVERIFY2(r.errorString.contains(u"gzip"_s), qPrintable(r.errorString));
    QVERIFY(r.body.isEmpty());
}

void TestUpstreamHttp::releaseDrainsAndKeepsTheConnection()
{
    ScriptedServer server([](QTcpSocket *socket, const QByteArray &, int connection) {
        socket->write(kChunkedHead + chunk("done " + QByteArray::number(connection)));
        socket->flush();
        QTimer::singleShot(50, socket, [socket] { socket->write(chunk("tail") + "0\r\n\r\n"); });
    });
    UpstreamHttp http;
    UpstreamReply *reply = http.post(UpstreamRequest(QUrl(server.url(u"/"_s))), "{}", 5000, this);
    QSignalSpy finished(reply, &UpstreamReply::finished);
    QSignalSpy ready(reply, &UpstreamReply::readyRead);
    QVERIFY(ready.wait());
    QCOMPARE(reply->readAll(), QByteArray("done 0"));
    reply->release();
    QVERIFY(!reply->isRunning());
    delete reply;
    QTRY_COMPARE(http.idleConnections(), 1);
    QCOMPARE(finished.size(), 0);
    QCOMPARE(call(http, server.url(u"/"_s)).body, QByteArray("done 0tail"));
    QCOMPARE(server.connections(), 1);
}

namespace {

// 300 events of about 60 bytes, one chunk each, written in one go.
QByteArray manyEventsAtOnce(QByteArray *body)
{
    QByteArray wire = kChunkedHead;
    for (int i = 0; i < 300; ++i) {
        const QByteArray event = "data: {\"n\":" + QByteArray::number(i) + ",\"text\":\"abcdefghijklmnopqrstuvwxyz\"}\n\n";
        *body += event;
        wire += chunk(event);
    }
    return wire + "0\r\n\r\n";
}

} // namespace

void TestUpstreamHttp::wholeAnswerAtOnceFirstPieceFirst()
{
    // The reader gets the start of an answer before the rest is decoded: its first readyRead
    // holds about 2 KiB, not all of the 18 KiB that arrived together.
    QByteArray body;
    const QByteArray wire = manyEventsAtOnce(&body);
    ScriptedServer server([wire](QTcpSocket *socket, const QByteArray &, int) {
        socket->write(wire);
    });
    UpstreamHttp http;
    UpstreamReply *reply = http.post(UpstreamRequest(QUrl(server.url(u"/"_s))), "{}", 5000, this);
    QList<qsizetype> pieces;
    QByteArray received;
    connect(reply, &UpstreamReply::readyRead, reply, [&] {
        const QByteArray piece = reply->readAll();
        pieces.append(piece.size());
        received += piece;
    });
    QSignalSpy finished(reply, &UpstreamReply::finished);
    QVERIFY(finished.wait());
    QCOMPARE(reply->error(), UpstreamReply::Error::None);
    QCOMPARE(received, body);
    QVERIFY(pieces.size() >= 2);
    QVERIFY2(pieces.first() <= 2048, QByteArray::number(pieces.first()).constData());
    delete reply;
    QTRY_COMPARE(http.idleConnections(), 1);
}

void TestUpstreamHttp::releaseInFirstPieceDrainsTheRest()
{
    // Released while the rest of the answer already waits in the buffer: the rest is drained
    // at once and the connection is parked for the next call.
    QByteArray body;
    const QByteArray wire = manyEventsAtOnce(&body);
    ScriptedServer server([wire](QTcpSocket *socket, const QByteArray &, int) {
        socket->write(wire);
    });
    UpstreamHttp http;
    UpstreamReply *reply = http.post(UpstreamRequest(QUrl(server.url(u"/"_s))), "{}", 5000, this);
    QSignalSpy finished(reply, &UpstreamReply::finished);
    int readyReads = 0;
    connect(reply, &UpstreamReply::readyRead, reply, [&] {
        ++readyReads;
        reply->readAll();
        reply->release();
    });
    QTRY_COMPARE(readyReads, 1);
    QTRY_COMPARE(http.idleConnections(), 1);
    QCOMPARE(finished.size(), 0);
    delete reply;
    QCOMPARE(call(http, server.url(u"/"_s)).body, body);
    QCOMPARE(server.connections(), 1);
}

void TestUpstreamHttp::abortClosesTheConnection()
{
    ScriptedServer server([](QTcpSocket *socket, const QByteArray &, int) {
        socket->write(kChunkedHead + chunk("first"));
    });
    UpstreamHttp http;
    UpstreamReply *reply = http.post(UpstreamRequest(QUrl(server.url(u"/"_s))), "{}", 5000, this);
    QSignalSpy finished(reply, &UpstreamReply::finished);
    QSignalSpy ready(reply, &UpstreamReply::readyRead);
    QVERIFY(ready.wait());
    delete reply; // deleting a running reply aborts it
    QTRY_COMPARE(server.closed(), 1);
    QCOMPARE(finished.size(), 0);
    QTRY_COMPARE(http.openConnections(), 0);
}

void TestUpstreamHttp::absoluteFormThroughHttpProxy()
{
    ScriptedServer proxy([](QTcpSocket *socket, const QByteArray &, int) {
        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    });
    UpstreamHttp http;
    http.setProxies(QUrl(u"http://user:p%40ss@127.0.0.1:%1"_s.arg(proxy.port())), QUrl(), {});
    const Result r = call(http, u"http://upstream.example:8080/api/v1/chats/new?x=1"_s);
    QCOMPARE(r.error, UpstreamReply::Error::None);
    QCOMPARE(r.body, QByteArray("ok"));
    const QByteArray request = proxy.requests().value(0);
    QVERIFY2(request.startsWith("POST http://upstream.example:8080/api/v1/chats/new?x=1 HTTP/1.1\r\n"),
             request.constData());
    QVERIFY(request.contains("\r\nHost: upstream.example:8080\r\n"));
    QVERIFY(request.contains(
        QByteArray("\r\nProxy-Authorization: Basic " + QByteArray("user:p@ss").toBase64() + "\r\n")));
    // Loopback always goes direct, proxy or not.
    ScriptedServer direct([](QTcpSocket *socket, const QByteArray &, int) {
        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\ndirect");
    });
    QCOMPARE(call(http, direct.url(u"/"_s)).body, QByteArray("direct"));
    QCOMPARE(proxy.requests().size(), 1);
}

void TestUpstreamHttp::routeFollowsUrlAndProxyChanges()
{
    // post() keeps the route of the last URL: another URL, and the same URL after setProxies(),
    // must each take their own way.
    const auto answering = [](const QByteArray &text) {
        return [text](QTcpSocket *socket, const QByteArray &, int) {
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(text.size())
                          + "\r\n\r\n" + text);
        };
    };
    ScriptedServer a(answering("a")), b(answering("b"));
    ScriptedServer firstProxy(answering("first")), secondProxy(answering("second"));
    UpstreamHttp http;
    QCOMPARE(call(http, a.url(u"/one"_s)).body, QByteArray("a"));
    QCOMPARE(call(http, b.url(u"/two"_s)).body, QByteArray("b"));
    QCOMPARE(call(http, a.url(u"/one"_s)).body, QByteArray("a"));
    QVERIFY(b.requests().value(0).startsWith("POST /two HTTP/1.1\r\nHost: 127.0.0.1:"));

    const QString remote = u"http://upstream.example:8080/api?x=1"_s;
    http.setProxies(QUrl(u"http://127.0.0.1:%1"_s.arg(firstProxy.port())), QUrl(), {});
    QCOMPARE(call(http, remote).body, QByteArray("first"));
    http.setProxies(QUrl(u"http://u:p@127.0.0.1:%1"_s.arg(secondProxy.port())), QUrl(), {});
    QCOMPARE(call(http, remote).body, QByteArray("second"));
    QCOMPARE(firstProxy.requests().size(), 1);
    QVERIFY(!firstProxy.requests().value(0).contains("Proxy-Authorization"));
    const QByteArray viaSecond = secondProxy.requests().value(0);
    QVERIFY2(viaSecond.startsWith("POST http://upstream.example:8080/api?x=1 HTTP/1.1\r\n"
                                  "Host: upstream.example:8080\r\n"),
             viaSecond.constData());
    QVERIFY(viaSecond.contains(
        QByteArray("\r\nProxy-Authorization: Basic " + QByteArray("u:p").toBase64() + "\r\n")));
}

void TestUpstreamHttp::directRequestBytesAreWhatPostSends()
{
    ScriptedServer server([](QTcpSocket *socket, const QByteArray &, int) {
        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    });
    const QUrl url(server.url(u"/api/v2/chat/completions"_s));
    UpstreamRequest request(url, "a=1&b=%20");
    request.setRawHeader("X-One", "1");
    request.setRawHeader("Connection", "close"); // the client's own header wins
    const QByteArray body = R"({"stream":true})";
    UpstreamHttp http;
    UpstreamReply *reply = http.post(request, body, 5000, nullptr);
    QSignalSpy finished(reply, &UpstreamReply::finished);
    QVERIFY(finished.wait());
    delete reply;
    QCOMPARE(server.requests().value(0), UpstreamHttp::directRequestBytes(request, body));
}

void TestUpstreamHttp::refusedConnections()
{
    QTcpServer closedPort;
    QVERIFY(closedPort.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closedPort.serverPort();
    closedPort.close();
    UpstreamHttp http;
    Result r = call(http, u"http://127.0.0.1:%1/"_s.arg(port));
    QCOMPARE(r.error, UpstreamReply::Error::ConnectionRefused);
    QCOMPARE(r.status, 0);

    http.setProxies(QUrl(u"http://127.0.0.1:%1"_s.arg(port)), QUrl(), {});
    UpstreamRequest request{QUrl(u"http://upstream.example/"_s)};
    UpstreamReply *reply = http.post(request, "{}", 5000, this);
    QSignalSpy finished(reply, &UpstreamReply::finished);
    QVERIFY(finished.wait());
    QCOMPARE(reply->error(), UpstreamReply::Error::ProxyFailed);
    QCOMPARE(reply->proxyName(), u"127.0.0.1:%1"_s.arg(port));
    delete reply;

    r = call(http, u"ftp://upstream.example/"_s);
    QCOMPARE(r.error, UpstreamReply::Error::Protocol);
}

QTEST_GUILESS_MAIN(TestUpstreamHttp)
#include "testUpstreamHttp.moc"
