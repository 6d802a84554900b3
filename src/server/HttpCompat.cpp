// SPDX-License-Identifier: MIT
#include "HttpCompat.h"

#include <QTcpServer>

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
#include <QHttpHeaders>
#endif

#include <cstdio>

namespace {

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
QHttpHeaders toHttpHeaders(const HttpHeaderList &headers)
{
    QHttpHeaders out;
    for (const auto &[name, value] : headers)
        out.append(name, value);
    return out;
}
#endif

QHttpServerResponder::StatusCode statusCode(int status)
{
    return static_cast<QHttpServerResponder::StatusCode>(status);
}

} // namespace

QByteArray HttpCompat::header(const QHttpServerRequest &request, const QByteArray &name)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    return request.headers().value(name).toByteArray();
#else
    for (const auto &[key, value] : request.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
#endif
}

HttpExchange::HttpExchange(QHttpServerResponder &&responder, QTcpSocket *socket)
    : m_responder(std::move(responder)), m_socket(socket)
{
}

HttpExchange::~HttpExchange()
{
    // An unfinished stream whose client is still there gets a proper end, so that keep-alive
    // connections stay usable.
    if (m_streaming && !m_done && isConnected())
        endStream(QByteArrayLiteral(": end\n\n"));
    release();
}

bool HttpExchange::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpExchange::release()
{
    // Qt 6.5+: a responder must be destroyed when done, or the connection's next request stalls.
    m_responder.reset();
}

void HttpExchange::respond(int status, const QByteArray &body, const HttpHeaderList &headers)
{
    if (m_done || !m_responder || !isConnected()) {
        m_done = true;
        release();
        return;
    }
    m_done = true;
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    m_responder->write(body, toHttpHeaders(headers), statusCode(status));
#else
    m_responder->writeStatusLine(statusCode(status));
    for (const auto &[name, value] : headers)
        m_responder->writeHeader(name, value);
    m_responder->writeHeader("Content-Length", QByteArray::number(body.size()));
    m_responder->writeBody(body);
#endif
    release();
}

void HttpExchange::beginStream(int status, const HttpHeaderList &headers)
{
    if (m_done || m_streaming || !m_responder || !isConnected())
        return;
    m_streaming = true;
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    m_responder->writeBeginChunked(toHttpHeaders(headers), statusCode(status));
#else
    m_responder->writeStatusLine(statusCode(status));
    for (const auto &[name, value] : headers)
        m_responder->writeHeader(name, value);
    m_responder->writeHeader("Transfer-Encoding", "chunked");
#endif
}

void HttpExchange::writeChunk(const QByteArray &data)
{
    if (m_done || !m_streaming || data.isEmpty() || !m_responder || !isConnected())
        return;
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    m_responder->writeChunk(data);
#else
    // Size line, data and CRLF go into the socket's buffer one after the other: no joined copy.
    char sizeLine[20];
    const int n = std::snprintf(sizeLine, sizeof sizeLine, "%llx\r\n",
                                static_cast<unsigned long long>(data.size()));
    m_responder->writeBody(sizeLine, n);
    m_responder->writeBody(data);
    m_responder->writeBody("\r\n", 2);
#endif
}

void HttpExchange::endStream(const QByteArray &lastData)
{
    if (m_done || !m_streaming) {
        m_done = true;
        release();
        return;
    }
    m_done = true;
    if (m_responder && isConnected()) {
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
        m_responder->writeEndChunked(lastData);
#else
        QByteArray tail;
        if (!lastData.isEmpty())
            tail = QByteArray::number(lastData.size(), 16) + "\r\n" + lastData + "\r\n";
        m_responder->writeBody(tail + "0\r\n\r\n");
#endif
    }
    release();
}

HttpServerBase::HttpServerBase(QObject *parent) : QAbstractHttpServer(parent) {}

bool HttpServerBase::bindTcpServer(QTcpServer *server)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    return bind(server);
#else
    bind(server);
    return servers().contains(server);
#endif
}

#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
bool HttpServerBase::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    dispatch(request, std::make_unique<HttpExchange>(makeResponder(request, socket), socket));
    return true;
}

void HttpServerBase::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    handleRequest(request, socket);
}
#else
bool HttpServerBase::handleRequest(const QHttpServerRequest &request,
                                   QHttpServerResponder &responder)
{
    QTcpSocket *socket = socketFor(request.remoteAddress(), request.remotePort());
    dispatch(request, std::make_unique<HttpExchange>(std::move(responder), socket));
    return true;
}

void HttpServerBase::missingHandler(const QHttpServerRequest &request,
                                    QHttpServerResponder &responder)
{
    handleRequest(request, responder);
}
#endif
