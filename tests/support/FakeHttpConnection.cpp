// SPDX-License-Identifier: MIT
#include "FakeHttpConnection.h"

#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

QByteArray chunk(const QByteArray &data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

} // namespace

FakeHttpConnection::FakeHttpConnection(QTcpSocket *socket, QObject *parent)
    : QObject(parent), m_socket(socket)
{
    m_socket->setParent(this);
    // SSE events must leave at once, not when Nagle decides: latency benchmarks measure this.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, &FakeHttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &FakeHttpConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &FakeHttpConnection::onSocketGone);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            onSocketGone();
    });
    // Bytes that arrived before the connects above would otherwise wait for the next packet.
    QMetaObject::invokeMethod(this, &FakeHttpConnection::onReadyRead, Qt::QueuedConnection);
}

QByteArray FakeHttpConnection::reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue"_ba;
    case 200:
        return "OK"_ba;
    case 302:
        return "Found"_ba;
    case 400:
        return "Bad Request"_ba;
    case 401:
        return "Unauthorized"_ba;
    case 403:
        return "Forbidden"_ba;
    case 404:
        return "Not Found"_ba;
    case 405:
        return "Method Not Allowed"_ba;
    case 413:
        return "Payload Too Large"_ba;
    case 422:
        return "Unprocessable Entity"_ba;
    case 426:
        return "Upgrade Required"_ba;
    case 429:
        return "Too Many Requests"_ba;
    case 431:
        return "Request Header Fields Too Large"_ba;
    case 500:
        return "Internal Server Error"_ba;
    case 501:
        return "Not Implemented"_ba;
    case 502:
        return "Bad Gateway"_ba;
    case 503:
        return "Service Unavailable"_ba;
    default:
        return "Status"_ba;
    }
}

void FakeHttpConnection::onReadyRead()
{
    if (m_state == State::Gone || m_state == State::Closing) {
        m_socket->readAll(); // nobody will answer; just drain
        return;
    }
    m_buffer += m_socket->readAll();
    // A client that keeps sending while its previous request is still answered may pipeline,
    // but not without bound.
    if (m_buffer.size() > MaxHeaderBytes + MaxBodyBytes) {
        m_buffer.clear();
        closeByServer();
        return;
    }
    processBuffer();
}

void FakeHttpConnection::processBuffer()
{
    while (m_state == State::Idle) {
        if (!m_haveHead) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0) {
                if (m_buffer.size() > MaxHeaderBytes)
                    failAndClose(431);
                return;
            }
            if (end > MaxHeaderBytes) {
                failAndClose(431);
                return;
            }
            const QByteArray headBytes = m_buffer.left(end);
            m_buffer.remove(0, end + 4);
            if (!parseHead(headBytes))
                return; // parseHead answered with an error and closes
            m_haveHead = true;
            if (m_request.header("expect"_ba).compare("100-continue", Qt::CaseInsensitive) == 0 &&
                m_buffer.size() < m_contentLength) {
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n"_ba);
            }
        }
        if (m_buffer.size() < m_contentLength)
            return;
        m_request.body = m_buffer.left(m_contentLength);
        m_buffer.remove(0, m_contentLength);
        m_haveHead = false;
        if (m_request.body.startsWith('{')) {
            const QJsonDocument doc = QJsonDocument::fromJson(m_request.body);
            m_request.json = doc.object();
        }

        m_request.receivedAt = std::chrono::steady_clock::now();
        m_state = State::Handling;
        const QPointer<FakeHttpConnection> guard(this);
        emit requestReady(m_request);
        if (!guard)
            return;
        if (m_state == State::Handling) // the handler forgot to answer: say so, loudly
            sendResponse(500, {{"Content-Type"_ba, "application/json"_ba}},
                         R"({"detail":"fake upstream: unhandled request"})"_ba, true);
    }
}

bool FakeHttpConnection::parseHead(const QByteArray &headBytes)
{
    m_request = RecordedRequest();
    m_contentLength = 0;
    const QList<QByteArray> lines = headBytes.split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")) {
        failAndClose(400);
        return false;
    }
    m_request.method = requestLine.at(0);
    const QUrl url = QUrl::fromEncoded(requestLine.at(1));
    m_request.path = url.path();
    m_request.query = QUrlQuery(url.query(QUrl::FullyEncoded));
    m_keepAlive = requestLine.at(2) == "HTTP/1.1";

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            failAndClose(400);
            return false;
        }
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        auto it = m_request.headers.find(name);
        if (it == m_request.headers.end())
            m_request.headers.insert(name, value);
        else
            *it += ", " + value;
    }

    const QByteArray connection = m_request.header("connection"_ba).toLower();
    if (connection.contains("close"))
        m_keepAlive = false;
    else if (connection.contains("keep-alive"))
        m_keepAlive = true;

    // Every client the project uses sends Content-Length; chunked uploads are not worth a parser.
    if (m_request.headers.contains("transfer-encoding"_ba)) {
        failAndClose(501);
        return false;
    }
    if (m_request.headers.contains("content-length"_ba)) {
        bool ok = false;
        m_contentLength = m_request.header("content-length"_ba).toLongLong(&ok);
        if (!ok || m_contentLength < 0) {
            failAndClose(400);
            return false;
        }
        if (m_contentLength > MaxBodyBytes) {
            failAndClose(413);
            return false;
        }
    }
    return true;
}

QByteArray FakeHttpConnection::head(int status, const FakeHttpHeaders &headers,
                                    bool closeAfter) const
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    out += closeAfter ? "Connection: close\r\n\r\n"_ba : "Connection: keep-alive\r\n\r\n"_ba;
    return out;
}

void FakeHttpConnection::sendResponse(int status, const FakeHttpHeaders &headers,
                                      const QByteArray &body, bool closeAfter)
{
    if (m_state != State::Handling) // one answer per request, and none after the socket went
        return;
    const bool close = closeAfter || !m_keepAlive;
    FakeHttpHeaders all = headers;
    all.append({"Content-Length"_ba, QByteArray::number(body.size())});
    m_socket->write(head(status, all, close) + body);
    if (close)
        closeByServer();
    else
        m_state = State::Idle;
}

void FakeHttpConnection::failAndClose(int status)
{
    m_state = State::Handling;
    sendResponse(status, {{"Content-Type"_ba, "application/json"_ba}},
                 R"({"detail":")" + reasonPhrase(status) + R"("})", true);
}

void FakeHttpConnection::dropWithoutResponse()
{
    if (m_state == State::Gone)
        return;
    m_state = State::Closing;
    m_socket->abort(); // emits disconnected synchronously; onSocketGone cleans up
}

void FakeHttpConnection::closeByServer()
{
    if (m_state == State::Gone)
        return;
    m_state = State::Closing;
    m_socket->disconnectFromHost(); // lets queued bytes drain, then FIN
}

void FakeHttpConnection::startStream(const FakeHttpHeaders &headers, const StreamPlan &plan)
{
    if (m_state != State::Handling)
        return;
    FakeHttpHeaders all = headers;
    all.append({"Transfer-Encoding"_ba, "chunked"_ba});
    m_socket->write(head(200, all, !m_keepAlive));
    m_plan = plan;
    m_next = 0;
    m_pauseServed = false;
    m_stallServed = false;
    m_allWritten = false;
    m_state = State::Streaming;
    if (!m_timer) {
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, &FakeHttpConnection::pump);
    }
    pump();
}

void FakeHttpConnection::pump()
{
    if (m_state != State::Streaming)
        return;
    // Everything due now goes out in one write: zero-delay streams cost one syscall, not one
    // per event.
    QByteArray batch;
    const qsizetype count = m_plan.events.size();
    for (;;) {
        if (m_next == m_plan.dropAfterEvents) {
            m_socket->write(batch);
            m_state = State::Closing;
            emit streamEnded(false);
            m_socket->disconnectFromHost(); // the written events still arrive; the body never ends
            return;
        }
        if (m_next >= count)
            break;
        int pauseMs = m_plan.delaysMs.value(m_next);
        if (m_next == m_plan.stallAfterEvents && !m_stallServed) {
            m_stallServed = true;
            pauseMs += m_plan.stallMs;
        }
        if (pauseMs > 0 && !m_pauseServed) {
            if (!batch.isEmpty())
                m_socket->write(batch);
            m_pauseServed = true;
            m_timer->start(pauseMs);
            return;
        }
        m_pauseServed = false;
        batch += chunk(m_plan.events.at(m_next++));
    }
    batch += "0\r\n\r\n";
    m_socket->write(batch);
    m_allWritten = true;
    finishStreamIfFlushed();
}

void FakeHttpConnection::onBytesWritten()
{
    finishStreamIfFlushed();
}

void FakeHttpConnection::finishStreamIfFlushed()
{
    // A stream counts as running until its last byte left the process, so a client that goes
    // away before reading everything is seen as an abort.
    if (m_state != State::Streaming || !m_allWritten || m_socket->bytesToWrite() > 0)
        return;
    m_state = State::Idle;
    const QPointer<FakeHttpConnection> guard(this);
    emit streamEnded(false);
    if (!guard || m_state != State::Idle)
        return;
    if (!m_keepAlive) {
        closeByServer();
        return;
    }
    // Requests pipelined behind the stream; queued so this never recurses into a handler.
    QMetaObject::invokeMethod(this, &FakeHttpConnection::processBuffer, Qt::QueuedConnection);
}

void FakeHttpConnection::onSocketGone()
{
    if (m_state == State::Gone)
        return;
    const bool aborted = m_state == State::Streaming;
    m_state = State::Gone;
    if (m_timer)
        m_timer->stop();
    if (aborted)
        emit streamEnded(true);
    emit closed();
    deleteLater();
}
