// SPDX-License-Identifier: MIT
#include "GuardedTcpServer.h"

#include "HttpCompat.h"

#include <QTcpSocket>
#include <QTimer>

// Per-connection parse state: where the current request is, without consuming any bytes
// (QtHttpServer reads them after us).
struct GuardedTcpServer::Watch
{
    enum class State { Headers, Body, ChunkSize, ChunkData, ChunkTrailer, Rejected };
    State state = State::Headers;
    QByteArray headerBuffer; // the header block so far (bounded)
    qint64 bodyRemaining = 0;
    qint64 bodySeen = 0;
    qint64 chunkRemaining = 0;
    QByteArray line;
    QByteArray path;     // of the request being read, for the 413 body
    qint64 leftover = 0; // inspected bytes QtHttpServer left unread in the socket buffer
    bool postHooked = false;
};

GuardedTcpServer::GuardedTcpServer(QObject *parent) : QTcpServer(parent) {}

void GuardedTcpServer::setErrorBody(const QByteArray &json, const QByteArray &pathPrefix)
{
    if (pathPrefix.isEmpty())
        m_tooLargeBody = json;
    else
        m_tooLargeBodies.append({pathPrefix, json});
}

QByteArray GuardedTcpServer::tooLargeBody(const QByteArray &path) const
{
    for (const auto &[prefix, body] : m_tooLargeBodies) {
        if (path.startsWith(prefix))
            return body;
    }
    return m_tooLargeBody;
}

GuardedTcpServer::~GuardedTcpServer()
{
    // Sockets still open are our children and die after this destructor, when their destroyed()
    // no longer reaches us: free their parse state here.
    qDeleteAll(m_watches);
    m_watches.clear();
}

QTcpSocket *GuardedTcpServer::socketFor(const QHostAddress &peer, quint16 port) const
{
    QTcpSocket *socket = m_byPort.value(port);
    if (socket && (peer.isNull() || socket->peerAddress().isEqual(peer)))
        return socket;
    return nullptr;
}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    // SSE events are small writes that must leave at once: no Nagle delay behind the last ACK.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    auto *watch = new Watch;
    m_watches.insert(socket, watch);
    m_byPort.insert(socket->peerPort(), socket);
    // Connected before QtHttpServer's own slot, so we see every byte before it is consumed.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { inspect(socket); });
    connect(socket, &QObject::destroyed, this, [this, socket] {
        delete m_watches.take(socket);
        for (auto it = m_byPort.begin(); it != m_byPort.end();) {
            if (!it.value() || it.value() == socket)
                it = m_byPort.erase(it);
            else
                ++it;
        }
    });
    addPendingConnection(socket);
}

void GuardedTcpServer::attachAfterHttpServer()
{
    // Runs after QtHttpServer connected its own readyRead slot to the new sockets, so this slot
    // runs after it and sees how much it left unread.
    connect(this, &QTcpServer::newConnection, this, [this] {
        for (auto it = m_watches.begin(); it != m_watches.end(); ++it) {
            Watch *w = it.value();
            if (w->postHooked)
                continue;
            w->postHooked = true;
            QTcpSocket *socket = it.key();
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                if (Watch *watch = m_watches.value(socket))
                    watch->leftover = socket->bytesAvailable();
            });
        }
    });
}

void GuardedTcpServer::inspect(QTcpSocket *socket)
{
    Watch *w = m_watches.value(socket);
    if (!w || w->state == Watch::State::Rejected)
        return;
    // The buffer holds what QtHttpServer left unread last time (already inspected), then the
    // bytes that just arrived.
    const qint64 available = socket->bytesAvailable();
    if (available <= w->leftover) {
        w->leftover = available;
        return;
    }
    // Body bytes are only counted; the bytes are copied out (peeked) only when headers or chunk
    // sizes need reading, so a large body is not copied once more on its way in.
    const qint64 firstNew = w->leftover;
    QByteArray data;
    bool peeked = false;
    const auto needBytes = [&] {
        if (!peeked) {
            data = socket->peek(available).mid(firstNew);
            peeked = true;
        }
    };
    w->leftover = available;
    qsizetype i = 0;
    const qsizetype n = available - firstNew;
    while (i < n) {
        switch (w->state) {
        case Watch::State::Headers: {
            needBytes();
            // The header block, read in place when it came in one piece (the usual case); the
            // blank line that ends it may also arrive split over two reads.
            const QByteArrayView rest = QByteArrayView(data).sliced(i, n - i);
            QByteArrayView headers;
            if (w->headerBuffer.isEmpty()) {
                const qsizetype end = rest.indexOf("\r\n\r\n");
                if (end >= 0)
                    headers = rest.first(end + 4);
                else
                    w->headerBuffer = rest.toByteArray();
                i += end >= 0 ? end + 4 : rest.size();
            } else {
                const qsizetype before = w->headerBuffer.size();
                w->headerBuffer += rest;
                const qsizetype end = w->headerBuffer.indexOf("\r\n\r\n", qMax<qsizetype>(0, before - 3));
                if (end >= 0) {
                    w->headerBuffer.truncate(end + 4);
                    headers = w->headerBuffer;
                }
                i += end >= 0 ? end + 4 - before : rest.size();
            }
            if (headers.isNull()) {
                if (w->headerBuffer.size() > kMaxHeaderBytes)
                    return reject(socket, 431, "Request Header Fields Too Large");
                break;
            }
            qint64 length = 0;
            bool chunked = false;
            bool expectContinue = false;
            for (qsizetype pos = 0; pos < headers.size();) {
                qsizetype nl = headers.indexOf('\n', pos);
                if (nl < 0)
                    nl = headers.size();
                const QByteArrayView line = headers.sliced(pos, nl - pos).trimmed();
                pos = nl + 1;
                const auto value = [&line](QByteArrayView name) {
                    return line.size() >= name.size()
                            && line.first(name.size()).compare(name, Qt::CaseInsensitive) == 0
                        ? line.sliced(name.size()).trimmed()
                        : QByteArrayView();
                };
                const auto lowered = [](QByteArrayView v) { return v.toByteArray().toLower(); };
                if (const QByteArrayView size = value("content-length:"); !size.isNull())
                    length = size.toLongLong();
                else if (const QByteArrayView coding = value("transfer-encoding:"); !coding.isNull())
                    chunked = chunked || lowered(coding).contains("chunked");
                else if (const QByteArrayView expect = value("expect:"); !expect.isNull())
                    expectContinue = expectContinue || lowered(expect).contains("100-continue");
            }
            // "POST /v1/messages?beta=true HTTP/1.1": the path picks the 413 body's shape
            const qsizetype lineEnd = headers.indexOf('\r');
            const QByteArrayView requestLine = lineEnd < 0 ? headers : headers.first(lineEnd);
            const qsizetype from = requestLine.indexOf(' ') + 1;
            const qsizetype to = from > 0 ? requestLine.indexOf(' ', from) : -1;
            w->path = to > from ? requestLine.sliced(from, to - from).toByteArray() : QByteArray();
            w->headerBuffer.clear();
            if (length > m_maxBody)
                return reject(socket, 413, "Payload Too Large");
            if (expectContinue && !HttpCompat::serverAnswersExpectContinue)
                socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            w->bodySeen = 0;
            if (chunked) {
                w->state = Watch::State::ChunkSize;
                w->line.clear();
            } else if (length > 0) {
                w->state = Watch::State::Body;
                w->bodyRemaining = length;
            }
            break;
        }
        case Watch::State::Body: {
            const qint64 take = qMin<qint64>(w->bodyRemaining, n - i);
            i += take;
            w->bodyRemaining -= take;
            if (w->bodyRemaining == 0)
                w->state = Watch::State::Headers;
            break;
        }
        case Watch::State::ChunkSize:
        case Watch::State::ChunkTrailer: {
            needBytes();
            const qsizetype end = data.indexOf('\n', i);
            const qsizetype take = end < 0 ? n - i : end + 1 - i;
            w->line += data.mid(i, take);
            i += take;
            if (w->line.size() > 4096)
                return reject(socket, 400, "Bad Request");
            if (end < 0)
                break;
            const QByteArray line = w->line.trimmed();
            w->line.clear();
            if (w->state == Watch::State::ChunkTrailer) {
                if (line.isEmpty())
                    w->state = Watch::State::Headers;
                break;
            }
            bool ok = false;
            const qint64 size = line.split(';').first().trimmed().toLongLong(&ok, 16);
            if (!ok || size < 0)
                return reject(socket, 400, "Bad Request");
            if (size == 0) {
                w->state = Watch::State::ChunkTrailer;
                break;
            }
            w->bodySeen += size;
            if (w->bodySeen > m_maxBody)
                return reject(socket, 413, "Payload Too Large");
            w->chunkRemaining = size + 2; // data plus CRLF
            w->state = Watch::State::ChunkData;
            break;
        }
        case Watch::State::ChunkData: {
            const qint64 take = qMin<qint64>(w->chunkRemaining, n - i);
            i += take;
            w->chunkRemaining -= take;
            if (w->chunkRemaining == 0)
                w->state = Watch::State::ChunkSize;
            break;
        }
        case Watch::State::Rejected: return;
        }
    }
}

void GuardedTcpServer::reject(QTcpSocket *socket, int status, const QByteArray &reason)
{
    Watch *w = m_watches.value(socket);
    if (w)
        w->state = Watch::State::Rejected;
    ++m_rejected;
    // Take the socket away from QtHttpServer: it must not buffer the rest of the body.
    QObject::disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    socket->readAll();
    connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
    const QByteArray tooLarge = status == 413 ? tooLargeBody(w ? w->path : QByteArray()) : QByteArray();
    const QByteArray body = !tooLarge.isEmpty()
                                ? tooLarge
                                : QByteArray("{\"error\":{\"message\":\"" + reason
                                             + "\",\"type\":\"invalid_request_error\",\"param\":"
                                               "null,\"code\":null}}");
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
                  + "\r\nContent-Type: application/json\r\nConnection: close\r\n" + m_extraHeaders
                  + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    socket->flush();
    // Let the client finish sending and read the answer, then close; discard what still comes.
    QTimer::singleShot(2000, socket, [socket] { socket->disconnectFromHost(); });
}
