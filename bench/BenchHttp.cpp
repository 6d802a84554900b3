// SPDX-License-Identifier: MIT
#include "BenchHttp.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace Bench {

qint64 nowNs()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.nsecsElapsed();
}

HttpConnection::HttpConnection(quint16 port, QObject *parent)
    : QObject(parent), m_socket(new QTcpSocket(this)), m_port(port)
{
    connect(m_socket, &QTcpSocket::connected, this, [this] {
        // Requests go out at once, not when Nagle decides (the servers do the same).
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    });
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            onDisconnected();
    });
}

HttpConnection::~HttpConnection()
{
    m_callback = nullptr;
    m_socket->abort();
}

bool HttpConnection::isConnected() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::connectToServer()
{
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        m_socket->connectToHost(QHostAddress(QHostAddress::LocalHost), m_port);
}

void HttpConnection::close()
{
    m_socket->abort();
}

void HttpConnection::send(const QByteArray &request, Callback callback)
{
    Q_ASSERT(!m_busy);
    if (m_closeAfter && m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    m_closeAfter = false;
    connectToServer();
    m_busy = true;
    m_callback = std::move(callback);
    m_response = Response();
    m_buffer.clear();
    m_pos = 0;
    m_state = State::Head;
    m_response.sentNs = nowNs();
    m_socket->write(request); // buffered until connected
}

void HttpConnection::onReadyRead()
{
    const QByteArray bytes = m_socket->readAll();
    if (!m_busy || bytes.isEmpty())
        return; // an idle keep-alive connection has nothing to say
    if (m_response.firstByteNs == 0)
        m_response.firstByteNs = nowNs();
    m_response.wireBytes += bytes.size();
    if (m_pos > 0 && m_pos == m_buffer.size()) {
        m_buffer.clear();
        m_pos = 0;
    } else if (m_pos > 65536) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
    m_buffer += bytes;
    parse();
}

void HttpConnection::onDisconnected()
{
    if (!m_busy)
        return;
    if (m_state == State::UntilClose) {
        finish();
        return;
    }
    finish(m_socket->errorString().isEmpty() ? u"connection closed"_s
                                             : u"connection closed: "_s + m_socket->errorString());
}

void HttpConnection::parseHead(const QByteArray &head)
{
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    m_response.status = statusLine.value(1).toInt();
    bool chunked = false;
    qint64 length = -1;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed().toLower();
        if (name == "content-length")
            length = value.toLongLong();
        else if (name == "transfer-encoding" && value.contains("chunked"))
            chunked = true;
        else if (name == "connection" && value.contains("close"))
            m_closeAfter = true;
    }
    if (chunked) {
        m_state = State::ChunkSize;
    } else if (length >= 0) {
        m_state = State::Length;
        m_remaining = length;
    } else {
        m_state = State::UntilClose;
        m_closeAfter = true;
    }
}

void HttpConnection::parse()
{
    while (m_busy) {
        switch (m_state) {
        case State::Head: {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n", m_pos);
            if (end < 0)
                return;
            parseHead(m_buffer.mid(m_pos, end - m_pos));
            m_pos = end + 4;
            if (m_state == State::Length && m_remaining == 0) {
                finish();
                return;
            }
            break;
        }
        case State::Length:
        case State::ChunkData:
        case State::UntilClose: {
            const qsizetype available = m_buffer.size() - m_pos;
            if (available == 0)
                return;
            const qsizetype take = m_state == State::UntilClose
                                       ? available
                                       : qsizetype(qMin<qint64>(available, m_remaining));
            m_response.body.append(m_buffer.constData() + m_pos, take);
            m_pos += take;
            if (m_state == State::UntilClose)
                return;
            m_remaining -= take;
            if (m_remaining > 0)
                return;
            if (m_state == State::Length) {
                finish();
                return;
            }
            m_state = State::ChunkEnd;
            break;
        }
        case State::ChunkEnd:
            if (m_buffer.size() - m_pos < 2)
                return;
            if (m_buffer.at(m_pos) != '\r' || m_buffer.at(m_pos + 1) != '\n') {
                finish(u"malformed chunk end"_s);
                return;
            }
            m_pos += 2;
            m_state = State::ChunkSize;
            break;
        case State::ChunkSize: {
            const qsizetype end = m_buffer.indexOf("\r\n", m_pos);
            if (end < 0)
                return;
            QByteArray sizeText = m_buffer.mid(m_pos, end - m_pos);
            const qsizetype semicolon = sizeText.indexOf(';');
            if (semicolon >= 0)
                sizeText.truncate(semicolon);
            bool ok = false;
            const qint64 size = sizeText.trimmed().toLongLong(&ok, 16);
            m_pos = end + 2;
            if (!ok || size < 0) {
                finish(u"malformed chunk size"_s);
                return;
            }
            if (size == 0) {
                m_state = State::Trailer;
            } else {
                m_remaining = size;
                m_state = State::ChunkData;
            }
            break;
        }
        case State::Trailer: {
            const qsizetype end = m_buffer.indexOf("\r\n", m_pos);
            if (end < 0)
                return;
            const bool last = end == m_pos;
            m_pos = end + 2;
            if (last) {
                finish();
                return;
            }
            break;
        }
        }
    }
}

void HttpConnection::finish(const QString &error)
{
    if (!m_busy)
        return;
    m_busy = false;
    m_response.lastByteNs = nowNs();
    m_response.complete = error.isEmpty();
    m_response.error = error;
    if (m_pos < m_buffer.size() && error.isEmpty())
        m_response.error = u"unexpected bytes after the response"_s;
    m_buffer.clear();
    m_pos = 0;
    if (m_closeAfter || !error.isEmpty())
        m_socket->abort();
    // The callback may send the next request on this connection, which resets the members.
    Callback callback = std::move(m_callback);
    m_callback = nullptr;
    Response response = std::move(m_response);
    if (callback)
        callback(response);
}

} // namespace Bench
